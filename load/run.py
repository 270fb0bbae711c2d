"""The load test: its own PostgreSQL database and gunicorn, simulated users, figures, checks.

Steps, each bounded in time:

1. create a throwaway database on the PostgreSQL server of ``LOAD_POSTGRES_URL`` (default
   ``postgresql://postgres@127.0.0.1:5432/postgres``), migrate it and seed the demo edition of
   next November (400 events, 2,000 agents);
2. give a dozen open events a few seats only (confirmed registrations + 4), half of them without
   a waiting list, so that seats run out while the users fight for them;
3. start gunicorn on a free port of 127.0.0.1 (rate limits in Redis when it answers, as in
   production), then run the users (threads) for the given number of seconds;
4. stop gunicorn, count confirmed registrations against each capacity, print the figures,
   drop the database. Exit status 1 on any error or overbooking.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

from bench.server import loopback_gunicorn

from .users import Results, User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "innovation-publique"  # the demo accounts' password (eventapp.seed.demo)
HOT_EVENTS = 12
SEATS_LEFT = 4


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--postgres", default=os.environ.get(
        "LOAD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def database_url(admin_url: str, name: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def flask(env: dict, *args: str, timeout: int = 600) -> None:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                            timeout=timeout, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n")
        raise RuntimeError(f"flask {' '.join(args)} failed")


def redis_url() -> str | None:
    try:
        import redis

        url = "redis://127.0.0.1:6379"
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except Exception:  # no Redis: each worker counts on its own (memory)
        return None


def prepare(url: str) -> dict:
    """Hot events with few seats; the users' accounts; what they browse."""
    with psycopg.connect(url, autocommit=True) as conn:
        year = conn.execute("SELECT max(year) FROM edition").fetchone()[0]
        hot = conn.execute(
            """SELECT e.id, (SELECT count(*) FROM registration r WHERE r.event_id = e.id AND r.status = 'confirmed')
               FROM event e JOIN edition ed ON ed.id = e.edition_id
               WHERE ed.year = %s AND e.status = 'published' AND e.registration_mode = 'internal'
                 AND e.starts_at > now() AND (e.registration_deadline IS NULL OR e.registration_deadline > now())
               ORDER BY e.id LIMIT %s""",
            (year, HOT_EVENTS),
        ).fetchall()
        for index, (event_id, confirmed) in enumerate(hot):
            conn.execute("UPDATE event SET capacity = %s, has_waiting_list = %s WHERE id = %s",
                         (confirmed + SEATS_LEFT, index % 2 == 0, event_id))
        public = [row[0] for row in conn.execute(
            """SELECT e.id FROM event e JOIN edition ed ON ed.id = e.edition_id
               WHERE ed.year = %s AND e.status IN ('published', 'cancelled') ORDER BY e.id""", (year,))]
        organisations = [row[0] for row in conn.execute("SELECT slug FROM organisation WHERE is_active ORDER BY id")]
        agents = [row[0] for row in conn.execute(
            """SELECT email FROM "user" u WHERE is_active AND NOT is_coordinator AND NOT is_admin
               AND email_verified_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id)
               ORDER BY id""")]
    return {"hot_events": [row[0] for row in hot], "public_events": public, "organisations": organisations,
            "agents": agents}


def overbooked(url: str) -> list[tuple[int, int, int]]:
    """Events whose confirmed registrations exceed their capacity: ``(id, capacity, confirmed)``."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            """SELECT e.id, e.capacity, count(r.id) FROM event e
               JOIN registration r ON r.event_id = e.id AND r.status = 'confirmed'
               WHERE e.capacity IS NOT NULL GROUP BY e.id, e.capacity HAVING count(r.id) > e.capacity"""
        ).fetchall()


def hot_event_fill(url: str, hot: list[int]) -> list[tuple[int, int, int, int]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            """SELECT e.id, e.capacity,
                      count(r.id) FILTER (WHERE r.status = 'confirmed'),
                      count(r.id) FILTER (WHERE r.status = 'waitlisted')
               FROM event e LEFT JOIN registration r ON r.event_id = e.id
               WHERE e.id = ANY(%s) GROUP BY e.id, e.capacity ORDER BY e.id""", (hot,)
        ).fetchall()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def report(args, results: Results, elapsed: float, fill, overbooking, storage: str) -> None:
    every = [value for values in results.latencies.values() for value in values]
    print()
    print(f"Load test: {args.users} users for {elapsed:.0f} s against gunicorn ({args.workers} workers x "
          f"{args.threads} threads) + PostgreSQL, rate limits in {storage}")
    print(f"  requests      {len(every)}  ({len(every) / elapsed:.1f} per second)")
    print(f"  latency       p50 {percentile(every, 0.5) * 1000:.0f} ms   p95 {percentile(every, 0.95) * 1000:.0f} ms"
          f"   p99 {percentile(every, 0.99) * 1000:.0f} ms   max {max(every, default=0) * 1000:.0f} ms")
    print(f"  errors        {len(results.errors)}")
    for line in results.errors[:20]:
        print(f"    {line}")
    registrations = results.registrations
    print(f"  registrations {registrations['accepted']} accepted (confirmed or waiting list), "
          f"{registrations['refused']} refused (full, already registered), {registrations['error']} errors")
    confirmed = sum(row[2] for row in fill)
    seats = sum(row[1] for row in fill)
    print(f"  hot events    {len(fill)} events, {confirmed}/{seats} seats taken, "
          f"{sum(row[3] for row in fill)} on waiting lists")
    print(f"  overbooking   {len(overbooking)} event(s) over capacity" + (f": {overbooking}" if overbooking else ""))
    print("  by kind       " + "; ".join(
        f"{kind} {len(values)} (p50 {statistics.median(values) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms)"
        for kind, values in sorted(results.latencies.items())))


def run_users(base_url: str, args, world: dict) -> tuple[Results, float]:
    """The simulated users against ``base_url`` for ``args.seconds``: their results and the time taken."""
    results = Results()
    started = time.monotonic()
    deadline = started + args.seconds
    users = [User(base_url, email, PASSWORD, world, results, deadline, seed=index)
             for index, email in enumerate(world["agents"][: args.users])]
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=max(1.0, deadline - time.monotonic() + 60))
    return results, time.monotonic() - started


def main(argv=None) -> int:
    args = parse_args(argv)
    name = f"eventapp_load_{uuid.uuid4().hex[:8]}"
    url = database_url(args.postgres, name)
    admin = psycopg.connect(args.postgres, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    prefix = f"eventapp-load-{uuid.uuid4().hex[:8]}"
    storage = redis_url()
    app_env = {"RATELIMIT_STORAGE_URI": storage or "memory://", "RATELIMIT_KEY_PREFIX": prefix, "FLASK_DEBUG": "0"}
    env = {**os.environ, "DATABASE_URL": url, "EVENTAPP_CONFIG": "development", "MAIL_BACKEND": "console", **app_env}
    try:
        print(f"load: database {name}: migrating and seeding the demo edition…", flush=True)
        flask(env, "db", "upgrade")
        flask(env, "seed", "demo", "--year", str(time.gmtime().tm_year + 1))
        world = prepare(url)
        if len(world["agents"]) < args.users:
            raise RuntimeError(f"only {len(world['agents'])} agents for {args.users} users")
        with loopback_gunicorn(url, workers=args.workers, threads=args.threads, env=app_env,
                               options=("--keep-alive", "5", "--log-level", "warning")) as server:
            print(f"load: gunicorn on {server.base_url}; {args.users} users for {args.seconds:.0f} s…", flush=True)
            results, elapsed = run_users(server.base_url, args, world)
        fill = hot_event_fill(url, world["hot_events"])
        overbooking = overbooked(url)
        report(args, results, elapsed, fill, overbooking, "Redis" if storage else "memory")
        return 1 if results.errors or overbooking or results.count == 0 else 0
    finally:
        if storage:
            try:
                import redis

                connection = redis.Redis.from_url(storage)
                for key in connection.scan_iter(f"*{prefix}*"):
                    connection.delete(key)
            except Exception:
                pass
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
