"""Calendar feeds over HTTP: content read back by three parsers, time zones, UIDs, SEQUENCE, validators."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from eventapp.editions import public_edition
from eventapp.extensions import db
from eventapp.models import Event, EventMode, EventStatus
from eventapp.search import refresh_search_text
from eventapp.programme.filters import ProgrammeFilters, public_events_query
from eventapp.feeds.views import feed_cache
from tests import factories as f
from tests.feeds_support import QueryCounter, age_everything, paris, parse_all

UTC = timezone.utc


@pytest.fixture(autouse=True)
def _empty_feed_cache():
    feed_cache.clear()
    yield
    feed_cache.clear()


@pytest.fixture
def programme(db):
    """A published 2030 programme over several zones, plus what the public must not see."""
    edition = f.make_edition(2030)
    lyon = f.make_organisation("84", name="Archipel", slug="archipel")
    reunion = f.make_organisation("04", name="Lab de La Réunion", slug="lab-reunion", city="Saint-Denis")
    guadeloupe = f.make_organisation("01", name="Lab' An nou", slug="lab-an-nou", city="Pointe-à-Pitre")
    bretagne = f.make_organisation("53", name="Ti Lab", slug="ti-lab", city="Rennes")
    events = dict(
        lyon=f.make_event(edition, lyon, title="Atelier simplification à Lyon", latitude=45.7578, longitude=4.832),
        reunion=f.make_event(
            edition, reunion, title="Conférence sur l'IA",
            starts_at=datetime(2030, 11, 14, 10, 0, tzinfo=UTC), timezone="Indian/Reunion",
            format="conference", themes=("numerique-ia",), audiences=("elus",),
            city="Saint-Denis", postcode="97400", departement_code="974",
        ),
        guadeloupe=f.make_event(
            edition, guadeloupe, title="Sprint créatif antillais",
            starts_at=datetime(2030, 11, 14, 18, 0, tzinfo=UTC), timezone="America/Guadeloupe",
            format="sprint-creatif", city="Pointe-à-Pitre", postcode="97110",
        ),
        online=f.make_event(
            edition, bretagne, title="Webinaire design de services", mode=EventMode.ONLINE,
            format="webinaire", themes=("design-de-services",), online_url="https://visio.example/secret",
            venue_name=None, street_address=None, postcode=None, city=None,
            starts_at=datetime(2030, 11, 20, 9, 0, tzinfo=UTC),
        ),
        cancelled=f.make_event(
            edition, lyon, title="Portes ouvertes", status=EventStatus.CANCELLED,
            cancellation_reason="Salle indisponible", published_at=datetime(2030, 10, 1, tzinfo=UTC),
            starts_at=datetime(2030, 11, 21, 13, 0, tzinfo=UTC),
        ),
        draft=f.make_event(edition, lyon, title="Brouillon caché", status=EventStatus.DRAFT),
        submitted=f.make_event(edition, lyon, title="En relecture", status=EventStatus.SUBMITTED),
    )
    future = f.make_edition(2031, published=False)
    events["unpublished_edition"] = f.make_event(future, lyon, title="Édition pas encore publiée")
    past = f.make_edition(2029)
    events["past_edition"] = f.make_event(past, lyon, title="Édition passée")
    for event in events.values():
        refresh_search_text(event)
    db.session.commit()
    return events


def get_feed(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def programme_ids(args: dict) -> set[int]:
    """The events the HTML programme lists for these filters."""
    filters = ProgrammeFilters.from_args(args)
    query = public_events_query(public_edition(), filters)
    return {event.id for event in db.session.scalars(query)}


# --- The programme feed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"region": "04"},
        {"region": "en-ligne"},
        {"theme": "numerique-ia"},
        {"format": "conference"},
        {"audience": "elus"},
        {"mode": "en-ligne"},
        {"date": "2030-11-14"},
        {"organisation": "archipel"},
        {"q": "simplification"},
        {"region": "84", "format": "atelier-collaboratif"},
    ],
)
def test_programme_feed_holds_what_the_programme_shows(client, programme, args):
    response = get_feed(client, "/programme.ics?" + "&".join(f"{k}={v}" for k, v in args.items()))
    parsed = parse_all(response.data)
    expected = programme_ids(args)
    assert expected, "each filter selects something in this programme"
    assert {int(uid.split("@")[0].removeprefix("event-")) for uid in parsed.events} == expected
    assert "attachment" not in response.headers["Content-Disposition"]
    assert 'filename="programme-2030.ics"' in response.headers["Content-Disposition"]


def test_programme_feed_hides_what_the_public_may_not_see(client, programme):
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    summaries = {event.summary for event in parsed.events.values()}
    for hidden in ("draft", "submitted", "unpublished_edition", "past_edition"):
        assert programme[hidden].title not in summaries
        with pytest.raises(KeyError):
            parsed.by_id(programme[hidden].id)


def test_calendar_properties_say_what_the_feed_holds(client, programme):
    data = get_feed(client, "/programme.ics?region=04&format=conference").data
    parsed = parse_all(data)
    assert parsed.header("VERSION") == "2.0"
    assert parsed.header("CALSCALE") == "GREGORIAN"
    assert parsed.header("METHOD") == "PUBLISH"
    assert parsed.header("PRODID").startswith("-//")
    assert parsed.header("X-WR-TIMEZONE") == "Europe/Paris"
    name = parsed.header("X-WR-CALNAME")
    assert parsed.header("NAME") == name
    assert "2030" in name and "La Réunion" in name and "Conférence" in name
    description = parsed.header("X-WR-CALDESC")
    assert parsed.header("DESCRIPTION") == description and "La Réunion" in description
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    assert b"\r\nMETHOD:PUBLISH\r\n" in data


def test_refresh_interval_and_cache_follow_the_setting(app, client, programme):
    app.config["FEED_TTL_SECONDS"] = 7200
    try:
        response = get_feed(client, "/programme.ics")
    finally:
        app.config["FEED_TTL_SECONDS"] = 3600
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" in response.data
    assert b"\r\nX-PUBLISHED-TTL:PT2H\r\n" in response.data
    assert response.headers["Cache-Control"] == "public, max-age=7200"


def test_event_content(client, programme):
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    lyon = parsed.by_id(programme["lyon"].id)
    event = programme["lyon"]
    assert lyon.uid == f"event-{event.id}@127.0.0.1:5000"
    assert lyon.summary == "Atelier simplification à Lyon"
    assert lyon.status == "CONFIRMED"
    assert lyon.location == "Préfecture, 1 rue de la République, 69001 Lyon"
    assert lyon.geo == (45.7578, 4.832)
    assert lyon.categories == ["Atelier collaboratif", "Simplification"]
    assert lyon.organizer_cn == "Archipel"
    assert lyon.url == f"http://127.0.0.1:5000/evenements/{event.id}-{event.slug}"
    assert lyon.url in lyon.description
    assert "Nous travaillerons ensemble sur une démarche." in lyon.description  # Markdown as plain text
    assert "**" not in lyon.description
    component = next(c for c in parsed.calendar.walk("VEVENT") if str(c["UID"]) == lyon.uid)
    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        assert component[name].dt == event.updated_at.replace(microsecond=0) or name == "CREATED"
    assert str(component["ORGANIZER"]) == "http://127.0.0.1:5000/organisations/archipel"

    online = parsed.by_id(programme["online"].id)
    assert online.location == "En ligne"
    assert online.geo is None
    assert "visio.example" not in parsed.raw.decode()  # the joining link is for registrants only


def test_dtstamp_is_the_last_change_not_now(client, programme):
    past = age_everything(hours=5)
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    component = next(iter(parsed.calendar.walk("VEVENT")))
    assert component["DTSTAMP"].dt == past.replace(microsecond=0)
    assert component["LAST-MODIFIED"].dt == past.replace(microsecond=0)


# --- Time zones -----------------------------------------------------------------------------------


def test_overseas_times_read_right_in_paris(client, programme):
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    reunion = parsed.by_id(programme["reunion"].id)
    assert reunion.tzid == "Indian/Reunion"
    assert (reunion.start.hour, reunion.start.minute) == (14, 0)
    assert paris(reunion.start).hour == 11 and paris(reunion.start).date() == date(2030, 11, 14)
    guadeloupe = parsed.by_id(programme["guadeloupe"].id)
    assert guadeloupe.tzid == "America/Guadeloupe"
    assert guadeloupe.start.hour == 14
    assert paris(guadeloupe.start).hour == 19
    assert parsed.timezones == ["America/Guadeloupe", "Europe/Paris", "Indian/Reunion"]


def test_vtimezones_cover_only_the_years_of_the_feed(client, programme):
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    for tz in parsed.calendar.walk("VTIMEZONE"):
        years = {sub["DTSTART"].dt.year for sub in tz.subcomponents}
        assert years == {2030}, (tz["TZID"], years)
    parsed = parse_all(get_feed(client, "/organisations/archipel.ics").data)  # 2029 and 2030
    paris_block = parsed.calendar.walk("VTIMEZONE")[0]
    assert {sub["DTSTART"].dt.year for sub in paris_block.subcomponents} == {2029}
    assert {rdate.dt.year for sub in paris_block.subcomponents for rdates in _list(sub.get("RDATE"))
            for rdate in rdates.dts} == {2030}


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- UIDs, SEQUENCE, cancellation -----------------------------------------------------------------


def test_uids_are_stable_across_requests_feeds_and_edits(app, client, programme):
    from eventapp.workflow.editing import update_event

    coordinator = f.make_user(is_coordinator=True)
    first = parse_all(get_feed(client, "/programme.ics").data)
    event = programme["lyon"]
    uid = first.by_id(event.id).uid
    assert str(event.id) in uid and "127.0.0.1:5000" in uid

    update_event(event, coordinator, {"title": "Atelier renommé"})
    app.extensions["sqlalchemy"].session.commit()
    second = parse_all(get_feed(client, "/programme.ics").data)
    assert second.by_id(event.id).uid == uid and second.by_id(event.id).summary == "Atelier renommé"
    assert set(second.events) == set(first.events)
    single = parse_all(get_feed(client, f"/evenements/{event.id}.ics").data)
    organisation = parse_all(get_feed(client, "/organisations/archipel.ics").data)
    assert uid in single.events and uid in organisation.events


def test_sequence_rises_on_a_move_and_on_cancellation(db, client, programme):
    from eventapp.workflow.editing import update_event
    from eventapp.workflow.transitions import cancel_event

    organiser = f.make_user(organisations=(programme["lyon"].organisation,))
    event = programme["lyon"]
    before = parse_all(get_feed(client, "/programme.ics").data).by_id(event.id)

    update_event(event, organiser, {"starts_at": event.starts_at + timedelta(hours=1),
                                    "ends_at": event.ends_at + timedelta(hours=1)})
    db.session.commit()
    moved = parse_all(get_feed(client, "/programme.ics").data).by_id(event.id)
    assert moved.sequence > before.sequence
    assert moved.start == before.start + timedelta(hours=1)

    cancel_event(event, organiser, "La salle est fermée ; désolés, vraiment.")
    db.session.commit()
    cancelled = parse_all(get_feed(client, "/programme.ics").data).by_id(event.id)
    assert cancelled.sequence > moved.sequence
    assert cancelled.status == "CANCELLED"
    assert cancelled.summary == "ANNULÉ – Atelier simplification à Lyon"
    assert "La salle est fermée ; désolés, vraiment." in cancelled.description


def test_cancelled_events_stay_in_every_public_feed(client, programme):
    event = programme["cancelled"]
    for url in ("/programme.ics", "/organisations/archipel.ics", f"/evenements/{event.id}.ics"):
        parsed = parse_all(get_feed(client, url).data).by_id(event.id)
        assert parsed.status == "CANCELLED"
        assert parsed.summary.startswith("ANNULÉ – ")
        assert parsed.sequence >= 1
        assert "Salle indisponible" in parsed.description


# --- Hostile text ---------------------------------------------------------------------------------

HOSTILE_TITLE = "Atelier, très; \\spécial\r\nATTENDEE:mailto:evil@example.com 🎉"
HOSTILE_DESCRIPTION = "Ligne 1\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil\r\n; , \\ 😀 " + "é" * 300


def test_hostile_text_survives_and_injects_nothing(db, client, programme):
    event = programme["lyon"]
    event.title = HOSTILE_TITLE
    event.summary = HOSTILE_DESCRIPTION[:390]
    event.venue_name = "Salle « A », étage ; 2\r\nGEO:0;0"
    event.organisation.name = 'Lab "quoté", ; \\ 🎉'
    db.session.commit()
    for url in ("/programme.ics", f"/evenements/{event.id}.ics", "/organisations/archipel.ics"):
        parsed = parse_all(get_feed(client, url).data)
        item = parsed.by_id(event.id)
        assert item.summary == HOSTILE_TITLE.replace("\r\n", "\n")
        assert HOSTILE_DESCRIPTION[:390].replace("\r\n", "\n") in item.description
        assert item.location.startswith("Salle « A », étage ; 2 GEO:0;0, ")  # one line
        assert item.organizer_cn == 'Lab "quoté", ; \\ 🎉'
        for component in parsed.calendar.walk("VEVENT"):
            assert "ATTENDEE" not in component
            assert str(component["UID"]).startswith("event-")
        assert b"\r\nATTENDEE" not in parsed.raw and b"\r\nUID:evil" not in parsed.raw
        assert b"\r\nGEO:0" not in parsed.raw


# --- HTTP validators ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/programme.ics", "/organisations/archipel.ics", "event"])
def test_revalidation_answers_304_for_both_validators(client, programme, url):
    if url == "event":
        url = f"/evenements/{programme['lyon'].id}.ics"
    age_everything()
    first = get_feed(client, url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    last_modified = first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=3600"

    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == etag
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    older = (first.last_modified - timedelta(seconds=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_revalidation_builds_no_feed(client, programme, monkeypatch):
    age_everything()
    etag = get_feed(client, "/programme.ics").headers["ETag"]
    feed_cache.clear()
    from eventapp.feeds import sources

    def fail(*args, **kwargs):
        raise AssertionError("a feed was built to answer a revalidation")

    monkeypatch.setattr(sources, "build_calendar", fail)
    with QueryCounter() as counter:
        assert client.get("/programme.ics", headers={"If-None-Match": etag}).status_code == 304
    assert counter.count <= 3, counter.statements


def test_validators_move_when_an_event_changes(db, client, programme):
    from eventapp.workflow.editing import update_event

    age_everything()
    first = get_feed(client, "/programme.ics")
    organiser = f.make_user(organisations=(programme["lyon"].organisation,))
    update_event(programme["lyon"], organiser, {"title": "Nouveau titre"})
    db.session.commit()
    second = get_feed(client, "/programme.ics", **{"If-None-Match": first.headers["ETag"]})
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "Nouveau titre" in second.data.decode()
    # Last-Modified is given once its second is over; it only moves forward.
    age_everything(hours=1)
    third = get_feed(client, "/programme.ics", **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert third.last_modified > first.last_modified


def test_validators_move_when_an_event_leaves_the_feed(db, client, programme):
    age_everything(hours=3)
    first = get_feed(client, "/programme.ics?region=84")
    event = programme["lyon"]
    event.status = EventStatus.CHANGES_REQUESTED  # unpublished
    db.session.commit()
    db.session.execute(
        update(Event).where(Event.id == event.id)
        .values(updated_at=datetime.now(UTC) - timedelta(hours=1))
    )
    db.session.commit()
    second = get_feed(client, "/programme.ics?region=84", **{
        "If-None-Match": first.headers["ETag"],
    })
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.last_modified > first.last_modified
    # A client revalidating by date only (Apple) gets the new feed too.
    by_date = get_feed(client, "/programme.ics?region=84", **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert programme["lyon"].title not in by_date.data.decode()


def test_unpublishing_the_programme_moves_the_validators(db, client, programme):
    from eventapp.workflow.programme import unpublish_programme

    age_everything()
    first = get_feed(client, "/programme.ics")
    admin = f.make_user(is_coordinator=True, is_admin=True)
    edition = public_edition()
    unpublish_programme(edition, admin, now=datetime.now(UTC) - timedelta(minutes=30))
    db.session.commit()
    second = client.get("/programme.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert programme["lyon"].title not in second.data.decode()


def test_last_modified_is_not_given_while_its_second_is_open(client, programme):
    response = get_feed(client, "/programme.ics")  # everything was just written
    assert "Last-Modified" not in response.headers
    assert response.headers["ETag"]


def test_validators_kept_for_the_data_version_still_date_the_feed_once_the_second_is_over(
    client, programme, monkeypatch
):
    from eventapp.feeds import versions, views

    # A clock still in the second of the last change: no date yet.
    monkeypatch.setattr(versions, "utcnow", lambda: datetime(1970, 1, 1, tzinfo=timezone.utc))
    first = get_feed(client, "/programme.ics")
    assert "Last-Modified" not in first.headers

    def fail(*args, **kwargs):
        raise AssertionError("the validators were computed again")

    # Nothing was written since: the validators kept for this data version answer, and the
    # date appears as soon as the second of the last change is over.
    monkeypatch.setattr(views, "programme_version", fail)
    later_clock = datetime(2040, 1, 1, tzinfo=timezone.utc)  # after every change of the fixture (some in 2030)
    monkeypatch.setattr(versions, "utcnow", lambda: later_clock)
    revalidated = client.get("/programme.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    later = get_feed(client, "/programme.ics")
    assert later.headers["ETag"] == first.headers["ETag"] and later.data == first.data
    assert later.last_modified is not None
    assert later.last_modified < later_clock


# --- Single event and organisation ----------------------------------------------------------------


def test_single_event_download(client, programme):
    event = programme["reunion"]
    response = get_feed(client, f"/evenements/{event.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="evenement-{event.id}.ics"'
    parsed = parse_all(response.data)
    assert list(parsed.events) == [f"event-{event.id}@127.0.0.1:5000"]
    assert parsed.timezones == ["Indian/Reunion"]


def test_hidden_events_have_no_public_file(client, login_as, programme):
    for name in ("draft", "submitted", "unpublished_edition"):
        assert client.get(f"/evenements/{programme[name].id}.ics").status_code == 404
    assert client.get("/evenements/999999.ics").status_code == 404
    organiser = f.make_user(organisations=(programme["draft"].organisation,))
    login_as(organiser)
    response = get_feed(client, f"/evenements/{programme['draft'].id}.ics")
    assert response.headers["Cache-Control"].startswith("private")


def test_organisation_feed(app, client, programme):
    # The feed is not swallowed by the organisation's page (/organisations/<slug>), nor the reverse.
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/organisations/archipel.ics")[0] == "feeds.organisation_ics"
    try:
        page_endpoint = adapter.match("/organisations/archipel")[0]
    except Exception:  # no organisation page in this build
        page_endpoint = None
    assert page_endpoint != "feeds.organisation_ics"
    response = get_feed(client, "/organisations/archipel.ics")
    assert response.headers["Content-Disposition"] == 'inline; filename="archipel.ics"'
    parsed = parse_all(response.data)
    ids = {programme[name].id for name in ("lyon", "cancelled", "past_edition")}
    assert {int(uid.split("@")[0][6:]) for uid in parsed.events} == ids
    assert "Archipel" in parsed.header("X-WR-CALNAME")
    assert client.get("/organisations/inconnue.ics").status_code == 404


def test_inactive_organisation_has_no_public_feed(db, client, programme):
    programme["lyon"].organisation.is_active = False
    db.session.commit()
    assert client.get("/organisations/archipel.ics").status_code == 404


def test_empty_programme_is_a_valid_calendar(db, client):
    f.make_edition(2030, published=False)
    db.session.commit()
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    assert parsed.events == {} and parsed.timezones == []


# --- Queries and determinism ----------------------------------------------------------------------


def _many_events(count: int):
    edition = public_edition() or f.make_edition(2030)
    organisations = [f.make_organisation(code) for code in ("84", "04", "01", "53", "06", "03")]
    for n in range(count):
        organisation = organisations[n % len(organisations)]
        from eventapp.vocabulary import region_timezone

        f.make_event(
            edition, organisation, timezone=region_timezone(organisation.region_code),
            starts_at=datetime(2030, 11, 1 + n % 28, 8 + n % 9, 0, tzinfo=UTC),
            themes=("simplification", "numerique-ia")[: 1 + n % 2],
        )


def test_whole_programme_feed_takes_a_bounded_number_of_queries(db, client):
    f.make_edition(2030)
    _many_events(20)
    db.session.commit()
    db.session.expunge_all()
    with QueryCounter() as small:
        parse_all(get_feed(client, "/programme.ics").data)
    _many_events(380)
    db.session.commit()
    db.session.expunge_all()
    feed_cache.clear()
    with QueryCounter() as large:
        parsed = parse_all(get_feed(client, "/programme.ics").data)
    assert len(parsed.events) == 400
    assert large.count == small.count, (small.statements, large.statements)
    assert large.count <= 10


def test_same_data_same_bytes(db, client, programme):
    from eventapp.feeds.calendar import vevent_cache
    from eventapp.feeds.timezones import timezone_block

    age_everything()
    first = get_feed(client, "/programme.ics")
    feed_cache.clear()
    vevent_cache.clear()
    timezone_block.cache_clear()
    db.session.expunge_all()
    second = get_feed(client, "/programme.ics")
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]


def test_feed_ignores_the_request_host(client, programme):
    first = get_feed(client, "/programme.ics", Host="example.org")
    feed_cache.clear()
    second = get_feed(client, "/programme.ics", Host="other.example")
    assert first.data == second.data
    assert b"example.org" not in first.data


def test_renaming_an_organisation_reaches_every_feed(db, client, programme):
    age_everything()
    urls = ["/programme.ics", "/organisations/archipel.ics", f"/evenements/{programme['lyon'].id}.ics"]
    first = {url: get_feed(client, url) for url in urls}
    programme["lyon"].organisation.name = "Archipel, le laboratoire"
    db.session.commit()
    for url in urls:
        response = get_feed(client, url, **{"If-None-Match": first[url].headers["ETag"]})
        assert parse_all(response.data).by_id(programme["lyon"].id).organizer_cn == "Archipel, le laboratoire"


def test_an_edit_reaches_a_feed_built_before(db, client, programme):
    """Unchanged events come from the serialised-event cache; the edited one is serialised again."""
    from eventapp.workflow.editing import update_event

    get_feed(client, "/programme.ics")
    organiser = f.make_user(organisations=(programme["lyon"].organisation,))
    update_event(programme["lyon"], organiser, {"venue_name": "Hôtel de région", "themes": ["numerique-ia"]})
    db.session.commit()
    parsed = parse_all(get_feed(client, "/programme.ics").data)
    lyon = parsed.by_id(programme["lyon"].id)
    assert lyon.location.startswith("Hôtel de région, ")
    assert lyon.categories == ["Atelier collaboratif", "Numérique et intelligence artificielle"]
    assert parsed.by_id(programme["reunion"].id).summary == "Conférence sur l'IA"


def test_a_change_of_themes_alone_moves_the_validators(db, client, programme):
    from eventapp.text import slugify
    from eventapp.workflow.editing import update_event

    programme["lyon"].slug = slugify(programme["lyon"].title)  # as the editing service keeps it
    db.session.commit()
    organiser = f.make_user(organisations=(programme["lyon"].organisation,))
    age_everything()
    first = get_feed(client, "/programme.ics")
    db.session.expunge_all()
    event = db.session.get(Event, programme["lyon"].id)  # every column loaded: only the themes change
    update_event(event, db.session.merge(organiser), {"themes": ["simplification", "numerique-ia"]})
    db.session.commit()
    second = get_feed(client, "/programme.ics", **{"If-None-Match": first.headers["ETag"]})
    assert parse_all(second.data).by_id(programme["lyon"].id).categories == [
        "Atelier collaboratif", "Numérique et intelligence artificielle", "Simplification"
    ]
