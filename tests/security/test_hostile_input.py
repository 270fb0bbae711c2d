"""Hostile text is stored as given and comes out inert in every output.

An organiser types each payload of ``harmless.PAYLOADS`` into an event (title, summary,
description, venue, accessibility), an agent into their registration and name, a coordinator
into a moderation comment, a visitor into the search box. The event page (HTML and JSON-LD),
the listing, the JSON API and ``programme.json``, the CSV exports, the iCalendar feeds and the
e-mails are then read back.
"""
from datetime import datetime, timezone
from email.policy import SMTP

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.compose import Outgoing, build_email
from eventapp.models import Event, EventStatus, OutboxMessage, Registration, User
from tests.test_organiser import form_data

from .harmless import (
    PAYLOADS,
    csv_rows,
    email_problems,
    formula_cells,
    html_problems,
    ical_problems,
    jsonld_blocks,
)
from .world import build_world, client_for

TITLE_MAX = Event.__table__.c.title.type.length


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _emails(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def _built(message: OutboxMessage) -> bytes:
    email = build_email(
        Outgoing.from_row(message), sender="MIP <ne-pas-repondre@example.gouv.fr>", now=datetime.now(timezone.utc)
    )
    return email.as_bytes(policy=SMTP)


def _create_event(app, world, payload: str) -> Event:
    organiser = client_for(app, world, "organiser_a")
    title = payload[:TITLE_MAX]
    response = organiser.post(
        "/espace-organisateur/evenements/nouveau",
        data=form_data(
            title=title, summary=payload, description=payload, venue_name=payload[:200],
            accessibility_info=payload,
        ),
    )
    assert response.status_code in (302, 303), response.status_code
    event = db.session.scalars(select(Event).order_by(Event.id.desc())).first()
    # Stored as given (fields are trimmed at their ends, nothing else).
    assert event.title == title.strip()
    assert event.description == payload.strip()
    assert event.accessibility_info == payload.strip()
    event.status = EventStatus.PUBLISHED
    event.published_at = datetime.now(timezone.utc)
    db.session.commit()
    return event


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_event_texts_are_inert_in_every_output(app, name):
    payload = PAYLOADS[name]
    world = build_world()
    event = _create_event(app, world, payload)
    event_id, title = event.id, event.title
    visitor = app.test_client()

    page = visitor.get(f"/evenements/{event_id}", follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html_problems(html) == []
    [jsonld] = [block for block in jsonld_blocks(html) if block.get("@type") == "Event"] or [None]
    assert jsonld is not None and jsonld["name"] == title

    for path in ("/", "/programme", "/organisations/org-a", "/archives", f"/evenements/{event_id}/inscription"):
        response = visitor.get(path, follow_redirects=True)
        assert html_problems(response.get_data(as_text=True)) == [], path

    record = visitor.get(f"/api/v1/events/{event_id}").get_json()
    assert record["title"] == title
    listed = visitor.get("/programme.json").get_json()
    items = listed if isinstance(listed, list) else next(v for v in listed.values() if isinstance(v, list))
    assert [item["title"] for item in items if item["id"] == event_id] == [title]

    rows = csv_rows(visitor.get("/programme.csv").data)
    assert formula_cells(rows) == []
    assert any(cell in (title, "'" + title) for row in rows for cell in row)

    for path in (f"/evenements/{event_id}.ics", "/programme.ics", "/organisations/org-a.ics"):
        response = visitor.get(path)
        assert response.status_code == 200
        assert ical_problems(response.data) == [], path
    from icalendar import Calendar

    [vevent] = Calendar.from_ical(visitor.get(f"/evenements/{event_id}.ics").data).walk("VEVENT")
    assert _one_line(str(vevent["SUMMARY"])) == _one_line(title)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_registrant_texts_are_inert_for_organisers_and_in_mails(app, name):
    payload = PAYLOADS[name]
    world = build_world()
    event = _create_event(app, world, payload)
    agent = db.session.get(User, world.ids["agent"])
    agent.name = payload[:120]
    db.session.commit()
    response = client_for(app, world, "agent").post(
        f"/evenements/{event.id}/inscription",
        data={"administration": payload[:200], "job_title": payload[:200], "accessibility_needs": payload,
              "shares_answers": "y"},
    )
    assert response.status_code == 303
    registration = db.session.scalars(select(Registration).where(Registration.user_id == agent.id)).one()
    assert registration.accessibility_needs == payload.strip()

    organiser = client_for(app, world, "organiser_a")
    for path in (f"/espace-organisateur/evenements/{event.id}/inscriptions",
                 f"/espace-organisateur/evenements/{event.id}/emargement"):
        listing = organiser.get(path)
        assert listing.status_code == 200
        assert html_problems(listing.get_data(as_text=True)) == [], path
    export = organiser.get(f"/espace-organisateur/evenements/{event.id}/inscriptions.csv")
    assert formula_cells(csv_rows(export.data)) == []

    [confirmation] = _emails("registration_confirmed")
    assert "\r" not in confirmation.subject and "\n" not in confirmation.subject
    assert email_problems(_built(confirmation)) == []
    if confirmation.body_html:
        assert html_problems(confirmation.body_html) == []
    for attachment in confirmation.attachments:
        if attachment.get("filename", "").endswith(".ics"):
            content = attachment["content"]
            assert ical_problems(content.encode() if isinstance(content, str) else content, 1) == []

    # The organiser writes to the registrants with a hostile subject and message.
    organiser.post(
        f"/espace-organisateur/evenements/{event.id}/message",
        data={"audience": "confirmed", "subject": payload[:200], "message": payload},
    )
    messages = _emails("registration_message")
    assert len(messages) == 1
    for message in messages:
        assert email_problems(_built(message)) == []
        if message.body_html:
            assert html_problems(message.body_html) == []


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_moderation_comments_and_searches_are_inert(app, name):
    payload = PAYLOADS[name]
    world = build_world()
    coordinator = client_for(app, world, "coord_a")
    response = coordinator.post(
        f"/moderation/evenements/{world.ids['submitted']}/decision",
        data={"decision": "request_changes", "comment": payload},
    )
    assert response.status_code in (302, 303)
    organiser = client_for(app, world, "organiser_a")
    page = organiser.get(f"/espace-organisateur/evenements/{world.ids['submitted']}")
    assert html_problems(page.get_data(as_text=True)) == []
    for message in _emails():
        assert email_problems(_built(message)) == []
        if message.body_html:
            assert html_problems(message.body_html) == []

    visitor = app.test_client()
    for path in ("/programme", "/programme.csv", "/programme.ics", "/programme.json", "/api/v1/events",
                 "/organisations"):
        response = visitor.get(path, query_string={"q": payload})
        assert response.status_code in (200, 400), path
        if response.mimetype == "text/html":
            assert html_problems(response.get_data(as_text=True)) == [], path
    moderation = coordinator.get("/moderation", query_string={"organisation": payload})
    assert moderation.status_code == 200 and html_problems(moderation.get_data(as_text=True)) == []


def test_overlong_texts_are_refused_in_french_and_create_nothing(app):
    world = build_world()
    organiser = client_for(app, world, "organiser_a")
    before = db.session.scalar(select(db.func.count(Event.id)))
    response = organiser.post(
        "/espace-organisateur/evenements/nouveau", data=form_data(title="A" * (TITLE_MAX + 1))
    )
    assert response.status_code in (200, 400)
    assert "caractères" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Event.id))) == before
    # A very long description is not a server error either.
    response = organiser.post(
        "/espace-organisateur/evenements/nouveau", data=form_data(description="Un long texte. " * 20000)
    )
    assert response.status_code < 500


def test_the_checkers_catch_what_they_look_for():
    """The checks above are not vacuous: each flags the attack it guards against."""
    assert html_problems('<p>ok <img src="x" onerror="alert(1)"></p>')
    assert html_problems('<a href=" JaVaScRiPt:alert(1)">x</a>')
    assert html_problems("<script>alert(1)</script>")
    assert html_problems('<img src="https://evil.example/p.png">')
    assert html_problems('<iframe src="/"></iframe>')
    assert not html_problems('<p title="onerror=alert(1)">&lt;script&gt;</p><script type="module" src="/static/dsfr/x.js"></script>')
    assert formula_cells([["ok", "=1+1"]]) == ["=1+1"]
    assert ical_problems(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                         b"DTSTAMP:20300101T000000Z\r\nATTENDEE:mailto:a@b.c\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert email_problems(b"To: a@b.c\r\nBcc: x@y.z\r\nSubject: s\r\n\r\nbody")
    with pytest.raises((AssertionError, ValueError)):  # a break-out cuts the block short
        jsonld_blocks('<script type="application/ld+json" nonce="n">{"a": "</script>"}</script>')
