"""Deliver the outbox: claim due rows, send them, record the outcome of each.

The cycle for a batch of rows:

1. **Claim** (one short transaction): select due rows, locking them with
   ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's ``BEGIN IMMEDIATE`` write
   transaction serialises claimers instead), count the attempt and push their
   ``next_attempt_at`` a lease ahead, so no other sender picks them up; commit.
2. **Send** each message with no transaction open: a slow SMTP server never
   holds a database lock.
3. **Record** each outcome right away, one commit per message: ``sent_at``, or
   the error and the next attempt after an exponential backoff.

A sender that dies between sending and recording leaves the row to be retried
when the lease expires: delivery is at least once, and the Message-ID stays the
same so such a rare duplicate is recognisable. Nothing here runs inside a web
request.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..models import OutboxMessage
from ..models.types import utcnow
from .backends import ConnectionFailed, backend_from_config
from .compose import Outgoing, build_email, envelope_address, sender_address

ERROR_MAX_LENGTH = 2000


@dataclass
class Failure:
    """One message that could not be sent during a run."""

    id: int
    recipient: str
    error: str
    attempts: int
    next_attempt_at: datetime | None  # None: given up, left for a human


@dataclass
class DeliveryReport:
    """What a run did, and what is left in the outbox afterwards."""

    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    connection_error: str | None = None
    remaining: int = 0  # still queued (due now or later)
    held: int = 0  # given up after too many attempts or a permanent error

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def abandoned(self) -> list[Failure]:
        return [failure for failure in self.failures if failure.next_attempt_at is None]


def max_attempts() -> int:
    return int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4, 8… minutes after the 1st, 2nd, 3rd… failure, capped."""
    base = int(current_app.config.get("OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = int(current_app.config.get("OUTBOX_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def due_condition(now: datetime):
    """Rows a sender may take now: unsent, attempts left, next attempt null or past."""
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.attempts < max_attempts(),
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )


def claim_batch(size: int) -> list[Outgoing]:
    """Take up to ``size`` due rows for this sender and commit the claim."""
    now = utcnow()
    lease = timedelta(seconds=int(current_app.config.get("OUTBOX_CLAIM_SECONDS", 900)))
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(*due_condition(now))
        .order_by(OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.attempts += 1
        row.last_attempt_at = now
        row.next_attempt_at = now + lease
    batch = [Outgoing.from_row(row) for row in rows]
    db.session.commit()
    return batch


def _record(message_id: int, **values) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def mark_sent(item: Outgoing) -> None:
    _record(item.id, sent_at=utcnow(), next_attempt_at=None, last_error=None)


def mark_failed(item: Outgoing, error: str, *, permanent: bool = False) -> Failure:
    """Record a failed attempt; retry later, or give up (permanent error, no attempts left)."""
    now = utcnow()
    limit = max_attempts()
    attempts = limit if permanent else item.attempts
    next_attempt_at = None if attempts >= limit else now + retry_delay(attempts)
    if permanent:
        error = f"échec définitif : {error}"
    error = error[:ERROR_MAX_LENGTH]
    _record(item.id, attempts=attempts, last_error=error, next_attempt_at=next_attempt_at)
    current_app.logger.warning("outbox message %s to %s not sent: %s", item.id, item.recipient, error)
    return Failure(item.id, item.recipient, error, attempts, next_attempt_at)


def _is_permanent_refusal(exc: smtplib.SMTPRecipientsRefused) -> bool:
    """5xx for every recipient: the address does not exist, retrying will not help."""
    codes = [code for code, _ in exc.recipients.values()]
    return bool(codes) and all(500 <= code < 600 for code in codes)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        details = "; ".join(
            f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items()
        )
        return f"destinataire refusé par le serveur ({details})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.__class__.__name__}: {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{exc.__class__.__name__}: {exc}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def deliver_pending(*, limit: int | None = None, backend=None) -> DeliveryReport:
    """Send every due message (at most ``limit``) and return the report of the run.

    One connection serves the whole run. When it cannot be opened (server down,
    log-in refused), every due message gets the error and its next attempt, and
    no further connection is tried during this run. A refused message is
    recorded and the run carries on with the next one.
    """
    if has_request_context():
        raise RuntimeError("Mail is never delivered inside a web request: run `flask outbox send`.")
    config = current_app.config
    backend = backend if backend is not None else backend_from_config(config)
    sender = config["MAIL_DEFAULT_SENDER"]
    from_addr = sender_address(sender)
    batch_size = max(1, int(config.get("OUTBOX_BATCH_SIZE", 20)))
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("deliver_pending() commits its own transactions: commit your changes first.")
    db.session.rollback()  # end any read transaction: claims are transactions of their own
    report = DeliveryReport()
    processed = 0
    with backend:
        while limit is None or processed < limit:
            size = batch_size if limit is None else min(batch_size, limit - processed)
            batch = claim_batch(size)
            if not batch:
                break
            for item in batch:
                processed += 1
                failure = _deliver_one(item, backend, sender, from_addr, report)
                if failure is not None:
                    report.failures.append(failure)
    _count_remaining(report)
    return report


def _deliver_one(item, backend, sender, from_addr, report) -> Failure | None:
    """Send one claimed message and record the outcome; a Failure when it was not sent."""
    if report.connection_error:
        return mark_failed(item, report.connection_error)
    try:
        recipient = envelope_address(item.recipient)
        message = build_email(item, sender=sender, now=utcnow())
    except ValueError as exc:  # InvalidMessage included: the row itself is wrong
        return mark_failed(item, str(exc) or exc.__class__.__name__, permanent=True)
    try:
        backend.send(message, from_addr=from_addr, to_addrs=[recipient])
    except ConnectionFailed as exc:
        report.connection_error = str(exc)
        return mark_failed(item, report.connection_error)
    except smtplib.SMTPRecipientsRefused as exc:
        return mark_failed(item, _describe(exc), permanent=_is_permanent_refusal(exc))
    except (OSError, ValueError) as exc:  # SMTPException is an OSError
        return mark_failed(item, _describe(exc))
    mark_sent(item)
    report.sent += 1
    return None


def _count_remaining(report: DeliveryReport) -> None:
    unsent = OutboxMessage.sent_at.is_(None)
    report.remaining = db.session.scalar(
        select(func.count()).where(unsent, OutboxMessage.attempts < max_attempts())
    )
    report.held = db.session.scalar(
        select(func.count()).where(unsent, OutboxMessage.attempts >= max_attempts())
    )
    db.session.rollback()  # end the read transaction (on SQLite it holds the write lock)


def held_messages(limit: int = 50) -> list[OutboxMessage]:
    """Messages given up on, most recent first: a human decides (fix the address, retry)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= max_attempts())
            .order_by(OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def requeue(ids: list[int] | None = None) -> int:
    """Give held messages (all, or those of ``ids``) a fresh set of attempts; flushes, no commit."""
    condition = [OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= max_attempts()]
    if ids:
        condition.append(OutboxMessage.id.in_(ids))
    result = db.session.execute(
        update(OutboxMessage)
        .where(*condition)
        .values(attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
