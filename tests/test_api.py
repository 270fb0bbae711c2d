"""The public JSON API: contract, visibility, filters, pagination, ETag/304, CORS and JSON errors."""
from datetime import datetime, timezone

import pytest

from eventapp.search import refresh_search_text
from eventapp.models import EventMode, EventStatus, RegistrationMode, RegistrationStatus
from tests.factories import make_edition, make_event, make_organisation, make_registration


@pytest.fixture
def world(app, db):
    edition = make_edition(2030)
    lab = make_organisation("53", name="Ti Lab", slug="ti-lab", city="Rennes")
    reunion = make_organisation("04", name="Lab Réunion", slug="lab-reunion", kind="collectivite")
    gone = make_organisation("84", name="Ancien labo", slug="ancien-labo", is_active=False)
    workshop = make_event(
        edition, lab, title="Atelier simplification", city="Rennes", departement_code="35", capacity=20,
        starts_at=datetime(2030, 11, 14, 13, 0, tzinfo=timezone.utc),
    )
    for _ in range(3):
        make_registration(workshop)
    make_registration(workshop, status=RegistrationStatus.CANCELLED)
    webinar = make_event(
        edition, reunion, title="Webinaire depuis La Réunion", mode=EventMode.ONLINE, format="webinaire",
        timezone="Indian/Reunion", region_code="04", registration_mode=RegistrationMode.EXTERNAL,
        external_registration_url="https://inscriptions.example.org/webinaire", capacity=None,
        starts_at=datetime(2030, 11, 5, 6, 0, tzinfo=timezone.utc), themes=("numerique-ia",),
    )
    cancelled = make_event(
        edition, lab, title="Conférence annulée", status=EventStatus.CANCELLED,
        cancellation_reason="Intervenant malade", starts_at=datetime(2030, 11, 20, 9, 0, tzinfo=timezone.utc),
    )
    draft = make_event(edition, lab, title="Brouillon secret", status=EventStatus.DRAFT)
    submitted = make_event(edition, lab, title="En attente", status=EventStatus.SUBMITTED)
    for event in (workshop, webinar, cancelled, draft, submitted):
        refresh_search_text(event)
    db.session.flush()
    return dict(edition=edition, lab=lab, reunion=reunion, gone=gone, workshop=workshop, webinar=webinar,
                cancelled=cancelled, draft=draft, submitted=submitted)


def test_events_list_shows_only_public_events_in_order(client, world):
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    titles = [event["title"] for event in body["data"]]
    assert titles == ["Webinaire depuis La Réunion", "Atelier simplification", "Conférence annulée"]
    assert body["meta"] == {"total": 3, "page": 1, "per_page": 20, "pages": 1}
    assert body["edition"]["year"] == 2030
    assert body["links"]["prev"] is None and body["links"]["next"] is None


def test_event_fields_dates_with_offset_and_seats(client, world):
    body = client.get(f"/api/v1/events/{world['workshop'].id}").get_json()
    assert body["starts_at"] == "2030-11-14T14:00:00+01:00"
    assert body["ends_at"] == "2030-11-14T16:00:00+01:00"
    assert body["timezone"] == "Europe/Paris"
    assert body["region_code"] == "53" and body["region"] == "Bretagne"
    assert body["departement"] == "35"
    assert body["mode"] == "presentiel" and body["mode_label"] == "Présentiel"
    assert body["format"] == "atelier-collaboratif" and body["format_label"] == "Atelier collaboratif"
    assert body["themes"] == ["simplification"] and body["audiences"] == ["agents-publics"]
    assert body["organisation"] == "Ti Lab" and body["organisation_slug"] == "ti-lab"
    assert body["status"] == "published"
    assert body["registration_mode"] == "internal" and body["registration_url"] is None
    assert body["capacity"] == 20 and body["seats_left"] == 17
    assert body["url"].endswith(f"/evenements/{world['workshop'].id}-{world['workshop'].slug}")


def test_external_registration_has_url_and_no_seats(client, world):
    body = client.get(f"/api/v1/events/{world['webinar'].id}").get_json()
    assert body["starts_at"] == "2030-11-05T10:00:00+04:00"
    assert body["timezone"] == "Indian/Reunion"
    assert body["registration_mode"] == "external"
    assert body["registration_url"] == "https://inscriptions.example.org/webinaire"
    assert body["capacity"] is None and body["seats_left"] is None
    assert body["venue_name"] is None  # online: no place


def test_cancelled_event_says_so(client, world):
    body = client.get(f"/api/v1/events/{world['cancelled'].id}").get_json()
    assert body["status"] == "cancelled" and body["status_label"] == "Annulé"
    assert body["cancellation_reason"] == "Intervenant malade"


@pytest.mark.parametrize("name", ["draft", "submitted"])
def test_unpublished_events_are_404_json(client, world, name):
    response = client.get(f"/api/v1/events/{world[name].id}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == 404
    assert f"numéro {world[name].id}" in body["message"]
    assert "Brouillon secret" not in response.get_data(as_text=True)


def test_events_of_an_unpublished_programme_are_hidden(client, app, db):
    edition = make_edition(2031, published=False)
    event = make_event(edition)
    assert client.get(f"/api/v1/events/{event.id}").status_code == 404
    body = client.get("/api/v1/events").get_json()
    assert body["data"] == [] and body["meta"]["total"] == 0 and body["edition"] is None


def test_unknown_id_and_unknown_path_are_json_404(client, world):
    for path in ("/api/v1/events/999999", "/api/v1/events/99999999999999", "/api/v1/events/abc",
                 "/api/v1/events/-1", "/api/v1/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["code"] == 404
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_write_methods_are_json_405(client, world):
    response = client.post("/api/v1/events")
    assert response.status_code == 405
    assert response.get_json()["code"] == 405
    assert "lecture seule" in response.get_json()["message"]
    assert "GET" in response.headers["Allow"]
    assert client.delete(f"/api/v1/events/{world['workshop'].id}").status_code == 405


@pytest.mark.parametrize(
    "query, titles",
    [
        ("region=53", ["Atelier simplification", "Conférence annulée"]),
        ("region=en-ligne", ["Webinaire depuis La Réunion"]),
        ("mode=en-ligne", ["Webinaire depuis La Réunion"]),
        ("format=webinaire", ["Webinaire depuis La Réunion"]),
        ("theme=numerique-ia", ["Webinaire depuis La Réunion"]),
        ("date=2030-11-14", ["Atelier simplification"]),
        ("organisation=lab-reunion", ["Webinaire depuis La Réunion"]),
        ("organisation=inconnue", []),
        ("places=true", ["Atelier simplification"]),
        ("q=reunion", ["Webinaire depuis La Réunion"]),
    ],
)
def test_programme_filters(client, world, query, titles):
    body = client.get(f"/api/v1/events?{query}").get_json()
    assert [event["title"] for event in body["data"]] == titles


@pytest.mark.parametrize(
    "query, field",
    [
        ("region=99", "region"),
        ("format=karaoke", "format"),
        ("date=14-11-2030", "date"),
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("places=peut-etre", "places"),
        ("organisation=Pas%20un%20slug", "organisation"),
        ("organisation=" + "a" * 121, "organisation"),
    ],
)
def test_bad_filter_values_are_400_json_in_french(client, world, query, field):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400
    assert field in body["errors"]
    assert body["message"].startswith("Paramètre")


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_a_day_outside_the_editions_years_holds_no_event(client, world, day):
    """A valid date all the same: no event on it (0001-01-01 in Paris, before year 1 in UTC, was a 500)."""
    response = client.get(f"/api/v1/events?date={day}")
    assert response.status_code == 200
    assert response.get_json()["data"] == []


def test_nul_character_is_a_json_400(client, world):
    response = client.get("/api/v1/events?q=%00")
    assert response.status_code == 400
    assert response.get_json()["code"] == 400


def test_pagination_total_and_links(client, world):
    body = client.get("/api/v1/events?per_page=2&region=53").get_json()
    assert body["meta"] == {"total": 2, "page": 1, "per_page": 2, "pages": 1}
    body = client.get("/api/v1/events?per_page=1").get_json()
    assert body["meta"] == {"total": 3, "page": 1, "per_page": 1, "pages": 3}
    assert body["links"]["prev"] is None
    assert "page=2" in body["links"]["next"] and "per_page=1" in body["links"]["next"]
    second = client.get(body["links"]["next"]).get_json()
    assert [e["title"] for e in second["data"]] == ["Atelier simplification"]
    assert "page=1" in second["links"]["prev"] and "page=3" in second["links"]["next"]
    assert "page=3" in second["links"]["last"]
    filtered = client.get("/api/v1/events?per_page=1&region=53").get_json()
    assert "region=53" in filtered["links"]["next"]
    beyond = client.get("/api/v1/events?page=9").get_json()
    assert beyond["data"] == [] and beyond["meta"]["total"] == 3


def test_etag_and_304(client, world):
    first = client.get("/api/v1/events")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/api/v1/events", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    # A change in the data (a seat taken) gives a new tag.
    make_registration(world["workshop"])
    changed = client.get("/api/v1/events", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    single = client.get(f"/api/v1/events/{world['workshop'].id}")
    assert client.get(
        f"/api/v1/events/{world['workshop'].id}", headers={"If-None-Match": single.headers["ETag"]}
    ).status_code == 304


def test_cors_header_on_every_api_response(client, world):
    for path in ("/api/v1/events", "/api/v1/organisations", "/api/v1/openapi.json", "/api/v1/events/0"):
        assert client.get(path).headers["Access-Control-Allow-Origin"] == "*", path
    preflight = client.options("/api/v1/events", headers={"Origin": "https://example.org"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_organisations(client, world):
    body = client.get("/api/v1/organisations").get_json()
    assert [o["slug"] for o in body["data"]] == ["lab-reunion", "ti-lab"]  # active ones, by name
    assert body["meta"]["total"] == 2
    one = client.get("/api/v1/organisations/ti-lab").get_json()
    assert one["name"] == "Ti Lab" and one["region"] == "Bretagne" and one["kind"] == "liit"
    assert one["url"].endswith("/organisations/ti-lab")
    assert client.get("/api/v1/organisations?region=04").get_json()["meta"]["total"] == 1
    assert client.get("/api/v1/organisations?kind=collectivite").get_json()["data"][0]["slug"] == "lab-reunion"


def test_inactive_or_unknown_organisation_is_404(client, world):
    for slug in ("ancien-labo", "nope", "Not%20A%20Slug"):
        response = client.get(f"/api/v1/organisations/{slug}")
        assert response.status_code == 404
        assert response.get_json()["code"] == 404


def test_openapi_document(client, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/organisations", "/api/v1/organisations/{slug}",
    }
    event = spec["components"]["schemas"]["Event"]["properties"]
    for field in ("id", "title", "starts_at", "ends_at", "timezone", "region", "departement", "city", "mode",
                  "format", "themes", "audiences", "organisation", "url", "status", "capacity", "seats_left",
                  "registration_mode", "registration_url"):
        assert field in event, field
    assert event["seats_left"]["nullable"] is True
    names = {p["name"] for p in spec["paths"]["/api/v1/events"]["get"]["parameters"] if "name" in p}
    assert {"q", "region", "format", "theme", "audience", "mode", "date", "organisation", "places", "page",
            "per_page", "If-None-Match"} <= names


def test_documentation_page_is_rendered_from_the_spec(client, world):
    response = client.get("/api/v1/documentation")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "GET /api/v1/events" in text
    assert "seats_left" in text and "Places restantes" in text
    assert "cdn" not in text.lower() and "<script src=\"http" not in text


def test_api_ignores_csrf(client, app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.get("/api/v1/events").status_code == 200
        assert client.post("/api/v1/events").status_code == 405  # not 400 from CSRF
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_paths_the_api_routes_cannot_match_still_answer_json(client):
    response = client.get("/api/v1/events/%0A%3E")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["code"] == 404


# --- Answers kept per data version ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/events?per_page=2", "/api/v1/events/{workshop}",
                                  "/api/v1/organisations", "/api/v1/organisations/ti-lab"])
def test_a_repeated_answer_reads_only_the_data_version(client, world, db, path):
    from tests.programme_support import count_queries

    db.session.commit()
    path = path.format(workshop=world["workshop"].id)
    first = client.get(path)
    assert first.status_code == 200
    with count_queries() as again:
        second = client.get(path)
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert second.mimetype == "application/json"
    reads = [s for s in again if not s.lstrip().upper().startswith("BEGIN")]
    assert len(reads) == 1 and "data_version" in reads[0], again
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_kept_answer_follows_the_data_and_the_address(client, world, db):
    db.session.commit()
    workshop = world["workshop"]

    def seats(body):
        return next(e["seats_left"] for e in body["data"] if e["id"] == workshop.id)

    before = client.get("/api/v1/events").get_json()
    assert seats(before) == 17
    make_registration(workshop)  # a write: the next answer is computed again
    db.session.commit()
    after = client.get("/api/v1/events").get_json()
    assert seats(after) == 16
    # Another address, or the same one on another host, is another answer.
    assert client.get("/api/v1/events?per_page=1").get_json()["meta"]["pages"] == 3
    elsewhere = client.get("/api/v1/events", base_url="http://autre.example.org").get_json()
    assert elsewhere["links"]["self"].startswith("http://autre.example.org/api/v1/events")
    assert client.get("/api/v1/events").get_json()["links"]["self"].startswith("http://localhost/")


def test_errors_are_never_kept(client, world, db):
    from tests.programme_support import count_queries

    db.session.commit()
    client.get("/api/v1/events/999999")
    with count_queries() as again:
        response = client.get("/api/v1/events/999999")
    assert response.status_code == 404 and response.get_json()["code"] == 404
    assert any("FROM event" in statement for statement in again), again
    bad = client.get("/api/v1/events?region=99")
    assert bad.status_code == 400 and client.get("/api/v1/events?region=99").status_code == 400
