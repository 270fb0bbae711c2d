"""The data version is read on a connection of its own: no transaction, no write lock, no ping.

Revalidations (304) and cached pages read nothing but the version, so how it is
read is most of what they cost. These tests pin what that reading must keep:
it never waits behind a writer on SQLite, it opens no transaction of the
session, and it survives connections the server dropped.
"""
import threading

import pytest
from sqlalchemy import text

from eventapp import create_app, dataversion
from eventapp.extensions import db
from tests import factories as f
from tests.conftest import make_config
from tests.programme_support import count_queries, public_event


@pytest.fixture
def programme(app):
    edition = f.make_edition(2030)
    organisation = f.make_organisation("35", name="La Fabrique", slug="la-fabrique")
    public_event(edition, organisation, title="Atelier des usagers")
    db.session.commit()


def test_a_revalidation_runs_nothing_on_the_session(client, programme):
    etag = client.get("/programme.ics").headers["ETag"]
    sessions_statements = []
    from sqlalchemy import event as sa_event

    def record(conn, cursor, statement, *args):
        sessions_statements.append(statement)

    with count_queries() as statements:
        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get("/programme.ics", headers={"If-None-Match": etag})
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 304
    assert statements == [dataversion._READ]
    if dataversion.reader_engine() is not None:  # a database other than in-memory SQLite
        assert sessions_statements == []  # no BEGIN, no ROLLBACK: the session was never used


@pytest.fixture
def sqlite_file_app(tmp_path):
    """An app on a SQLite file (WAL, as served), where another connection can hold the write lock."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'eventapp.db'}"))
    with app.app_context():
        db.create_all()
        edition = f.make_edition(2030)
        organisation = f.make_organisation("35", name="La Fabrique", slug="la-fabrique")
        public_event(edition, organisation, title="Atelier des usagers")
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        dataversion.reader_engine().dispose()
        db.engine.dispose()


def test_a_revalidation_on_sqlite_does_not_wait_for_a_writer(sqlite_file_app, tmp_path):
    import sqlite3

    client = sqlite_file_app.test_client()
    etag = client.get("/programme").headers["ETag"]

    writer = sqlite3.connect(tmp_path / "eventapp.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a registration holding the write lock
    answers = []
    try:
        request = threading.Thread(
            target=lambda: answers.append(client.get("/programme", headers={"If-None-Match": etag}).status_code),
            daemon=True,
        )
        request.start()
        request.join(timeout=10)
        answered_while_locked = bool(answers)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        request.join(timeout=40)
    assert answered_while_locked, "the revalidation waited for the writer's lock"
    assert answers == [304]


def test_the_version_survives_a_connection_the_server_dropped(app, programme, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL only: the server ends the connection (set TEST_DATABASE_URL)")
    known = dataversion.current()
    reader = dataversion.reader_engine()
    with reader.connect() as connection:  # the pooled connection the next read will get back
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()

    assert dataversion.current() == known  # read again on a fresh connection, no error
