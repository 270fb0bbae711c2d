"""The benchmark's hooks: off by default, never in production, and what they do when on."""
import pytest

from config import ProductionConfig
from eventapp import create_app
from tests.conftest import make_config


def test_hooks_are_off_by_default(client):
    assert client.get("/_bench/floor").status_code == 404
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
