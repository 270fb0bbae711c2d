"""Agents register, join the waiting list, cancel; promotions; « Mon agenda »."""
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eventapp.models import EventStatus, OutboxMessage, Registration, RegistrationMode, RegistrationStatus
from eventapp.registrations import services
from tests import factories
from tests.helpers import page_text, visible_text

FORM = {
    "administration": "Préfecture du Rhône",
    "job_title": "Cheffe de projet",
    "accessibility_needs": "",
    "shares_answers": "y",
}


def soon(days: float = 10) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)


def outbox(db, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def registrations_of(db, event) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)))


@pytest.fixture
def event(app, db):
    event = factories.make_event(starts_at=soon(), capacity=2, has_waiting_list=True)
    db.session.commit()
    return event


# --- The form ---------------------------------------------------------------------------------


def test_visitor_is_sent_to_log_in_and_back_to_the_event(client, event, db):
    response = client.get(f"/evenements/{event.id}/inscription")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]
    assert f"next=/evenements/{event.id}/inscription" in response.headers["Location"].replace("%2F", "/")

    response = client.post(f"/evenements/{event.id}/inscription", data=FORM)
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]
    assert registrations_of(db, event) == []


def test_form_is_prefilled_from_the_profile(client, login_as, event, db):
    agent = factories.make_user(administration="DINUM", job_title="Designer")
    db.session.commit()
    login_as(agent)
    response = client.get(f"/evenements/{event.id}/inscription")
    assert response.status_code == 200
    html = page_text(response)
    assert 'value="DINUM"' in html and 'value="Designer"' in html
    assert "Besoins d'accessibilité" in html
    assert "J'accepte que l'organisateur" in html
    assert "2 places restantes" in html


def test_form_carries_a_csrf_token(app, client, login_as, event, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        agent = factories.make_user()
        db.session.commit()
        login_as(agent)
        assert 'name="csrf_token"' in page_text(client.get(f"/evenements/{event.id}/inscription"))
        response = client.post(f"/evenements/{event.id}/inscription", data=FORM)
        assert response.status_code == 400
        assert registrations_of(db, event) == []
        # The cancel and renew buttons of « Mon agenda » are forms with a token too.
        mine = factories.make_registration(event, agent)
        db.session.commit()
        html = page_text(client.get("/mon-agenda"))
        for action in (f"/mon-agenda/inscriptions/{mine.id}/annuler", "/mon-agenda/renouveler-le-lien"):
            form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
            assert 'name="csrf_token"' in form
            assert client.post(action).status_code == 400
        assert registrations_of(db, event)[0].status == RegistrationStatus.CONFIRMED
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_registration_confirmed_with_an_email_and_answers(client, login_as, event, db):
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    response = client.post(
        f"/evenements/{event.id}/inscription",
        data={**FORM, "accessibility_needs": "Boucle magnétique"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "inscription à « %s » est confirmée" % event.title in visible_text(response)
    [registration] = registrations_of(db, event)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.user_id == agent.id
    assert registration.administration == "Préfecture du Rhône"
    assert registration.job_title == "Cheffe de projet"
    assert registration.accessibility_needs == "Boucle magnétique"
    assert registration.shares_answers is True
    assert registration.confirmed_at is not None
    [mail] = outbox(db, "registration_confirmed")
    assert mail.recipient == agent.email
    assert event.title in mail.subject
    assert "confirmée" in mail.body_text
    [attachment] = mail.attachments
    assert attachment["filename"].endswith(".ics")
    assert attachment["content_type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.starts_at


def test_missing_answers_are_explained_and_nothing_is_recorded(client, login_as, event, db):
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    response = client.post(f"/evenements/{event.id}/inscription", data={"administration": "", "job_title": ""})
    assert response.status_code == 400
    text = visible_text(response)
    assert "Indiquez votre administration ou structure." in text
    assert "Indiquez votre fonction." in text
    assert registrations_of(db, event) == []
    assert outbox(db) == []


def test_full_event_puts_agents_on_the_waiting_list_with_their_position(client, login_as, event, db):
    for _ in range(2):
        factories.make_registration(event)
    first, second = factories.make_user(), factories.make_user()
    db.session.commit()
    login_as(first)
    response = client.get(f"/evenements/{event.id}/inscription")
    assert "Rejoindre la liste d'attente" in page_text(response)
    response = client.post(f"/evenements/{event.id}/inscription", data=FORM, follow_redirects=True)
    assert "vous êtes sur la liste d'attente, en position 1" in visible_text(response)
    login_as(second)
    response = client.post(f"/evenements/{event.id}/inscription", data=FORM, follow_redirects=True)
    assert "en position 2" in visible_text(response)
    assert "Liste d'attente : position 2" in visible_text(response)

    waitlisted = [r for r in registrations_of(db, event) if r.status == RegistrationStatus.WAITLISTED]
    assert [r.user_id for r in waitlisted] == [first.id, second.id]
    mails = outbox(db, "registration_waitlisted")
    assert [m.recipient for m in mails] == [first.email, second.email]
    assert "en position 2" in mails[1].body_text
    assert outbox(db, "registration_confirmed") == []


def test_full_event_without_waiting_list_refuses_clearly(client, login_as, db):
    event = factories.make_event(starts_at=soon(), capacity=1, has_waiting_list=False)
    factories.make_registration(event)
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    assert "Cet événement est complet" in visible_text(client.get(f"/evenements/{event.id}/inscription"))
    response = client.post(f"/evenements/{event.id}/inscription", data=FORM)
    assert response.status_code == 409
    assert "Cet événement est complet : il n'y a plus de place disponible." in visible_text(response)
    assert len(registrations_of(db, event)) == 1
    assert outbox(db) == []


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": EventStatus.CANCELLED}, "Cet événement est annulé"),
        ({"starts_at": soon(-0.01)}, "Cet événement a déjà commencé"),
        ({"registration_deadline": soon(-1)}, "La date limite d'inscription à cet événement est passée."),
        ({"registration_mode": RegistrationMode.EXTERNAL, "external_registration_url": "https://example.org/"},
         "se font sur le site de l'organisateur"),
        ({"registration_mode": RegistrationMode.NONE}, "aucune inscription n'est nécessaire"),
    ],
)
def test_closed_registration_shows_why_and_records_nothing(client, login_as, db, fields, message):
    fields.setdefault("starts_at", soon())
    event = factories.make_event(**fields)
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    assert message in visible_text(client.get(f"/evenements/{event.id}/inscription"))
    response = client.post(f"/evenements/{event.id}/inscription", data=FORM)
    assert response.status_code == 409
    assert message in visible_text(response)
    assert registrations_of(db, event) == []
    assert outbox(db) == []


def test_unpublished_programme_hides_the_event_and_refuses(client, login_as, db):
    event = factories.make_event(edition=factories.make_edition(published=False), starts_at=soon())
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    assert client.get(f"/evenements/{event.id}/inscription").status_code == 404
    assert client.post(f"/evenements/{event.id}/inscription", data=FORM).status_code == 404
    with pytest.raises(services.RegistrationClosed, match="pas encore publié"):
        services.register(event, factories.make_user())
    assert registrations_of(db, event) == []


def test_already_registered_is_told_so(client, login_as, event, db):
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    client.post(f"/evenements/{event.id}/inscription", data=FORM)
    assert "Vous êtes déjà inscrit·e à cet événement" in visible_text(client.get(f"/evenements/{event.id}/inscription"))
    response = client.post(f"/evenements/{event.id}/inscription", data=FORM)
    assert response.status_code == 409
    assert "Vous êtes déjà inscrit·e à cet événement." in visible_text(response)
    assert len(registrations_of(db, event)) == 1


def test_a_duplicate_only_the_index_catches_is_refused_and_leaves_nothing(app, db, event, monkeypatch):
    """The index is the last line of defence: if the check under the lock ever missed a duplicate,
    the agent is told so, and the transaction rolled back leaves no e-mail and no second row."""
    agent = factories.make_user()
    factories.make_registration(event, agent)
    db.session.commit()
    monkeypatch.setattr(services, "_registration_state", lambda event_id, user_id: (False, 0))  # the check misses
    with pytest.raises(services.AlreadyRegistered):
        services.register(event, agent)
    db.session.rollback()
    assert len(registrations_of(db, event)) == 1
    assert outbox(db) == []


def test_registering_runs_a_bounded_number_of_statements(client, login_as, event, db):
    from tests.programme_support import count_queries

    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    url = f"/evenements/{event.id}/inscription"
    db.session.expunge_all()  # a request of its own: nothing already loaded (requests share the test's session)
    with count_queries() as statements:
        response = client.post(url, data=FORM)
    assert response.status_code == 303
    assert [r.status for r in registrations_of(db, event)] == [RegistrationStatus.CONFIRMED]
    # The account, the event with its edition, organisation and themes, the lock, the agent's active
    # registration and the seats taken (one query), the insert, the e-mail, the data version
    # (+ BEGIN on SQLite).
    writes = [statement for statement in statements if not statement.lstrip().upper().startswith("BEGIN")]
    assert len(writes) <= 8, statements


def test_a_waiting_list_place_is_read_once_for_the_e_mail_and_the_page(client, login_as, event, db):
    from tests.programme_support import count_queries

    for _ in range(2):
        factories.make_registration(event)
    factories.make_registration(event, status=RegistrationStatus.WAITLISTED)
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    url = f"/evenements/{event.id}/inscription"
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.post(url, data=FORM)
    assert response.status_code == 303
    # The 8 of a confirmed registration, and the place in the queue once (it was read twice).
    writes = [statement for statement in statements if not statement.lstrip().upper().startswith("BEGIN")]
    assert len(writes) <= 9, statements
    assert sum("row_number" in statement.lower() for statement in writes) == 1, statements
    [mail] = outbox(db, "registration_waitlisted")
    assert "en position 2" in mail.body_text
    assert "en position 2" in visible_text(client.get("/mon-agenda"))


def test_the_register_service_says_where_the_agent_stands(app, db, event):
    for _ in range(2):
        factories.make_registration(event)
    first, second = factories.make_user(), factories.make_user()
    outcome = services.register(event, first)
    assert outcome.confirmed is False and outcome.waiting_position == 1
    assert outcome.registration.status == RegistrationStatus.WAITLISTED
    outcome = services.register(event, second)
    assert outcome.waiting_position == 2


def test_duplicate_active_registration_is_refused_by_the_database(app, db, event):
    agent = factories.make_user()
    factories.make_registration(event, agent)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.add(Registration(event_id=event.id, user_id=agent.id, status=RegistrationStatus.WAITLISTED))
        db.session.flush()
    db.session.rollback()
    # A cancelled registration does not count: the agent may register again.
    [registration] = registrations_of(db, event)
    registration.status = RegistrationStatus.CANCELLED
    db.session.add(Registration(event_id=event.id, user_id=agent.id, status=RegistrationStatus.CONFIRMED))
    db.session.flush()


def test_register_service_turns_the_database_refusal_into_already_registered(app, db, event, monkeypatch):
    """Even if the check before the insert misses the duplicate, the index refuses it cleanly."""
    agent = factories.make_user()
    factories.make_registration(event, agent)
    monkeypatch.setattr(services, "active_registration", lambda *args: None)
    with pytest.raises(services.AlreadyRegistered):
        services.register(event, agent, administration="A", job_title="B")


# --- Cancelling and promotion -----------------------------------------------------------------


def test_cancel_frees_the_seat_for_the_first_waiting_agent(client, login_as, event, db):
    agent = factories.make_user()
    mine = factories.make_registration(event, agent)
    factories.make_registration(event)
    now = datetime.now(timezone.utc)
    first = factories.make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=now)
    second = factories.make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=now + timedelta(seconds=1))
    db.session.commit()
    login_as(agent)
    response = client.post(f"/mon-agenda/inscriptions/{mine.id}/annuler", follow_redirects=True)
    assert response.status_code == 200
    assert "Votre inscription à « %s » est annulée." % event.title in visible_text(response)

    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status == RegistrationStatus.CANCELLED
    assert db.session.get(Registration, first.id).status == RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, first.id).promoted_at is not None
    assert db.session.get(Registration, second.id).status == RegistrationStatus.WAITLISTED
    assert services.waiting_position(db.session.get(Registration, second.id)) == 1
    [promotion] = outbox(db, "registration_promoted")
    assert promotion.recipient == first.user.email
    assert "une place s'est libérée" in promotion.body_text.lower()
    assert [a["filename"] for a in promotion.attachments] == [f"evenement-{event.id}.ics"]
    assert [m.recipient for m in outbox(db, "registration_cancelled")] == [agent.email]


def test_leaving_the_waiting_list_promotes_nobody(client, login_as, event, db):
    for _ in range(2):
        factories.make_registration(event)
    agent = factories.make_user()
    mine = factories.make_registration(event, agent, status=RegistrationStatus.WAITLISTED)
    other = factories.make_registration(event, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    login_as(agent)
    client.post(f"/mon-agenda/inscriptions/{mine.id}/annuler")
    db.session.expire_all()
    assert db.session.get(Registration, other.id).status == RegistrationStatus.WAITLISTED
    assert services.waiting_position(db.session.get(Registration, other.id)) == 1
    assert outbox(db, "registration_promoted") == []


def test_an_agent_cannot_cancel_someone_elses_registration(client, login_as, event, db):
    theirs = factories.make_registration(event)
    intruder = factories.make_user()
    db.session.commit()
    login_as(intruder)
    assert client.post(f"/mon-agenda/inscriptions/{theirs.id}/annuler").status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).status == RegistrationStatus.CONFIRMED
    with pytest.raises(services.NotAllowed):
        services.cancel_registration(theirs, factories.make_user())


def test_visitor_cannot_cancel(client, event, db):
    theirs = factories.make_registration(event)
    db.session.commit()
    response = client.post(f"/mon-agenda/inscriptions/{theirs.id}/annuler")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).status == RegistrationStatus.CONFIRMED


def test_cannot_cancel_once_the_event_has_started(client, login_as, db):
    event = factories.make_event(starts_at=soon(-0.01), hours=3)
    agent = factories.make_user()
    mine = factories.make_registration(event, agent)
    db.session.commit()
    login_as(agent)
    response = client.post(f"/mon-agenda/inscriptions/{mine.id}/annuler", follow_redirects=True)
    assert "ne peut plus être annulée : l'événement a commencé" in visible_text(response)
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status == RegistrationStatus.CONFIRMED


def test_cancelling_twice_is_refused(app, db, event):
    agent = factories.make_user()
    mine = factories.make_registration(event, agent)
    services.cancel_registration(mine, agent)
    with pytest.raises(services.AlreadyCancelled):
        services.cancel_registration(mine, agent)


def test_raising_capacity_promotes_as_many_as_fit_in_order(app, db, event):
    for _ in range(2):
        factories.make_registration(event)
    base = datetime.now(timezone.utc)
    waiting = [
        factories.make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=base + timedelta(seconds=i))
        for i in range(4)
    ]
    db.session.commit()
    event.capacity = 5
    promoted = services.promote_from_waiting_list(event)
    db.session.commit()
    assert [r.id for r in promoted] == [w.id for w in waiting[:3]]
    assert all(r.status == RegistrationStatus.CONFIRMED for r in promoted)
    assert services.waiting_positions(event_ids=[event.id]) == {waiting[3].id: 1}
    assert len(outbox(db, "registration_promoted")) == 3
    # Nothing more to do: calling it again promotes nobody.
    assert services.promote_from_waiting_list(event) == []


def test_no_promotion_for_a_cancelled_event(app, db, event):
    factories.make_registration(event, status=RegistrationStatus.WAITLISTED)
    event.status = EventStatus.CANCELLED
    event.capacity = 10
    assert services.promote_from_waiting_list(event) == []


# --- Mon agenda ---------------------------------------------------------------------------------


def test_my_agenda_lists_upcoming_and_past_registrations(client, login_as, db):
    agent = factories.make_user()
    edition = factories.make_edition()
    upcoming = factories.make_event(edition, starts_at=soon(), title="Atelier à venir", capacity=1)
    full = factories.make_event(edition, starts_at=soon(5), title="Atelier complet", capacity=1)
    past = factories.make_event(edition, starts_at=soon(-30), title="Atelier passé")
    other = factories.make_event(edition, starts_at=soon(), title="Atelier d'un autre")
    factories.make_registration(upcoming, agent)
    factories.make_registration(full)
    factories.make_registration(full, status=RegistrationStatus.WAITLISTED)
    factories.make_registration(full, agent, status=RegistrationStatus.WAITLISTED)
    factories.make_registration(past, agent, attended=True)
    factories.make_registration(other)
    db.session.commit()
    login_as(agent)
    response = client.get("/mon-agenda")
    assert response.status_code == 200
    text = visible_text(response)
    prochains, passes = text.split("Mes événements passés")
    assert "Atelier à venir" in prochains and "Inscription confirmée" in prochains
    assert "Atelier complet" in prochains and "Liste d'attente : position 2" in prochains
    assert "Atelier passé" in passes and "Atelier passé" not in prochains
    assert "Atelier d'un autre" not in text
    assert "Annuler mon inscription" in text and "Quitter la liste d'attente" in text


def test_my_agenda_needs_an_account(client):
    response = client.get("/mon-agenda")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_my_agenda_shows_the_feed_link_and_renews_it(app, client, login_as, db):
    agent = factories.make_user()
    db.session.commit()
    login_as(agent)
    old_token = agent.feed_token
    response = client.get("/mon-agenda")
    html = page_text(response)
    if "feeds.personal_ics" in app.view_functions:
        assert old_token in html
        assert "webcal://" in html
    response = client.post("/mon-agenda/renouveler-le-lien", follow_redirects=True)
    assert "Le lien de votre agenda personnel a été renouvelé" in visible_text(response)
    db.session.expire_all()
    assert agent.feed_token != old_token
    assert old_token not in page_text(response)
    if "feeds.personal_ics" in app.view_functions:
        assert agent.feed_token in page_text(response)
