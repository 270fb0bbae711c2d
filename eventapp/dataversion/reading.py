"""Reading the data version: on connections of its own, once per request, reused for a moment."""
from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_request_context, request
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError

from ..instrumentation import note_query

_REQUEST_KEY = "eventapp.data_version"


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
        from ..extensions import db

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
        extensions[_READER_KEY] = _create_reader()
    return extensions[_READER_KEY]


def _create_reader() -> Engine | None:
    from ..database import configure_engine
    from ..extensions import db

    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    # The same database, driver options and per-database tuning (SQLite's busy timeout) as the
    # session's engine; only the pooling differs.
    options = current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    reader = create_engine(
        engine.url, connect_args=dict(options.get("connect_args") or {}), isolation_level="AUTOCOMMIT",
        pool_size=8, max_overflow=8, pool_pre_ping=False, pool_reset_on_return=None,
    )
    configure_engine(reader)
    return reader


def _forget_request_version() -> None:
    if has_request_context():
        request.environ.pop(_REQUEST_KEY, None)
