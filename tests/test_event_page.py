"""An event's public page: content, canonical slug, JSON-LD, Open Graph, visibility rules."""
import re
from datetime import datetime, timezone

import pytest

from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationMode, RegistrationStatus
from eventapp.programme.jsonld import script_json
from tests.factories import make_edition, make_organisation, make_registration, make_user
from tests.helpers import page_text, visible_text
from tests.programme_support import at, jsonld_of, public_event


@pytest.fixture
def edition(app, db):
    edition = make_edition(2030)
    db.session.commit()
    return edition


@pytest.fixture
def lab(app, db):
    return make_organisation(
        "53", name="Ti Lab", slug="ti-lab", website="https://tilab.bzh", kind="liit", city="Rennes"
    )


def page_of(client, event):
    response = client.get(f"/evenements/{event.id}-{event.slug}")
    assert response.status_code == 200, response.status_code
    return response


def test_everything_an_attendee_needs(client, edition, lab):
    event = public_event(
        edition, lab, title="Atelier : simplifier les démarches", slug="atelier-simplifier",
        summary="Trois heures pour simplifier.", description="Un **atelier** pour [tous](https://example.org).",
        starts_at=at(14, 9), hours=3, venue_name="Préfecture de région", street_address="3 avenue de la Préfecture",
        postcode="35000", city="Rennes", region_code="53", accessibility_info="Salle accessible en fauteuil roulant.",
        themes=("simplification", "design-de-services"), audiences=("agents-publics", "elus"), capacity=30,
    )
    db.session.commit()
    response = page_of(client, event)
    text = visible_text(response)
    html = page_text(response)
    assert "<h1>Atelier : simplifier les démarches</h1>" in html
    assert "Trois heures pour simplifier." in text
    assert "Un <strong>atelier</strong> pour" in html
    assert 'rel="noopener noreferrer nofollow"' in html  # sanitised Markdown
    assert "Jeudi 14 novembre 2030" in text
    assert "10 h 00 – 13 h 00" in text
    assert "Durée : 3 h" in text
    assert "heure de Paris" not in text  # same zone: no second time
    assert "Préfecture de région" in text and "3 avenue de la Préfecture" in text and "35000 Rennes" in text
    assert "Salle accessible en fauteuil roulant." in text
    assert '<a href="/organisations/ti-lab">Ti Lab</a>' in html
    assert "Atelier collaboratif" in text
    assert "Design de services, Simplification" in text
    assert "Agents publics, Élus" in text
    assert "30 places restantes" in text
    assert f'href="/evenements/{event.id}/inscription"' in html
    assert f'href="/evenements/{event.id}.ics"' in html and "Ajouter à mon agenda" in text


def test_overseas_event_shows_paris_time(client, edition):
    reunion = make_organisation("04")
    event = public_event(edition, reunion, timezone="Indian/Reunion", starts_at=at(14, 10), region_code="04")
    db.session.commit()
    text = visible_text(page_of(client, event))
    assert "14 h 00 – 16 h 00 (heure de La Réunion)" in text
    assert "Soit 11 h 00 – 13 h 00 heure de Paris" in text


def test_evening_in_guadeloupe_is_the_next_day_in_paris(client, edition):
    event = public_event(edition, make_organisation("01"), timezone="America/Guadeloupe", starts_at=at(15, 0))
    db.session.commit()
    text = visible_text(page_of(client, event))
    assert "Jeudi 14 novembre 2030" in text
    assert "20 h 00 – 22 h 00 (heure de la Guadeloupe)" in text
    assert "Soit 15 nov. 2030, 1 h 00 – 3 h 00 heure de Paris" in text


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, edition):
    event = public_event(edition, slug="le-bon-slug")
    db.session.commit()
    for path in (f"/evenements/{event.id}", f"/evenements/{event.id}-ancien-titre"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"] == f"/evenements/{event.id}-le-bon-slug"
    html = page_text(page_of(client, event))
    assert f'<link rel="canonical" href="http://localhost/evenements/{event.id}-le-bon-slug">' in html


def test_unknown_event_is_404(client, edition):
    assert client.get("/evenements/999999").status_code == 404
    assert client.get("/evenements/999999-quelque-chose").status_code == 404


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.CHANGES_REQUESTED, EventStatus.REJECTED])
def test_unpublished_events_are_404_to_the_public_and_shown_to_staff_with_a_banner(client, login_as, edition, lab, status):
    event = public_event(edition, lab, status=status, title="Événement en préparation")
    organiser = make_user(organisations=(lab,))
    other_organiser = make_user(organisations=(make_organisation("84"),))
    coordinator = make_user(coordinator_region="53")
    other_coordinator = make_user(coordinator_region="84")
    agent = make_user()
    db.session.commit()
    path = f"/evenements/{event.id}-{event.slug}"

    assert client.get(path).status_code == 404
    assert client.get(f"/evenements/{event.id}").status_code == 404  # not even a redirect reveals it
    for outsider in (agent, other_organiser, other_coordinator):
        login_as(outsider)
        assert client.get(path).status_code == 404
    for insider in (organiser, coordinator):
        login_as(insider)
        response = client.get(path)
        assert response.status_code == 200
        assert "Cet événement n'est pas public" in visible_text(response)
        assert "Événement en préparation" in visible_text(response)
        assert 'application/ld+json' not in page_text(response)
        assert '<meta name="robots" content="noindex, nofollow">' in page_text(response)


def test_published_event_of_an_unpublished_programme_is_hidden(client, login_as, app, db):
    edition = make_edition(2031, published=False)
    lab = make_organisation("53")
    event = public_event(edition, lab)
    db.session.commit()
    assert client.get(f"/evenements/{event.id}-{event.slug}").status_code == 404
    login_as(make_user(organisations=(lab,)))
    db.session.commit()
    text = visible_text(client.get(f"/evenements/{event.id}-{event.slug}"))
    assert "apparaîtra dès la publication du programme national" in text


def test_cancelled_event_shows_a_banner_with_the_reason(client, edition):
    event = public_event(
        edition, status=EventStatus.CANCELLED, cancellation_reason="L'intervenante est malade.",
        cancelled_at=datetime(2030, 11, 10, 9, tzinfo=timezone.utc),
    )
    db.session.commit()
    response = page_of(client, event)
    text = visible_text(response)
    assert "Cet événement est annulé" in text
    assert "Motif : L'intervenante est malade." in text
    assert "Annulé le dimanche 10 novembre 2030" in text
    assert "S'inscrire" not in text


def test_changed_event_says_when(client, edition):
    event = public_event(edition, changed_at=datetime(2030, 11, 2, 9, 30, tzinfo=timezone.utc))
    db.session.commit()
    text = visible_text(page_of(client, event))
    assert "Cet événement a été modifié le samedi 2 novembre 2030 à 10 h 30 (heure de Paris)" in text


# --- The online link ----------------------------------------------------------------------------


def test_online_link_only_for_confirmed_registrants_when_registration_is_here(client, login_as, edition, lab):
    event = public_event(
        edition, lab, mode=EventMode.ONLINE, online_url="https://visio.example.gouv.fr/secret",
        registration_mode=RegistrationMode.INTERNAL, capacity=1, has_waiting_list=True,
    )
    confirmed = make_registration(event).user
    waitlisted = make_registration(event, status=RegistrationStatus.WAITLISTED).user
    organiser = make_user(organisations=(lab,))
    db.session.commit()

    assert "visio.example.gouv.fr/secret" not in page_text(page_of(client, event))
    assert "réservé aux personnes dont l'inscription est confirmée" in visible_text(page_of(client, event))
    login_as(waitlisted)
    assert "visio.example.gouv.fr/secret" not in page_text(page_of(client, event))
    for insider in (confirmed, organiser):
        login_as(insider)
        html = page_text(page_of(client, event))
        assert 'href="https://visio.example.gouv.fr/secret"' in html
        assert "Rejoindre l'événement en ligne" in html


def test_online_link_public_when_registration_is_elsewhere_or_none(client, edition):
    open_event = public_event(
        edition, mode=EventMode.ONLINE, online_url="https://visio.example.gouv.fr/libre",
        registration_mode=RegistrationMode.NONE, capacity=None,
    )
    external = public_event(
        edition, mode=EventMode.HYBRID, online_url="https://visio.example.gouv.fr/externe",
        registration_mode=RegistrationMode.EXTERNAL, external_registration_url="https://inscription.example.org/x",
    )
    unsafe = public_event(
        edition, mode=EventMode.ONLINE, online_url="javascript:alert(1)", registration_mode=RegistrationMode.NONE,
    )
    db.session.commit()
    assert 'href="https://visio.example.gouv.fr/libre"' in page_text(page_of(client, open_event))
    assert "Entrée libre, sans inscription." in visible_text(page_of(client, open_event))
    html = page_text(page_of(client, external))
    assert 'href="https://visio.example.gouv.fr/externe"' in html
    assert 'href="https://inscription.example.org/x"' in html
    assert "S'inscrire sur le site de l'organisateur" in html
    assert "javascript:" not in page_text(page_of(client, unsafe)).split("</title>", 1)[1].split("application/ld+json")[0]


# --- JSON-LD and Open Graph ----------------------------------------------------------------------


def test_jsonld_of_an_in_person_event(client, edition, lab):
    event = public_event(
        edition, lab, title="Atelier <script>", slug="atelier", summary="Résumé & détails",
        starts_at=at(14, 9), hours=2, venue_name="Préfecture", street_address="3 avenue Janvier",
        postcode="35000", city="Rennes", region_code="53", latitude=48.11, longitude=-1.68, capacity=20,
    )
    make_registration(event)
    db.session.commit()
    response = page_of(client, event)
    raw = response.get_data(as_text=True)
    assert "Atelier <script>" not in raw.split("application/ld+json", 1)[1].split("</script>", 1)[0]
    data = jsonld_of(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Atelier <script>"
    assert data["description"] == "Résumé & détails"
    assert data["startDate"] == "2030-11-14T10:00:00+01:00"
    assert data["endDate"] == "2030-11-14T12:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["url"] == f"http://localhost/evenements/{event.id}-atelier"
    assert data["location"] == {
        "@type": "Place",
        "name": "Préfecture",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "3 avenue Janvier",
            "postalCode": "35000",
            "addressLocality": "Rennes",
            "addressRegion": "Bretagne",
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 48.11, "longitude": -1.68},
    }
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Ti Lab",
        "url": "http://localhost/organisations/ti-lab",
        "sameAs": "https://tilab.bzh",
    }
    assert data["offers"]["price"] == "0"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["url"] == f"http://localhost/evenements/{event.id}/inscription"
    assert data["maximumAttendeeCapacity"] == 20
    assert data["remainingAttendeeCapacity"] == 19


def test_jsonld_of_a_cancelled_online_event_overseas(client, edition):
    reunion = make_organisation("04", name="Lab Réunion", slug="lab-reunion")
    event = public_event(
        edition, reunion, mode=EventMode.ONLINE, online_url="https://visio.example.gouv.fr/secret",
        timezone="Indian/Reunion", starts_at=at(14, 10), status=EventStatus.CANCELLED,
        venue_name=None, street_address=None, city=None, cancellation_reason="Report",
    )
    db.session.commit()
    data = jsonld_of(page_of(client, event))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["startDate"] == "2030-11-14T14:00:00+04:00"
    # The joining link is for registrants: the virtual location is the event's page.
    assert data["location"] == {"@type": "VirtualLocation", "url": data["url"]}
    assert "offers" not in data
    assert data["organizer"]["name"] == "Lab Réunion"


def test_jsonld_of_a_hybrid_event_with_a_public_link(client, edition):
    event = public_event(
        edition, mode=EventMode.HYBRID, online_url="https://visio.example.gouv.fr/public",
        registration_mode=RegistrationMode.NONE, capacity=None,
    )
    db.session.commit()
    data = jsonld_of(page_of(client, event))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Lyon"
    assert virtual == {"@type": "VirtualLocation", "url": "https://visio.example.gouv.fr/public"}
    assert "offers" not in data


def test_script_json_cannot_break_out_of_its_element():
    text = str(script_json({"name": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    import json

    assert json.loads(text) == {"name": "</script><!-- & \u2028"}


def test_open_graph_tags(client, edition):
    event = public_event(edition, title="Atelier ouvert", summary="Pour tous.", slug="atelier-ouvert")
    db.session.commit()
    html = page_text(page_of(client, event))
    assert '<meta property="og:title" content="Atelier ouvert">' in html
    assert f'<meta property="og:url" content="http://localhost/evenements/{event.id}-atelier-ouvert">' in html
    assert re.search(r'<meta property="og:description" content="Jeudi 14 novembre 2030, Préfecture, Lyon\. Pour tous\.">', html)
    assert '<meta name="description" content="Pour tous.">' in html


def test_jsonld_carries_the_csp_nonce(client, edition):
    event = public_event(edition)
    db.session.commit()
    response = page_of(client, event)
    nonce = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">', response.get_data(as_text=True)).group(1)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_redirect_keeps_the_query_string_and_tolerates_odd_arguments(client, edition):
    event = public_event(edition, slug="atelier")
    db.session.commit()
    response = client.get(f"/evenements/{event.id}?event_id=3&slug=x&_external=1")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/evenements/{event.id}-atelier?event_id=3&slug=x&_external=1"


# --- Visitors' pages kept per data version ------------------------------------------------------


def test_a_visitor_s_page_is_kept_until_the_data_changes(client, edition):
    from tests.programme_support import count_queries

    event = public_event(edition, capacity=10)
    db.session.commit()
    url = f"/evenements/{event.id}-{event.slug}"
    first = client.get(url)
    assert "10 places" in visible_text(first)
    with count_queries() as again:
        second = client.get(url)
    assert second.get_data(as_text=True).count("10 places") == first.get_data(as_text=True).count("10 places")
    # Kept: the event is read (it decides 404, redirect and visibility) and the data version, nothing else.
    reads = [s for s in again if not s.lstrip().upper().startswith("BEGIN")]
    assert len(reads) == 2 and "data_version" in reads[1], again
    etag = second.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # A registration is a write: the next visitor sees the seat taken, under a new validator.
    make_registration(event)
    db.session.commit()
    third = client.get(url, headers={"If-None-Match": etag})
    assert third.status_code == 200
    assert "9 places" in visible_text(third)


def test_each_response_of_a_kept_page_has_its_own_nonce(client, edition):
    event = public_event(edition)
    db.session.commit()
    nonces = []
    for _ in range(2):
        response = page_of(client, event)
        nonce = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">',
                          response.get_data(as_text=True)).group(1)
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_kept_page_follows_the_clock(client, edition, monkeypatch):
    """What changes with time alone (over, started, past the deadline) is part of the page's key."""
    from eventapp.programme import event_views

    event = public_event(edition, registration_mode=RegistrationMode.EXTERNAL,
                         external_registration_url="https://example.org/inscription", starts_at=at(14), hours=2)
    db.session.commit()
    monkeypatch.setattr(event_views, "utcnow", lambda: at(1))
    before = page_of(client, event)
    assert "S'inscrire sur le site de l'organisateur" in visible_text(before)
    monkeypatch.setattr(event_views, "utcnow", lambda: at(15))  # the day after: over, and no write since
    after = client.get(f"/evenements/{event.id}-{event.slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "S'inscrire sur le site de l'organisateur" not in visible_text(after)
    assert "Les inscriptions se font auprès de l'organisateur." in visible_text(after)


def test_the_clock_state_of_an_event():
    from types import SimpleNamespace

    from eventapp.programme.event_views import clock_state

    event = SimpleNamespace(starts_at=at(14, 9), ends_at=at(14, 12), registration_deadline=at(12))
    assert clock_state(event, at(11)) == (False, False, False)
    assert clock_state(event, at(13)) == (False, True, False)
    assert clock_state(event, at(14, 10)) == (True, True, False)
    assert clock_state(event, at(14, 12)) == (True, True, True)
    assert clock_state(SimpleNamespace(starts_at=at(14), ends_at=at(15), registration_deadline=None), at(13)) == (
        False, False, False)


def test_signed_in_visitors_get_a_page_of_their_own(client, login_as, edition):
    event = public_event(edition)
    agent = make_user()
    make_registration(event, agent)
    db.session.commit()
    assert "Vous êtes inscrit·e à cet événement." not in visible_text(page_of(client, event))
    login_as(agent)
    response = page_of(client, event)
    assert "Vous êtes inscrit·e à cet événement." in visible_text(response)
    assert "ETag" not in response.headers
