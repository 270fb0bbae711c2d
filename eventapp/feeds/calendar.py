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

The calendar's own properties and the ``VTIMEZONE`` blocks are icalendar
components; what each VEVENT says is in :mod:`.content`, and :mod:`.vevent`
writes it as icalendar would.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import timedelta

import icalendar
from flask import current_app

from ..models import Event
from ..vocabulary import PARIS_TZ
from .content import REGISTRATION_CANCELLED_PREFIX, FeedItem, clean_text, header_text, one_line
from .serialise import component_bytes
from .timezones import covered_years, timezone_block
from .vevent import event_bytes, vevent_cache

#: What other modules (and the tests) import from here, some of it defined in .content and .vevent.
__all__ = [
    "FEED_FORMAT_VERSION", "REGISTRATION_CANCELLED_PREFIX", "FeedItem", "build_calendar", "calendar_options",
    "clean_text", "event_calendar", "event_url", "header_text", "organisation_url", "site_url",
    "vevent_cache",
]

#: Bump when the serialised form of feeds changes, so every ETag changes with it.
FEED_FORMAT_VERSION = "1"


# --- Calendars ------------------------------------------------------------------------------------


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
    chunks = [_calendar_head(prodid or f"-//{host}//eventapp//FR", header_text(name), header_text(description),
                             ttl_seconds, source_url)]
    years = covered_years(item.event for item in items)
    for tzid in sorted(years):
        chunks.append(timezone_block(tzid, *years[tzid]))
    for item in items:
        chunks.append(
            event_bytes(item, host=host, url_for_event=url_for_event, url_for_organisation=url_for_organisation)
        )
    chunks.append(_END_LINE)
    return b"".join(chunks)


_END_LINE = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=512)
def _calendar_head(prodid: str, name: str, description: str, ttl_seconds: int, source_url: str | None) -> bytes:
    """The calendar's own properties, up to its first component: the same for every feed of a kind
    (the programme's, one event's download), so built once per process and per set of values."""
    header = icalendar.Calendar()
    header.add("PRODID", prodid)
    header.add("VERSION", "2.0")
    header.add("CALSCALE", "GREGORIAN")
    header.add("METHOD", "PUBLISH")
    header.add("NAME", name)
    header.add("X-WR-CALNAME", name)
    header.add("DESCRIPTION", description)
    header.add("X-WR-CALDESC", description)
    header.add("X-WR-TIMEZONE", PARIS_TZ)
    header.add("REFRESH-INTERVAL", timedelta(seconds=ttl_seconds), parameters={"VALUE": "DURATION"})
    header.add("X-PUBLISHED-TTL", icalendar.vDuration(timedelta(seconds=ttl_seconds)))
    if source_url:
        header.add("SOURCE", source_url, parameters={"VALUE": "URI"})
    head = component_bytes(header)
    assert head.endswith(_END_LINE)
    return head[: -len(_END_LINE)]


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
        name=one_line(event.title),
        description=f"{current_app.config.get('SITE_NAME', '')} : {one_line(event.title)}",
        **calendar_options(),
    )

