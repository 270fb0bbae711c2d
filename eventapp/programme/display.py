"""How an event's time, place and links read on the public pages (pure helpers, template globals)."""
from datetime import datetime
from urllib.parse import urlsplit

from flask import url_for

from ..formatting import clock, local, long_date, short_date, timezone_label
from ..models import Event, EventMode
from ..vocabulary import MODES, PARIS_TZ, label, region_name


def event_url(event: Event, **kwargs) -> str:
    """The canonical address of an event's page (with its slug)."""
    if event.slug:
        kwargs["slug"] = event.slug
    return url_for("programme.event_detail", event_id=event.id, **kwargs)


def time_range(start: datetime, end: datetime, tz: str, with_start_date: bool = False) -> str:
    """« 14 h 00 – 16 h 00 », or « 14 h 00 – 15 nov. 2030, 12 h 00 » when it ends another day."""
    local_start, local_end = local(start, tz), local(end, tz)
    first = clock(start, tz)
    if with_start_date:
        first = f"{short_date(start, tz)}, {first}"
    if local_start.date() == local_end.date():
        return f"{first} – {clock(end, tz)}"
    return f"{first} – {short_date(end, tz)}, {clock(end, tz)}"


def local_time(event: Event) -> str:
    """The event's hours in its own time zone: « 14 h 00 – 16 h 00 »."""
    return time_range(event.starts_at, event.ends_at, event.timezone)


def paris_time(event: Event) -> str | None:
    """The same hours in Paris time when the event's zone differs, else ``None``.

    The date is repeated when the Paris day is not the local one (an evening in
    Guadeloupe is the next morning in Paris).
    """
    if event.timezone == PARIS_TZ:
        return None
    other_day = local(event.starts_at, PARIS_TZ).date() != event.local_starts_at.date()
    return f"{time_range(event.starts_at, event.ends_at, PARIS_TZ, with_start_date=other_day)} heure de Paris"


def when_text(event: Event) -> str:
    """« jeudi 14 novembre 2030, 14 h 00 – 16 h 00 (heure de La Réunion ; 11 h 00 – 13 h 00 heure de Paris) »."""
    text = f"{long_date(event.starts_at, event.timezone)}, {local_time(event)}"
    paris = paris_time(event)
    if paris:
        text += f" ({timezone_label(event.timezone)} ; {paris})"
    return text


def place_text(event: Event) -> str:
    """« Préfecture, Lyon », « En ligne », or « Préfecture, Lyon et en ligne » for hybrid events."""
    if event.mode == EventMode.ONLINE:
        return "En ligne"
    parts = [part for part in (event.venue_name, event.city) if part]
    place = ", ".join(parts) or region_name(event.region_code) or "Lieu à préciser"
    if event.mode == EventMode.HYBRID:
        place += " et en ligne"
    return place


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) address, so a typed-in link can never run script."""
    if value and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return None


def mode_label(event: Event) -> str:
    return label(MODES, event.mode.value)


def register_template_helpers(state) -> None:
    """Called when the blueprint is registered: these helpers serve every area's templates."""
    app = state.app
    app.add_template_global(event_url)
    app.add_template_global(local_time)
    app.add_template_global(paris_time)
    app.add_template_global(when_text)
    app.add_template_global(place_text)
    app.add_template_global(mode_label)
    app.add_template_global(http_url)
