"""``make bench``: speed, cost and scale of the public paths, side by side with the stack's floor.

For each database (SQLite, PostgreSQL) and each data set (400 and 5,000 events),
a fresh copy of the cached data set is served by gunicorn (the same two
workers every time) on 127.0.0.1, and a separate process (:mod:`bench.load`)
loads it, every loop bounded in requests and seconds. Before each path, and
after the last, a short burst on the floor route (``/_bench/floor``: the same
server, no database) gives the floor the path is compared to, so noise from
the machine weighs on both sides of each ratio. The whole-programme feed is
also compared to the ``icalendar`` package serialising the same calendar,
already built, in this process. Each worker's peak memory comes from
``/proc``, the SQL queries per request from the ``X-Query-Count`` header.

Results go to the console, to ``bench/results/latest.json`` and to
``docs/benchmarks.md`` (between its generated-section markers).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import icalendar
import requests

from eventapp.instrumentation import REGISTRATION_SQL_PATH

from . import datasets, probe, sql_floor
from . import server as servers
from .datasets import BENCH_PASSWORD, SIZES, Size
from .report import evaluate_targets, print_config, write_markdown

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"

FILTERED_QUERY = {"region": "84", "theme": "design-de-services"}
SEARCH_QUERY = {"q": "atelier"}
#: Cold builds of the whole-programme feed per data set, each by new workers; their median is reported.
FIRST_BUILDS = 3

REGISTRATION_FORM = {"administration": "Banc de mesure", "job_title": "Agent", "accessibility_needs": ""}

#: (key, label) of every measured path, in the order of the tables.
PATHS = [
    ("floor", "floor `/_bench/floor` (no database)"),
    ("healthz", "`/healthz` (one `SELECT 1` through the session)"),
    ("programme", "programme, first page"),
    ("programme_miss", "programme, not cached (a new date + region pair each time)"),
    ("programme_filtered", "programme filtered (region + theme)"),
    ("search", "text search"),
    ("event", "event page"),
    ("programme_ics", "`/programme.ics` (whole programme)"),
    ("personal_ics", "personal feed `/agenda/<token>.ics`"),
    ("api_events", "`/api/v1/events`"),
    ("programme_304", "programme, revalidation 304"),
    ("programme_ics_304", "`/programme.ics`, revalidation 304"),
    ("personal_ics_304", "personal feed, revalidation 304"),
    ("register_spread", "registrations (POST) spread over events"),
    ("register_hot", "registrations (POST) on one hot event"),
    ("register_sql_route", "the registration's statements alone through a bare route (PostgreSQL: psycopg, no "
                           "session, form, ORM or template; rows written cancelled)"),
]


@dataclass
class Options:
    sizes: list[Size]
    databases: list[str]
    seconds: float = 2.0
    floor_seconds: float = 1.0
    rounds: int = 3
    max_requests: int = 4000
    concurrency: int = 4
    hot_concurrency: int = 8
    spread_agents: int = 8
    hot_agents: int = 48
    feed_events: int = 20
    warmup: int = 8
    output: Path | None = ROOT / "docs" / "benchmarks.md"
    results_dir: Path = RESULTS_DIR
    year: int = field(default_factory=datasets.default_year)
    postgres_admin_url: str = field(default_factory=datasets.postgres_admin_url)
    postgres_prefix: str = "bench"
    cache_dir: Path = datasets.CACHE_DIR


def log(message: str) -> None:
    print(message, flush=True)


# --- Talking to the server ---------------------------------------------------------------------


def run_load(server: servers.Server, job: dict) -> dict:
    """One job of :mod:`bench.load`, in its own process."""
    job = {"host": server.host, "port": server.port, **job}
    process = subprocess.run(
        [sys.executable, "-m", "bench.load"], input=json.dumps(job), capture_output=True, text=True,
        cwd=ROOT, timeout=float(job.get("max_seconds", 5)) + 180,
    )
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed: {process.stderr.strip()[-2000:]}")
    return json.loads(process.stdout)


@dataclass
class Agent:
    email: str
    cookie: str
    csrf: str


def _csrf(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)


def log_in(base_url: str, email: str, next_path: str) -> Agent:
    """Through the real ``/connexion`` form; lands on ``next_path`` (a form page, for its token)."""
    with requests.Session() as session:
        page = session.get(f"{base_url}/connexion", params={"next": next_path}, timeout=60)
        page.raise_for_status()
        response = session.post(
            f"{base_url}/connexion", params={"next": next_path}, timeout=60,
            data={"email": email, "password": BENCH_PASSWORD, "csrf_token": _csrf(page.text)},
        )
        response.raise_for_status()
        if not response.url.endswith(next_path):
            raise RuntimeError(f"log-in of {email} ended on {response.url}")
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        return Agent(email, cookie, _csrf(response.text))


def registration_request(agent: Agent, event_id: int) -> dict:
    return {
        "method": "POST",
        "path": f"/evenements/{event_id}/inscription",
        "headers": {"Cookie": agent.cookie, "Content-Type": "application/x-www-form-urlencoded"},
        "body": urlencode({**REGISTRATION_FORM, "shares_answers": "y", "csrf_token": agent.csrf}),
    }


def bare_registration_requests(pairs: list[tuple[int, int]], limit: int) -> list[dict]:
    """POSTs to the bare registration route, one per ``(user_id, event_id)``, consecutive ones on
    different events (each event's first agent, then each event's second…)."""
    seen: dict[int, int] = {}
    ordered = []
    for user, event in pairs:
        seen[event] = seen.get(event, 0) + 1
        ordered.append((seen[event], event, user))
    ordered.sort()
    return [{"method": "POST", "path": REGISTRATION_SQL_PATH,
             "headers": {"Content-Type": "application/x-www-form-urlencoded"},
             "body": urlencode({"user": user, "event": event})} for _rank, event, user in ordered[:limit]]


def spread_requests(agents: list[Agent], event_ids: list[int], limit: int) -> list[dict]:
    """(agent, event) pairs, each once, consecutive requests on different events."""
    requests_: list[dict] = []
    step = max(1, len(event_ids) // max(1, len(agents)))
    for round_ in range(len(event_ids)):
        for index, agent in enumerate(agents):
            requests_.append(registration_request(agent, event_ids[(round_ + index * step) % len(event_ids)]))
            if len(requests_) >= limit:
                return requests_
    return requests_


def uncached_programme_requests(year: int) -> list[dict]:
    """Programme pages no process has rendered yet: every (day of November, region) pair, shuffled."""
    import random

    from eventapp.vocabulary import REGIONS

    pairs = [(day, region) for day in range(1, 31) for region in sorted(REGIONS)]
    random.Random(year).shuffle(pairs)
    return [{"path": "/programme?" + urlencode({"region": region, "date": f"{year}-11-{day:02d}"})}
            for day, region in pairs]


def validator_headers(response: requests.Response) -> dict | None:
    """The headers of a conditional GET that should be answered 304."""
    if response.headers.get("ETag"):
        return {"If-None-Match": response.headers["ETag"]}
    if response.headers.get("Last-Modified"):
        return {"If-Modified-Since": response.headers["Last-Modified"]}
    return None


def serialisation_seconds(calendar) -> float:
    """Seconds ``icalendar`` takes to serialise ``calendar``, already built (parsed from the feed)."""
    started = time.perf_counter()
    calendar.to_ical()
    return time.perf_counter() - started


# --- One database and data set -----------------------------------------------------------------


def measure_config(kind: str, size: Size, options: Options) -> dict:
    """Serve a fresh copy of one data set and measure every path; return the figures."""
    label = f"{'PostgreSQL' if kind == 'postgresql' else 'SQLite'}, {size.events} events"
    log(f"\n== {label}")
    started = time.perf_counter()
    if kind == "sqlite":
        target = datasets.sqlite_run_copy(size, options.year, cache_dir=options.cache_dir)
    else:
        target = datasets.postgres_run_copy(size, options.year, options.postgres_admin_url,
                                            prefix=options.postgres_prefix)
    app = probe.open_app(target.url)
    try:
        return _measure(kind, size, options, target, app, label, started)
    finally:
        from eventapp.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if kind == "postgresql":
            datasets.drop_postgres_copy(target, options.postgres_admin_url)


def _measure(kind, size, options, target, app, label, started) -> dict:
    plan = probe.plan(app, options.hot_agents, options.feed_events)
    needed = 1 + options.spread_agents + options.hot_agents
    if len(plan.accounts) < needed:
        raise RuntimeError(f"the data set has {len(plan.accounts)} bench accounts, {needed} needed")
    results: dict[str, dict] = {}
    floor_slices: list[dict] = []
    # (agent, event) pairs for the registration's statements without the application (PostgreSQL).
    pairs = ([(user, event) for event in plan.open_event_ids for user in probe.account_ids(app, plan.accounts)]
             if kind == "postgresql" else [])
    log_path = options.results_dir / f"gunicorn_{kind}_{size.label}.log"
    with servers.gunicorn(target.url, log_path) as server:
        base = server.base_url
        def measure(key: str, job: dict, rounds: int | None = None) -> dict:
            """The path in ``rounds`` slices, each after a slice of the floor (and one more floor slice after)."""
            rounds = rounds or options.rounds
            job = {"concurrency": options.concurrency, "max_requests": options.max_requests,
                   "max_seconds": options.seconds, "warmup": options.warmup, "cycle": True, **job}
            requests_ = job.pop("requests")
            if job["cycle"]:
                chunks = [requests_] * rounds
            else:
                size = -(-len(requests_) // rounds)
                chunks = [chunk for chunk in (requests_[i * size:(i + 1) * size] for i in range(rounds)) if chunk]
            floor_slice = {"requests": [{"path": "/_bench/floor"}], "concurrency": options.concurrency,
                           "max_requests": options.max_requests, "max_seconds": options.floor_seconds / rounds,
                           "warmup": 0, "cycle": True, "raw": True}
            jobs = []
            for index, chunk in enumerate(chunks):
                jobs.append(floor_slice)
                jobs.append({**job, "requests": chunk, "raw": True, "warmup": job["warmup"] if index == 0 else 0,
                             "max_seconds": job["max_seconds"] / len(chunks),
                             "max_requests": max(1, job["max_requests"] // len(chunks))})
            jobs.append(floor_slice)
            outcome = run_load(server, {"jobs": jobs})
            floors, slices = outcome[0::2], outcome[1::2]
            floor_slices.extend(floors)
            result = merge(slices)
            result["floor"] = round(merge(floors)["throughput"], 2)
            ratios = slice_ratios(floors, slices)
            result["slice_ratios"] = [round(ratio, 3) for ratio in ratios]
            result["ratio"] = round(statistics.median(ratios), 3) if ratios else 0.0
            results[key] = result
            log(f"   {key:<20} {result['throughput']:>9.1f} req/s  × floor {result['ratio']:>6.3f}  median "
                f"{result['median_ms']:>8.2f} ms  p95 {result['p95_ms']:>8.2f} ms  queries {_queries(result)}  "
                f"{result['statuses']}")
            return result

        # Accounts: log in through the form (bench accounts have cheap hashes).
        emails = plan.accounts
        feed_agent = log_in(base, emails[0], f"/evenements/{plan.feed_events[0]}/inscription")
        with ThreadPoolExecutor(max_workers=4) as pool:
            spread_agents = list(pool.map(
                lambda email: log_in(base, email, f"/evenements/{plan.open_event_ids[0]}/inscription"),
                emails[1:1 + options.spread_agents]))
            hot_agents = list(pool.map(
                lambda email: log_in(base, email, f"/evenements/{plan.hot_event_id}/inscription"),
                emails[1 + options.spread_agents:needed]))
        # The personal feed's agent registers for a fixed set of events, through the form.
        with requests.Session() as session:
            for event_id in plan.feed_events:
                request = registration_request(feed_agent, event_id)
                session.post(base + request["path"], data=request["body"], headers=request["headers"],
                             allow_redirects=False, timeout=60)
        token = probe.feed_token(app, feed_agent.email)
        personal_path = f"/agenda/{token}.ics"

        # First build of the whole-programme feed, by a worker that has built nothing yet: the median of
        # FIRST_BUILDS, the workers replaced before each; each followed by a sample of its serialisation
        # floor, so that both medians saw the same moments of a shared machine.
        first_builds, serialisations, calendar = [], [], None
        for attempt in range(FIRST_BUILDS):
            if attempt:
                server.restart_workers(servers.WORKERS)
            begin = time.perf_counter()
            feed = requests.get(base + "/programme.ics", timeout=300)
            first_builds.append(time.perf_counter() - begin)
            feed.raise_for_status()
            calendar = calendar or icalendar.Calendar.from_ical(feed.content)
            serialisations.append(serialisation_seconds(calendar))
        first_build = statistics.median(first_builds)
        floor_seconds = statistics.median(serialisations)
        feed_events = feed.content.count(b"BEGIN:VEVENT")
        log(f"   setup done in {time.perf_counter() - started:.1f} s: {plan.public_events} public events, "
            f"feed of {feed_events} events ({len(feed.content) / 1e6:.1f} MB), first build "
            f"{first_build * 1000:.0f} ms, icalendar serialisation {floor_seconds * 1000:.0f} ms")

        programme = requests.get(base + "/programme", timeout=60)
        personal = requests.get(base + personal_path, timeout=60)

        measure("floor", {"requests": [{"path": "/_bench/floor"}]})
        measure("healthz", {"requests": [{"path": "/healthz"}]})
        measure("programme", {"requests": [{"path": "/programme"}]})
        measure("programme_miss", {"requests": uncached_programme_requests(plan.year), "cycle": False,
                                   "warmup": 0})
        measure("programme_filtered", {"requests": [{"path": "/programme?" + urlencode(FILTERED_QUERY)}]})
        measure("search", {"requests": [{"path": "/programme?" + urlencode(SEARCH_QUERY)}]})
        measure("event", {"requests": [{"path": plan.event_path}]})
        measure("programme_ics", {"requests": [{"path": "/programme.ics"}]})
        # The same feed one request at a time: its latency, against the serialisation floor.
        sequential = run_load(server, {"requests": [{"path": "/programme.ics"}], "concurrency": 1,
                                       "max_requests": 50, "max_seconds": options.seconds, "warmup": 2})
        measure("personal_ics", {"requests": [{"path": personal_path}]})
        measure("api_events", {"requests": [{"path": "/api/v1/events"}]})
        for key, path, response in (
            ("programme_304", "/programme", programme),
            ("programme_ics_304", "/programme.ics", feed),
            ("personal_ics_304", personal_path, personal),
        ):
            headers = validator_headers(response)
            if headers is None:
                log(f"   {key:<20} no validator (ETag or Last-Modified) on {path}: not measured")
                continue
            measure(key, {"requests": [{"path": path, "headers": headers}]})

        spread = spread_requests(spread_agents, plan.open_event_ids, options.max_requests)
        measure("register_spread", {"requests": spread, "cycle": False, "warmup": 0})
        hot = [registration_request(agent, plan.hot_event_id) for agent in hot_agents]
        measure("register_hot", {"requests": hot, "cycle": False, "warmup": 0,
                                 "concurrency": options.hot_concurrency, "max_seconds": max(options.seconds, 30)},
                rounds=1)
        if kind == "postgresql":
            # The same statements through a bare route of the same server: Flask's request, the driver.
            measure("register_sql_route", {"requests": bare_registration_requests(pairs, options.max_requests),
                                           "cycle": False, "warmup": 0})
        memory = server.worker_peak_memory_kib()

    sql_registrations = None
    if kind == "postgresql":
        # The same statements in plain SQL, the server stopped: the database's share of a registration.
        sql_registrations = sql_floor.registration_statements(target.url, pairs, max_seconds=options.seconds)
        log(f"   registration statements in plain SQL ({sql_registrations['threads']} threads): "
            f"{sql_registrations['throughput']:.1f} per second {sql_registrations['errors'] or ''}")
    bookings = probe.check_bookings(app, plan.hot_event_id)
    config = {
        "database": kind,
        "events": size.events,
        "label": label,
        "public_events": plan.public_events,
        "results": results,
        "floor_throughput": round(merge(floor_slices)["throughput"], 2),
        "feed": {
            "events": feed_events,
            "bytes": len(feed.content),
            "first_build_ms": round(first_build * 1000, 1),
            "first_builds_ms": [round(seconds * 1000, 1) for seconds in first_builds],
            "serialisation_ms": round(floor_seconds * 1000, 1),
            "serialisations_ms": [round(seconds * 1000, 1) for seconds in serialisations],
            "sequential_median_ms": sequential["median_ms"],
            "sequential_queries": sequential["queries"],
        },
        "memory_kib": memory,
        "sql_registrations": sql_registrations,
        "bookings": asdict(bookings),
        "hot_event": {"id": plan.hot_event_id, "capacity": plan.hot_capacity,
                      "confirmed_before": plan.hot_confirmed_before, "agents": len(hot_agents)},
        "seconds": round(time.perf_counter() - started, 1),
    }
    print_config(config, PATHS)
    return config


def slice_ratios(floors: list[dict], slices: list[dict]) -> list[float]:
    """Each slice of a path over the floor measured around it (the mean of the floor slices just
    before and just after it): the path's ratio is their median, so that one slice disturbed by the
    rest of a shared machine (or one disturbed floor slice) does not decide it."""
    ratios = []
    for index, part in enumerate(slices):
        floor = statistics.mean(around["throughput"] for around in floors[index:index + 2])
        if floor and part["count"]:
            ratios.append(part["throughput"] / floor)
    return ratios


def merge(slices: list[dict]) -> dict:
    """One figure from several slices of the same load: counts and times added, latencies pooled."""
    from collections import Counter

    from .load import percentile

    latencies = [value for part in slices for value in part.get("latencies", [])]
    count = sum(part["count"] for part in slices)
    seconds = sum(part["seconds"] for part in slices)
    statuses: Counter = Counter()
    queries: Counter = Counter()
    for part in slices:
        statuses.update({code: n for code, n in part["statuses"].items()})
        queries.update({value: n for value, n in part["queries"]})
    sizes = [part["bytes"] for part in slices if part["count"]]
    return {
        "count": count,
        "seconds": round(seconds, 4),
        "throughput": round(count / seconds, 2) if seconds else 0.0,
        "median_ms": round(statistics.median(latencies) * 1000, 3) if latencies else 0.0,
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 3),
        "statuses": dict(sorted(statuses.items())),
        "queries": [[value, n] for value, n in queries.most_common()],
        "bytes": round(statistics.mean(sizes)) if sizes else 0,
        "slices": len(slices),
        "errors": [error for part in slices for error in part.get("errors", [])][:5],
    }


def _queries(result: dict) -> str:
    values = result.get("queries") or []
    return "/".join(str(value) for value, _n in values[:3]) or "-"


# --- The whole run -------------------------------------------------------------------------------


def machine() -> dict:
    """Where the figures come from."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    import platform
    import sqlite3

    import gunicorn

    commit = git("rev-parse", "--short", "HEAD") or "?"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": f"gunicorn {gunicorn.__version__}, {servers.WORKERS} workers gthread × {servers.THREADS} threads",
    }


def postgres_version(admin_url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(datasets.psycopg_url(admin_url))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SHOW server_version")).scalar()
    finally:
        engine.dispose()


def prepare_datasets(options: Options) -> None:
    """Build the missing or stale cached data sets, two at a time."""
    jobs = []
    for size in options.sizes:
        if "sqlite" in options.databases:
            jobs.append(("SQLite", size, lambda size=size: datasets.ensure_sqlite(
                size, options.year, cache_dir=options.cache_dir)))
        if "postgresql" in options.databases:
            jobs.append(("PostgreSQL", size, lambda size=size: datasets.ensure_postgres(
                size, options.year, options.postgres_admin_url, prefix=options.postgres_prefix,
                cache_dir=options.cache_dir)))
    started = time.perf_counter()

    def build(job):
        name, size, function = job
        begin = time.perf_counter()
        _, built = function()
        return name, size, built, time.perf_counter() - begin

    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, size, built, seconds in pool.map(build, jobs):
            state = f"built in {seconds:.0f} s" if built else "cached"
            log(f"   data set {name} {size.events} events: {state}")
    log(f"   data sets ready in {time.perf_counter() - started:.0f} s")


def run(options: Options) -> dict:
    """Measure every database and size; write the results; return them."""
    started = time.perf_counter()
    options.results_dir.mkdir(parents=True, exist_ok=True)
    log("== data sets")
    prepare_datasets(options)
    configs = []
    for kind in options.databases:
        for size in options.sizes:
            configs.append(measure_config(kind, size, options))
    info = machine()
    if "postgresql" in options.databases:
        info["postgresql"] = postgres_version(options.postgres_admin_url)
    report = {"machine": info, "configs": configs, "options": {
        "seconds": options.seconds, "floor_seconds": options.floor_seconds, "rounds": options.rounds,
        "max_requests": options.max_requests,
        "concurrency": options.concurrency, "hot_concurrency": options.hot_concurrency,
        "spread_agents": options.spread_agents, "hot_agents": options.hot_agents,
    }}
    report["targets"] = evaluate_targets(configs)
    report["seconds"] = round(time.perf_counter() - started, 1)
    (options.results_dir / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log("\n== targets")
    for target in report["targets"]:
        log(f"   [{'OK ' if target['holds'] else 'NON'}] {target['name']}: {target['figure']}")
    if options.output is not None:
        write_markdown(options.output, report, PATHS)
        log(f"\n   written to {options.output.relative_to(ROOT) if options.output.is_relative_to(ROOT) else options.output}")
    log(f"   total {report['seconds']:.0f} s")
    return report


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="400,5000", help="data sets, by number of events (400,5000)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--seconds", type=float, default=2.0, help="time bound of each measured path")
    parser.add_argument("--floor-seconds", type=float, default=1.0,
                        help="time given to the floor around each path (split over the rounds)")
    parser.add_argument("--rounds", type=int, default=3, help="slices of floor and path, in turn, per path")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args(argv)
    sizes = [SIZES[int(value)] for value in args.sizes.split(",") if value]
    databases = [value.strip() for value in args.databases.split(",") if value.strip()]
    options = Options(sizes=sizes, databases=databases, seconds=args.seconds, floor_seconds=args.floor_seconds,
                      rounds=max(1, args.rounds))
    if args.no_write:
        options.output = None
    if "postgresql" in databases:
        reason = datasets.postgres_available(options.postgres_admin_url)
        if reason:
            log(f"PostgreSQL is not available ({reason}): measuring SQLite only. "
                "Set BENCH_POSTGRES_URL to a server where this role may create databases.")
            options.databases = [d for d in databases if d != "postgresql"]
    return options


def main(argv: list[str] | None = None) -> int:
    run(parse_args(argv))
    return 0
