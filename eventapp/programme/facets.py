"""How many events each filter option leads to: one GROUP BY per filter, all in one statement.

The count shown next to an option applies every *other* active filter, so it
is exactly the number of results the visitor gets by choosing that option.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, func, literal, null, select, type_coerce, union_all

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


def _counts(edition: Edition, filters: ProgrammeFilters):
    """One grouped ``SELECT`` per filter, each applying every *other* filter, joined by ``UNION ALL``.

    Every row is ``(facet, code, name, moment, count, online)``: one statement, one
    round trip, whatever the number of filters. The date's part comes first: a compound
    statement takes its column types from its first part, and ``moment`` is a date-time.
    """
    nothing = null()
    count = func.count(Event.id)

    def part(facet: str, code, *, name=nothing, moment=nothing, online=nothing, join=None):
        query = select(literal(facet, String).label("facet"), code.label("code"), name.label("name"),
                       moment.label("moment"), count.label("count"), online.label("online"))
        if join is not None:
            query = query.join(Event, join)
        return query.where(*_where(edition, filters, facet))

    online_events = func.sum(case((Event.mode == EventMode.ONLINE, 1), else_=0))
    return union_all(
        part("date", Event.timezone, moment=Event.starts_at).group_by(Event.timezone, Event.starts_at),
        part("region", Event.region_code, online=online_events).group_by(Event.region_code),
        part("format", Event.format).group_by(Event.format),
        part("theme", EventTheme.theme, join=Event.id == EventTheme.event_id).group_by(EventTheme.theme),
        part("audience", EventAudience.audience, join=Event.id == EventAudience.event_id)
        .group_by(EventAudience.audience),
        part("mode", type_coerce(Event.mode, String)).group_by(Event.mode),
        part("organisation", Organisation.slug, name=Organisation.name, join=Event.organisation_id == Organisation.id)
        .group_by(Organisation.id, Organisation.slug, Organisation.name),
        part("places", nothing).where(seats_left_condition()),
    )


def _options(vocabulary: dict[str, str], counts: dict, selected: str | None) -> list[Option]:
    """Every option of a fixed vocabulary, in its order, with its count."""
    return [
        Option(code, text, int(counts.get(code, 0)), code == selected) for code, text in vocabulary.items()
    ]


#: The regions in the order of their names, as the filter lists them.
_REGIONS_BY_NAME = sorted(REGIONS.items(), key=lambda item: search_key(item[1].name))


def region_options(rows: list, filters: ProgrammeFilters) -> list[Option]:
    counts = {row.code: row.count for row in rows}
    online_count = sum(int(row.online or 0) for row in rows)
    options = [Option(ONLINE_REGION_FILTER, "En ligne", online_count, filters.region == ONLINE_REGION_FILTER)]
    options += [
        Option(code, region.name, int(counts.get(code, 0)), code == filters.region)
        for code, region in _REGIONS_BY_NAME
    ]
    return options


def date_options(rows: list, filters: ProgrammeFilters) -> list[Option]:
    """The days that have events (in each event's own time zone), in order."""
    per_day: Counter[date] = Counter()
    for row in rows:
        per_day[row.moment.astimezone(_zone(row.code)).date()] += row.count
    if filters.date and filters.date not in per_day:
        per_day[filters.date] += 0
    return [
        Option(day.isoformat(), long_date(day), per_day[day], day == filters.date) for day in sorted(per_day)
    ]


def organisation_options(rows: list, filters: ProgrammeFilters) -> list[Option]:
    """Organisations with matching events, by name (the selected one always listed)."""
    options = [Option(row.code, row.name, row.count, row.code == filters.organisation) for row in rows]
    options.sort(key=lambda option: search_key(option.label))
    return options


def compute_facets(edition: Edition, filters: ProgrammeFilters) -> Facets:
    """Every filter's options and counts, in one statement whatever the number of events."""
    rows: dict[str, list] = {}
    for row in db.session.execute(_counts(edition, filters)):
        rows.setdefault(row.facet, []).append(row)

    def counts(facet: str) -> dict:
        return {row.code: row.count for row in rows.get(facet, ())}

    return Facets(
        region=region_options(rows.get("region", []), filters),
        format=_options(FORMATS, counts("format"), filters.format),
        theme=_options(THEMES, counts("theme"), filters.theme),
        audience=_options(AUDIENCES, counts("audience"), filters.audience),
        mode=_options(MODES, counts("mode"), filters.mode),
        date=date_options(rows.get("date", []), filters),
        organisation=organisation_options(rows.get("organisation", []), filters),
        places_count=sum(row.count for row in rows.get("places", ())),
    )


def _zone(tz: str) -> ZoneInfo:
    """The zone the date filter reads an event in (see ``filters.local_day_condition``)."""
    return ZoneInfo(tz if tz in TIMEZONES else PARIS_TZ)
