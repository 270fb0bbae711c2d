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
from .cache import VersionedCache, address_key
from .cli import cache_cli
from .reading import _READ, LastRead, Version, current, last_read, reader_engine
from .writing import SHARDS, UNTRACKED_TABLES, bump

__all__ = [
    "SHARDS", "UNTRACKED_TABLES", "address_key", "LastRead", "Version", "VersionedCache", "_READ", "bump", "cache_cli",
    "current", "last_read", "reader_engine",
]
