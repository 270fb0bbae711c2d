"""Organisations in the cockpit: create, edit, deactivate, merge (and its rollback), permissions, audit."""
import pytest
from sqlalchemy import func, select

from eventapp.admin import organisations as service
from eventapp.admin.errors import NotAllowed
from eventapp.models import (
    AuditEntry,
    Event,
    Membership,
    MembershipRequest,
    Organisation,
    OrganisationInvitation,
)
from tests.factories import make_edition, make_event, make_organisation, make_user
from tests.helpers import visible_text


def audit_actions(db):
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def people(app, db):
    people = dict(
        national=make_user(is_coordinator=True),
        breton=make_user(coordinator_region="53"),
        organiser=make_user(),
    )
    db.session.commit()
    return people


FORM = {"name": "Lab'O", "slug": "", "kind": "liit", "region_code": "76", "city": "Toulouse",
        "website": "https://labo.example.gouv.fr", "description": "Le laboratoire d'Occitanie."}


def test_national_creates_an_organisation_slug_from_name(client, login_as, db, people):
    login_as(people["national"])
    response = client.post("/pilotage/organisations/nouvelle", data=FORM)
    assert response.status_code == 302
    organisation = db.session.scalars(select(Organisation)).one()
    assert organisation.slug == "lab-o" and organisation.region_code == "76" and organisation.is_active
    assert audit_actions(db) == ["organisation.created"]


def test_regional_coordinator_creates_only_in_their_region(client, login_as, db, people):
    login_as(people["breton"])
    page = client.get("/pilotage/organisations/nouvelle").get_data(as_text=True)
    assert 'value="53"' in page and 'value="76"' not in page
    response = client.post("/pilotage/organisations/nouvelle", data=FORM)  # Occitanie: not offered
    assert response.status_code == 200
    assert db.session.scalars(select(Organisation)).all() == []
    client.post("/pilotage/organisations/nouvelle", data={**FORM, "name": "Ti Lab", "region_code": "53"})
    assert db.session.scalars(select(Organisation.slug)).all() == ["ti-lab"]


def test_duplicate_slug_refused_in_french(client, login_as, db, people):
    make_organisation("76", slug="lab-o")
    db.session.commit()
    login_as(people["national"])
    response = client.post("/pilotage/organisations/nouvelle", data=FORM)
    assert "L'identifiant « lab-o » est déjà utilisé par une autre organisation." in visible_text(response)
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_edit_and_audit(client, login_as, db, people):
    organisation = make_organisation("53", slug="ti-lab", name="Ti Lab")
    db.session.commit()
    login_as(people["breton"])
    response = client.post(f"/pilotage/organisations/{organisation.id}",
                           data={**FORM, "name": "Ti Lab Bretagne", "slug": "ti-lab", "region_code": "53"})
    assert response.status_code == 302
    assert organisation.name == "Ti Lab Bretagne" and organisation.city == "Toulouse"
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "organisation.updated" and entry.details["changes"]["name"]["avant"] == "Ti Lab"


def test_regional_coordinator_cannot_touch_another_region(client, login_as, db, people):
    organisation = make_organisation("84")
    db.session.commit()
    login_as(people["breton"])
    assert client.get(f"/pilotage/organisations/{organisation.id}").status_code == 403
    assert client.post(f"/pilotage/organisations/{organisation.id}/activation",
                       data={"action": "deactivate"}).status_code == 403
    assert organisation.is_active and audit_actions(db) == []
    listing = visible_text(client.get("/pilotage/organisations"))
    assert organisation.name not in listing


def test_deactivate_and_reactivate(client, login_as, db, people):
    organisation = make_organisation("53", slug="ti-lab")
    db.session.commit()
    login_as(people["national"])
    client.post(f"/pilotage/organisations/{organisation.id}/activation", data={"action": "deactivate"})
    assert not organisation.is_active
    assert client.get("/api/v1/organisations/ti-lab").status_code == 404
    client.post(f"/pilotage/organisations/{organisation.id}/activation", data={"action": "activate"})
    assert organisation.is_active
    assert audit_actions(db) == ["organisation.deactivated", "organisation.reactivated"]


@pytest.fixture
def duplicates(app, db, people):
    edition = make_edition()
    kept = make_organisation("53", slug="ti-lab", name="Ti Lab")
    duplicate = make_organisation("53", slug="tilab", name="TiLab (doublon)")
    both = make_user(organisations=(kept, duplicate))
    only_duplicate = make_user(organisations=(duplicate,))
    events = [make_event(edition, duplicate) for _ in range(2)]
    make_event(edition, kept)
    db.session.add(MembershipRequest(organisation=duplicate, user=people["organiser"], message="Bonjour"))
    db.session.add(OrganisationInvitation(organisation=duplicate, email="x@example.gouv.fr",
                                          expires_at=edition.created_at))
    db.session.commit()
    return dict(kept=kept, duplicate=duplicate, both=both, only_duplicate=only_duplicate, events=events,
                kept_id=kept.id, duplicate_id=duplicate.id)


def test_merge_moves_everything_and_removes_the_duplicate(client, login_as, db, people, duplicates):
    login_as(people["breton"])
    page = client.get(f"/pilotage/organisations/{duplicates['duplicate_id']}/fusion")
    assert "Ti Lab (ti-lab)" in page.get_data(as_text=True)
    response = client.post(f"/pilotage/organisations/{duplicates['duplicate_id']}/fusion",
                           data={"kept_id": duplicates["kept_id"], "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, duplicates["duplicate_id"]) is None
    assert db.session.scalar(select(func.count(Event.id)).where(Event.organisation_id == duplicates["kept_id"])) == 3
    members = set(db.session.scalars(select(Membership.user_id).where(Membership.organisation_id == duplicates["kept_id"])))
    assert members == {duplicates["both"].id, duplicates["only_duplicate"].id}
    assert db.session.scalars(select(MembershipRequest.organisation_id)).all() == [duplicates["kept_id"]]
    assert db.session.scalars(select(OrganisationInvitation.organisation_id)).all() == [duplicates["kept_id"]]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "organisation.merged" and entry.target_id == duplicates["kept_id"]
    assert entry.details["evenements"] == 2 and entry.details["membres"] == 1
    assert entry.details["identifiant_doublon"] == "tilab"


def test_merge_needs_confirmation(client, login_as, db, people, duplicates):
    login_as(people["national"])
    response = client.post(f"/pilotage/organisations/{duplicates['duplicate_id']}/fusion",
                           data={"kept_id": duplicates["kept_id"]})
    assert "Cochez la case pour confirmer la fusion." in visible_text(response)
    assert db.session.get(Organisation, duplicates["duplicate_id"]) is not None


def test_merge_failure_midway_leaves_the_database_unchanged(app, db, people, duplicates, monkeypatch):
    def broken(duplicate, kept):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "_move_invitations", broken)  # after events and members have moved
    with pytest.raises(RuntimeError):
        service.merge_organisations(people["national"], duplicates["duplicate"], duplicates["kept"])
    db.session.commit()  # what the caller would keep: nothing of the merge
    db.session.expire_all()
    assert db.session.get(Organisation, duplicates["duplicate_id"]) is not None
    assert db.session.scalar(
        select(func.count(Event.id)).where(Event.organisation_id == duplicates["duplicate_id"])
    ) == 2
    assert db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.organisation_id == duplicates["duplicate_id"])
    ) == 2
    assert audit_actions(db) == []


def test_merge_across_regions_refused_to_a_regional_coordinator(db, people):
    a = make_organisation("53")
    b = make_organisation("84")
    with pytest.raises(NotAllowed):
        service.merge_organisations(people["breton"], a, b)
    assert audit_actions(db) == []
