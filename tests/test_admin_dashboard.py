"""The cockpit's dashboard page and its access rules: who sees it, and which figures."""
from datetime import datetime, timezone

import pytest

from eventapp.models import EventMode, EventStatus
from tests.factories import make_edition, make_event, make_organisation, make_registration, make_user
from tests.helpers import visible_text


@pytest.fixture
def world(app, db):
    edition = make_edition(2030)
    breton = make_organisation("53", slug="ti-lab", name="Ti Lab")
    lyonnais = make_organisation("84", slug="archipel", name="Archipel")
    make_event(edition, breton, title="Atelier breton", starts_at=datetime(2030, 11, 14, 9, tzinfo=timezone.utc))
    make_event(edition, breton, title="Webinaire breton", mode=EventMode.ONLINE, region_code=None, format="webinaire")
    for _ in range(3):
        make_event(edition, lyonnais, format="conference")
    make_event(edition, lyonnais, status=EventStatus.SUBMITTED)
    return dict(
        edition=edition,
        national=make_user(is_coordinator=True),
        breton_coordinator=make_user(coordinator_region="53"),
        organiser=make_user(organisations=(breton,)),
        agent=make_user(),
    )


def test_visitor_is_sent_to_log_in(client, world):
    response = client.get("/pilotage/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("who", ["organiser", "agent"])
def test_non_coordinators_are_refused(client, login_as, world, who):
    login_as(world[who])
    for path in ("/pilotage/", "/pilotage/organisations", "/pilotage/editions", "/pilotage/journal",
                 "/pilotage/coordination", "/pilotage/demandes"):
        assert client.get(path).status_code == 403, path


def test_national_dashboard_shows_every_region(client, login_as, world):
    login_as(world["national"])
    response = client.get("/pilotage/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "toutes les régions" in text
    assert "Mayotte" in text and "Bretagne" in text and "Auvergne-Rhône-Alpes" in text
    html = response.get_data(as_text=True)
    assert html.count('role="img"') >= 6  # the charts
    assert "<title>Conférence : 3</title>" in html
    assert "Événements par statut (données du graphique)" in text
    assert "Part des événements en ligne : 20,0 %" in text  # 1 online of 5 published


def test_regional_dashboard_is_scoped(client, login_as, world):
    login_as(world["breton_coordinator"])
    response = client.get("/pilotage/")
    text = visible_text(response)
    assert response.status_code == 200
    assert "Bretagne" in text and "Mayotte" not in text
    html = response.get_data(as_text=True)
    assert "<title>Conférence : 3</title>" not in html  # Archipel's events are not in scope
    assert "<title>Webinaire : 1</title>" in html  # an online event of a Breton organisation is
    assert "Part des événements en ligne : 50,0 %" in text


def test_regional_coordinator_cannot_reach_national_pages(client, login_as, world):
    login_as(world["breton_coordinator"])
    for path in ("/pilotage/editions", "/pilotage/journal", "/pilotage/coordination"):
        assert client.get(path).status_code == 403, path
    assert client.get("/pilotage/organisations").status_code == 200


def test_dashboard_without_any_edition(client, login_as, app, db):
    login_as(make_user(is_coordinator=True))
    response = client.get("/pilotage/")
    assert response.status_code == 200
    assert "Aucune édition" in visible_text(response)


def test_navigation_shows_pilotage_to_coordinators_only(client, login_as, world):
    login_as(world["national"])
    assert "Pilotage" in visible_text(client.get("/pilotage/organisations"))
