"""Health check, production configuration, error pages."""
import pytest

from config import ProductionConfig
from eventapp import create_app
from tests.conftest import make_config
from tests.helpers import page_text


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database():
    # A closed port on the loopback: the database cannot be reached.
    app = create_app(make_config("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"))
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_answer_a_french_503_when_the_database_is_down():
    app = create_app(make_config("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"))
    with app.app_context():
        response = app.test_client().get("/")
    assert response.status_code == 503
    assert "Service momentanément indisponible" in page_text(response)
    assert response.headers["Retry-After"] == "30"


@pytest.mark.parametrize("secret", [None, "", "short", "dev-only-secret-key-not-for-production"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_a_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_starts_with_its_settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == "s" * 40
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_state_brand_block_can_be_switched_off(database_url):
    shown = create_app(make_config(database_url))
    hidden = create_app(make_config(database_url, SHOW_STATE_BRAND=False))
    for app, expected in ((shown, True), (hidden, False)):
        with app.app_context():
            from eventapp.extensions import db

            db.create_all()
            html = page_text(app.test_client().get("/"))
        assert ("République<br>Française" in html) is expected
