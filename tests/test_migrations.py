"""The Alembic chain builds the whole schema on SQLite and PostgreSQL, matches the models,
and downgrades back to base."""
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import make_config
from tests.schemas import DATABASES, scratch_database

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


@pytest.mark.parametrize("kind", DATABASES)
def test_migrations(kind, tmp_path):
    with scratch_database(kind, tmp_path, "migr") as database_url:
        _check_chain(database_url)


def test_one_head_only():
    """Two helpers adding migrations in parallel must chain them, never fork the history."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    directory = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    config = Config()
    config.set_main_option("script_location", directory)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
