"""The published events and organisations as plain records: the open-data columns.

One function per object builds the values that ``/programme.json`` and the JSON
API (``/api/v1``) serialise through the marshmallow schemas of
:mod:`eventapp.api.schemas`. The field names are a public contract: they follow
the CSV export's columns (:data:`eventapp.programme.export.CSV_COLUMNS`), with
codes where the CSV has labels (the labels sit beside them, in ``*_label``
fields), plus a few machine-friendly extras (slugs, registration, links).
"""
from ..feeds.calendar import event_url, organisation_url, site_url
from ..geo import departements
from ..models import Event, EventStatus, Organisation, RegistrationMode
from ..seats import Seats
from ..vocabulary import AUDIENCES, FORMATS, MODES, ORGANISATION_KINDS, THEMES, label, region_name

STATUS_LABELS = {EventStatus.PUBLISHED: "Publié", EventStatus.CANCELLED: "Annulé"}


def departement_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        departement = departements().get(code)
    except RuntimeError:  # the administrative divisions package is not installed
        return None
    return departement.name if departement else None


def event_record(event: Event, seats: Seats | None) -> dict:
    """The public, stable description of a visible event."""
    internal = event.registration_mode == RegistrationMode.INTERNAL
    seats_left = seats.left if seats is not None else None
    organisation = event.organisation
    return {
        "id": event.id,
        "title": event.title,
        "summary": event.summary or "",
        "starts_at": event.local_starts_at,
        "ends_at": event.local_ends_at,
        "timezone": event.timezone,
        "region_code": event.region_code,
        "region": region_name(event.region_code) or None,
        "departement": event.departement_code,
        "departement_name": departement_name(event.departement_code),
        "city": event.city,
        "venue_name": event.venue_name if event.has_place else None,
        "street_address": event.street_address if event.has_place else None,
        "postcode": event.postcode if event.has_place else None,
        "mode": event.mode.value,
        "mode_label": label(MODES, event.mode.value),
        "format": event.format,
        "format_label": label(FORMATS, event.format),
        "themes": list(event.themes),
        "theme_labels": [label(THEMES, code) for code in event.themes],
        "audiences": list(event.audiences),
        "audience_labels": [label(AUDIENCES, code) for code in event.audiences],
        "language": event.language,
        "organisation": organisation.name if organisation else None,
        "organisation_slug": organisation.slug if organisation else None,
        "url": event_url(event),
        "ical_url": site_url(f"/evenements/{event.id}.ics"),
        "status": event.status.value,
        "status_label": STATUS_LABELS.get(event.status, event.status.value),
        "cancellation_reason": event.cancellation_reason if event.is_cancelled else None,
        "registration_mode": event.registration_mode.value,
        "registration_url": (
            event.external_registration_url
            if event.registration_mode == RegistrationMode.EXTERNAL
            else None
        ),
        "registration_deadline": (
            event.registration_deadline.astimezone(event.zone)
            if internal and event.registration_deadline
            else None
        ),
        "capacity": event.capacity if internal else None,
        "seats_left": seats_left if internal else None,
        "has_waiting_list": bool(internal and event.has_waiting_list),
        "updated_at": event.updated_at,
    }


def organisation_record(organisation: Organisation) -> dict:
    """The public description of an active organisation."""
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": label(ORGANISATION_KINDS, organisation.kind),
        "region_code": organisation.region_code,
        "region": region_name(organisation.region_code) or None,
        "city": organisation.city,
        "website": organisation.website,
        "description": organisation.description or "",
        "url": organisation_url(organisation),
        "ical_url": site_url(f"/organisations/{organisation.slug}.ics"),
    }
