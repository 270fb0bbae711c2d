"""Measurement hooks for ``make bench``, off unless a configuration flag turns them on.

- ``BENCH_FLOOR_ROUTE``: adds ``/_bench/floor``, the cheapest request the stack can
  answer (no database, no template) that still goes through every request hook, so
  the benchmark can compare each page to the floor of the same server.
- ``BENCH_QUERY_COUNT``: counts the SQL statements each request runs and sends the
  number in an ``X-Query-Count`` response header.

Production forces both flags off (see ``config.ProductionConfig``).
"""
from flask import Flask, Response, current_app, g, has_app_context
from sqlalchemy import event

FLOOR_PATH = "/_bench/floor"
QUERY_COUNT_HEADER = "X-Query-Count"


def init_app(app: Flask) -> None:
    """Register the hooks the configuration asks for (nothing by default)."""
    if app.config.get("BENCH_FLOOR_ROUTE"):
        app.add_url_rule(FLOOR_PATH, "bench_floor", _floor)
    if app.config.get("BENCH_QUERY_COUNT"):
        _count_queries(app)


def _floor() -> Response:
    """The floor: a constant answer that touches no database."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


def note_query() -> None:
    """Count a statement run on a raw DBAPI cursor, which the engine listener below cannot see."""
    if has_app_context() and current_app.config.get("BENCH_QUERY_COUNT"):
        g.bench_queries = g.get("bench_queries", 0) + 1


def _count_queries(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args, **_kwargs):
        if has_app_context():
            g.bench_queries = g.get("bench_queries", 0) + 1

    @app.after_request
    def _query_count_header(response: Response) -> Response:
        response.headers[QUERY_COUNT_HEADER] = str(g.get("bench_queries", 0))
        return response
