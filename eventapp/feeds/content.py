"""What each VEVENT says: its texts, status and sequence, from an event and a reader's view of it.

Text goes through :func:`clean_text` (control characters such as a raw CR
removed) before the writer's TEXT escaping, so no user text can start a
property.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..models import Event, RegistrationMode
from ..vocabulary import FORMATS, THEMES, label, region_name
from .plaintext import feed_text

CANCELLED_PREFIX = "ANNULÉ – "
REGISTRATION_CANCELLED_PREFIX = "INSCRIPTION ANNULÉE – "
ONLINE_LOCATION = "En ligne"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """User text made safe for a TEXT value: CRLF and CR become LF, other control characters go.

    The writer then escapes ``\\ ; ,`` and writes LF as ``\\n``, so the text can
    never end a content line and inject a property.
    """
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value)


def one_line(value: str | None) -> str:
    """Text for single-line values (names, parameters): newlines become spaces."""
    return " ".join(clean_text(value).split())


def header_text(value: str | None) -> str:
    """Text for the calendar's name and description, free of ``, ; \\``.

    Clients read ``X-WR-CALNAME``/``X-WR-CALDESC`` (and icalendar writes them)
    without TEXT escaping, so these characters would show as ``\\,``; they are
    replaced by neutral punctuation instead, and the value reads the same
    whether escaped or not.
    """
    text = one_line(value).replace("\\", "/").replace(", ", " – ").replace(";", " –").replace(",", " ")
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
            one_line(event.venue_name),
            one_line(event.street_address),
            " ".join(p for p in (one_line(event.postcode), one_line(event.city)) if p),
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


def event_categories(event: Event) -> list[str]:
    """The format, then the themes, as labels."""
    categories = [label(FORMATS, event.format)] + [label(THEMES, code) for code in event.themes]
    return [one_line(category) for category in categories if category]


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
        details.append(f"Organisé par : {one_line(event.organisation.name)}")
    if event.accessibility_info:
        details.append(f"Accessibilité : {clean_text(event.accessibility_info).strip()}")
    if not event.is_cancelled:  # nothing to register for or join any more
        if event.registration_mode == RegistrationMode.EXTERNAL and event.external_registration_url:
            details.append(f"Inscription : {one_line(event.external_registration_url)}")
        elif event.registration_mode == RegistrationMode.INTERNAL and item.status is None:
            details.append("Inscription sur la page de l'événement.")
        if item.include_online_url and event.has_online_access and event.online_url:
            details.append(f"Lien de connexion : {one_line(event.online_url)}")
    parts.append("\n".join(details))
    parts.append(url)
    return "\n\n".join(parts)
