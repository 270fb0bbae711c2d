"""Shared fixtures: an app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), a client,
factories and a ``login_as`` helper.

On PostgreSQL each pytest-xdist worker gets its own schema, so workers never share rows.
"""
import os
import re

import pytest
from sqlalchemy import create_engine, text

from config import TestingConfig
from eventapp import create_app, normalise_database_url
from eventapp.extensions import db as _db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

if os.environ.get("EVENTAPP_REQUIRE_POSTGRES") and not TEST_DATABASE_URL:
    raise RuntimeError("EVENTAPP_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: CI must test PostgreSQL.")


def _worker_schema() -> str:
    """One schema per xdist worker (and per TEST_DB_SCHEMA, for runs side by side)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    prefix = os.environ.get("TEST_DB_SCHEMA", "test")
    return re.sub(r"[^a-z0-9_]", "_", f"{prefix}_{worker}".lower())


def postgres_url_with_schema(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use ``schema`` first."""
    separator = "&" if "?" in url else "?"
    return f"{normalise_database_url(url)}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_url():
    if not TEST_DATABASE_URL:
        return "sqlite://"
    schema = _worker_schema()
    engine = create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return postgres_url_with_schema(TEST_DATABASE_URL, schema)


@pytest.fixture(scope="session")
def is_postgres(database_url):
    return database_url.startswith("postgresql")


def make_config(database_url: str, **overrides):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    for key, value in overrides.items():
        setattr(Config, key, value)
    return Config


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app(make_config(database_url))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


@pytest.fixture
def app(_app):
    """The app with empty tables; rate limits reset."""
    from eventapp.extensions import limiter

    with _app.app_context():
        yield _app
        _db.session.remove()
        _empty_tables()
    limiter.reset()


def _empty_tables():
    """Delete every row and restart the id sequences.

    DELETE rather than TRUNCATE: on the few rows of a test, PostgreSQL deletes them in
    milliseconds where truncating every table takes about a third of a second.
    """
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            sequences = [
                f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), 1, false)"
                for table in tables
                if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement
            ]
            if sequences:
                conn.exec_driver_sql("SELECT " + ", ".join(sequences))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Log a user in on the test client without going through the form."""

    def login(user):
        from flask import g

        # Requests share the test's app context, so forget the user Flask-Login cached in ``g``.
        g.pop("_login_user", None)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return login
