"""Reminders, the personal-data purge and account deletion."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from eventapp.models import (
    EventStatus,
    EventStatusChange,
    Membership,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    User,
)
from eventapp.registrations.jobs import send_reminders
from tests import factories
from tests.helpers import visible_text

PARIS = ZoneInfo("Europe/Paris")


def tomorrow_at(hour: int, tz=PARIS) -> datetime:
    day = datetime.now(tz).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz).astimezone(timezone.utc)


def outbox(db, kind):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


# --- Reminders ----------------------------------------------------------------------------------


def test_reminders_go_to_confirmed_registrants_of_tomorrows_events_once(runner, db):
    edition = factories.make_edition()
    tomorrow = factories.make_event(edition, starts_at=tomorrow_at(10), title="Atelier de demain")
    later = factories.make_event(edition, starts_at=tomorrow_at(10) + timedelta(days=2), title="Plus tard")
    cancelled = factories.make_event(edition, starts_at=tomorrow_at(14), status=EventStatus.CANCELLED)
    confirmed = factories.make_registration(tomorrow)
    factories.make_registration(tomorrow, status=RegistrationStatus.WAITLISTED)
    factories.make_registration(tomorrow, status=RegistrationStatus.CANCELLED)
    factories.make_registration(later)
    factories.make_registration(cancelled)
    db.session.commit()

    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "1 rappel(s)" in result.output
    [mail] = outbox(db, "registration_reminder")
    assert mail.recipient == confirmed.user.email
    assert "Atelier de demain" in mail.subject and "a lieu demain" in mail.body_text
    assert mail.attachments and mail.attachments[0]["filename"].endswith(".ics")
    db.session.expire_all()
    assert db.session.get(Registration, confirmed.id).reminder_sent_at is not None

    # Running it again sends nothing twice.
    result = runner.invoke(args=["reminders", "send"])
    assert "0 rappel(s)" in result.output
    assert len(outbox(db, "registration_reminder")) == 1


def test_reminder_uses_the_events_own_time_zone(app, db):
    """An event at 2 a.m. on 14 November in La Réunion starts on the 13th at 11 p.m. in Paris."""
    reunion = ZoneInfo("Indian/Reunion")
    starts_at = datetime(2030, 11, 14, 2, 0, tzinfo=reunion).astimezone(timezone.utc)
    event = factories.make_event(starts_at=starts_at, timezone="Indian/Reunion")
    factories.make_registration(event)
    # 12 November, 11 p.m. in La Réunion: the event is in two days.
    assert send_reminders(now=datetime(2030, 11, 12, 19, 0, tzinfo=timezone.utc)) == 0
    # 13 November, 11 p.m. in La Réunion (8 p.m. in Paris, where it would be « today »): tomorrow there.
    assert send_reminders(now=datetime(2030, 11, 13, 19, 0, tzinfo=timezone.utc)) == 1


# --- Purge --------------------------------------------------------------------------------------


def test_purge_anonymises_registrations_of_events_ended_before_the_date(runner, db):
    edition = factories.make_edition()
    old = factories.make_event(edition, starts_at=datetime(2024, 11, 14, 13, tzinfo=timezone.utc))
    recent = factories.make_event(edition, starts_at=datetime(2025, 3, 1, 13, tzinfo=timezone.utc))
    present = factories.make_registration(old, attended=True, accessibility_needs="LSF")
    absent = factories.make_registration(old, attended=False)
    cancelled = factories.make_registration(old, status=RegistrationStatus.CANCELLED)
    kept = factories.make_registration(recent)
    db.session.commit()

    result = runner.invoke(args=["personal-data", "purge", "--before", "2025-01-01"])
    assert result.exit_code == 0, result.output
    assert "3 inscription(s) anonymisée(s)" in result.output
    db.session.expire_all()
    for registration, attended, status in (
        (present, True, RegistrationStatus.CONFIRMED),
        (absent, False, RegistrationStatus.CONFIRMED),
        (cancelled, None, RegistrationStatus.CANCELLED),
    ):
        row = db.session.get(Registration, registration.id)
        assert row.user_id is None
        assert row.administration is None and row.job_title is None and row.accessibility_needs is None
        assert row.anonymised_at is not None
        assert row.attended is attended and row.status == status
    assert db.session.get(Registration, kept.id).user_id is not None
    # The agents' accounts stay; only the link to the past events is gone.
    assert db.session.get(User, kept.user_id) is not None

    result = runner.invoke(args=["personal-data", "purge", "--before", "2025-01-01"])
    assert "0 inscription(s)" in result.output


def test_purge_refuses_a_bad_date(runner):
    result = runner.invoke(args=["personal-data", "purge", "--before", "01/01/2025"])
    assert result.exit_code != 0
    result = runner.invoke(args=["personal-data", "purge"])
    assert result.exit_code != 0


# --- Account deletion ---------------------------------------------------------------------------


@pytest.fixture
def agent_with_history(app, db):
    edition = factories.make_edition()
    lab = factories.make_organisation()
    agent = factories.make_user(email="partante@example.gouv.fr", name="Agente Partante", organisations=(lab,))
    soon = datetime.now(timezone.utc) + timedelta(days=5)
    full = factories.make_event(edition, lab, starts_at=soon, capacity=1, title="Complet")
    other = factories.make_event(edition, starts_at=soon, title="Autre")
    past = factories.make_event(edition, starts_at=soon - timedelta(days=60), title="Passé")
    mine = factories.make_registration(full, agent)
    waiting = factories.make_registration(full, status=RegistrationStatus.WAITLISTED)
    mine_waiting = factories.make_registration(other, agent, status=RegistrationStatus.WAITLISTED)
    mine_past = factories.make_registration(past, agent, attended=True, accessibility_needs="Fauteuil")
    factories.make_registration(past, attended=False)
    db.session.add(OutboxMessage(recipient=agent.email, subject="Ancien", body_text="Bonjour Agente Partante", kind="x"))
    # As an organiser, she once submitted an event: the history stays, without her.
    db.session.add(EventStatusChange(event=full, actor=agent, from_status=EventStatus.DRAFT, to_status=EventStatus.SUBMITTED))
    db.session.commit()
    return dict(agent=agent, full=full, past=past, mine=mine, waiting=waiting, mine_waiting=mine_waiting, mine_past=mine_past)


def test_delete_account_needs_password_and_confirmation(client, login_as, agent_with_history, db):
    agent = agent_with_history["agent"]
    login_as(agent)
    response = client.get("/mon-compte/supprimer")
    assert response.status_code == 200
    assert "Supprimer mon compte" in visible_text(response)
    response = client.post("/mon-compte/supprimer", data={"password": "mauvais", "confirm": "y"})
    assert response.status_code == 400
    assert "Le mot de passe est incorrect." in visible_text(response)
    response = client.post("/mon-compte/supprimer", data={"password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer la suppression." in visible_text(response)
    db.session.expire_all()
    assert db.session.get(User, agent.id) is not None


def test_delete_account_cancels_promotes_and_erases(client, login_as, agent_with_history, db):
    h = agent_with_history
    agent_id, email = h["agent"].id, h["agent"].email
    login_as(h["agent"])
    response = client.post("/mon-compte/supprimer", data={"password": factories.PASSWORD, "confirm": "y"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Votre compte a été supprimé" in visible_text(response)
    assert client.get("/mon-agenda").status_code == 302  # logged out

    db.session.expire_all()
    assert db.session.get(User, agent_id) is None
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == agent_id)) == 0
    [change] = db.session.scalars(select(EventStatusChange).where(EventStatusChange.event_id == h["full"].id))
    assert change.actor_id is None
    # Upcoming registrations cancelled; the seat went to the waiting agent, who was told.
    mine = db.session.get(Registration, h["mine"].id)
    assert mine.status == RegistrationStatus.CANCELLED and mine.user_id is None
    assert db.session.get(Registration, h["mine_waiting"].id).status == RegistrationStatus.CANCELLED
    waiting = db.session.get(Registration, h["waiting"].id)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.recipient for m in outbox(db, "registration_promoted")] == [waiting.user.email]
    # Past attendance stays as an anonymous count, answers erased.
    past = db.session.get(Registration, h["mine_past"].id)
    assert past.user_id is None and past.attended is True and past.status == RegistrationStatus.CONFIRMED
    assert past.accessibility_needs is None and past.administration is None and past.job_title is None
    counts = db.session.execute(
        select(func.count(), func.sum(Registration.attended.cast(db.Integer)))
        .where(Registration.event_id == h["past"].id)
    ).one()
    assert tuple(counts) == (2, 1)
    # Nothing left with the address but the deletion notice.
    left = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)))
    assert [m.kind for m in left] == ["account_deleted"]
    assert "Agente Partante" not in "".join(
        m.body_text for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind != "account_deleted"))
    )


def test_delete_account_needs_to_be_logged_in(client):
    response = client.post("/mon-compte/supprimer", data={"password": "x", "confirm": "y"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
