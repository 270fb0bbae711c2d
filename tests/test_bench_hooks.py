"""The benchmark's hooks: off by default, never in production, and what they do when on."""
import pytest

from config import ProductionConfig
from eventapp import create_app
from tests.conftest import make_config


def test_hooks_are_off_by_default(client):
    assert client.get("/_bench/floor").status_code == 404
    assert client.post("/_bench/registration-sql", data={"user": 1, "event": 1}).status_code == 404
    assert "X-Query-Count" not in client.get("/healthz").headers


def test_production_never_enables_them(monkeypatch):
    monkeypatch.setenv("BENCH_FLOOR_ROUTE", "1")
    monkeypatch.setenv("BENCH_QUERY_COUNT", "1")
    assert ProductionConfig.BENCH_FLOOR_ROUTE is False
    assert ProductionConfig.BENCH_QUERY_COUNT is False


@pytest.fixture
def bench_client(database_url, _app):
    app = create_app(make_config(database_url, BENCH_FLOOR_ROUTE=True, BENCH_QUERY_COUNT=True))
    with app.app_context():
        yield app.test_client()


def test_floor_route_and_query_count(bench_client):
    floor = bench_client.get("/_bench/floor")
    assert floor.status_code == 200
    assert floor.data == b"ok\n"
    assert floor.headers["X-Query-Count"] == "0"  # the floor touches no database
    health = bench_client.get("/healthz")
    assert health.status_code == 200
    assert int(health.headers["X-Query-Count"]) >= 1


def test_the_bare_registration_route_runs_a_registration_s_statements_and_nothing_else(app, bench_client,
                                                                                       database_url):
    """``/_bench/registration-sql``: the registration's statements with the driver alone, the bench's
    reference for what Flask's request and the database cost without the application."""
    from flask import g
    from sqlalchemy import select

    from eventapp.extensions import db
    from eventapp.instrumentation import REGISTRATION_SQL_PATH, REGISTRATION_STATEMENTS
    from eventapp.models import DataVersion, OutboxMessage, Registration, RegistrationStatus
    from tests import factories

    if not database_url.startswith("postgresql"):
        assert bench_client.post(REGISTRATION_SQL_PATH, data={"user": 1, "event": 1}).status_code == 404
        pytest.skip("the statements are PostgreSQL's: set TEST_DATABASE_URL to run them")
    event, agent = factories.make_event(), factories.make_user()
    db.session.commit()
    form = {"user": agent.id, "event": event.id}
    before = db.session.scalar(select(db.func.coalesce(db.func.sum(DataVersion.counter), 0)))
    g.pop("bench_queries", None)  # the test's own statements share the request's `g` here
    response = bench_client.post(REGISTRATION_SQL_PATH, data=form)
    assert response.status_code == 200
    assert response.headers["X-Query-Count"] == str(len(REGISTRATION_STATEMENTS))
    db.session.expire_all()
    [registration] = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    assert (registration.user_id, registration.status) == (form["user"], RegistrationStatus.CANCELLED)  # no seat
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["bench"]
    assert db.session.scalar(select(db.func.sum(DataVersion.counter))) == before + 1
    assert bench_client.post(REGISTRATION_SQL_PATH, data={"user": "x"}).status_code == 400
    assert bench_client.get(REGISTRATION_SQL_PATH).status_code == 405
