"""Registrants' personal data reach only the event's organisers and the coordinators in scope.

The walk (``test_access_control``) proves no page, file, feed or JSON answer shows the planted
markers to anyone out of scope; here, the other side (those in scope do see them, so the markers
are not vacuous) and the e-mails, after the flows that send them.
"""
import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import OutboxMessage, User

from .routes import readable_body
from .world import IN_SCOPE, SECRETS, build_world, client_for

#: The organisers' lists and what each shows of a registrant.
LISTS = {
    "/espace-organisateur/evenements/{event}/inscriptions": ("name", "email", "accessibility_needs"),
    "/espace-organisateur/evenements/{event}/inscriptions.csv": ("name", "email", "accessibility_needs"),
    "/espace-organisateur/evenements/{event}/emargement": ("name",),
}


@pytest.mark.parametrize("role", sorted(IN_SCOPE))
def test_organisers_and_coordinators_in_scope_see_the_registrants(app, role):
    world = build_world()
    client = client_for(app, world, role)
    for template, shown in LISTS.items():
        body = readable_body(client.get(template.format(event=world.ids["event"])))
        for field in shown:
            assert SECRETS[field] in body, (template, field)


def test_the_moderation_and_cockpit_pages_show_the_join_request_to_coordinators_in_scope(app):
    world = build_world()
    page = readable_body(client_for(app, world, "coord_a").get("/pilotage/demandes"))
    assert "Frobnitz" in page
    page = readable_body(client_for(app, world, "coord_other").get("/pilotage/demandes"))
    assert "Frobnitz" not in page


def _emails_with_personal_data():
    marker = "zorglub"
    found = []
    for message in db.session.scalars(select(OutboxMessage)):
        text = " ".join([message.subject, message.body_text or "", message.body_html or ""]
                        + [str(a.get("content", "")) for a in message.attachments or []])
        if marker in text.lower():
            found.append(message)
    return found


def test_e_mails_carry_personal_data_only_to_the_person_or_staff_in_scope(app):
    """Registration, waiting list, promotion, messages, cancellation: every e-mail that names the
    registrant goes to the registrant, or to organisation A's members and coordinators in scope."""
    world = build_world()
    allowed = {db.session.get(User, world.ids[role]).email for role in IN_SCOPE} | {SECRETS["email"]}
    agent = client_for(app, world, "agent")
    form = {"administration": "Préfecture", "job_title": "Agent", "shares_answers": "y"}
    assert agent.post(f"/evenements/{world.ids['event']}/inscription", data=form).status_code == 303  # waiting list
    registrant = client_for(app, world, "registrant")
    registrant.post(f"/mon-agenda/inscriptions/{world.ids['registration']}/annuler")  # promotes someone
    organiser = client_for(app, world, "organiser_a")
    for audience in ("confirmed", "waitlisted"):
        organiser.post(
            f"/espace-organisateur/evenements/{world.ids['event']}/message",
            data={"audience": audience, "subject": "Informations pratiques", "message": "Rendez-vous à 9 h."},
        )
    organiser.post(f"/espace-organisateur/evenements/{world.ids['online']}/annuler", data={"reason": "Report."})
    client_for(app, world, "coord_a").post(
        f"/moderation/evenements/{world.ids['submitted']}/decision", data={"decision": "publish", "comment": ""}
    )
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) >= 5, [m.kind for m in messages]
    for message in _emails_with_personal_data():
        assert message.recipient in allowed, (message.kind, message.recipient)
    # Every message has one recipient: no registrant learns who else is coming.
    assert all("," not in m.recipient and ";" not in m.recipient for m in messages)
