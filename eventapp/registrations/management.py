"""Organisers' side of registrations: lists, totals, attendance and messages to registrants."""
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Registration, RegistrationStatus, User, utcnow
from ..permissions import can
from ..text import search_key
from . import notifications
from .services import NotAllowed, RegistrationError, waiting_positions


@dataclass
class RegistrationList:
    """An event's registrations by status, with totals and fill rate."""

    event: Event
    confirmed: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    cancelled: list[Registration] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)

    @property
    def capacity(self) -> int | None:
        return self.event.capacity

    @property
    def fill_rate(self) -> int | None:
        """Confirmed seats as a whole percentage of the capacity (``None`` when unlimited)."""
        if not self.capacity:
            return None
        return round(100 * len(self.confirmed) / self.capacity)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.confirmed if r.attended is True)

    @property
    def absent(self) -> int:
        return sum(1 for r in self.confirmed if r.attended is False)

    def all(self) -> list[Registration]:
        return self.confirmed + self.waitlisted + self.cancelled


def registration_list(event: Event) -> RegistrationList:
    """Every registration of ``event``, grouped and ordered as organisers read them."""
    rows = list(
        db.session.scalars(
            select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
        )
    )
    result = RegistrationList(event=event)
    for registration in rows:
        getattr(result, registration.status.value).append(registration)
    result.positions = waiting_positions(event_ids=[event.id])
    result.confirmed.sort(key=lambda r: (r.confirmed_at or r.created_at, r.id))
    result.waitlisted.sort(key=lambda r: result.positions.get(r.id, 0))
    result.cancelled.sort(key=lambda r: (r.cancelled_at or r.created_at, r.id), reverse=True)
    return result


def display_name(registration: Registration) -> str:
    return registration.user.name if registration.user is not None else "Participant anonymisé"


def attendance_sheet(event: Event, query: str | None = None) -> list[Registration]:
    """Confirmed registrants in name order; ``query`` keeps those whose name matches (accents ignored)."""
    rows = list(
        db.session.scalars(
            select(Registration).where(
                Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
            )
        )
    )
    key = search_key(query)
    if key:
        rows = [r for r in rows if all(word in search_key(display_name(r)) for word in key.split())]
    return sorted(rows, key=lambda r: (search_key(display_name(r)), r.id))


class AttendanceRefused(RegistrationError):
    default_message = "La présence ne peut être enregistrée que pour une inscription confirmée."


def set_attendance(registration: Registration, attended: bool | None, actor: User) -> None:
    """Record that a confirmed registrant came (``True``), did not (``False``), or clear it (``None``)."""
    if not can("event.registrations", registration.event, user=actor):
        raise NotAllowed()
    if registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceRefused()
    registration.attended = attended
    db.session.flush()


def message_registrants(event: Event, actor: User, audience: str, subject: str, message: str) -> int:
    """Queue ``message`` for every confirmed (or waitlisted) registrant, one outbox row each.

    Returns the number of messages queued.
    """
    if not can("event.registrations", event, user=actor):
        raise NotAllowed()
    status = {"confirmed": RegistrationStatus.CONFIRMED, "waitlisted": RegistrationStatus.WAITLISTED}.get(audience)
    if status is None:
        raise RegistrationError("Choisissez les destinataires du message.")
    subject, message = subject.strip(), message.strip()
    if not subject or not message:
        raise RegistrationError("L'objet et le message sont obligatoires.")
    recipients = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == status, Registration.user_id.is_not(None))
        .order_by(Registration.id)
    )
    count = 0
    for registration in list(recipients):
        notifications.registration_message(registration, subject, message, actor)
        count += 1
    db.session.flush()
    return count


def event_is_over(event: Event) -> bool:
    return event.ends_at <= utcnow()
