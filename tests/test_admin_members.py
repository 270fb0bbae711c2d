"""Organisers: invitations (valid, expired, reused, revoked), removal, requests to join, coordinator role."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.admin import members
from eventapp.models import (
    AuditEntry,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    OrganisationInvitation,
    OutboxMessage,
    User,
    utcnow,
)
from tests.factories import PASSWORD, make_organisation, make_user
from tests.helpers import visible_text


def audit_actions(db):
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def world(app, db):
    lab = make_organisation("53", slug="ti-lab", name="Ti Lab")
    world = dict(
        lab=lab,
        national=make_user(is_coordinator=True),
        breton=make_user(coordinator_region="53"),
        lyon=make_user(coordinator_region="84"),
        agent=make_user("agent@example.gouv.fr"),
    )
    db.session.commit()
    return world




def invitation_link(db) -> str:
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "organisation_invitation").order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    line = next(line for line in message.body_text.splitlines() if "/invitation/" in line)
    return line.strip().split("127.0.0.1:5000", 1)[1]


def test_invitation_sends_a_link_and_is_audited(client, login_as, db, world):
    login_as(world["breton"])
    response = client.post(f"/pilotage/organisations/{world['lab'].id}/invitations",
                           data={"email": " Nouvelle@Example.gouv.fr "})
    assert response.status_code == 302
    invitation = db.session.scalars(select(OrganisationInvitation)).one()
    assert invitation.email == "nouvelle@example.gouv.fr"
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.recipient == "nouvelle@example.gouv.fr" and "Ti Lab" in message.subject
    assert "/invitation/" in message.body_text
    assert audit_actions(db) == ["invitation.sent"]


def test_invalid_email_refused(client, login_as, db, world):
    login_as(world["breton"])
    response = client.post(f"/pilotage/organisations/{world['lab'].id}/invitations",
                           data={"email": "pas-une-adresse"}, follow_redirects=True)
    assert "Saisissez une adresse e-mail valide" in visible_text(response)
    assert db.session.scalars(select(OrganisationInvitation)).all() == []


def test_other_region_cannot_invite(client, login_as, db, world):
    login_as(world["lyon"])
    response = client.post(f"/pilotage/organisations/{world['lab'].id}/invitations", data={"email": "a@b.fr"})
    assert response.status_code == 403
    assert audit_actions(db) == []


def test_newcomer_accepts_with_name_and_password(client, login_as, db, world):
    members.invite(world["breton"], world["lab"], "nouvelle@example.gouv.fr")
    db.session.commit()
    link = invitation_link(db)
    page = client.get(link)
    assert page.status_code == 200 and "Choisissez votre nom et votre mot de passe" in visible_text(page)
    short = client.post(link, data={"name": "Anne Nouvelle", "password": "court", "confirm": "court"})
    assert "au moins 12 caractères" in visible_text(short)
    response = client.post(link, data={"name": "Anne Nouvelle", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "nouvelle@example.gouv.fr")).one()
    assert user.name == "Anne Nouvelle" and user.email_verified_at is not None
    assert world["lab"].id in user.organisation_ids
    assert "invitation.accepted" in audit_actions(db)
    # The same link again: refused, clearly.
    client.get("/deconnexion")
    again = client.get(link)
    assert again.status_code == 410
    assert "Ce lien d'invitation a déjà été utilisé" in visible_text(again)


def test_existing_account_attaches_after_log_in(client, login_as, db, world):
    members.invite(world["national"], world["lab"], "agent@example.gouv.fr")
    db.session.commit()
    link = invitation_link(db)
    page = client.get(link)
    assert "Un compte existe déjà avec cette adresse : connectez-vous" in visible_text(page)
    assert client.post(link, data={"name": "X", "password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert world["lab"].id not in world["agent"].organisation_ids
    login_as(world["agent"])
    assert client.post(link).status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, (world["agent"].id, world["lab"].id)) is not None


def test_the_page_tells_another_account_it_cannot_accept(client, login_as, db, world):
    members.invite(world["national"], world["lab"], "agent@example.gouv.fr")
    db.session.commit()
    link = invitation_link(db)
    login_as(world["agent"])  # the invited address
    assert "seule la personne invitée" not in visible_text(client.get(link))
    login_as(world["national"])  # another account
    assert "seule la personne invitée, connectée avec l'adresse agent@example.gouv.fr" in visible_text(client.get(link))
    refused = client.post(link, follow_redirects=True)
    assert "destinée à une autre adresse" in visible_text(refused)
    db.session.expire_all()
    assert world["lab"].id not in world["national"].organisation_ids


def test_expired_invitation_refused(client, db, world, app):
    invitation = members.invite(world["breton"], world["lab"], "tard@example.gouv.fr")
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(invitation_link(db))
    assert response.status_code == 410
    assert "Ce lien d'invitation a expiré" in visible_text(response)
    # Past the signature's age too (the link itself carries its date).
    app.config["INVITATION_MAX_AGE"] = -1
    try:
        with pytest.raises(members.InvitationError, match="expiré"):
            members.invitation_from_token(members.invitation_token(invitation))
    finally:
        del app.config["INVITATION_MAX_AGE"]


def test_tampered_and_revoked_links_refused(client, login_as, db, world):
    invitation = members.invite(world["breton"], world["lab"], "x@example.gouv.fr")
    db.session.commit()
    link = invitation_link(db)
    assert "n'est pas valide" in visible_text(client.get(link[:-3] + "abc"))
    login_as(world["breton"])
    client.post(f"/pilotage/organisations/{world['lab'].id}/invitations/{invitation.id}/annuler")
    client.get("/deconnexion")
    assert "annulée" in visible_text(client.get(link))
    assert audit_actions(db) == ["invitation.sent", "invitation.revoked"]


def test_a_new_invitation_replaces_the_pending_one(db, world):
    first = members.invite(world["breton"], world["lab"], "x@example.gouv.fr")
    first_token = members.invitation_token(first)
    members.invite(world["breton"], world["lab"], "x@example.gouv.fr")
    with pytest.raises(members.InvitationError):
        members.invitation_from_token(first_token)


def test_remove_member(client, login_as, db, world):
    organiser = make_user(organisations=(world["lab"],))
    db.session.commit()
    login_as(world["breton"])
    page = client.get(f"/pilotage/organisations/{world['lab'].id}")
    assert organiser.email in visible_text(page)
    client.post(f"/pilotage/organisations/{world['lab'].id}/membres/{organiser.id}/retirer")
    db.session.expire_all()
    assert db.session.get(Membership, (organiser.id, world["lab"].id)) is None
    assert audit_actions(db) == ["member.removed"]
    login_as(world["lyon"])
    assert client.post(f"/pilotage/organisations/{world['lab'].id}/membres/{organiser.id}/retirer").status_code == 403


def test_request_to_join_then_accept(client, login_as, db, world):
    assert client.get("/organisations/ti-lab/rejoindre").status_code == 302  # log in first
    login_as(world["agent"])
    response = client.post("/organisations/ti-lab/rejoindre", data={"message": "Je travaille au lab."})
    assert response.status_code == 302
    request = db.session.scalars(select(MembershipRequest)).one()
    assert request.status == MembershipRequestStatus.PENDING
    told = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "membership_request_received")).all()
    assert told == [world["breton"].email]  # the region's coordinator
    again = client.post("/organisations/ti-lab/rejoindre", data={"message": "Encore"}, follow_redirects=True)
    assert "est en attente" in visible_text(again)
    assert db.session.scalars(select(MembershipRequest)).all() == [request]

    login_as(world["lyon"])
    assert client.post(f"/pilotage/demandes/{request.id}", data={"decision": "accept"}).status_code == 403
    login_as(world["breton"])
    assert "Je travaille au lab." in visible_text(client.get("/pilotage/demandes"))
    client.post(f"/pilotage/demandes/{request.id}", data={"decision": "accept", "comment": "Bienvenue"})
    db.session.expire_all()
    assert request.status == MembershipRequestStatus.ACCEPTED
    assert db.session.get(Membership, (world["agent"].id, world["lab"].id)) is not None
    decided = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "membership_request_decided")).one()
    assert decided.recipient == "agent@example.gouv.fr" and "acceptée" in decided.body_text
    assert audit_actions(db) == ["membership_request.created", "membership_request.accepted"]
    twice = client.post(f"/pilotage/demandes/{request.id}", data={"decision": "refuse"}, follow_redirects=True)
    assert "Cette demande a déjà été traitée." in visible_text(twice)


def test_request_refused(client, login_as, db, world):
    members.request_membership(world["agent"], world["lab"], None)
    db.session.commit()
    request = db.session.scalars(select(MembershipRequest)).one()
    login_as(world["national"])
    client.post(f"/pilotage/demandes/{request.id}", data={"decision": "refuse", "comment": "Inconnu du lab"})
    db.session.expire_all()
    assert request.status == MembershipRequestStatus.REFUSED
    assert db.session.get(Membership, (world["agent"].id, world["lab"].id)) is None
    assert audit_actions(db)[-1] == "membership_request.refused"


def test_grant_and_revoke_coordinator(client, login_as, db, world):
    login_as(world["national"])
    response = client.post("/pilotage/coordination", data={"email": "agent@example.gouv.fr", "scope": "76"})
    assert response.status_code == 302
    db.session.expire_all()
    agent = world["agent"]
    assert agent.is_coordinator and agent.coordinator_region == "76"
    client.post(f"/pilotage/coordination/{agent.id}/retirer")
    db.session.expire_all()
    assert not agent.is_coordinator and agent.coordinator_region is None
    assert audit_actions(db) == ["coordinator.granted", "coordinator.revoked"]
    entry = db.session.scalars(select(AuditEntry)).first()
    assert entry.details["portée"] == "Régionale : Occitanie"


def test_coordinator_role_errors(client, login_as, db, world):
    login_as(world["national"])
    unknown = client.post("/pilotage/coordination", data={"email": "personne@example.gouv.fr", "scope": "national"})
    assert "Aucun compte n'a l'adresse personne@example.gouv.fr" in visible_text(unknown)
    self_revoke = client.post(f"/pilotage/coordination/{world['national'].id}/retirer", follow_redirects=True)
    assert "Vous ne pouvez pas retirer votre propre rôle" in visible_text(self_revoke)
    assert world["national"].is_coordinator
    login_as(world["breton"])
    assert client.post("/pilotage/coordination", data={"email": "agent@example.gouv.fr", "scope": "53"}).status_code == 403
    assert audit_actions(db) == []


def test_audit_log_visible_to_national_coordinators_only(client, login_as, db, world):
    members.invite(world["breton"], world["lab"], "x@example.gouv.fr")
    db.session.commit()
    login_as(world["national"])
    page = client.get("/pilotage/journal")
    assert page.status_code == 200
    text = visible_text(page)
    assert "Invitation envoyée" in text and world["breton"].name in text and "x@example.gouv.fr" in text
    filtered = visible_text(client.get("/pilotage/journal?action=coordinator.granted"))
    assert "0 action." in filtered and "Aucune action enregistrée." in filtered
    login_as(world["breton"])
    assert client.get("/pilotage/journal").status_code == 403
