"""iCalendar documents built from events: pure functions, no request inside.

``build_calendar(events, ...)`` turns events (or :class:`FeedItem` wrappers
carrying a registrant's view of an event) into the bytes of a ``VCALENDAR``;
``event_calendar(event)`` is the one-event document for downloads and e-mail
attachments. Both give the same bytes for the same data in every process:

- ``UID`` ``event-<id>@<host>`` is the event's for life, in every feed;
- ``DTSTAMP`` and ``LAST-MODIFIED`` are the event's last change, never "now";
- ``SEQUENCE`` is the event's (raised by the workflow on every change of date,
  time, place, mode or status), plus one once cancelled so a cancellation
  always outranks the last published version;
- one ``VTIMEZONE`` per zone used, generated from the zone database for the
  years the feed covers, cached per (zone, years) and written in sorted order.

Text goes through :func:`clean_text` (control characters such as a raw CR
removed) and icalendar's TEXT escaping, so no user text can start a property.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import icalendar
from flask import current_app

from ..models import Event, RegistrationMode
from ..vocabulary import FORMATS, PARIS_TZ, THEMES, label, region_name
from .cache import BytesCache
from .plaintext import feed_text
from .serialise import component_bytes
from .timezones import covered_years, timezone_block

#: Bump when the serialised form of feeds changes, so every ETag changes with it.
FEED_FORMAT_VERSION = "1"

CANCELLED_PREFIX = "ANNULÉ – "
REGISTRATION_CANCELLED_PREFIX = "INSCRIPTION ANNULÉE – "
ONLINE_LOCATION = "En ligne"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """User text made safe for a TEXT value: CRLF and CR become LF, other control characters go.

    icalendar then escapes ``\\ ; ,`` and writes LF as ``\\n``, so the text can
    never end a content line and inject a property.
    """
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value)


def _one_line(value: str | None) -> str:
    """Text for single-line values (names, parameters): newlines become spaces."""
    return " ".join(clean_text(value).split())


def header_text(value: str | None) -> str:
    """Text for the calendar's name and description, free of ``, ; \\``.

    Clients read ``X-WR-CALNAME``/``X-WR-CALDESC`` (and icalendar writes them)
    without TEXT escaping, so these characters would show as ``\\,``; they are
    replaced by neutral punctuation instead, and the value reads the same
    whether escaped or not.
    """
    text = " ".join(clean_text(value).split())
    text = text.replace("\\", "/").replace(", ", " – ").replace(";", " –").replace(",", " ")
    return " ".join(text.split())


@dataclass(frozen=True)
class FeedItem:
    """An event as one reader sees it (e.g. in an agent's personal feed).

    ``status`` overrides the event's own iCalendar status (``CONFIRMED``,
    ``TENTATIVE``, ``CANCELLED``); ``summary_prefix``/``summary_suffix`` frame the
    title; ``sequence_bonus`` adds the reader's own changes (promotion,
    cancellation) to the event's ``SEQUENCE``; ``changed_at`` is the reader's
    last change when later than the event's; ``include_online_url`` puts the
    connection link in the description; ``busy`` marks the time as busy.
    """

    event: Event
    status: str | None = None
    summary_prefix: str = ""
    summary_suffix: str = ""
    sequence_bonus: int = 0
    changed_at: datetime | None = None
    include_online_url: bool = False
    busy: bool = False
    note: str = ""


# --- Events ---------------------------------------------------------------------------------------


def event_uid(event: Event, host: str) -> str:
    """The event's UID, the same in every feed and download for its whole life."""
    return f"event-{event.id}@{host}"


def event_location(event: Event) -> str:
    """The address, or « En ligne »; for hybrid events the address with a mention."""
    if event.is_online:
        return ONLINE_LOCATION
    street = ", ".join(
        part
        for part in (
            _one_line(event.venue_name),
            _one_line(event.street_address),
            " ".join(p for p in (_one_line(event.postcode), _one_line(event.city)) if p),
        )
        if part
    )
    if not street:
        street = region_name(event.region_code)
    if event.has_online_access:
        return f"{street} (et en ligne)" if street else ONLINE_LOCATION
    return street


def event_summary(item: FeedItem) -> str:
    event = item.event
    prefix = CANCELLED_PREFIX if event.is_cancelled else item.summary_prefix
    return f"{prefix}{clean_text(event.title)}{item.summary_suffix}"


def event_status(item: FeedItem) -> str:
    if item.event.is_cancelled:
        return "CANCELLED"
    return item.status or "CONFIRMED"


def event_sequence(item: FeedItem) -> int:
    event = item.event
    return (event.sequence or 0) + (1 if event.is_cancelled else 0) + item.sequence_bonus


def event_description(item: FeedItem, url: str) -> str:
    """Plain text: cancellation, summary, description, practical details, link."""
    event = item.event
    parts: list[str] = []
    if event.is_cancelled:
        reason = clean_text(event.cancellation_reason).strip()
        parts.append("Cet événement est annulé." + (f"\nMotif : {reason}" if reason else ""))
    if item.note:
        parts.append(clean_text(item.note))
    if event.summary:
        parts.append(clean_text(event.summary).strip())
    body = clean_text(feed_text(event.description))
    if body:
        parts.append(body)
    details = [f"Format : {label(FORMATS, event.format)}"]
    if event.organisation is not None:
        details.append(f"Organisé par : {_one_line(event.organisation.name)}")
    if event.accessibility_info:
        details.append(f"Accessibilité : {clean_text(event.accessibility_info).strip()}")
    if event.is_cancelled:
        pass
    elif event.registration_mode == RegistrationMode.EXTERNAL and event.external_registration_url:
        details.append(f"Inscription : {_one_line(event.external_registration_url)}")
    elif event.registration_mode == RegistrationMode.INTERNAL and item.status is None:
        details.append("Inscription sur la page de l'événement.")
    if item.include_online_url and event.has_online_access and event.online_url and not event.is_cancelled:
        details.append(f"Lien de connexion : {_one_line(event.online_url)}")
    parts.append("\n".join(details))
    parts.append(url)
    return "\n\n".join(parts)


def _event_component(item: FeedItem, *, host: str, url: str, organisation_url: str | None) -> icalendar.Event:
    event = item.event
    # Saved events always have these; an unsaved one (a preview) is stamped now.
    changed = event.updated_at or event.created_at or datetime.now(timezone.utc)
    if item.changed_at is not None and item.changed_at > changed:
        changed = item.changed_at
    changed = changed.astimezone(timezone.utc).replace(microsecond=0)
    created = (event.created_at or changed).astimezone(timezone.utc).replace(microsecond=0)
    component = icalendar.Event()
    component.add("UID", event_uid(event, host))
    component.add("DTSTAMP", changed)
    component.add("CREATED", min(created, changed))
    component.add("LAST-MODIFIED", changed)
    component.add("SEQUENCE", event_sequence(item))
    component.add("DTSTART", event.local_starts_at)
    component.add("DTEND", event.local_ends_at)
    component.add("SUMMARY", event_summary(item))
    component.add("DESCRIPTION", event_description(item, url))
    component.add("LOCATION", event_location(event))
    if event.latitude is not None and event.longitude is not None and not event.is_online:
        component.add("GEO", (round(event.latitude, 6), round(event.longitude, 6)))
    component.add("URL", url, parameters={"VALUE": "URI"})
    categories = [label(FORMATS, event.format)] + [label(THEMES, code) for code in event.themes]
    component.add("CATEGORIES", [_one_line(c) for c in categories if c])
    status = event_status(item)
    component.add("STATUS", status)
    component.add("TRANSP", "OPAQUE" if item.busy and status == "CONFIRMED" else "TRANSPARENT")
    organisation = event.organisation
    if organisation is not None and organisation_url is not None:
        component.add(
            "ORGANIZER",
            icalendar.vCalAddress(organisation_url),
            parameters={"CN": _one_line(organisation.name)},
        )
    return component


#: Serialised VEVENTs: rebuilding a feed after one change re-serialises only what changed.
vevent_cache = BytesCache(max_entries=20_000)

#: Every event column a VEVENT shows.
_EVENT_FIELDS = (
    "id", "title", "slug", "summary", "description", "format", "mode", "starts_at", "ends_at",
    "timezone", "venue_name", "street_address", "postcode", "city", "region_code", "latitude",
    "longitude", "accessibility_info", "registration_mode", "external_registration_url", "status",
    "cancellation_reason", "sequence", "created_at", "updated_at",
)


def _vevent_key(item: FeedItem, host: str, url: str, organisation_url: str | None) -> bytes | None:
    """A digest of everything the serialised VEVENT depends on (``None``: do not cache, e.g. unsaved events)."""
    event = item.event
    if event.id is None or event.updated_at is None:
        return None
    organisation = event.organisation
    material = (
        FEED_FORMAT_VERSION, host, url, organisation_url,
        organisation.name if organisation is not None else None,
        item.status, item.summary_prefix, item.summary_suffix, item.sequence_bonus, item.changed_at,
        item.busy, item.note, event.online_url if item.include_online_url else None,
        tuple(event.themes),
        *(getattr(event, name) for name in _EVENT_FIELDS),
    )
    return hashlib.blake2b(repr(material).encode(), digest_size=20).digest()


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
        component = _event_component(item, host=host, url=url, organisation_url=organisation_url)
        body = component_bytes(component)  # the bytes of component.to_ical(), folded faster
        if key is not None:
            vevent_cache.put(key, body)
    return body


# --- Calendars ------------------------------------------------------------------------------------


def duration_text(seconds: int) -> str:
    """``PT1H`` for 3600 seconds."""
    return icalendar.vDuration(timedelta(seconds=seconds)).to_ical().decode()


def build_calendar(
    events: Iterable[Event | FeedItem],
    *,
    name: str,
    description: str,
    host: str,
    url_for_event: Callable[[Event], str],
    url_for_organisation: Callable[[object], str] | None = None,
    prodid: str | None = None,
    ttl_seconds: int = 3600,
    source_url: str | None = None,
    busy: bool = False,
) -> bytes:
    """The bytes of a ``VCALENDAR`` (``METHOD:PUBLISH``) holding ``events`` in the given order.

    ``name``/``description`` say what the calendar holds (``NAME``,
    ``X-WR-CALNAME``, ``DESCRIPTION``, ``X-WR-CALDESC``); ``host`` makes the
    UIDs; ``url_for_event``/``url_for_organisation`` give absolute URLs;
    ``ttl_seconds`` is the refresh interval suggested to clients; ``busy``
    marks plain events' time as busy (a download the user chose) rather than
    free (a subscribed programme). Pure: the same arguments give the same bytes.
    """
    items = [event if isinstance(event, FeedItem) else FeedItem(event, busy=busy) for event in events]
    header = icalendar.Calendar()
    header.add("PRODID", prodid or f"-//{host}//eventapp//FR")
    header.add("VERSION", "2.0")
    header.add("CALSCALE", "GREGORIAN")
    header.add("METHOD", "PUBLISH")
    calendar_name = header_text(name)
    calendar_description = header_text(description)
    header.add("NAME", calendar_name)
    header.add("X-WR-CALNAME", calendar_name)
    header.add("DESCRIPTION", calendar_description)
    header.add("X-WR-CALDESC", calendar_description)
    header.add("X-WR-TIMEZONE", PARIS_TZ)
    header.add("REFRESH-INTERVAL", timedelta(seconds=ttl_seconds), parameters={"VALUE": "DURATION"})
    header.add("X-PUBLISHED-TTL", icalendar.vDuration(timedelta(seconds=ttl_seconds)))
    if source_url:
        header.add("SOURCE", source_url, parameters={"VALUE": "URI"})
    head = header.to_ical()
    end_line = b"END:VCALENDAR\r\n"
    assert head.endswith(end_line)
    chunks = [head[: -len(end_line)]]
    years = covered_years(item.event for item in items)
    for tzid in sorted(years):
        chunks.append(timezone_block(tzid, *years[tzid]))
    for item in items:
        chunks.append(
            event_bytes(item, host=host, url_for_event=url_for_event, url_for_organisation=url_for_organisation)
        )
    chunks.append(end_line)
    return b"".join(chunks)


# --- Application glue -----------------------------------------------------------------------------


def site_url(path: str) -> str:
    """An absolute URL on the configured public host (never the request's Host header)."""
    config = current_app.config
    return f"{config.get('PREFERRED_URL_SCHEME') or 'https'}://{config['SITE_HOST']}{path}"


def event_url(event: Event) -> str:
    """The public page of an event (``/evenements/<id>-<slug>``)."""
    slug = f"-{event.slug}" if event.slug else ""
    return site_url(f"/evenements/{event.id}{slug}")


def organisation_url(organisation) -> str:
    """The public page of an organisation (``/organisations/<slug>``)."""
    return site_url(f"/organisations/{organisation.slug}")


def calendar_options() -> dict:
    """The application's arguments for :func:`build_calendar` (host, URLs, TTL, PRODID)."""
    config = current_app.config
    host = config["SITE_HOST"]
    return dict(
        host=host,
        url_for_event=event_url,
        url_for_organisation=organisation_url,
        prodid=f"-//{host}//{header_text(config.get('SITE_NAME') or 'eventapp')}//FR",
        ttl_seconds=int(config.get("FEED_TTL_SECONDS", 3600)),
    )


def event_calendar(event: Event, *, include_online_url: bool = False) -> bytes:
    """One event as a calendar file (download, e-mail attachment), in an app context.

    ``include_online_url`` adds the connection link, for confirmed registrants only.
    """
    item = FeedItem(event, include_online_url=include_online_url, busy=True)
    return build_calendar(
        [item],
        name=_one_line(event.title),
        description=f"{current_app.config.get('SITE_NAME', '')} : {_one_line(event.title)}",
        **calendar_options(),
    )

