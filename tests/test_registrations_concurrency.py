"""No overbooking under load: parallel registrations and cancellations through real HTTP servers.

PostgreSQL: gunicorn with several workers, 100 agents at once on an event of
20 seats. SQLite: the threaded development server (``make run``), where
concurrent writers must queue on the database lock, never fail.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select, text

from eventapp import create_app, normalise_database_url
from eventapp.extensions import db
from eventapp.models import OutboxMessage, Registration, RegistrationStatus
from eventapp.registrations.services import waiting_positions
from tests import factories
from tests.conftest import make_config, postgres_url_with_schema
from tests.registrations_http import gunicorn_server, in_parallel, log_in, threaded_server

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
AGENTS = 100
SEATS = 20
CANCELLATIONS = 30
FORM = {"administration": "Préfecture", "job_title": "Agent", "accessibility_needs": "", "shares_answers": "y"}

pytestmark = pytest.mark.slow


def seed(agents: int, seats: int, waiting_list: bool):
    edition = factories.make_edition()
    event = factories.make_event(
        edition, starts_at=datetime.now(timezone.utc) + timedelta(days=10), capacity=seats, has_waiting_list=waiting_list
    )
    users = [factories.make_user(email=f"agent{i:03d}@example.gouv.fr") for i in range(agents)]
    db.session.flush()
    return edition, event, users


def register_all(base_url, agents, event_id):
    def post(agent):
        response = agent.session.post(
            f"{base_url}/evenements/{event_id}/inscription",
            data={**FORM, "csrf_token": agent.csrf},
            allow_redirects=False,
            timeout=120,
        )
        return agent.email, response.status_code, response.text

    return in_parallel(post, agents, workers=len(agents))


def counts(event_id) -> dict:
    db.session.expire_all()
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id).group_by(Registration.status)
    )
    result = {status.value: count for status, count in rows}
    db.session.commit()  # end the read transaction
    return result


@pytest.fixture
def pg_app(tmp_path):
    """An app on a schema of its own, created for this test and dropped after it."""
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL concurrency test: set TEST_DATABASE_URL to run it")
    schema = f"{os.environ.get('TEST_DB_SCHEMA', 'test')}_conc_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    schema = "".join(ch if ch.isalnum() else "_" for ch in schema.lower())
    admin = create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = postgres_url_with_schema(TEST_DATABASE_URL, schema)
    app = create_app(make_config(url))
    try:
        with app.app_context():
            db.create_all()
            yield app, url
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def log_in_all(base_url, emails, event_id):
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda e: log_in(base_url, e, f"/evenements/{event_id}/inscription"), emails, timeout=300))


def wait_for_status(engine, registration_id: int, status: str, seconds: float = 60) -> None:
    """Poll until a registration has ``status`` (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            current = conn.execute(text("SELECT status FROM registration WHERE id = :id"), {"id": registration_id}).scalar()
        if current == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"registration {registration_id} never became {status}")


@pytest.mark.postgres
def test_gunicorn_never_overbooks_and_promotes_in_order(pg_app, tmp_path):
    app, url = pg_app
    log_path = tmp_path / "gunicorn.log"
    edition, event, users = seed(AGENTS, SEATS, waiting_list=True)
    closed_event = factories.make_event(
        edition, organisation=event.organisation, starts_at=event.starts_at, capacity=SEATS, has_waiting_list=False
    )
    event_id, closed_id = event.id, closed_event.id
    email_of = {u.id: u.email for u in users}
    db.session.commit()

    with gunicorn_server(url, log_path) as base_url:
        agents = log_in_all(base_url, list(email_of.values()), event_id)
        by_email = {agent.email: agent for agent in agents}

        # 1. A hundred agents at once on twenty seats with a waiting list.
        results = register_all(base_url, agents, event_id)
        statuses = sorted({status for _, status, _ in results})
        assert statuses == [303], f"unexpected statuses {statuses}\n{log_path.read_text()[-3000:]}"
        assert counts(event_id) == {"confirmed": SEATS, "waitlisted": AGENTS - SEATS}
        positions = waiting_positions(event_ids=[event_id])
        assert sorted(positions.values()) == list(range(1, AGENTS - SEATS + 1))
        waiting_order = [rid for rid, _ in sorted(positions.items(), key=lambda item: item[1])]
        regs = {r.id: r for r in db.session.scalars(select(Registration).where(Registration.event_id == event_id))}
        confirmed = [r.id for r in regs.values() if r.status == RegistrationStatus.CONFIRMED]
        agent_of = {rid: by_email[email_of[r.user_id]] for rid, r in regs.items()}
        db.session.commit()

        # 2. Thirty cancellations by confirmed agents: the twenty confirmed at once, and the first
        #    ten of the waiting list as soon as each of them has been promoted, racing the others.
        cancellers = confirmed + waiting_order[:CANCELLATIONS - SEATS]
        poller = create_engine(normalise_database_url(url), pool_size=CANCELLATIONS, max_overflow=0)

        def cancel(registration_id):
            wait_for_status(poller, registration_id, "confirmed")
            agent = agent_of[registration_id]
            response = agent.session.post(
                f"{base_url}/mon-agenda/inscriptions/{registration_id}/annuler",
                data={"csrf_token": agent.csrf},
                allow_redirects=False,
                timeout=120,
            )
            return response.status_code

        try:
            cancel_statuses = in_parallel(cancel, cancellers, workers=CANCELLATIONS)
        finally:
            poller.dispose()
        assert cancel_statuses == [303] * CANCELLATIONS, log_path.read_text()[-3000:]
        assert counts(event_id) == {
            "confirmed": SEATS, "waitlisted": AGENTS - SEATS - CANCELLATIONS, "cancelled": CANCELLATIONS
        }
        promoted = list(
            db.session.scalars(
                select(Registration)
                .where(Registration.event_id == event_id, Registration.promoted_at.is_not(None))
                .order_by(Registration.promoted_at, Registration.id)
            )
        )
        assert [r.id for r in promoted] == waiting_order[:CANCELLATIONS]
        mails = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "registration_promoted")))
        assert sorted(m.recipient for m in mails) == sorted(email_of[r.user_id] for r in promoted)
        assert sorted(waiting_positions(event_ids=[event_id]).values()) == list(range(1, AGENTS - SEATS - CANCELLATIONS + 1))
        db.session.commit()

        # 3. The same hundred on an event without a waiting list: twenty seats, eighty clear refusals.
        results = register_all(base_url, agents, closed_id)
        ok = [r for r in results if r[1] == 303]
        refused = [r for r in results if r[1] == 409]
        assert len(ok) == SEATS and len(refused) == AGENTS - SEATS, log_path.read_text()[-3000:]
        assert all("Cet événement est complet" in body for _, _, body in refused)
        assert counts(closed_id) == {"confirmed": SEATS}

    assert "Traceback" not in log_path.read_text()


def test_threaded_development_server_queues_sqlite_writers(tmp_path):
    """``make run``: SQLite and werkzeug's threads. No "database is locked", no 5xx."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'eventapp.db'}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        edition, event, users = seed(40, 10, waiting_list=False)
        listed = factories.make_event(edition, organisation=event.organisation, starts_at=event.starts_at, capacity=5)
        event_id, listed_id = event.id, listed.id
        emails = [u.email for u in users]
        # Commit, and hold no transaction while the server runs: on SQLite it would lock writers out.
        db.session.commit()
        with threaded_server(app) as base_url:
            agents = log_in_all(base_url, emails, event_id)
            results = register_all(base_url, agents, event_id) + register_all(base_url, agents, listed_id)
        for _, status, body in results:
            assert status in (303, 409), body[-2000:]
            assert "database is locked" not in body
        assert sum(1 for _, status, _ in results[:40] if status == 303) == 10
        assert all("Cet événement est complet" in body for _, status, body in results[:40] if status == 409)
        assert all(status == 303 for _, status, _ in results[40:])
        assert counts(event_id) == {"confirmed": 10}
        assert counts(listed_id) == {"confirmed": 5, "waitlisted": 35}
        assert sorted(waiting_positions(event_ids=[listed_id]).values()) == list(range(1, 36))
        db.session.remove()
        db.engine.dispose()
