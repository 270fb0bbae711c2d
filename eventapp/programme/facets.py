"""How many events each filter option leads to, with one GROUP BY query per filter.

The count shown next to an option applies every *other* active filter, so it
is exactly the number of results the visitor gets by choosing that option.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from ..extensions import db
from ..formatting import long_date
from ..models import Edition, Event, EventAudience, EventMode, EventTheme, Organisation
from ..text import search_key
from ..vocabulary import (
    AUDIENCES,
    FORMATS,
    MODES,
    ONLINE_REGION_FILTER,
    PARIS_TZ,
    REGIONS,
    THEMES,
    TIMEZONES,
)
from .filters import ProgrammeFilters, filter_conditions, seats_left_condition, visible_conditions


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facets:
    """The options of every filter, each with its count of events."""

    region: list[Option] = field(default_factory=list)
    format: list[Option] = field(default_factory=list)
    theme: list[Option] = field(default_factory=list)
    audience: list[Option] = field(default_factory=list)
    mode: list[Option] = field(default_factory=list)
    date: list[Option] = field(default_factory=list)
    organisation: list[Option] = field(default_factory=list)
    places_count: int = 0


def _where(edition: Edition, filters: ProgrammeFilters, skip: str) -> list:
    return [*visible_conditions(edition), *filter_conditions(filters, skip=skip)]


def _grouped(column, edition: Edition, filters: ProgrammeFilters, skip: str) -> dict:
    rows = db.session.execute(
        select(column, func.count(Event.id)).where(*_where(edition, filters, skip)).group_by(column)
    )
    return {value: count for value, count in rows}


def _options(vocabulary: dict[str, str], counts: dict, selected: str | None) -> list[Option]:
    """Every option of a fixed vocabulary, in its order, with its count."""
    return [
        Option(code, text, int(counts.get(code, 0)), code == selected) for code, text in vocabulary.items()
    ]


def region_options(edition: Edition, filters: ProgrammeFilters) -> list[Option]:
    online = case((Event.mode == EventMode.ONLINE, 1), else_=0)
    rows = db.session.execute(
        select(Event.region_code, func.count(Event.id), func.sum(online))
        .where(*_where(edition, filters, "region"))
        .group_by(Event.region_code)
    ).all()
    counts = {code: count for code, count, _online in rows}
    online_count = sum(int(online_count or 0) for _code, _count, online_count in rows)
    options = [Option(ONLINE_REGION_FILTER, "En ligne", online_count, filters.region == ONLINE_REGION_FILTER)]
    options += [
        Option(code, region.name, int(counts.get(code, 0)), code == filters.region)
        for code, region in sorted(REGIONS.items(), key=lambda item: search_key(item[1].name))
    ]
    return options


def theme_options(edition: Edition, filters: ProgrammeFilters) -> list[Option]:
    rows = db.session.execute(
        select(EventTheme.theme, func.count(Event.id))
        .join(Event, Event.id == EventTheme.event_id)
        .where(*_where(edition, filters, "theme"))
        .group_by(EventTheme.theme)
    )
    return _options(THEMES, dict(rows.all()), filters.theme)


def audience_options(edition: Edition, filters: ProgrammeFilters) -> list[Option]:
    rows = db.session.execute(
        select(EventAudience.audience, func.count(Event.id))
        .join(Event, Event.id == EventAudience.event_id)
        .where(*_where(edition, filters, "audience"))
        .group_by(EventAudience.audience)
    )
    return _options(AUDIENCES, dict(rows.all()), filters.audience)


def date_options(edition: Edition, filters: ProgrammeFilters) -> list[Option]:
    """The days that have events (in each event's own time zone), in order."""
    rows = db.session.execute(
        select(Event.timezone, Event.starts_at, func.count(Event.id))
        .where(*_where(edition, filters, "date"))
        .group_by(Event.timezone, Event.starts_at)
    )
    per_day: Counter[date] = Counter()
    for tz, starts_at, count in rows:
        per_day[starts_at.astimezone(_zone(tz)).date()] += count
    if filters.date and filters.date not in per_day:
        per_day[filters.date] += 0
    return [
        Option(day.isoformat(), long_date(day), per_day[day], day == filters.date) for day in sorted(per_day)
    ]


def organisation_options(edition: Edition, filters: ProgrammeFilters) -> list[Option]:
    """Organisations with matching events, by name (the selected one always listed)."""
    rows = db.session.execute(
        select(Organisation.slug, Organisation.name, func.count(Event.id))
        .join(Event, Event.organisation_id == Organisation.id)
        .where(*_where(edition, filters, "organisation"))
        .group_by(Organisation.id, Organisation.slug, Organisation.name)
    )
    options = [Option(slug, name, count, slug == filters.organisation) for slug, name, count in rows]
    options.sort(key=lambda option: search_key(option.label))
    return options


def places_count(edition: Edition, filters: ProgrammeFilters) -> int:
    return db.session.scalar(
        select(func.count(Event.id)).where(*_where(edition, filters, "places"), seats_left_condition())
    ) or 0


def compute_facets(edition: Edition, filters: ProgrammeFilters) -> Facets:
    """Every filter's options and counts: eight grouped queries whatever the number of events."""
    modes = {
        (mode.value if isinstance(mode, EventMode) else mode): count
        for mode, count in _grouped(Event.mode, edition, filters, "mode").items()
    }
    return Facets(
        region=region_options(edition, filters),
        format=_options(FORMATS, _grouped(Event.format, edition, filters, "format"), filters.format),
        theme=theme_options(edition, filters),
        audience=audience_options(edition, filters),
        mode=_options(MODES, modes, filters.mode),
        date=date_options(edition, filters),
        organisation=organisation_options(edition, filters),
        places_count=places_count(edition, filters),
    )


def _zone(tz: str) -> ZoneInfo:
    """The zone the date filter reads an event in (see ``filters.local_day_condition``)."""
    return ZoneInfo(tz if tz in TIMEZONES else PARIS_TZ)
