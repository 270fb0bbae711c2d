"""Nothing is lost when things fail: a failure in the middle of a multi-row operation leaves the
database as it was; SMTP down keeps the e-mails; the database going away gives a French 503 and
the application recovers by itself when it returns; migrations run on a populated database."""
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, select, text

from eventapp import create_app
from eventapp.extensions import db
from eventapp.models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus, User
from tests.conftest import TEST_DATABASE_URL, make_config
from tests.schemas import DATABASES, scratch_database

from .tcpproxy import TcpProxy
from .world import build_world, changed_tables, client_for, snapshot


class Injected(RuntimeError):
    """The failure a test injects (a disk full, a dropped connection…)."""


@pytest.fixture
def failing(app, monkeypatch):
    """Turn unexpected exceptions into the French 500 page (as in production) and count flushes."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    flushes = []
    listener = lambda session, context: flushes.append(1)  # noqa: E731
    sa_event.listen(db.session, "after_flush", listener)
    yield flushes
    sa_event.remove(db.session, "after_flush", listener)


def fail_on_email(monkeypatch, number: int = 1):
    """The ``number``-th e-mail queued raises: the service has already written its first rows."""
    import eventapp.mail.outbox as outbox

    calls = []
    original = outbox.render_template

    def render(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == number:
            raise Injected("panne simulée pendant l'envoi en file")
        return original(*args, **kwargs)

    monkeypatch.setattr(outbox, "render_template", render)
    return calls


def _assert_failed_cleanly(response, before, flushes):
    assert response.status_code == 500
    assert "Erreur inattendue" in response.get_data(as_text=True)
    assert flushes, "the failure came before any write: the test proves nothing"
    assert changed_tables(before, snapshot()) == []


def test_cancelling_with_promotion_fails_whole(app, failing, monkeypatch):
    """The registrant cancels; the first on the waiting list is promoted; the e-mail fails."""
    world = build_world()
    registrant = client_for(app, world, "registrant")
    before = snapshot()
    fail_on_email(monkeypatch)
    response = registrant.post(f"/mon-agenda/inscriptions/{world.ids['registration']}/annuler")
    _assert_failed_cleanly(response, before, failing)
    # Without the failure, the same request does cancel and promote.
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    assert registrant.post(f"/mon-agenda/inscriptions/{world.ids['registration']}/annuler").status_code == 303
    statuses = db.session.scalars(
        select(Registration.status).where(Registration.event_id == world.ids["event"]).order_by(Registration.id)
    ).all()
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]


def test_registering_fails_whole(app, failing, monkeypatch):
    world = build_world()
    before = snapshot()
    fail_on_email(monkeypatch)
    response = client_for(app, world, "agent").post(
        f"/evenements/{world.ids['online']}/inscription",
        data={"administration": "Préfecture", "job_title": "Agent", "shares_answers": "y"},
    )
    _assert_failed_cleanly(response, before, failing)


def test_cancelling_an_event_fails_whole(app, failing, monkeypatch):
    """The event is cancelled and its registrants are told, one e-mail each: the second fails."""
    world = build_world()
    before = snapshot()
    fail_on_email(monkeypatch, number=2)
    response = client_for(app, world, "organiser_a").post(
        f"/espace-organisateur/evenements/{world.ids['event']}/annuler", data={"reason": "Salle inondée."}
    )
    _assert_failed_cleanly(response, before, failing)
    assert db.session.get(Event, world.ids["event"]).status == EventStatus.PUBLISHED


def test_merging_organisations_fails_whole(app, failing, monkeypatch):
    """Events, members, invitations and requests move, the duplicate is deleted, then the audit
    entry fails: nothing of the merge remains."""
    from eventapp.admin import audit

    world = build_world()
    before = snapshot()

    def broken(*args, **kwargs):
        raise Injected("panne simulée pendant l'écriture du journal")

    monkeypatch.setattr(audit, "record", broken)
    response = client_for(app, world, "national").post(
        f"/pilotage/organisations/{world.ids['org_a']}/fusion",
        data={"kept_id": world.ids["org_b"], "confirm": "y"},
    )
    _assert_failed_cleanly(response, before, failing)


def test_moderation_decision_fails_whole(app, failing, monkeypatch):
    world = build_world()
    before = snapshot()
    fail_on_email(monkeypatch)
    response = client_for(app, world, "coord_a").post(
        f"/moderation/evenements/{world.ids['submitted']}/decision",
        data={"decision": "publish", "comment": "Bravo."},
    )
    _assert_failed_cleanly(response, before, failing)


# --- SMTP down ----------------------------------------------------------------------------------


def test_smtp_down_loses_no_mail_end_to_end(app, runner, monkeypatch):
    """A registration's e-mail waits in the outbox while SMTP is down, and leaves once it is back."""
    from datetime import datetime, timedelta, timezone

    from tests.mailserver import free_port, smtp_server

    world = build_world()
    response = client_for(app, world, "agent").post(
        f"/evenements/{world.ids['online']}/inscription",
        data={"administration": "Préfecture", "job_title": "Agent", "shares_answers": "y"},
    )
    assert response.status_code == 303
    for name, value in dict(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5,
                            MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None).items():
        monkeypatch.setitem(app.config, name, value)
    runner.invoke(args=["outbox", "send"])
    [message] = db.session.scalars(select(OutboxMessage)).all()
    db.session.refresh(message)
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    with smtp_server() as (recorder, port):
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        message.next_attempt_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db.session.commit()
        result = runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
    db.session.refresh(message)
    assert message.sent_at is not None
    [received] = recorder.received
    assert received.rcpt_tos == [db.session.get(User, world.ids["agent"]).email]


# --- Database down ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL): SQLite cannot go away")
def test_the_database_goes_away_and_comes_back(_app, database_url):
    """The same app process, through a forwarder that the test cuts and restores.

    ``_app`` creates the tables in this worker's schema: the test must not depend on another
    test having done it first."""
    parts = urlsplit(database_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).up()
    query = parts.query + ("&" if parts.query else "") + "connect_timeout=2"
    through_proxy = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}", query=query))
    app = create_app(make_config(through_proxy, PROPAGATE_EXCEPTIONS=False))
    client = app.test_client()
    try:
        with app.app_context():
            assert client.get("/healthz").status_code == 200
            assert client.get("/programme").status_code == 200

            proxy.down()
            response = client.get("/programme")
            assert response.status_code == 503
            assert "Service momentanément indisponible" in response.get_data(as_text=True)
            assert response.headers["Retry-After"]
            health = client.get("/healthz")
            assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
            assert client.get("/evenements/1").status_code == 503

            proxy.up()  # same port: the app was not restarted
            assert client.get("/healthz").status_code == 200
            assert client.get("/programme").status_code == 200
            assert client.get("/organisations").status_code == 200
            db.engine.dispose()
    finally:
        proxy.down()


# --- Migrations on a populated database -----------------------------------------------------------


def _populated_chain(database_url):
    from flask_migrate import downgrade, upgrade

    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(
            args=["seed", "demo", "--events", "40", "--organisations", "18", "--agents", "60", "--seed", "7"]
        )
        assert result.exit_code == 0, result.output

        def counts():
            names = [n for n in inspect(db.engine).get_table_names() if n != "alembic_version"]
            with db.engine.connect() as conn:
                return {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names}

        populated = counts()
        assert populated["event"] >= 40 and populated["registration"] > 0
        # The newest migration down and up again: the tables it does not create keep every row.
        downgrade(revision="-1")
        kept = counts()
        upgrade()
        after = counts()
        assert {n: after[n] for n in kept} == {n: populated[n] for n in kept}
        # The whole chain down to nothing and back, with the data in place.
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        result = app.test_cli_runner().invoke(args=["seed", "demo", "--events", "20", "--organisations", "18",
                                                   "--agents", "30"])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(func.count(Event.id))) >= 20
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("kind", DATABASES)
def test_migrations_run_on_a_populated_database(kind, tmp_path):
    with scratch_database(kind, tmp_path, "h_sec_migr") as database_url:
        _populated_chain(database_url)
