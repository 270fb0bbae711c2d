"""The pure calendar builder: escaping, folding, determinism, time zones from the zone database."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from eventapp.feeds.calendar import (
    FeedItem,
    build_calendar,
    calendar_options,
    clean_text,
    event_calendar,
    header_text,
)
from eventapp.feeds.timezones import timezone_block, vtimezone
from eventapp.models import Edition, Event, EventMode, EventStatus, Organisation, RegistrationMode
from eventapp.vocabulary import TIMEZONES
from tests import factories as f
from tests.feeds_support import parse_all, paris

UTC = timezone.utc
CHANGED = datetime(2030, 10, 2, 8, 30, 15, tzinfo=UTC)

HOSTILE = [
    "Virgules, points-virgules; et barres \\ obliques",
    "x\r\nATTENDEE:mailto:evil@example.com",
    "Retour\rchariot seul et saut\nde ligne",
    "END:VEVENT\nBEGIN:VEVENT\nUID:injected",
    "Émojis 🎉🚀👩‍💻 et accents éèàçœ « guillemets »",
    "Nul\x00 cloche\x07 échappement\x1b tab\tulation",
    "é" * 500,
    "🎉" * 500,
    ("Un titre de cinq cents caractères, ; \\ " * 20)[:500],
]


def transient_event(event_id: int = 1, **fields) -> Event:
    """An unsaved event: the builder needs no database."""
    values = dict(
        id=event_id,
        title="Atelier",
        slug="atelier",
        summary="Résumé",
        description="Une **description**.",
        format="atelier-collaboratif",
        mode=EventMode.IN_PERSON,
        starts_at=datetime(2030, 11, 14, 13, 0, tzinfo=UTC),
        ends_at=datetime(2030, 11, 14, 15, 0, tzinfo=UTC),
        timezone="Europe/Paris",
        venue_name="Préfecture",
        city="Lyon",
        postcode="69001",
        region_code="84",
        status=EventStatus.PUBLISHED,
        sequence=0,
        registration_mode=RegistrationMode.NONE,
        created_at=CHANGED - timedelta(days=3),
        updated_at=CHANGED,
        organisation=Organisation(name="Archipel", slug="archipel"),
        edition=Edition(year=2030),
    )
    values.update(fields)
    event = Event(**values)
    return event


def build(events, **overrides):
    arguments = dict(
        name="Essai",
        description="Un calendrier d'essai",
        host="mip.example.gouv.fr",
        url_for_event=lambda event: f"https://mip.example.gouv.fr/evenements/{event.id}",
        url_for_organisation=lambda organisation: f"https://mip.example.gouv.fr/organisations/{organisation.slug}",
    )
    arguments.update(overrides)
    return build_calendar(events, **arguments)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_survives_the_round_trip(text):
    event = transient_event(title=text, summary=text, description=text, venue_name=text,
                            organisation=Organisation(name=text, slug="lab"))
    parsed = parse_all(build([event], name=text, description=text))
    item = parsed.by_id(1)
    expected = clean_text(text)
    assert "\r" not in expected and "\x00" not in expected
    assert item.summary == expected
    assert expected.strip() in item.description
    assert item.organizer_cn == " ".join(expected.split())
    calendar_text = header_text(text)
    assert not set(",;\\") & set(calendar_text)
    for name in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC"):
        assert parsed.header(name) == calendar_text
    components = list(parsed.calendar.walk("VEVENT"))
    assert len(components) == 1 and "ATTENDEE" not in components[0]
    assert str(components[0]["UID"]) == "event-1@mip.example.gouv.fr"


def test_clean_text_keeps_text_and_drops_control_characters():
    assert clean_text("a\r\nb\rc\nd\te\x00f\x7f") == "a\nb\nc\nd\tef"
    assert clean_text(None) == ""


def test_same_events_same_bytes():
    events = [transient_event(1), transient_event(2, timezone="Indian/Reunion"),
              transient_event(3, timezone="America/Guadeloupe")]
    first = build(events)
    timezone_block.cache_clear()
    assert build(events) == first
    assert b"DTSTAMP:20301002T083015Z" in first  # the last change, not now
    assert b"LAST-MODIFIED:20301002T083015Z" in first
    assert b"CREATED:20300929T083015Z" in first


def test_cancelled_event_outranks_its_last_published_version():
    published = parse_all(build([transient_event(sequence=2)])).by_id(1)
    cancelled = parse_all(build([transient_event(sequence=2, status=EventStatus.CANCELLED)])).by_id(1)
    assert published.sequence == 2 and cancelled.sequence == 3
    assert cancelled.status == "CANCELLED" and cancelled.summary == "ANNULÉ – Atelier"


def test_items_carry_a_readers_view():
    item = FeedItem(transient_event(), status="TENTATIVE", summary_suffix=" (liste d'attente, position 4)",
                    sequence_bonus=2, changed_at=CHANGED + timedelta(days=1))
    parsed = parse_all(build([item]))
    event = parsed.by_id(1)
    assert event.status == "TENTATIVE" and event.sequence == 2
    assert event.summary == "Atelier (liste d'attente, position 4)"
    assert parsed.calendar.walk("VEVENT")[0]["DTSTAMP"].dt == (CHANGED + timedelta(days=1))


def test_free_time_for_subscriptions_busy_for_chosen_events():
    assert b"TRANSP:TRANSPARENT" in build([transient_event()])
    assert b"TRANSP:OPAQUE" in build([transient_event()], busy=True)


def test_times_are_local_with_their_zone():
    reunion = transient_event(1, timezone="Indian/Reunion", starts_at=datetime(2030, 11, 14, 10, 0, tzinfo=UTC),
                              ends_at=datetime(2030, 11, 14, 12, 0, tzinfo=UTC))
    guadeloupe = transient_event(2, timezone="America/Guadeloupe",
                                 starts_at=datetime(2030, 11, 14, 18, 0, tzinfo=UTC),
                                 ends_at=datetime(2030, 11, 14, 20, 0, tzinfo=UTC))
    data = build([reunion, guadeloupe])
    assert b"DTSTART;TZID=Indian/Reunion:20301114T140000" in data
    assert b"DTSTART;TZID=America/Guadeloupe:20301114T140000" in data
    parsed = parse_all(data)
    assert paris(parsed.by_id(1).start).hour == 11
    assert paris(parsed.by_id(2).start).hour == 19


@pytest.mark.parametrize("tzid", TIMEZONES)
def test_vtimezones_agree_with_the_zone_database(tzid):
    """Read by vobject (dateutil builds the zone from our VTIMEZONE), the offsets are the zone database's."""
    block = timezone_block(tzid, 2030, 2031).decode()
    calendar = vobject.readOne(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + block + "END:VCALENDAR\r\n"
    )
    generated = calendar.vtimezone.gettzinfo()
    zone = ZoneInfo(tzid)
    moment = datetime(2030, 1, 1, 0, 30, tzinfo=UTC)
    step = timedelta(hours=6)
    while moment < datetime(2031, 12, 31, 18, 0, tzinfo=UTC):
        # Every six hours, and every hour around each change of the zone's offset.
        near_change = moment.astimezone(zone).utcoffset() != (moment + step).astimezone(zone).utcoffset()
        for hour in range(6 if near_change else 1):
            instant = moment + timedelta(hours=hour)
            assert instant.astimezone(generated).utcoffset() == instant.astimezone(zone).utcoffset(), (tzid, instant)
        moment += step
    assert "BEGIN:VTIMEZONE" in block and f"TZID:{tzid}" in block


#: Zones that stopped changing (Brazil 2019, Iran 2022), change oddly (Morocco) or never did.
_OTHER_ZONES = ["America/Sao_Paulo", "Asia/Tehran", "Africa/Casablanca", "Europe/London", "UTC"]


@pytest.mark.parametrize("tzid", TIMEZONES + _OTHER_ZONES)
def test_zone_blocks_are_icalendars_own(tzid):
    """The zone ends a year after the range instead of in 9999: the component is the same."""
    for first, last in [(2030, 2030), (2029, 2031), (2018, 2020), (2022, 2024)]:
        first_date, last_date = date(first, 1, 1), date(last + 1, 1, 1)
        expected = icalendar.Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
        assert vtimezone(tzid, first_date, last_date).to_ical() == expected.to_ical()


def test_spring_onset_is_written_in_the_time_before_the_change():
    block = icalendar.Timezone.from_ical(timezone_block("Europe/Paris", 2030, 2030))
    daylight = next(sub for sub in block.subcomponents if sub.name == "DAYLIGHT")
    standard = [sub for sub in block.subcomponents if sub.name == "STANDARD"]
    assert daylight["DTSTART"].dt == datetime(2030, 3, 31, 2, 0)  # 01:00 UTC, read at +01:00
    assert max(sub["DTSTART"].dt for sub in standard) == datetime(2030, 10, 27, 3, 0)  # read at +02:00


def test_no_events_no_timezones():
    parsed = parse_all(build([]))
    assert parsed.events == {} and parsed.timezones == []


def test_event_calendar_in_an_app_context_without_request(app, db):
    event = f.make_event(
        mode=EventMode.HYBRID, online_url="https://visio.example/lien",
        starts_at=datetime(2030, 11, 14, 13, 0, tzinfo=UTC),
    )
    db.session.commit()
    public = event_calendar(event)
    parsed = parse_all(public)
    assert list(parsed.events) == [f"event-{event.id}@{app.config['SITE_HOST']}"]
    assert b"METHOD:PUBLISH" in public and b"TRANSP:OPAQUE" in public
    assert b"visio.example" not in public
    for_registrant = parse_all(event_calendar(event, include_online_url=True))
    assert "https://visio.example/lien" in for_registrant.by_id(event.id).description
    assert event_calendar(event) == public  # deterministic


def test_calendar_options_follow_the_configuration(app):
    app.config["SITE_HOST"] = "mip.example.gouv.fr"
    try:
        options = calendar_options()
    finally:
        app.config["SITE_HOST"] = "127.0.0.1:5000"
    assert options["host"] == "mip.example.gouv.fr"
    assert options["ttl_seconds"] == 3600


def test_covered_years_follow_the_events():
    events = [transient_event(1, starts_at=datetime(2029, 11, 14, 13, tzinfo=UTC),
                              ends_at=datetime(2029, 11, 14, 15, tzinfo=UTC)),
              transient_event(2, starts_at=datetime(2031, 11, 14, 13, tzinfo=UTC),
                              ends_at=datetime(2031, 11, 14, 15, tzinfo=UTC))]
    data = build(events)
    assert b"This timezone only works from 2029-01-01 to 2032-01-01." in data


_BUILD_IN_ANOTHER_PROCESS = """
import sys
from tests.test_feeds_calendar import build, transient_event
events = [transient_event(1, timezone="Indian/Reunion"), transient_event(2, timezone="America/Cayenne"),
          transient_event(3), transient_event(4, timezone="Indian/Mayotte", status=__import__("eventapp").models.EventStatus.CANCELLED)]
for event in events:
    event.themes.extend(["simplification", "design-de-services", "numerique-ia"])
sys.stdout.buffer.write(build(events))
"""


@pytest.mark.slow
def test_same_bytes_in_every_process():
    """Different hash seeds (set and dict orders) in two processes give the same bytes."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", _BUILD_IN_ANOTHER_PROCESS],
            capture_output=True, check=True, timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert parse_all(outputs[0]).timezones == ["America/Cayenne", "Europe/Paris", "Indian/Mayotte", "Indian/Reunion"]
