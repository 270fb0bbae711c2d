"""The data version: one cheap read that changes whenever committed data changes.

Caches of rendered pages and feeds, and the validators (ETags) of public pages,
are keyed on it, so they are correct across every process that serves the
site: a process never needs to be told that something changed, it simply reads
a new version and misses its cache.

How it stays right:

- every transaction of the ORM session that writes (objects flushed, or
  ``insert``/``update``/``delete`` statements run through the session) raises
  a counter in the ``data_version`` table just before it commits, in the same
  transaction, so the new version becomes visible exactly when the new data
  does (tables that no public page shows, such as the outbox, do not count);
- readers read the version *before* the data, so an entry cached under a
  version never holds older data than that version;
- the counter is split into shards, one chosen per thread, and the write is the
  transaction's last statement: concurrent writers rarely wait for each other,
  and never while holding a shard they could deadlock on;
- a shard row gets a random epoch when it is created: tables emptied and filled
  again (tests, a restored database) never repeat an old version. No row at all
  (a database nothing was written to since it was created) means no version:
  nothing is cached.

How it stays cheap: the version is read on connections of its own (autocommit,
no ping, no transaction, no SQLite write lock), once per request, and a process
reuses what it read for ``DATA_VERSION_MAX_AGE_SECONDS`` unless it wrote
meanwhile (:class:`LastRead`): another process's write then shows at most that
much later.

Writes made outside the application (``psql``, another program) do not raise
it: run ``flask cache bump`` after them.
"""
from __future__ import annotations

import functools
import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import Engine, bindparam, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from .instrumentation import note_query
from .models import DataVersion
from .models.types import utcnow

#: How many counter rows writers spread over.
SHARDS = 16
#: Tables whose writes change nothing a cached page or feed shows.
UNTRACKED_TABLES = frozenset({"data_version", "outbox_message", "audit_entry"})

_CHANGED = "eventapp.data_changed"
_BUMPED = "eventapp.data_version_bumped"
_REQUEST_KEY = "eventapp.data_version"
_WRITE_WORDS = ("insert", "update", "delete", "replace", "merge", "truncate")


@dataclass(frozen=True)
class Version:
    """The data version: ``token`` identifies the committed data."""

    token: str


#: Plain SQL on a connection of its own: this runs on every cached page and revalidation, and
#: building, compiling and caching an ORM statement would cost more than the query itself.
_READ = "SELECT shard, counter, epoch FROM data_version ORDER BY shard"
_READER_KEY = "eventapp.data_version_reader"


def current() -> Version | None:
    """The data version (one query, once per request), or ``None`` before anything was ever written.

    Within a request the first answer is reused until the request commits a write.
    Across requests, a process reuses what it read for ``DATA_VERSION_MAX_AGE_SECONDS``
    (a fraction of a second) unless it committed a write meanwhile: see :class:`LastRead`.
    """
    if has_request_context() and _REQUEST_KEY in request.environ:
        return request.environ[_REQUEST_KEY]
    max_age = current_app.config.get("DATA_VERSION_MAX_AGE_SECONDS", 0)
    if max_age > 0:
        version = last_read().get_or_read(max_age, lambda: _version_of(_read_rows()))
    else:
        version = _version_of(_read_rows())
    if has_request_context():
        request.environ[_REQUEST_KEY] = version  # the request's own, whatever the app context's life
    return version


class LastRead:
    """The version a process read last, reused by its requests for a fraction of a second.

    Under load, revalidations and cached pages then cost no query at all (a few
    reads a second per process instead of one per request). What that allows:
    a write committed by *another* process shows on this one's anonymous pages
    and feeds at most ``max_age`` later, as if those requests had arrived that
    much earlier. It never allows more:

    - a commit in this process forgets the version at once (after the commit,
      so the next read sees it); a read that started before that is not kept
      (the generation moved), so no thread brings an older version back;
    - the caches keyed on the version stay right: a version is read before the
      data, so an entry never holds data older than its version.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._generation = 0
        self._entry: tuple[float, Version | None] | None = None

    def get_or_read(self, max_age: float, read: Callable[[], Version | None]) -> Version | None:
        with self._lock:
            entry, generation = self._entry, self._generation
        now = self._clock()
        if entry is not None and now - entry[0] < max_age:
            return entry[1]
        version = read()
        with self._lock:
            if generation == self._generation:
                self._entry = (now, version)
        return version

    def forget(self) -> None:
        """A write was committed here: the next request reads the version again."""
        with self._lock:
            self._generation += 1
            self._entry = None


_LAST_READ_KEY = "eventapp.data_version_last_read"


def last_read() -> LastRead:
    """This app's :class:`LastRead` (one per app: tests run several apps in one process)."""
    extensions = current_app.extensions
    if _LAST_READ_KEY not in extensions:
        extensions.setdefault(_LAST_READ_KEY, LastRead())
    return extensions[_LAST_READ_KEY]


def _version_of(rows) -> Version | None:
    if not rows:
        return None
    material = repr([(int(shard), int(counter), str(epoch)) for shard, counter, epoch in rows]).encode()
    return Version(token=hashlib.blake2b(material, digest_size=12).hexdigest())


def _read_rows() -> list:
    """The counter rows, read outside the ORM session's transaction where the database allows it.

    A revalidation then opens no transaction at all: on PostgreSQL one round trip
    on an autocommit connection (no ``BEGIN``/``ROLLBACK``, no ping), on SQLite a
    read that takes no write lock (the session's transactions start with
    ``BEGIN IMMEDIATE``). Reading committed rows is what the version means: the
    bump is the last statement of a committed write.
    """
    reader = reader_engine()
    if reader is None:
        from .extensions import db

        return db.session.connection().exec_driver_sql(_READ).fetchall()
    try:
        return _read_on(reader)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        # A connection the server closed (restart, idle timeout): it was dropped, and without a
        # ping on every checkout this is how the pool finds out. Once more on a fresh connection.
        return _read_on(reader)


def _read_on(reader: Engine) -> list:
    """One query on a pooled DBAPI connection: a Core ``Connection`` would cost a third more.

    Driver errors are raised as SQLAlchemy's (``OperationalError`` when the server is
    unreachable), as from the session, so the same handlers answer them (a 503).
    """
    driver_error = reader.dialect.loaded_dbapi.Error
    try:
        connection = reader.raw_connection()
    except driver_error as error:
        raise DBAPIError.instance(None, None, error, driver_error) from error
    try:
        cursor = connection.cursor()
        try:
            note_query()
            cursor.execute(_READ)
            return cursor.fetchall()
        except driver_error as error:
            invalidated = reader.dialect.is_disconnect(error, connection.dbapi_connection, cursor)
            if invalidated:
                connection.invalidate(error)
            raise DBAPIError.instance(_READ, None, error, driver_error,
                                      connection_invalidated=invalidated) from error
        finally:
            if connection.is_valid:
                cursor.close()
    finally:
        connection.close()


def reader_engine() -> Engine | None:
    """The app's engine for version reads: autocommit, no ping on checkout, nothing to reset on
    return; ``None`` for an in-memory SQLite database, whose one connection belongs to the session."""
    extensions = current_app.extensions
    if _READER_KEY not in extensions:
        from .extensions import db

        engine = db.engine
        in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        extensions[_READER_KEY] = None if in_memory else create_engine(
            engine.url, isolation_level="AUTOCOMMIT", pool_size=8, max_overflow=8,
            pool_pre_ping=False, pool_reset_on_return=None,
        )
    return extensions[_READER_KEY]


def _forget_request_version() -> None:
    if has_request_context():
        request.environ.pop(_REQUEST_KEY, None)


def bump(session: Session) -> None:
    """Raise this thread's shard of the counter, in the session's transaction."""
    connection = session.connection(bind_arguments={"mapper": DataVersion})
    shard = hash((os.getpid(), threading.get_ident())) % SHARDS
    connection.execute(
        _bump_statement(connection.dialect.name),
        {"shard": shard, "epoch": secrets.token_hex(8), "changed_at": utcnow()},
    )


@functools.cache
def _bump_statement(dialect_name: str):
    """The upsert raising a shard, built once per dialect (it runs in every write)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(DataVersion).values(
        shard=bindparam("shard"), counter=1, epoch=bindparam("epoch"), changed_at=bindparam("changed_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[DataVersion.shard],
        set_={"counter": DataVersion.counter + 1, "changed_at": statement.excluded.changed_at},
    )


def _tracked_table(name: str | None) -> bool:
    return name is None or name not in UNTRACKED_TABLES


def _object_is_tracked(obj) -> bool:
    table = getattr(obj, "__table__", None)
    return _tracked_table(getattr(table, "name", None))


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, _flush_context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _object_is_tracked(obj):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    session = state.session
    if session.info.get(_CHANGED):
        return
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if _tracked_table(getattr(table, "name", None)):
            session.info[_CHANGED] = True
    elif isinstance(statement, TextClause):
        if statement.text.lstrip().lower().startswith(_WRITE_WORDS):
            session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the bump belongs to the real commit, as its last statement
    pending = any(_object_is_tracked(obj) for obj in (*session.new, *session.dirty, *session.deleted))
    if session.info.pop(_CHANGED, False) or pending:
        bump(session)
        session.info[_BUMPED] = True
        _forget_request_version()


@event.listens_for(Session, "after_commit")
def _forget_last_read_after_commit(session) -> None:
    if session.info.pop(_BUMPED, False) and has_app_context():
        last_read().forget()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_changes(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: what the transaction wrote before it still counts
    session.info.pop(_CHANGED, None)
    session.info.pop(_BUMPED, None)


class VersionedCache:
    """A small thread-safe LRU of values computed from the data, local to a process.

    Keys must hold everything a value depends on besides the data; the data
    version is given with each lookup, so a value computed before a write is
    never returned after it.
    """

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, version: Version | None, key: Hashable, compute: Callable[[], object]):
        """The value for ``key`` at ``version``, computed (and kept) on a miss.

        Nothing is kept without a version, nor a ``None`` value.
        """
        if version is None:
            return compute()
        full_key = (version.token, key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
        value = compute()
        if value is None:
            return None
        with self._lock:
            self._entries[full_key] = value
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# --- Command line --------------------------------------------------------------------------------

import click  # noqa: E402
from flask.cli import AppGroup  # noqa: E402

cache_cli = AppGroup("cache", help="Caches des pages et des flux.")


@cache_cli.command("bump")
def bump_command():
    """Raise the data version, after writes made outside the application (caches then miss)."""
    from .extensions import db

    bump(db.session())
    db.session.commit()
    click.echo("Version des données relevée : les pages et les flux en cache seront reconstruits.")
