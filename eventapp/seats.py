"""How many seats an event has left, for listings and pages (one query for many events)."""
from dataclasses import dataclass

from sqlalchemy import case, func, select

from .extensions import db
from .models import Event, Registration, RegistrationMode, RegistrationStatus


@dataclass(frozen=True)
class Seats:
    """What the public reads about an event's registration."""

    registration_mode: RegistrationMode
    capacity: int | None
    confirmed: int
    waitlisted: int
    has_waiting_list: bool

    @property
    def left(self) -> int | None:
        """Seats left, or ``None`` when unlimited or not registered here."""
        if self.registration_mode != RegistrationMode.INTERNAL or self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0

    @property
    def label(self) -> str:
        """« 12 places restantes », « liste d'attente », « complet », or the registration mode."""
        if self.registration_mode == RegistrationMode.NONE:
            return "Sans inscription"
        if self.registration_mode == RegistrationMode.EXTERNAL:
            return "Inscription sur un site externe"
        if self.left is None:
            return "Places illimitées"
        if self.left == 0:
            return "Liste d'attente" if self.has_waiting_list else "Complet"
        return f"{self.left} place restante" if self.left == 1 else f"{self.left} places restantes"


def registration_counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{event_id: (confirmed, waitlisted)}`` for the given events, in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(
            Registration.event_id,
            func.sum(case((Registration.status == RegistrationStatus.CONFIRMED, 1), else_=0)),
            func.sum(case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0)),
        )
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    )
    return {event_id: (int(confirmed or 0), int(waitlisted or 0)) for event_id, confirmed, waitlisted in rows}


def seats_for(events: list[Event]) -> dict[int, Seats]:
    """``{event_id: Seats}`` for a page of events (one query)."""
    counts = registration_counts([event.id for event in events])
    return {
        event.id: Seats(
            registration_mode=event.registration_mode,
            capacity=event.capacity,
            confirmed=counts.get(event.id, (0, 0))[0],
            waitlisted=counts.get(event.id, (0, 0))[1],
            has_waiting_list=event.has_waiting_list,
        )
        for event in events
    }
