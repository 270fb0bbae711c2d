"""The database's share of a registration: the statements the application runs, in plain SQL.

No Flask, no SQLAlchemy, no templates: psycopg from a few threads, each
registration one transaction of the statements a registration runs
(``eventapp.instrumentation.REGISTRATION_STATEMENTS``: the account, the event
with its edition, organisation and themes, the lock, the agent's registration
and the seats, the insert, an e-mail of the usual size, the data version). It
says how far the application could go on this machine if it cost nothing
itself, next to the registration target.

The registrations it inserts are written *cancelled*, so they take no seat and
change no booking check; the run's database is a copy, dropped afterwards.
PostgreSQL only (the registration target is PostgreSQL's).
"""
from __future__ import annotations

import threading
import time

import psycopg

from eventapp.dataversion import SHARDS
from eventapp.instrumentation import run_registration_statements


def registration_statements(database_url: str, pairs: list[tuple[int, int]], *, threads: int = 8,
                            max_seconds: float = 2.0) -> dict:
    """Registrations per second for ``(user_id, event_id)`` pairs, each pair at most once, bounded in time."""
    chunks = [pairs[index::threads] for index in range(threads)]
    counts = [0] * threads
    deadline = time.perf_counter() + max_seconds
    errors: list[str] = []

    def work(index: int) -> None:
        try:
            with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://", 1)) as connection:
                for user_id, event_id in chunks[index]:
                    if time.perf_counter() >= deadline:
                        return
                    run_registration_statements(connection, user_id, event_id, index % SHARDS)
                    counts[index] += 1
        except psycopg.Error as error:  # reported, not raised: the figure is a reference, not a check
            errors.append(f"{type(error).__name__}: {error}"[:200])

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(max_seconds + 30)
    seconds = time.perf_counter() - started
    count = sum(counts)
    return {"count": count, "seconds": round(seconds, 3), "threads": threads,
            "throughput": round(count / seconds, 2) if seconds else 0.0, "errors": errors[:3]}
