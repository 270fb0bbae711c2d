"""Editions: create the next one, edit, open/close submissions, publish the programme, archives."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from eventapp.models import AuditEntry, Edition, EditionChange
from tests.factories import make_edition, make_user
from tests.helpers import visible_text


@pytest.fixture
def national(app, db):
    return make_user(is_coordinator=True)


def audit_actions(db):
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


NEW = {
    "year": "2031", "title": "Mois de l'innovation publique 2031", "theme": "Coopération",
    "description": "", "starts_on": "2031-11-01", "ends_on": "2031-11-30",
    "submissions_open_at": "2031-06-01T09:00", "submissions_close_at": "2031-09-30T18:00",
}


def test_create_next_edition(client, login_as, db, national):
    make_edition(2030)
    db.session.commit()
    login_as(national)
    form = client.get("/pilotage/editions/nouvelle")
    assert 'value="2031"' in form.get_data(as_text=True)
    response = client.post("/pilotage/editions/nouvelle", data=NEW)
    assert response.status_code == 302
    edition = db.session.scalars(select(Edition).where(Edition.year == 2031)).one()
    assert edition.theme == "Coopération"
    # Paris time (summer: UTC+2) stored in UTC.
    assert edition.submissions_open_at == datetime(2031, 6, 1, 7, 0, tzinfo=timezone.utc)
    assert audit_actions(db) == ["edition.created"]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.actor_id == national.id and entry.target_id == edition.id and entry.details["year"] == 2031


def test_create_refuses_an_existing_or_earlier_year(client, login_as, db, national):
    make_edition(2030)
    db.session.commit()
    login_as(national)
    response = client.post("/pilotage/editions/nouvelle", data={**NEW, "year": "2030", "starts_on": "2030-11-01",
                                                                 "ends_on": "2030-11-30"})
    assert response.status_code == 200
    assert "L'édition 2030 existe déjà" in visible_text(response)
    assert db.session.scalar(select(Edition).where(Edition.year == 2030).with_only_columns(Edition.id))
    assert audit_actions(db) == []


def test_bad_dates_are_refused_with_a_french_message(client, login_as, db, national):
    db.session.commit()
    login_as(national)
    response = client.post("/pilotage/editions/nouvelle", data={**NEW, "ends_on": "2031-10-01"})
    assert "La date de fin de l'édition doit suivre sa date de début." in visible_text(response)
    response = client.post("/pilotage/editions/nouvelle",
                           data={**NEW, "submissions_close_at": "2031-05-01T09:00"})
    assert "La clôture du dépôt des événements doit suivre son ouverture." in visible_text(response)
    # Dates outside the editions' years (converting 0001-01-01 from Paris time to UTC used to be a 500).
    response = client.post("/pilotage/editions/nouvelle",
                           data={**NEW, "submissions_open_at": "0001-01-01T00:00", "starts_on": "9999-12-31"})
    assert response.status_code == 200
    assert visible_text(response).count("Saisissez une date comprise entre 2000 et 2100.") == 2
    response = client.post("/pilotage/editions/nouvelle", data={**NEW, "year": "1999"})
    assert "Indiquez une année comprise entre 2000 et 2100." in visible_text(response)
    assert db.session.scalars(select(Edition)).all() == []


def test_edit_current_edition_records_the_changes(client, login_as, db, national):
    edition = make_edition(2030)
    db.session.commit()
    login_as(national)
    response = client.post("/pilotage/editions/2030", data={
        "title": "MIP 2030", "theme": "Simplification", "description": "", "starts_on": "2030-11-02",
        "ends_on": "2030-11-30", "submissions_open_at": "", "submissions_close_at": "",
    })
    assert response.status_code == 302
    assert edition.title == "MIP 2030" and edition.starts_on.day == 2
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "edition.updated"
    assert entry.details["changes"]["title"]["après"] == "MIP 2030"


def test_past_editions_are_read_only_archives(client, login_as, db, national):
    old = make_edition(2029)
    make_edition(2030)
    db.session.commit()
    login_as(national)
    page = client.get("/pilotage/editions/2029")
    assert page.status_code == 200
    assert "Cette édition est archivée" in visible_text(page)
    assert 'name="title"' not in page.get_data(as_text=True)
    for path, data in (("/pilotage/editions/2029", {"title": "Changé"}),
                       ("/pilotage/editions/2029/depot", {"action": "open"}),
                       ("/pilotage/editions/2029/programme", {"action": "unpublish"})):
        assert client.post(path, data=data).status_code == 403, path
    assert old.title != "Changé" and old.is_programme_published
    assert audit_actions(db) == []


def test_open_and_close_submissions(client, login_as, db, national):
    now = datetime.now(timezone.utc)
    edition = make_edition(2030, submissions_open_at=now + timedelta(days=10),
                           submissions_close_at=now + timedelta(days=40))
    db.session.commit()
    login_as(national)
    assert not edition.is_submission_open()
    client.post("/pilotage/editions/2030/depot", data={"action": "open"})
    assert edition.is_submission_open()
    response = client.post("/pilotage/editions/2030/depot", data={"action": "close"}, follow_redirects=True)
    assert "Le dépôt des événements est fermé." in visible_text(response)
    assert not edition.is_submission_open()
    assert audit_actions(db) == ["edition.submissions_opened", "edition.submissions_closed"]


def test_open_needs_a_future_close_date(client, login_as, db, national):
    now = datetime.now(timezone.utc)
    make_edition(2030, submissions_open_at=now - timedelta(days=40), submissions_close_at=now - timedelta(days=1))
    db.session.commit()
    login_as(national)
    response = client.post("/pilotage/editions/2030/depot", data={"action": "open"}, follow_redirects=True)
    assert "Fixez d'abord une date de clôture du dépôt dans le futur" in visible_text(response)
    assert audit_actions(db) == []


def test_publish_and_unpublish_programme_through_the_workflow(client, login_as, db, national):
    edition = make_edition(2030, published=False)
    db.session.commit()
    login_as(national)
    client.post("/pilotage/editions/2030/programme", data={"action": "publish", "comment": "C'est parti"})
    assert edition.is_programme_published
    client.post("/pilotage/editions/2030/programme", data={"action": "unpublish"})
    assert not edition.is_programme_published
    assert [c.action for c in db.session.scalars(select(EditionChange).order_by(EditionChange.id))] == [
        "programme_published", "programme_unpublished",
    ]
    assert audit_actions(db) == ["edition.programme_published", "edition.programme_unpublished"]
    response = client.post("/pilotage/editions/2030/programme", data={"action": "unpublish"}, follow_redirects=True)
    assert "n'est pas publié" in visible_text(response)


def test_regional_coordinators_cannot_manage_editions(client, login_as, db):
    make_edition(2030, published=False)
    db.session.commit()
    login_as(make_user(coordinator_region="53"))
    assert client.get("/pilotage/editions/nouvelle").status_code == 403
    assert client.post("/pilotage/editions/nouvelle", data=NEW).status_code == 403
    assert client.post("/pilotage/editions/2030/programme", data={"action": "publish"}).status_code == 403
    assert audit_actions(db) == []


def test_edition_forms_carry_csrf(client, login_as, app, db, national):
    make_edition(2030)
    db.session.commit()
    login_as(national)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/pilotage/editions/2030").get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 3
        response = client.post("/pilotage/editions/2030/depot", data={"action": "close"})
        assert response.status_code == 400  # no token: refused before the view
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert audit_actions(db) == []


def test_editions_list_marks_current_and_archives(client, login_as, db, national):
    make_edition(2029)
    make_edition(2030, published=False)
    db.session.commit()
    login_as(national)
    text = visible_text(client.get("/pilotage/editions"))
    assert "2030" in text and "En cours" in text and "Archive" in text and "Non publié" in text
