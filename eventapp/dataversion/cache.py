"""Values computed from the data, kept per data version in a process."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .reading import Version


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

    def produce_or_reuse(self, version: Version | None, key: Hashable, produce: Callable[[], object],
                         keep: Callable[[object], object]) -> tuple[object, object]:
        """``(produced, kept)`` for a view's answer: on a hit ``(None, the kept value)``; on a miss
        ``produce()`` and ``keep(produced)``, the part of it worth keeping (``None``: nothing, e.g.
        a redirect or an error, which the caller then returns as produced)."""
        produced: list = []

        def compute():
            produced.append(produce())
            return keep(produced[0])

        kept = self.get_or_compute(version, key, compute)
        return (produced[0] if produced else None), kept

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def address_key(*settings: str) -> tuple:
    """What a public answer depends on besides the data: the endpoint, the address asked for (scheme,
    host and query string: absolute links are written with them) and the named settings."""
    from flask import current_app, request

    return (request.endpoint, request.host_url, request.full_path,
            tuple(current_app.config.get(name) for name in settings))
