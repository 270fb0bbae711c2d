"""One page of the public programme: the events, their seats, grouped by day (a fixed number of queries)."""
import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Edition, Event, Organisation
from ..seats import Seats, seats_for
from .filters import ProgrammeFilters, filter_conditions, public_events_query, visible_conditions


@dataclass
class ProgrammePage:
    """What the programme page (or an archive page) shows."""

    edition: Edition
    filters: ProgrammeFilters
    events: list[Event]
    total: int
    page: int
    pages: int
    per_page: int
    seats: dict[int, Seats] = field(default_factory=dict)
    organisation: Organisation | None = None

    @property
    def days(self) -> list[tuple[date, list[Event]]]:
        """The page's events grouped by their local start date, days in order."""
        groups: dict[date, list[Event]] = {}
        for event in self.events:
            groups.setdefault(event.local_starts_at.date(), []).append(event)
        return sorted(groups.items())

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


def resolve_organisation(filters: ProgrammeFilters) -> Organisation | None:
    """The organisation named by the filter; an unknown slug is dropped with a message."""
    if not filters.organisation:
        return None
    organisation = db.session.scalars(
        select(Organisation).where(Organisation.slug == filters.organisation)
    ).first()
    if organisation is None:
        filters.errors.append(
            f"L'organisation « {filters.organisation} » n'existe pas ; ce filtre a été ignoré."
        )
        filters.organisation = None
    return organisation


def count_events(edition: Edition, filters: ProgrammeFilters) -> int:
    return db.session.scalar(
        select(func.count(Event.id)).where(*visible_conditions(edition), *filter_conditions(filters))
    ) or 0


def load_page(edition: Edition, filters: ProgrammeFilters, per_page: int) -> ProgrammePage:
    """The requested page of matching events; a page past the end shows the last one, with a message."""
    organisation = resolve_organisation(filters)
    total = count_events(edition, filters)
    pages = max(1, math.ceil(total / per_page))
    page = filters.page
    if page > pages:
        if total:
            filters.errors.append(
                f"La page {page} n'existe pas pour cette recherche ; voici la dernière page ({pages})."
            )
        page = pages
        filters.page = page
    events: list[Event] = []
    if total:
        events = list(
            db.session.scalars(
                public_events_query(edition, filters)
                .options(joinedload(Event.organisation))
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
    return ProgrammePage(
        edition=edition,
        filters=filters,
        events=events,
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        seats=seats_for(events),
        organisation=organisation,
    )


def pagination_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link, ``None`` for a gap: [1, None, 4, 5, 6, None, 12]."""
    shown = {1, pages, *range(page - width, page + width + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    window: list[int | None] = []
    for number in numbers:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window
