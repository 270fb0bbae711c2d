"""``/programme.json``: the published programme as open data, parsed back."""
import json
from datetime import datetime, timezone

import pytest

from eventapp.models import EventStatus
from eventapp.programme.export import CSV_COLUMNS
from tests.factories import make_edition, make_event, make_organisation, make_registration


@pytest.fixture
def programme(app, db):
    edition = make_edition(2030, title="Mois de l'innovation publique 2030")
    lab = make_organisation("53", name="Ti Lab", slug="ti-lab")
    other = make_organisation("84", name="Archipel", slug="archipel")
    first = make_event(edition, lab, title="Atelier « design » & co", capacity=10,
                       starts_at=datetime(2030, 11, 3, 9, tzinfo=timezone.utc))
    make_registration(first)
    second = make_event(edition, other, title="Conférence", format="conference",
                        starts_at=datetime(2030, 11, 4, 9, tzinfo=timezone.utc))
    make_event(edition, other, title="Brouillon", status=EventStatus.DRAFT)
    return dict(edition=edition, first=first, second=second)


def test_programme_json_parsed_back(client, programme):
    response = client.get("/programme.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["count"] == 2
    assert data["edition"] == {"year": 2030, "title": "Mois de l'innovation publique 2030", "theme": "Simplification"}
    first = data["events"][0]
    assert first["title"] == "Atelier « design » & co"
    assert first["starts_at"] == "2030-11-03T10:00:00+01:00"
    assert datetime.fromisoformat(first["starts_at"]).utcoffset().total_seconds() == 3600
    assert first["capacity"] == 10 and first["seats_left"] == 9
    assert first["organisation"] == "Ti Lab"
    assert [event["title"] for event in data["events"]] == ["Atelier « design » & co", "Conférence"]
    assert "Brouillon" not in response.get_data(as_text=True)


def test_programme_json_has_every_csv_column(client, programme):
    event = client.get("/programme.json").get_json()["events"][0]
    missing = [column for column in CSV_COLUMNS if column not in event]
    assert missing == []


def test_programme_json_same_filters(client, programme):
    data = client.get("/programme.json?organisation=archipel&format=conference").get_json()
    assert [event["title"] for event in data["events"]] == ["Conférence"]
    assert data["filters"] == {"format": "conference", "organisation": "archipel"}
    assert client.get("/programme.json?date=2030-11-03").get_json()["count"] == 1


def test_programme_json_bad_filter_is_json_400(client, programme):
    response = client.get("/programme.json?region=zz")
    assert response.status_code == 400
    body = response.get_json()
    assert "region" in body["errors"] and "inconnu" in body["errors"]["region"][0]


def test_programme_json_etag_cors(client, programme):
    first = client.get("/programme.json")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    etag = first.headers["ETag"]
    assert client.get("/programme.json", headers={"If-None-Match": etag}).status_code == 304


def test_programme_json_empty_before_publication(client, app, db):
    make_event(make_edition(2030, published=False))
    data = client.get("/programme.json").get_json()
    assert data == {**data, "count": 0, "events": [], "edition": None}
