"""schema.org ``Event`` description of an event page, as JSON-LD safe inside a ``<script>`` element."""
import json

from markupsafe import Markup

from ..markdown import markdown_to_text
from ..models import Event, EventMode, EventStatus, RegistrationMode
from ..seats import Seats
from ..vocabulary import region_name

SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    EventMode.IN_PERSON: SCHEMA + "OfflineEventAttendanceMode",
    EventMode.ONLINE: SCHEMA + "OnlineEventAttendanceMode",
    EventMode.HYBRID: SCHEMA + "MixedEventAttendanceMode",
}
DESCRIPTION_LENGTH = 500


def event_description(event: Event) -> str:
    """A plain-text description: the summary, or the start of the description."""
    text = (event.summary or "").strip() or markdown_to_text(event.description)
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return text


def _place(event: Event) -> dict:
    address = {
        "@type": "PostalAddress",
        "streetAddress": event.street_address,
        "postalCode": event.postcode,
        "addressLocality": event.city,
        "addressRegion": region_name(event.region_code) or None,
        "addressCountry": "FR",
    }
    place = {
        "@type": "Place",
        "name": event.venue_name or event.city,
        "address": {key: value for key, value in address.items() if value},
    }
    if event.latitude is not None and event.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.latitude, "longitude": event.longitude}
    return {key: value for key, value in place.items() if value}


def event_jsonld(
    event: Event,
    *,
    url: str,
    organisation_url: str | None,
    seats: Seats | None,
    online_url: str | None,
    registration_url: str | None = None,
) -> dict:
    """The schema.org ``Event`` of an event page.

    ``online_url`` is the joining link when it may be shown publicly; otherwise
    the virtual location points to the event page (where registrants find it).
    """
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event_description(event),
        "startDate": event.local_starts_at.isoformat(),
        "endDate": event.local_ends_at.isoformat(),
        "eventStatus": SCHEMA + ("EventCancelled" if event.status == EventStatus.CANCELLED else "EventScheduled"),
        "eventAttendanceMode": ATTENDANCE_MODES[event.mode],
        "url": url,
        "inLanguage": event.language or "fr",
        "isAccessibleForFree": True,
    }
    locations = []
    if event.has_place:
        locations.append(_place(event))
    if event.has_online_access:
        locations.append({"@type": "VirtualLocation", "url": online_url or url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    organizer = {"@type": "Organization", "name": event.organisation.name}
    if organisation_url:
        organizer["url"] = organisation_url
    if event.organisation.website:
        organizer["sameAs"] = event.organisation.website
    data["organizer"] = organizer
    if event.status != EventStatus.CANCELLED and event.registration_mode != RegistrationMode.NONE:
        offer = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": registration_url or url,
        }
        if seats is not None and seats.left is not None:
            offer["availability"] = SCHEMA + ("SoldOut" if seats.is_full else "InStock")
        if event.registration_deadline:
            offer["validThrough"] = event.registration_deadline.astimezone(event.zone).isoformat()
        data["offers"] = offer
    if event.capacity and event.registration_mode == RegistrationMode.INTERNAL:
        data["maximumAttendeeCapacity"] = event.capacity
        if seats is not None and seats.left is not None:
            data["remainingAttendeeCapacity"] = seats.left
    return data


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data: dict) -> Markup:
    """JSON text that cannot close its ``<script>`` element nor open a comment in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)
