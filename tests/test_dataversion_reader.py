"""The data version is read on a connection of its own: no transaction, no write lock, no ping.

Revalidations (304) and cached pages read nothing but the version, so how it is
read is most of what they cost. These tests pin what that reading must keep:
it never waits behind a writer on SQLite, it opens no transaction of the
session, and it survives connections the server dropped.
"""
import threading

import pytest
from sqlalchemy import select, text

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


# --- The version a process reuses for a fraction of a second ---------------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def reused_version(app, monkeypatch):
    """This app reuses the version it read for 0.2 s, on a clock the test moves."""
    clock = Clock()
    monkeypatch.setitem(app.config, "DATA_VERSION_MAX_AGE_SECONDS", 0.2)
    monkeypatch.setitem(app.extensions, "eventapp.data_version_last_read", dataversion.LastRead(clock))
    return clock


def write_from_another_process():
    """What another process's commit looks like from here: the counter rows move, no local commit."""
    db.session.commit()  # end the session's read (in-memory SQLite: one connection for all)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE data_version SET counter = counter + 1"))


def test_a_process_reuses_the_version_it_read_for_a_moment(app, programme, reused_version):
    known = dataversion.current()
    write_from_another_process()
    with count_queries() as statements:
        assert dataversion.current() == known  # within the moment: no query
    assert statements == []

    reused_version.now += 0.25  # the moment is over: read again, the other process's write shows
    moved = dataversion.current()
    assert moved != known


def test_a_commit_in_this_process_shows_at_once(app, programme, reused_version):
    from eventapp.models import Event

    known = dataversion.current()
    event = db.session.scalars(select(Event)).first()
    event.title = "Atelier renommé"
    db.session.commit()
    assert dataversion.current() != known  # same moment, but this process wrote


def test_a_read_overtaken_by_a_commit_is_not_kept():
    last_read = dataversion.LastRead(Clock())
    old, new = dataversion.Version("old"), dataversion.Version("new")

    def read_then_commit():  # the read started before a commit of this process ended
        last_read.forget()
        return old

    assert last_read.get_or_read(0.2, read_then_commit) == old
    assert last_read.get_or_read(0.2, lambda: new) == new  # the old answer was not kept


def test_pages_follow_the_version_a_process_reuses(client, programme, reused_version):
    first = client.get("/programme")
    write_from_another_process()
    assert client.get("/programme", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    reused_version.now += 0.25
    assert client.get("/programme", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_the_reader_is_tuned_like_the_session_engine(sqlite_file_app):
    """Same per-database tuning as the session's engine: on SQLite, it waits for a lock
    (a checkpoint) instead of failing the revalidation at once."""
    with sqlite_file_app.app_context():
        connection = dataversion.reader_engine().raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout")
            (timeout,) = cursor.fetchone()
        finally:
            connection.close()
    assert timeout == 30000
