"""The state machine of an event: who may move it from which status to which.

``draft`` → ``submitted`` → ``published`` (or ``changes_requested`` → back to
``submitted``, or ``rejected``); a ``published`` event may be ``cancelled``.
:func:`transition` is the only code that changes ``Event.status``: it checks
the step and the actor, records an :class:`EventStatusChange` with a snapshot,
stamps the event and queues the e-mails, then flushes (the caller commits).
"""
from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..models import Event, EventStatus, EventStatusChange, User, utcnow
from ..permissions import can
from ..search import refresh_search_text
from . import notifications
from .errors import CommentRequired, InvalidTransition, NotAllowed, SubmissionClosed
from .snapshot import snapshot

S = EventStatus


@dataclass(frozen=True)
class Step:
    source: EventStatus
    target: EventStatus
    #: The permission rule (``eventapp.permissions``) the actor must pass.
    permission: str
    comment_required: bool = False


STEPS: tuple[Step, ...] = (
    Step(S.DRAFT, S.SUBMITTED, "event.submit"),
    Step(S.CHANGES_REQUESTED, S.SUBMITTED, "event.submit"),
    Step(S.SUBMITTED, S.PUBLISHED, "event.moderate"),
    Step(S.SUBMITTED, S.CHANGES_REQUESTED, "event.moderate", comment_required=True),
    Step(S.SUBMITTED, S.REJECTED, "event.moderate", comment_required=True),
    Step(S.PUBLISHED, S.CANCELLED, "event.cancel", comment_required=True),
)

#: French status names, as organisers and coordinators read them.
STATUS_LABELS = {
    S.DRAFT: "Brouillon",
    S.SUBMITTED: "En attente de modération",
    S.CHANGES_REQUESTED: "Modifications demandées",
    S.PUBLISHED: "Publié",
    S.REJECTED: "Refusé",
    S.CANCELLED: "Annulé",
}

_COMMENT_MESSAGES = {
    S.CHANGES_REQUESTED: "Expliquez à l'organisateur les modifications à apporter.",
    S.REJECTED: "Expliquez à l'organisateur pourquoi l'événement n'est pas retenu.",
    S.CANCELLED: "Indiquez le motif de l'annulation : il sera communiqué aux inscrits.",
}

MAX_COMMENT_LENGTH = 5000


def find_step(source: EventStatus, target: EventStatus) -> Step:
    for step in STEPS:
        if step.source == source and step.target == target:
            return step
    raise InvalidTransition(
        f"Un événement « {STATUS_LABELS[source].lower()} » ne peut pas passer à "
        f"« {STATUS_LABELS[target].lower()} »."
    )


def allowed_targets(event: Event, actor: User | None) -> list[EventStatus]:
    """The statuses ``actor`` may move ``event`` to now (for showing the right buttons)."""
    targets = []
    for step in STEPS:
        if step.source != event.status or not can(step.permission, event, user=actor):
            continue
        if step.target == S.SUBMITTED and not may_submit_now(event, actor):
            continue
        targets.append(step.target)
    return targets


def may_submit_now(event: Event, actor: User | None, now: datetime | None = None) -> bool:
    """Organisers submit while the edition's window is open; coordinators in scope at any time."""
    return can("event.moderate", event, user=actor) or event.edition.is_submission_open(now)


def record(
    event: Event,
    actor: User | None,
    from_status: EventStatus | None,
    to_status: EventStatus,
    comment: str | None = None,
    now: datetime | None = None,
) -> EventStatusChange:
    """Add a history row with a snapshot of the event as it is now."""
    change = EventStatusChange(
        event=event,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        snapshot=snapshot(event),
        created_at=now or utcnow(),
    )
    db.session.add(change)
    return change


def transition(
    event: Event,
    to_status: EventStatus,
    actor: User | None,
    comment: str | None = None,
    *,
    now: datetime | None = None,
) -> EventStatusChange:
    """Move ``event`` to ``to_status`` on behalf of ``actor``; record, stamp and notify.

    Raises :class:`InvalidTransition` (not a step of the machine),
    :class:`NotAllowed` (the actor may not take this step on this event),
    :class:`SubmissionClosed` (an organiser submitting outside the window) or
    :class:`CommentRequired`. Nothing is changed when it raises.
    """
    now = now or utcnow()
    step = find_step(event.status, to_status)
    if not can(step.permission, event, user=actor):
        raise NotAllowed()
    if to_status == S.SUBMITTED and not may_submit_now(event, actor, now):
        raise SubmissionClosed()
    comment = (comment or "").strip() or None
    if step.comment_required and not comment:
        raise CommentRequired(_COMMENT_MESSAGES.get(to_status))
    if comment and len(comment) > MAX_COMMENT_LENGTH:
        raise CommentRequired(f"Le commentaire ne doit pas dépasser {MAX_COMMENT_LENGTH} caractères.")

    from_status = event.status
    resubmission = to_status == S.SUBMITTED and (
        from_status == S.CHANGES_REQUESTED
        or any(change.to_status == S.SUBMITTED for change in event.status_changes)
    )
    event.status = to_status
    if to_status == S.PUBLISHED and event.published_at is None:
        event.published_at = now
    if to_status == S.CANCELLED:
        event.cancellation_reason = comment
        event.cancelled_at = now
        event.sequence = (event.sequence or 0) + 1
    refresh_search_text(event)
    change = record(event, actor, from_status, to_status, comment, now)
    db.session.flush()

    if to_status == S.SUBMITTED:
        notifications.event_submitted(event, actor, change, resubmission)
    elif to_status == S.CANCELLED:
        notifications.event_cancelled(event, actor, change)
    else:
        notifications.event_decided(event, actor, change)
    db.session.flush()
    return change


def submit_event(event: Event, actor: User | None, comment: str | None = None, **kw) -> EventStatusChange:
    """Send a draft (or an event whose changes were requested) to the coordinators."""
    return transition(event, S.SUBMITTED, actor, comment, **kw)


def publish_event(event: Event, actor: User | None, comment: str | None = None, **kw) -> EventStatusChange:
    """Accept a submitted event into the programme (public once the programme is published)."""
    return transition(event, S.PUBLISHED, actor, comment, **kw)


def request_changes(event: Event, actor: User | None, comment: str | None, **kw) -> EventStatusChange:
    """Send a submitted event back to its organisers with what to change."""
    return transition(event, S.CHANGES_REQUESTED, actor, comment, **kw)


def reject_event(event: Event, actor: User | None, comment: str | None, **kw) -> EventStatusChange:
    """Refuse a submitted event, with the reason."""
    return transition(event, S.REJECTED, actor, comment, **kw)


def cancel_event(event: Event, actor: User | None, reason: str | None, **kw) -> EventStatusChange:
    """Cancel a published event: it stays visible as cancelled, its SEQUENCE rises, registrants are told."""
    return transition(event, S.CANCELLED, actor, reason, **kw)
