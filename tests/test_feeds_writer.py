"""The VEVENT writer gives the bytes icalendar itself gives for the same data.

The reference below builds each VEVENT as an ``icalendar.Event`` (one property
per value, then ``to_ical()``), as the feeds did before they wrote their lines
directly: any difference in escaping, quoting, order, date format or folding
fails here.
"""
import random
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from eventapp.feeds.content import (
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
from eventapp.feeds.vevent import vevent_bytes
from eventapp.models import EventMode, EventStatus, Organisation, RegistrationMode
from eventapp.vocabulary import TIMEZONES
from tests.test_feeds_calendar import CHANGED, HOSTILE, transient_event

HOST = "mip.example.gouv.fr"
UTC = timezone.utc

#: Texts that exercise every escape and quoting rule (TEXT escaping, ``\\N``, RFC 6868, quoted parameters).
NASTY = HOSTILE + [
    "Point-virgule; virgule, deux-points: antislash \\ et \\N et \\n littéraux",
    'Guillemets "doubles" et apostrophes \' ’ et accent circonflexe ^ ^^ ^n',
    "Lab' An nou",
    "",
    " espaces autour ",
    "Retour\n\nà la ligne\n",
    "x" * 74 + "\\" + "y" * 80,
    "a" * 73 + "é" + "\\," * 40,
]


def reference_vevent(item: FeedItem, *, host: str, url: str, organisation_url: str | None) -> bytes:
    """The VEVENT as an ``icalendar.Event`` would serialise it."""
    event = item.event
    changed = event.updated_at or event.created_at
    if item.changed_at is not None and item.changed_at > changed:
        changed = item.changed_at
    changed = changed.astimezone(UTC).replace(microsecond=0)
    created = (event.created_at or changed).astimezone(UTC).replace(microsecond=0)
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
    component.add("CATEGORIES", event_categories(event))
    status = event_status(item)
    component.add("STATUS", status)
    component.add("TRANSP", "OPAQUE" if item.busy and status == "CONFIRMED" else "TRANSPARENT")
    if event.organisation is not None and organisation_url is not None:
        component.add("ORGANIZER", icalendar.vCalAddress(organisation_url),
                      parameters={"CN": one_line(event.organisation.name)})
    return component.to_ical()


def assert_same_bytes(item: FeedItem, organisation_url: str | None = f"https://{HOST}/organisations/lab"):
    url = f"https://{HOST}/evenements/{item.event.id}-atelier"
    arguments = dict(host=HOST, url=url, organisation_url=organisation_url)
    assert vevent_bytes(item, **arguments) == reference_vevent(item, **arguments)


@pytest.mark.parametrize("text", NASTY)
def test_hostile_text_is_written_as_icalendar_writes_it(text):
    event = transient_event(
        title=text, summary=text, description=text, venue_name=text, street_address=text, city=text,
        accessibility_info=text, organisation=Organisation(name=text, slug="lab"),
        registration_mode=RegistrationMode.EXTERNAL, external_registration_url=text,
    )
    event.themes.extend(["simplification", text])
    assert_same_bytes(FeedItem(event))
    assert_same_bytes(FeedItem(event, status="TENTATIVE", summary_prefix=text, summary_suffix=text, note=text))
    cancelled = transient_event(status=EventStatus.CANCELLED, cancellation_reason=text, title=text)
    assert_same_bytes(FeedItem(cancelled, sequence_bonus=3))


def test_every_kind_of_event_is_written_as_icalendar_writes_it():
    rng = random.Random(5545)
    zones = list(TIMEZONES) + ["UTC", "America/Argentina/Buenos_Aires"]
    for event_id in range(1, 301):
        start = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 60 * 24 * 700), seconds=rng.choice([0, 7]))
        event = transient_event(
            event_id,
            title=rng.choice(NASTY) or "Atelier",
            description=rng.choice(NASTY + ["## Titre\n\n- un\n- deux\n\n*Signé.*", "Texte **gras**, [lien](https://a.fr)."]),
            mode=rng.choice(list(EventMode)),
            timezone=rng.choice(zones),
            starts_at=start,
            ends_at=start + timedelta(hours=rng.randint(1, 30)),
            latitude=rng.choice([None, 45.757812345, -21.1, 0.0]),
            longitude=rng.choice([None, 4.832, 55.45, -61.000001]),
            format=rng.choice(["atelier-collaboratif", "", "inconnu"]),
            status=rng.choice([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
            sequence=rng.randint(0, 5),
            registration_mode=rng.choice(list(RegistrationMode)),
            external_registration_url=rng.choice([None, "https://billetterie.example/a?b=1,2;3"]),
            online_url=rng.choice([None, "https://visio.example/salle"]),
            organisation=rng.choice([None, Organisation(name=rng.choice(NASTY), slug="lab")]),
            created_at=rng.choice([None, CHANGED - timedelta(days=2), CHANGED + timedelta(days=2)]),
        )
        event.themes.extend(rng.sample(["simplification", "numerique-ia", "design-de-services"], rng.randint(0, 3)))
        item = FeedItem(
            event,
            status=rng.choice([None, "CONFIRMED", "TENTATIVE", "CANCELLED"]),
            changed_at=rng.choice([None, CHANGED + timedelta(hours=5, microseconds=99)]),
            include_online_url=rng.random() < 0.5,
            busy=rng.random() < 0.5,
            note=rng.choice(["", "Vous êtes inscrit ou inscrite à cet événement."]),
        )
        assert_same_bytes(item, organisation_url=rng.choice([None, f"https://{HOST}/organisations/lab"]))


def test_a_uri_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        vevent_bytes(FeedItem(transient_event()), host=HOST, url="https://a.fr/\r\nATTENDEE:x", organisation_url=None)
