"""The database's share of a registration: the statements the application runs, in plain SQL.

No Flask, no SQLAlchemy, no templates: psycopg from a few threads, each
registration one transaction of the statements a registration runs (the
account, the event with its edition, organisation and themes, the lock, the
agent's registration and the seats, the insert, an e-mail of the usual size,
the data version). It says how far the application could go on this machine
if it cost nothing itself, next to the registration target.

The registrations it inserts are written *cancelled*, so they take no seat and
change no booking check; the run's database is a copy, dropped afterwards.
PostgreSQL only (the registration target is PostgreSQL's).
"""
from __future__ import annotations

import threading
import time

import psycopg


#: An e-mail row of the usual size (the confirmation's text, HTML and .ics attachment).
_BODY = "x" * 6000

_STATEMENTS = (
    ('SELECT * FROM "user" WHERE id = %(user)s', True),
    ("SELECT * FROM event JOIN edition ON edition.id = event.edition_id "
     "JOIN organisation ON organisation.id = event.organisation_id "
     "LEFT JOIN event_theme ON event_theme.event_id = event.id WHERE event.id = %(event)s", True),
    ("SELECT * FROM event WHERE id = %(event)s FOR UPDATE", True),
    ("SELECT count(id) FILTER (WHERE user_id = %(user)s AND status IN ('confirmed', 'waitlisted')), "
     "count(id) FILTER (WHERE status = 'confirmed') FROM registration WHERE event_id = %(event)s", True),
    ("INSERT INTO registration (event_id, user_id, status, shares_answers, attended, created_at, cancelled_at) "
     "VALUES (%(event)s, %(user)s, 'cancelled', true, false, now(), now()) RETURNING id", True),
    ("INSERT INTO outbox_message (recipient, subject, body_text, attachments, kind, attempts, created_at, "
     "next_attempt_at) VALUES ('bench@example.org', 'Inscription confirmée', %(body)s, '[]', 'bench', 0, now(), "
     "now()) RETURNING id", True),
    ("INSERT INTO data_version (shard, counter, epoch, changed_at) VALUES (%(shard)s, 1, 'bench', now()) "
     "ON CONFLICT (shard) DO UPDATE SET counter = data_version.counter + 1, changed_at = excluded.changed_at",
     False),
)


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
                    values = {"user": user_id, "event": event_id, "body": _BODY, "shard": index % 16}
                    with connection.transaction():
                        for statement, returns_rows in _STATEMENTS:
                            cursor = connection.execute(statement, values)
                            if returns_rows:
                                cursor.fetchall()
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
