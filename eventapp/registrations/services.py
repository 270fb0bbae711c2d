"""Registration rules: capacity, waiting list, cancellation and promotion.

Every function here flushes but never commits; the view or CLI command commits
once. Anything that reads the number of seats taken and then writes a
registration first locks the event row (:func:`lock_event`), so the check and
the write are one atomic step: ``SELECT … FOR UPDATE`` on PostgreSQL; on
SQLite every transaction already starts with ``BEGIN IMMEDIATE`` (see
``eventapp.database``), which serialises writers. The partial unique index on
active registrations is the last line of defence against duplicates.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Event,
    EventStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    User,
    utcnow,
)
from ..permissions import can
from . import notifications


class RegistrationError(Exception):
    """A registration rule refused the operation; ``message`` is shown to the user (French)."""

    default_message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class RegistrationClosed(RegistrationError):
    default_message = "Les inscriptions à cet événement sont closes."


class AlreadyRegistered(RegistrationError):
    default_message = "Vous êtes déjà inscrit·e à cet événement."


class EventFull(RegistrationError):
    default_message = "Cet événement est complet : il n'y a plus de place disponible."


class CancellationClosed(RegistrationError):
    default_message = "Cette inscription ne peut plus être annulée : l'événement a commencé."


class AlreadyCancelled(RegistrationError):
    default_message = "Cette inscription est déjà annulée."


class NotAllowed(RegistrationError):
    default_message = "Vous n'avez pas l'autorisation de faire cette opération."


# --- Locking and counting -------------------------------------------------------------------


def lock_event(event: Event | int) -> Event:
    """Lock the event row until the end of the transaction and reload its columns.

    Concurrent registrations, cancellations and promotions for the same event
    wait here for each other; the event's own columns (capacity, status, dates)
    are read again once the lock is held, in the same statement. Its collections
    (themes, audiences) and related rows are left as they are: no rule under the
    lock depends on them.
    """
    if isinstance(event, int):
        event = db.session.get(Event, event)
    db.session.flush()  # a refresh discards unflushed changes: the caller's (a new capacity…) count
    db.session.refresh(event, attribute_names=_EVENT_COLUMNS, with_for_update=True)
    return event


#: The event's column attributes: what :func:`lock_event` reads again under the lock.
_EVENT_COLUMNS = [column.key for column in Event.__mapper__.column_attrs]


def confirmed_count(event_id: int) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ) or 0


def seats_left(event: Event, confirmed: int | None = None) -> int | None:
    """Seats left now (``None``: unlimited), given the ``confirmed`` registrations when already
    counted. Only trustworthy while the event is locked."""
    if event.capacity is None:
        return None
    if confirmed is None:
        confirmed = confirmed_count(event.id)
    return max(event.capacity - confirmed, 0)


def waiting_positions(event_ids: list[int] | None = None, registration_ids: list[int] | None = None) -> dict[int, int]:
    """``{registration_id: position}`` on the waiting lists (1 = next to be promoted).

    The position is the rank by ``waitlisted_at`` then ``id`` among the
    event's waitlisted registrations.
    """
    rank = func.row_number().over(
        partition_by=Registration.event_id,
        order_by=(Registration.waitlisted_at, Registration.id),
    )
    inner = select(Registration.id.label("id"), Registration.event_id.label("event_id"), rank.label("position")).where(
        Registration.status == RegistrationStatus.WAITLISTED
    )
    if event_ids is not None:
        inner = inner.where(Registration.event_id.in_(event_ids))
    if registration_ids is not None:
        # Rank within the whole list of each event these registrations belong to.
        events_of = select(Registration.event_id).where(Registration.id.in_(registration_ids))
        inner = inner.where(Registration.event_id.in_(events_of))
    ranked = inner.subquery()
    query = select(ranked.c.id, ranked.c.position)
    if registration_ids is not None:
        query = query.where(ranked.c.id.in_(registration_ids))
    return {row.id: int(row.position) for row in db.session.execute(query)}


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return waiting_positions(registration_ids=[registration.id]).get(registration.id)


def waiting_list(event_id: int, limit: int | None = None) -> list[Registration]:
    """The event's waiting list in promotion order."""
    query = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def active_registration(event_id: int, user_id: int) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.user_id == user_id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
        )
    ).first()


# --- Registering ----------------------------------------------------------------------------


def closed_reason(event: Event, now: datetime | None = None) -> str | None:
    """Why nobody may register for ``event`` right now (French), or ``None`` if it is open."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return "Cet événement est annulé : les inscriptions sont fermées."
    if event.status != EventStatus.PUBLISHED or not event.is_publicly_visible:
        return "Cet événement n'est pas encore publié : les inscriptions ne sont pas ouvertes."
    if event.registration_mode == RegistrationMode.NONE:
        return "Cet événement est en accès libre : aucune inscription n'est nécessaire."
    if event.registration_mode == RegistrationMode.EXTERNAL:
        return "Les inscriptions à cet événement se font sur le site de l'organisateur."
    if event.starts_at <= now:
        return "Cet événement a déjà commencé : les inscriptions sont closes."
    if event.registration_deadline is not None and event.registration_deadline <= now:
        return "La date limite d'inscription à cet événement est passée."
    return None


@dataclass(frozen=True)
class Registered:
    """What :func:`register` did: the new registration and, if waitlisted, its place in the queue
    (read once, under the lock: the e-mail and the page say the same number)."""

    registration: Registration
    waiting_position: int | None

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


def register(
    event: Event,
    user: User,
    *,
    administration: str | None = None,
    job_title: str | None = None,
    accessibility_needs: str | None = None,
    shares_answers: bool = False,
    now: datetime | None = None,
) -> Registered:
    """Register ``user`` for ``event``: confirmed if a seat is left, else waitlisted.

    Locks the event, re-checks that registration is open, refuses a second
    active registration, counts the confirmed seats and inserts, all in one
    transaction. Queues the confirmation (or waiting-list) e-mail, and says what it did.

    Raises :class:`RegistrationClosed`, :class:`AlreadyRegistered`,
    :class:`EventFull` or :class:`NotAllowed`; the caller then rolls back.
    """
    # Build the calendar attachment before taking the lock: it is the slow part of the e-mail,
    # and every registration to this event waits while the lock is held.
    attachments = notifications.event_attachments(event)
    event = lock_event(event)
    # Read the clock once the lock is held, so waiting-list order is the order of the writes.
    now = now or utcnow()
    reason = closed_reason(event, now)
    if reason:
        raise RegistrationClosed(reason)
    if not can("event.register", event, user=user):
        raise NotAllowed("Vous devez être connecté·e pour vous inscrire.")
    already_registered, confirmed = _registration_state(event.id, user.id)
    if already_registered:
        raise AlreadyRegistered()

    left = seats_left(event, confirmed)
    if left is None or left > 0:
        status = RegistrationStatus.CONFIRMED
    elif event.has_waiting_list:
        status = RegistrationStatus.WAITLISTED
    else:
        raise EventFull()

    registration = Registration(
        event=event,
        user=user,
        status=status,
        administration=_clean(administration),
        job_title=_clean(job_title),
        accessibility_needs=_clean(accessibility_needs),
        shares_answers=bool(shares_answers),
        created_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
    )
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # The partial unique index caught a duplicate the check above could not see. No savepoint
        # to save: on any refusal the caller rolls the whole transaction back.
        raise AlreadyRegistered() from None

    if status == RegistrationStatus.CONFIRMED:
        notifications.registration_confirmed(registration, attachments=attachments)
        return Registered(registration, None)
    position = waiting_position(registration)
    notifications.registration_waitlisted(registration, position)
    return Registered(registration, position)


def _registration_state(event_id: int, user_id: int) -> tuple[bool, int]:
    """Whether ``user_id`` already holds an active registration for the event, and the seats
    taken: one query (a registration runs under the event's lock; each statement is a round trip)."""
    active = Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED))
    mine, confirmed = db.session.execute(
        select(
            func.count(Registration.id).filter(Registration.user_id == user_id, active),
            func.count(Registration.id).filter(Registration.status == RegistrationStatus.CONFIRMED),
        ).where(Registration.event_id == event_id)
    ).one()
    return bool(mine), int(confirmed or 0)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# --- Cancelling and promoting ---------------------------------------------------------------


def cancel_registration(
    registration: Registration,
    actor: User | None,
    *,
    now: datetime | None = None,
    notify: bool = True,
    check_permission: bool = True,
) -> list[Registration]:
    """Cancel a registration before its event starts; the freed seat goes to the waiting list.

    Only the agent who registered may cancel (rule ``registration.cancel``),
    unless ``check_permission`` is off (account deletion by the system).
    Returns the registrations promoted from the waiting list.
    """
    event = lock_event(registration.event_id)
    now = now or utcnow()
    db.session.refresh(registration)  # its status may have changed while we waited for the lock
    if check_permission and not can("registration.cancel", registration, user=actor):
        raise NotAllowed("Vous ne pouvez annuler que vos propres inscriptions.")
    if registration.status == RegistrationStatus.CANCELLED:
        raise AlreadyCancelled()
    if event.starts_at <= now:
        raise CancellationClosed()

    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    if notify and registration.user is not None:
        notifications.registration_cancelled(registration)
    if was_confirmed:
        return promote_from_waiting_list(event, actor=actor, now=now)
    return []


def promote_from_waiting_list(event: Event, actor: User | None = None, *, now: datetime | None = None) -> list[Registration]:
    """Confirm as many waitlisted agents as there are seats left, in waiting order.

    Call it whenever seats may have been freed (a cancellation, a raised
    capacity). The caller holds the event lock (or calls it within the
    transaction where it took :func:`lock_event`); it is locked again here,
    which is harmless. Nothing happens for events that are not published or
    have started. Each promoted agent gets an e-mail. Flushes, never commits.
    """
    event = lock_event(event)
    now = now or utcnow()
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    if event.registration_mode != RegistrationMode.INTERNAL:
        return []
    left = seats_left(event)
    if left == 0:
        return []
    promoted = waiting_list(event.id, limit=left)
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.promoted_at = now
    db.session.flush()
    attachments = notifications.event_attachments(event) if promoted else None
    for registration in promoted:
        if registration.user is not None:
            notifications.registration_promoted(registration, attachments=attachments)
    return promoted
