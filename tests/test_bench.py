"""`make bench` at a tiny size, so its machinery cannot rot: data set, gunicorn, load, report.

No timing is asserted (figures on a shared machine are noise at this size): only
that every path was measured with the expected answers, that nothing was
overbooked, and that the report was written with its targets.
"""
import os
import statistics

import pytest
from sqlalchemy import create_engine, text

from bench import datasets
from bench.datasets import Size
from bench.report import BEGIN, END
from bench.run import FIRST_BUILDS, PATHS, Options, run
from eventapp.instrumentation import REGISTRATION_STATEMENTS

pytestmark = pytest.mark.slow

TINY = Size(events=24, organisations=18, agents=30, seed=7)
READ_PATHS = ["floor", "healthz", "programme", "programme_miss", "programme_filtered", "search", "event", "programme_ics", "personal_ics",
              "api_events"]
REVALIDATIONS = ["programme_304", "programme_ics_304", "personal_ics_304"]


def tiny_options(tmp_path, databases, **overrides) -> Options:
    values = dict(
        sizes=[TINY], databases=databases, seconds=0.25, floor_seconds=0.15, max_requests=15,
        concurrency=2, hot_concurrency=3, spread_agents=2, hot_agents=4, feed_events=3, warmup=2,
        output=tmp_path / "benchmarks.md", results_dir=tmp_path / "results", cache_dir=tmp_path / "cache",
    )
    values.update(overrides)
    return Options(**values)


def check_report(report, tmp_path, database):
    (config,) = report["configs"]
    assert config["database"] == database
    results = config["results"]
    for key in READ_PATHS:
        assert results[key]["count"] > 0, key
        assert set(results[key]["statuses"]) == {"200"}, (key, results[key]["statuses"])
    for key in REVALIDATIONS:
        assert set(results[key]["statuses"]) == {"304"}, (key, results[key]["statuses"])
    assert results["floor"]["queries"] == [[0, results["floor"]["count"]]]
    for key in READ_PATHS:  # each ratio is the median of its slices' ratios to the floor around them
        ratios = results[key]["slice_ratios"]
        assert ratios and results[key]["ratio"] == pytest.approx(statistics.median(ratios), abs=0.001)
    assert results["healthz"]["queries"][0][0] >= 1  # the database is really asked
    assert results["programme"]["queries"], "the query count header is read"
    for key in ("register_spread", "register_hot"):
        assert results[key]["count"] > 0
        assert set(results[key]["statuses"]) <= {"303", "409"}, results[key]["statuses"]
    assert config["bookings"]["overbooked_events"] == 0
    assert config["bookings"]["duplicates"] == 0
    assert config["feed"]["events"] > 0 and config["feed"]["serialisation_ms"] > 0
    # The first build is the median of cold builds, each by workers that had built nothing.
    builds = config["feed"]["first_builds_ms"]
    assert len(builds) == FIRST_BUILDS
    assert config["feed"]["first_build_ms"] == sorted(builds)[len(builds) // 2]
    # ... each followed by a sample of the serialisation floor.
    floors = config["feed"]["serialisations_ms"]
    assert len(floors) == FIRST_BUILDS
    assert config["feed"]["serialisation_ms"] == sorted(floors)[len(floors) // 2]
    assert config["memory_kib"] and all(kib > 0 for kib in config["memory_kib"])
    assert report["targets"]
    written = (tmp_path / "benchmarks.md").read_text()
    assert BEGIN in written and END in written
    for _key, label in PATHS:
        assert label in written
    assert (tmp_path / "results" / "latest.json").exists()


def test_bench_on_sqlite(tmp_path):
    report = run(tiny_options(tmp_path, ["sqlite"]))
    check_report(report, tmp_path, "sqlite")
    # A second run reuses the data set built by the first.
    key = (tmp_path / "cache" / f"bench_{TINY.label}.key").read_text().strip()
    assert key == datasets.source_hash(TINY, datasets.default_year())


def test_bench_on_postgresql(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL part of the bench smoke test: set TEST_DATABASE_URL to run it")
    reason = datasets.postgres_available(url)
    if reason:
        pytest.skip(f"PostgreSQL part of the bench smoke test: {reason}")
    prefix = "_".join(
        part for part in (os.environ.get("TEST_DB_SCHEMA", "test"), "bench", os.environ.get("PYTEST_XDIST_WORKER"))
        if part
    ).lower().replace("-", "_")
    try:
        report = run(tiny_options(tmp_path, ["postgresql"], postgres_admin_url=url, postgres_prefix=prefix))
        check_report(report, tmp_path, "postgresql")
        (config,) = report["configs"]
        sql = config["sql_registrations"]  # the database's share of a registration, for reference
        assert sql["count"] > 0 and sql["errors"] == [], sql
        bare = config["results"]["register_sql_route"]  # the same statements through a bare route
        assert bare["count"] > 0 and set(bare["statuses"]) == {"200"}, bare["statuses"]
        assert bare["queries"][0][0] == len(REGISTRATION_STATEMENTS)
        assert config["bookings"]["overbooked_events"] == 0  # its rows are cancelled: no seat taken
        # The cached data set was left vacuumed and analysed, as a live database would be.
        template = create_engine(datasets._database_url(datasets.psycopg_url(url), f"{prefix}_{TINY.label}"))
        with template.connect() as conn:
            vacuumed = conn.execute(text(
                "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables "
                "WHERE relname = 'event'"
            )).scalar()
        template.dispose()
        assert vacuumed
    finally:
        engine = create_engine(datasets.psycopg_url(url), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{TINY.label}" WITH (FORCE)'))
        engine.dispose()


# --- The query-count target, on figures made up for it ---------------------------------------------


def _config(events: int, queries: dict[str, list[list[int]]]) -> dict:
    results = {key: {"queries": values, "ratio": 1.0, "statuses": {"200": sum(n for _v, n in values)},
                     "median_ms": 1.0, "throughput": 100.0, "floor": 1000.0}
               for key, values in queries.items()}
    return {
        "database": "sqlite", "events": events, "results": results, "floor_throughput": 1000.0,
        "feed": {"serialisation_ms": 100.0, "first_build_ms": 50.0, "sequential_median_ms": 1.0,
                 "sequential_queries": [[0, 5]]},
        "bookings": {"overbooked_events": 0, "duplicates": 0, "hot_confirmed": 1, "hot_capacity": 1,
                     "hot_waitlisted": 0},
    }


def _queries_target(small: dict, big: dict) -> dict:
    from bench.report import evaluate_targets

    (target,) = [t for t in evaluate_targets([small, big]) if "SQL queries per request" in t["name"]]
    return target


def test_a_cached_page_rendered_again_at_the_larger_size_is_not_growth():
    small = _config(400, {"programme": [[0, 95], [1, 5]], "programme_miss": [[17, 10], [18, 5]]})
    big = _config(5000, {"programme": [[0, 90], [1, 5], [18, 1]], "programme_miss": [[18, 10], [17, 5]]})
    assert _queries_target(small, big)["holds"]


def test_more_statements_for_the_typical_request_or_beyond_the_smaller_run_is_growth():
    small = _config(400, {"programme": [[1, 100]], "programme_miss": [[17, 10]]})
    assert not _queries_target(small, _config(5000, {"programme": [[2, 100]], "programme_miss": [[17, 10]]}))["holds"]
    assert not _queries_target(small, _config(5000, {"programme": [[1, 99], [30, 1]],
                                                     "programme_miss": [[17, 10]]}))["holds"]


def test_counts_that_depend_on_the_data_met_are_not_growth():
    small = _config(400, {"programme_miss": [[13, 50], [17, 40], [14, 8], [18, 2]]})
    big = _config(5000, {"programme_miss": [[17, 50], [18, 40], [13, 10]]})
    assert _queries_target(small, big)["holds"]


# --- Ratios to the floor ------------------------------------------------------------------------


def test_a_ratio_is_the_median_of_each_slice_over_the_floor_around_it():
    from bench.run import slice_ratios

    floors = [{"throughput": t} for t in (1000.0, 1200.0, 800.0, 1000.0)]
    slices = [{"throughput": 550.0, "count": 550}, {"throughput": 100.0, "count": 100},  # a disturbed slice
              {"throughput": 450.0, "count": 450}]
    ratios = slice_ratios(floors, slices)
    assert ratios == pytest.approx([0.5, 0.1, 0.5])  # 550 / mean(1000, 1200), 100 / mean(1200, 800)…
    assert statistics.median(ratios) == pytest.approx(0.5)
    # A slice that sent nothing, or a floor that answered nothing, gives no ratio.
    assert slice_ratios([{"throughput": 0.0}, {"throughput": 0.0}], [{"throughput": 5.0, "count": 5}]) == []
    assert slice_ratios(floors[:2], [{"throughput": 0.0, "count": 0}]) == []
