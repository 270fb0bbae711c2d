"""The programme's filters: parsed from the URL, turned back into URLs, and applied to a query.

This module is a contract shared by the HTML programme, the CSV export, the
iCalendar feed (``/programme.ics``) and the JSON API: they all read the same
query parameters (``q``, ``region``, ``format``, ``theme``, ``audience``,
``mode``, ``date``, ``organisation``, ``places``, ``page``) through
:meth:`ProgrammeFilters.from_args` and select events with
:func:`public_events_query`.
"""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field, fields
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, false, func, or_, select

from ..dates import within_span
from ..models import (
    Edition,
    Event,
    EventAudience,
    EventMode,
    EventStatus,
    EventTheme,
    Organisation,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)
from ..search import search_condition
from ..vocabulary import (
    AUDIENCES,
    FORMATS,
    MODES,
    ONLINE_REGION_FILTER,
    PARIS_TZ,
    REGIONS,
    THEMES,
    TIMEZONES,
    label,
    region_name,
)

#: Statuses of the events the public sees (cancelled ones stay listed, marked as such).
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)

#: The filter parameters, in the order they are shown and written in URLs.
FILTER_NAMES = ("q", "region", "format", "theme", "audience", "mode", "date", "organisation", "places")

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TRUE = {"1", "true", "on", "oui"}
_FALSE = {"", "0", "false", "off", "non"}


def _first(args, name: str) -> str:
    """The first value of a query parameter, stripped ('' when absent)."""
    value = args.get(name) if hasattr(args, "get") else None
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value).strip()


@dataclass
class ProgrammeFilters:
    """What a visitor asked the programme for; only known values survive parsing."""

    q: str = ""
    region: str | None = None  # a region code, or "en-ligne" for online events
    format: str | None = None
    theme: str | None = None
    audience: str | None = None
    mode: str | None = None
    date: datetime.date | None = None  # the event's local start date
    organisation: str | None = None  # an organisation slug
    places: bool = False
    page: int = 1
    #: Polite French messages about values that were ignored.
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> "ProgrammeFilters":
        """Parse request arguments (a MultiDict or a dict); unknown values are dropped with a message.

        Never raises, whatever the input.
        """
        filters = cls()
        errors = filters.errors

        q = _first(args, "q")
        if len(q) > MAX_QUERY_LENGTH:
            errors.append(
                f"La recherche a été raccourcie à {MAX_QUERY_LENGTH} caractères."
            )
            q = q[:MAX_QUERY_LENGTH].strip()
        filters.q = q

        region = _first(args, "region")
        if region:
            if region in REGIONS or region == ONLINE_REGION_FILTER:
                filters.region = region
            else:
                errors.append(_unknown("région", region))

        for name, vocabulary, noun in (
            ("format", FORMATS, "format"),
            ("theme", THEMES, "thème"),
            ("audience", AUDIENCES, "public"),
            ("mode", MODES, "modalité"),
        ):
            value = _first(args, name)
            if not value:
                continue
            if value in vocabulary:
                setattr(filters, name, value)
            else:
                errors.append(_unknown(noun, value))

        raw_date = _first(args, "date")
        if raw_date:
            try:
                filters.date = datetime.date.fromisoformat(raw_date)
                if len(raw_date) != 10:
                    raise ValueError(raw_date)
            except ValueError:
                filters.date = None
                errors.append(
                    f"La date « {_shorten(raw_date)} » n'est pas valide (format attendu : AAAA-MM-JJ) ; "
                    "ce filtre a été ignoré."
                )

        organisation = _first(args, "organisation")
        if organisation:
            if _SLUG.match(organisation) and len(organisation) <= 120:
                filters.organisation = organisation
            else:
                errors.append(_unknown("organisation", organisation))

        places = _first(args, "places").lower()
        if places in _TRUE:
            filters.places = True
        elif places not in _FALSE:
            errors.append(
                f"La valeur « {_shorten(places)} » du filtre « places disponibles » n'est pas reconnue ; "
                "ce filtre a été ignoré."
            )

        raw_page = _first(args, "page")
        if raw_page:
            try:
                page = int(raw_page)
                if not 1 <= page <= MAX_PAGE:
                    raise ValueError(raw_page)
                filters.page = page
            except ValueError:
                errors.append(
                    f"Le numéro de page « {_shorten(raw_page)} » n'est pas valide ; "
                    "la première page est affichée."
                )
        return filters

    def to_args(self, **overrides) -> dict:
        """Query arguments for ``url_for``: no empty values, no page unless beyond the first.

        ``overrides`` replace fields, e.g. ``to_args(region=None)`` (drop a filter)
        or ``to_args(page=3)``.
        """
        values = {name: getattr(self, name) for name in (*FILTER_NAMES, "page")}
        for name, value in overrides.items():
            if name not in values:
                raise TypeError(f"unknown programme filter {name!r}")
            values[name] = value
        args: dict[str, str] = {}
        for name in FILTER_NAMES:
            value = values[name]
            if name == "places":
                if value:
                    args["places"] = "1"
            elif name == "date":
                if value:
                    args["date"] = value.isoformat()
            elif value:
                args[name] = str(value)
        page = values["page"] or 1
        if int(page) > 1:
            args["page"] = str(int(page))
        return args

    def active(self, organisation_name: str | None = None) -> list[tuple[str, str]]:
        """``[(filter name, French label)]`` of the filters in use, in display order."""
        items: list[tuple[str, str]] = []
        if self.region:
            items.append(
                ("region", "En ligne" if self.region == ONLINE_REGION_FILTER else region_name(self.region))
            )
        if self.format:
            items.append(("format", label(FORMATS, self.format)))
        if self.theme:
            items.append(("theme", label(THEMES, self.theme)))
        if self.audience:
            items.append(("audience", label(AUDIENCES, self.audience)))
        if self.mode:
            items.append(("mode", label(MODES, self.mode)))
        if self.date:
            from ..formatting import long_date

            items.append(("date", long_date(self.date)))
        if self.organisation:
            items.append(("organisation", organisation_name or self.organisation))
        if self.places:
            items.append(("places", "Places disponibles"))
        if self.q:
            items.append(("q", f"« {self.q} »"))
        return items

    def describe(self, organisation_name: str | None = None) -> str:
        """« Bretagne · Atelier collaboratif · « simplification » », or « Tout le programme »."""
        items = self.active(organisation_name)
        if not items:
            return "Tout le programme"
        return " · ".join(text for _name, text in items)

    @property
    def is_empty(self) -> bool:
        """No filter in use (the page number does not count)."""
        return not any(getattr(self, name) for name in FILTER_NAMES)

    def without_errors(self) -> "ProgrammeFilters":
        """A copy without messages (to compare filters)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "errors"}
        return ProgrammeFilters(**values)


def _shorten(value: str, length: int = 40) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _unknown(noun: str, value: str) -> str:
    article = {"format": "Le ", "thème": "Le ", "public": "Le ", "organisation": "L'"}.get(noun, "La ")
    return f"{article}{noun} « {_shorten(value)} » n'existe pas dans le programme ; ce filtre a été ignoré."


# --- Query ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def local_day_condition(day: datetime.date):
    """Events whose start falls on ``day`` in their own time zone.

    Instants are stored in UTC, so the local day is one UTC range per time zone;
    the zones are the regions' (events in any other zone are read in Paris time).
    Kept per day: building these twenty comparisons took a millisecond and a
    programme page asks for them once per filter count (SQL expressions are
    immutable, so one can serve every request). A day outside the editions' years
    holds no event (and 0001-01-01 in Paris has no UTC instant): nothing matches.
    """
    if not within_span(day):
        return false()
    conditions = []
    for tz in TIMEZONES:
        start, end = _utc_range(day, tz)
        conditions.append(and_(Event.timezone == tz, Event.starts_at >= start, Event.starts_at < end))
    start, end = _utc_range(day, PARIS_TZ)
    conditions.append(
        and_(Event.timezone.not_in(TIMEZONES), Event.starts_at >= start, Event.starts_at < end)
    )
    return or_(*conditions)


def _utc_range(day: datetime.date, tz: str) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(tz)
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone)
    return start.astimezone(datetime.timezone.utc), end.astimezone(datetime.timezone.utc)


def confirmed_count_subquery():
    """Correlated count of an event's confirmed registrations."""
    return (
        select(func.count(Registration.id))
        .where(Registration.event_id == Event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .correlate(Event)
        .scalar_subquery()
    )


def seats_left_condition():
    """Events one can still register for here: internal registration, capacity not reached or unlimited."""
    return and_(
        Event.status == EventStatus.PUBLISHED,
        Event.registration_mode == RegistrationMode.INTERNAL,
        or_(Event.capacity.is_(None), Event.capacity > confirmed_count_subquery()),
    )


def filter_conditions(filters: ProgrammeFilters, skip: str | None = None) -> list:
    """The SQL conditions of the filters (``skip``: leave one filter out, for its option counts)."""
    conditions = []
    if filters.q and skip != "q":
        condition = search_condition(filters.q)
        if condition is not None:
            conditions.append(condition)
    if filters.region and skip != "region":
        if filters.region == ONLINE_REGION_FILTER:
            conditions.append(Event.mode == EventMode.ONLINE)
        else:
            conditions.append(Event.region_code == filters.region)
    if filters.format and skip != "format":
        conditions.append(Event.format == filters.format)
    if filters.theme and skip != "theme":
        themed = select(EventTheme.event_id).where(EventTheme.theme == filters.theme).correlate(None)
        conditions.append(Event.id.in_(themed))
    if filters.audience and skip != "audience":
        aimed = (
            select(EventAudience.event_id)
            .where(EventAudience.audience == filters.audience)
            .correlate(None)
        )
        conditions.append(Event.id.in_(aimed))
    if filters.mode and skip != "mode":
        conditions.append(Event.mode == EventMode(filters.mode))
    if filters.date and skip != "date":
        conditions.append(local_day_condition(filters.date))
    if filters.organisation and skip != "organisation":
        organiser = select(Organisation.id).where(Organisation.slug == filters.organisation).correlate(None)
        conditions.append(Event.organisation_id.in_(organiser))
    if filters.places and skip != "places":
        conditions.append(seats_left_condition())
    return conditions


def visible_conditions(edition: Edition | None) -> list:
    """The events the public may see in ``edition`` (none while its programme is unpublished)."""
    if edition is None or not edition.is_programme_published:
        return [false()]
    return [Event.edition_id == edition.id, Event.status.in_(PUBLIC_STATUSES)]


def public_events_query(edition: Edition | None, filters: ProgrammeFilters) -> Select:
    """``select(Event)`` of the events publicly visible in ``edition`` that match ``filters``.

    Publicly visible: status published or cancelled, in an edition whose
    programme is published. Ordered by start then id. ``filters.page`` is not
    applied (paginate the result as needed).
    """
    return (
        select(Event)
        .where(*visible_conditions(edition), *filter_conditions(filters))
        .order_by(Event.starts_at, Event.id)
    )
