"""VEVENTs written line by line, byte for byte as icalendar serialises the same ``icalendar.Event``.

Building an ``icalendar.Event`` (a property object per value, its parameters,
then ``content_lines()``) cost about as much as serialising the whole calendar
again. Here each content line is formatted once, with icalendar's own rules:

- TEXT values are escaped by icalendar's ``_escape_char`` (the function behind
  ``vText``: ``\\ ; ,`` and newlines);
- parameters (a zone's ``TZID``, an organiser's ``CN``) are written by
  icalendar's ``Parameters`` and kept per value;
- date-times are written as icalendar writes them for their zone (``TZID`` and
  local time, or ``Z`` for UTC);
- properties come in icalendar's order for a VEVENT (its canonical order, then
  alphabetical), and lines are folded by :func:`.serialise.fold`.

``tests/test_feeds_writer.py`` checks the bytes against icalendar's own
serialisation of the same component, for hostile and generated events.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import icalendar
from icalendar.parser import _escape_char as escape_text

from ..models import Event
from .cache import BytesCache
from .content import (
    FeedItem,
    event_categories,
    event_description,
    event_location,
    event_sequence,
    event_status,
    event_summary,
    event_uid,
    one_line,
)
from .serialise import fold

#: Serialised VEVENTs: rebuilding a feed after one change re-serialises only what changed.
vevent_cache = BytesCache(max_entries=20_000)

#: Every event column a VEVENT shows.
_EVENT_FIELDS = (
    "id", "title", "slug", "summary", "description", "format", "mode", "starts_at", "ends_at",
    "timezone", "venue_name", "street_address", "postcode", "city", "region_code", "latitude",
    "longitude", "accessibility_info", "registration_mode", "external_registration_url", "status",
    "cancellation_reason", "sequence", "created_at", "updated_at",
)


def _digits(moment: datetime) -> str:
    """A date-time's value without zone marker (``20301114T140000``), seconds included."""
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


@functools.lru_cache(maxsize=64)
def _zone_form(zone: str) -> tuple[str, str]:
    """How icalendar writes a date-time of ``zone``: the parameters part (``;TZID=…``) and the suffix (``Z``)."""
    value = icalendar.vDDDTypes(datetime(2000, 1, 1, tzinfo=ZoneInfo(zone)))
    parameters = value.params.to_ical().decode()
    return (f";{parameters}" if parameters else ""), ("Z" if value.to_ical().endswith(b"Z") else "")


@functools.lru_cache(maxsize=4096)
def _organizer_name(organisation_name: str) -> str:
    """``ORGANIZER`` with its ``CN`` parameter, quoted and escaped by icalendar."""
    return f"ORGANIZER;{icalendar.Parameters({'CN': organisation_name}).to_ical().decode()}"


def _uri(value: str) -> str:
    """A URI written as it is (no TEXT escaping), so it must hold no line break."""
    if "\n" in value or "\r" in value:
        raise ValueError(f"a URI with a line break: {value!r}")
    return value


def vevent_bytes(item: FeedItem, *, host: str, url: str, organisation_url: str | None) -> bytes:
    """The folded content lines of ``item``'s VEVENT."""
    event = item.event
    # Saved events always have these; an unsaved one (a preview) is stamped now.
    changed = event.updated_at or event.created_at or datetime.now(timezone.utc)
    if item.changed_at is not None and item.changed_at > changed:
        changed = item.changed_at
    changed = changed.astimezone(timezone.utc).replace(microsecond=0)
    created = (event.created_at or changed).astimezone(timezone.utc).replace(microsecond=0)
    stamp = _digits(changed) + "Z"
    zone, suffix = _zone_form(event.timezone)
    status = event_status(item)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + escape_text(event_summary(item)),
        f"DTSTART{zone}:{_digits(event.local_starts_at)}{suffix}",
        f"DTEND{zone}:{_digits(event.local_ends_at)}{suffix}",
        "DTSTAMP:" + stamp,
        "UID:" + escape_text(event_uid(event, host)),
        f"SEQUENCE:{event_sequence(item)}",
        "CATEGORIES:" + ",".join(escape_text(category) for category in event_categories(event)),
        f"CREATED:{_digits(min(created, changed))}Z",
        "DESCRIPTION:" + escape_text(event_description(item, url)),
    ]
    if event.latitude is not None and event.longitude is not None and not event.is_online:
        lines.append(f"GEO:{float(round(event.latitude, 6))};{float(round(event.longitude, 6))}")
    lines.append("LAST-MODIFIED:" + stamp)
    lines.append("LOCATION:" + escape_text(event_location(event)))
    organisation = event.organisation
    if organisation is not None and organisation_url is not None:
        lines.append(f"{_organizer_name(one_line(organisation.name))}:{_uri(organisation_url)}")
    lines.append("STATUS:" + escape_text(status))
    lines.append("TRANSP:" + ("OPAQUE" if item.busy and status == "CONFIRMED" else "TRANSPARENT"))
    lines.append("URL;VALUE=URI:" + _uri(url))
    lines.append("END:VEVENT")
    return b"\r\n".join([fold(line) for line in lines]) + b"\r\n"


def _vevent_key(item: FeedItem, host: str, url: str, organisation_url: str | None) -> tuple | None:
    """Everything the serialised VEVENT depends on (``None``: do not cache, e.g. unsaved events).

    The values themselves, compared on a hit: a digest of their ``repr`` took a sixth of a feed's
    first build, for keys that are no more exact.
    """
    event = item.event
    if event.id is None or event.updated_at is None:
        return None
    organisation = event.organisation
    return (
        host, url, organisation_url,
        organisation.name if organisation is not None else None,
        item.status, item.summary_prefix, item.summary_suffix, item.sequence_bonus, item.changed_at,
        item.busy, item.note, event.online_url if item.include_online_url else None,
        tuple(event.themes),
        *(getattr(event, name) for name in _EVENT_FIELDS),
    )


def event_bytes(
    item: FeedItem,
    *,
    host: str,
    url_for_event: Callable[[Event], str],
    url_for_organisation: Callable[[object], str] | None,
) -> bytes:
    """The serialised VEVENT of ``item``, from the cache when the same data was serialised before."""
    event = item.event
    url = url_for_event(event)
    organisation_url = (
        url_for_organisation(event.organisation)
        if event.organisation is not None and url_for_organisation is not None
        else None
    )
    key = _vevent_key(item, host, url, organisation_url)
    body = vevent_cache.get(key) if key is not None else None
    if body is None:
        body = vevent_bytes(item, host=host, url=url, organisation_url=organisation_url)
        if key is not None:
            vevent_cache.put(key, body)
    return body
