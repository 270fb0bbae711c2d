"""The Alembic chain builds the whole schema on SQLite and PostgreSQL, matches the models,
and downgrades back to base."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from eventapp import create_app, normalise_database_url
from eventapp.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_config, postgres_url_with_schema

EXPECTED_TABLES = {
    "edition",
    "organisation",
    "membership",
    "user",
    "event",
    "event_theme",
    "event_audience",
    "event_status_change",
    "registration",
    "outbox_message",
}


def _differences(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _check_chain(database_url):
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert EXPECTED_TABLES <= tables
        assert _differences(app) == [], "models and migrations differ: run `flask db migrate`"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrations_on_sqlite(tmp_path):
    _check_chain(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set: PostgreSQL migrations not tested")
def test_migrations_on_postgresql():
    schema = f"migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        _check_chain(postgres_url_with_schema(TEST_DATABASE_URL, schema))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_one_head_only():
    """Two helpers adding migrations in parallel must chain them, never fork the history."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    directory = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    config = Config()
    config.set_main_option("script_location", directory)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
