"""The benchmark's data sets: built with ``flask seed demo``, cached, copied fresh for every run.

A data set is an edition of N events (with the demo's organisations, agents and
registrations) plus a few accounts of the benchmark's own (cheap password hashes,
no registrations) that log in to register and to read a personal feed.

Built data sets are kept between runs and rebuilt only when what shapes them
changes: the migrations, the models, the seed, this file, the sizes and the
edition year (a hash of all of it is stored beside the SQLite file and as the
comment of the PostgreSQL database). Each run measures a copy (a file copy on
SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), since registering changes
the data.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "instance" / "bench"

#: The benchmark's own accounts (``bench-agent-NNN@example.org``), all with this password.
BENCH_PASSWORD = "mesure-de-la-plateforme"
BENCH_EMAIL = "bench-agent-{:03d}@example.org"
BENCH_ACCOUNTS = 64


@dataclass(frozen=True)
class Size:
    """The arguments of ``flask seed demo`` for one data set."""

    events: int
    organisations: int
    agents: int
    seed: int = 42

    @property
    def label(self) -> str:
        return str(self.events)


#: 400 events: the demo's defaults (about 15,000 registrations). 5,000 events: ~50,000
#: registrations in the edition (the demo gives each event as many sign-ups as it wants,
#: capped by the number of agents, so a small pool of agents keeps the total there).
SIZES = {
    400: Size(events=400, organisations=130, agents=2000),
    5000: Size(events=5000, organisations=400, agents=17),
}

#: What shapes a data set: any change here rebuilds the cached copies.
_SOURCES = (
    "migrations",
    "eventapp/models",
    "eventapp/seed",
    "eventapp/geo.py",
    "eventapp/vocabulary.py",
    "eventapp/text.py",
    "eventapp/search.py",
    "eventapp/workflow/snapshot.py",
    "bench/datasets.py",
)


def default_year(today: date | None = None) -> int:
    """The demo's edition year: the next November that has not started."""
    today = today or date.today()
    return today.year if today < date(today.year, 11, 1) else today.year + 1


def source_hash(size: Size, year: int) -> str:
    """A digest of everything the data set depends on."""
    digest = hashlib.sha256(repr((size, year, BENCH_ACCOUNTS)).encode())
    for name in _SOURCES:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:24]


# --- Targets ---------------------------------------------------------------------------------


@dataclass
class Target:
    """Where one data set lives: a SQLite file or a PostgreSQL database (or schema)."""

    kind: str  # "sqlite" or "postgresql"
    url: str  # SQLAlchemy URL of the data set itself

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.kind == "postgresql" else "SQLite"


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/postgres")


def psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def postgres_available(admin_url: str | None = None) -> str | None:
    """``None`` when PostgreSQL answers (and may create databases), else why not."""
    try:
        engine = create_engine(psycopg_url(admin_url or postgres_admin_url()), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            allowed = conn.execute(text(
                "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
            )).scalar()
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not available", said why
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return None if allowed else "the PostgreSQL role may not create databases"


def _database_url(admin_url: str, name: str) -> str:
    return make_url(psycopg_url(admin_url)).set(database=name).render_as_string(hide_password=False)


def _run_flask(args: list[str], database_url: str, log) -> None:
    env = dict(os.environ, DATABASE_URL=database_url, EVENTAPP_CONFIG="development",
               BENCH_FLOOR_ROUTE="0", BENCH_QUERY_COUNT="0")
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"`flask {' '.join(args)}` failed (exit {result.returncode}); see {log.name}")


def seed_into(database_url: str, size: Size, year: int, log_path: Path) -> None:
    """Migrate an empty database, seed it, add the benchmark's accounts and analyse it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        _run_flask(["db", "upgrade"], database_url, log)
        _run_flask(["seed", "demo", "--events", str(size.events), "--organisations", str(size.organisations),
                    "--agents", str(size.agents), "--seed", str(size.seed), "--year", str(year)],
                   database_url, log)
    add_bench_accounts(database_url)
    settle(database_url)


def settle(database_url: str) -> None:
    """Leave a just-built data set as a live database would be: analysed, and on PostgreSQL vacuumed
    and frozen (so the first reads of each run's copy do not set hint bits on every row, a one-off
    write) and checkpointed (so no flush of the build's writes runs during the measurements)."""
    engine = create_engine(psycopg_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if engine.dialect.name != "postgresql":
                conn.execute(text("ANALYZE"))
                return
            conn.execute(text("VACUUM (FREEZE, ANALYZE)"))
            try:
                conn.execute(text("CHECKPOINT"))
            except DBAPIError:  # needs a superuser or pg_checkpoint: only steadier figures are lost
                pass
    finally:
        engine.dispose()


def add_bench_accounts(database_url: str, count: int = BENCH_ACCOUNTS) -> None:
    """Accounts for the benchmark, with a cheap password hash (log-ins should not measure scrypt)."""
    from werkzeug.security import generate_password_hash

    password_hash = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    engine = create_engine(psycopg_url(database_url))
    from eventapp.models import User, utcnow  # the table only: no application is created here

    rows = [
        dict(email=BENCH_EMAIL.format(n), name=f"Agent de mesure {n}", administration="Banc de mesure",
             job_title="Agent", password_hash=password_hash, is_active=True, is_admin=False,
             is_coordinator=False, session_nonce=os.urandom(8).hex(),
             feed_token_selector=f"bench{n:03d}{os.urandom(3).hex()}", feed_token_secret=os.urandom(24).hex())
        for n in range(count)
    ]
    now = utcnow()
    for row in rows:
        row.update(created_at=now, email_verified_at=now)
    with engine.begin() as conn:
        conn.execute(User.__table__.insert(), rows)
    engine.dispose()


def _sqlite_cache(size: Size, cache_dir: Path) -> tuple[Path, Path]:
    return cache_dir / f"bench_{size.label}.db", cache_dir / f"bench_{size.label}.key"


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure_sqlite(size: Size, year: int, cache_dir: Path = CACHE_DIR) -> tuple[Path, bool]:
    """The cached SQLite data set, built if missing or stale; ``(path, built)``."""
    path, key_path = _sqlite_cache(size, cache_dir)
    key = source_hash(size, year)
    if path.exists() and key_path.exists() and key_path.read_text().strip() == key:
        return path, False
    cache_dir.mkdir(parents=True, exist_ok=True)
    key_path.unlink(missing_ok=True)
    _remove_sqlite(path)
    seed_into(f"sqlite:///{path}", size, year, cache_dir / f"seed_sqlite_{size.label}.log")
    # One file, no write-ahead log left beside it, so a copy is the whole database.
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    key_path.write_text(key + "\n")
    return path, True


def sqlite_run_copy(size: Size, year: int, cache_dir: Path = CACHE_DIR) -> Target:
    """A fresh copy of the cached SQLite data set, for one run."""
    source, _ = ensure_sqlite(size, year, cache_dir)
    copy = cache_dir / f"run_{size.label}.db"
    _remove_sqlite(copy)
    shutil.copyfile(source, copy)
    return Target("sqlite", f"sqlite:///{copy}")


def _admin_engine(admin_url: str):
    return create_engine(psycopg_url(admin_url), isolation_level="AUTOCOMMIT")


def ensure_postgres(size: Size, year: int, admin_url: str | None = None, prefix: str = "bench",
                    cache_dir: Path = CACHE_DIR) -> tuple[str, bool]:
    """The cached PostgreSQL data set (database ``<prefix>_<size>``), built if missing or stale."""
    admin_url = admin_url or postgres_admin_url()
    name = f"{prefix}_{size.label}"
    key = source_hash(size, year)
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as conn:
            comment = conn.execute(text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"
            ), {"name": name}).scalar()
            if comment == key:
                return name, False
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        seed_into(_database_url(admin_url, name), size, year, cache_dir / f"seed_postgresql_{size.label}.log")
        with engine.connect() as conn:
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{key}'"))
        return name, True
    finally:
        engine.dispose()


def postgres_run_copy(size: Size, year: int, admin_url: str | None = None, prefix: str = "bench",
                      cache_dir: Path = CACHE_DIR) -> Target:
    """A fresh copy of the cached PostgreSQL data set (``<prefix>_<size>_run``), for one run."""
    admin_url = admin_url or postgres_admin_url()
    template, _ = ensure_postgres(size, year, admin_url, prefix, cache_dir)
    name = f"{template}_run"
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        engine.dispose()
    return Target("postgresql", _database_url(admin_url, name))


def drop_postgres_copy(target: Target, admin_url: str | None = None) -> None:
    """Drop a run's PostgreSQL copy (the cached data set stays)."""
    name = make_url(target.url).database
    engine = _admin_engine(admin_url or postgres_admin_url())
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
