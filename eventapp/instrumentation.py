"""Measurement hooks for ``make bench``, off unless a configuration flag turns them on.

- ``BENCH_FLOOR_ROUTE``: adds ``/_bench/floor``, the cheapest request the stack can
  answer (no database, no template) that still goes through every request hook, so
  the benchmark can compare each page to the floor of the same server.
  With it comes ``/_bench/registration-sql`` (PostgreSQL only): the statements of a
  registration run with the driver alone (no session, no form, no ORM, no template),
  the bare request against which a real registration's cost can be read.
- ``BENCH_QUERY_COUNT``: counts the SQL statements each request runs and sends the
  number in an ``X-Query-Count`` response header.

Production forces both flags off (see ``config.ProductionConfig``).
"""
from flask import Flask, Response, abort, current_app, g, has_app_context, request
from sqlalchemy import event

FLOOR_PATH = "/_bench/floor"
REGISTRATION_SQL_PATH = "/_bench/registration-sql"
QUERY_COUNT_HEADER = "X-Query-Count"

#: An e-mail row of the usual size (the confirmation's text, HTML and .ics attachment).
REGISTRATION_EMAIL_BODY = "x" * 6000

#: What a registration runs, in plain SQL (psycopg's parameter style): the account, the event with its
#: edition, organisation and themes, the lock, the agent's registration and the seats, the insert, an
#: e-mail, the data version. ``(statement, returns rows)``. The registration is written *cancelled*, so it
#: takes no seat and changes no booking.
REGISTRATION_STATEMENTS = (
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


def run_registration_statements(connection, user_id: int, event_id: int, shard: int) -> None:
    """One registration's statements in one transaction, on a DBAPI (psycopg) connection."""
    values = {"user": user_id, "event": event_id, "body": REGISTRATION_EMAIL_BODY, "shard": shard}
    try:
        with connection.cursor() as cursor:
            for statement, returns_rows in REGISTRATION_STATEMENTS:
                cursor.execute(statement, values)
                note_query()
                if returns_rows:
                    cursor.fetchall()
        connection.commit()
    except BaseException:
        connection.rollback()
        raise


def init_app(app: Flask) -> None:
    """Register the hooks the configuration asks for (nothing by default)."""
    if app.config.get("BENCH_FLOOR_ROUTE"):
        from .extensions import csrf

        app.add_url_rule(FLOOR_PATH, "bench_floor", _floor)
        app.add_url_rule(REGISTRATION_SQL_PATH, "bench_registration_sql", csrf.exempt(_registration_sql),
                         methods=["POST"])
    if app.config.get("BENCH_QUERY_COUNT"):
        _count_queries(app)


def _floor() -> Response:
    """The floor: a constant answer that touches no database."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


def _registration_sql() -> Response:
    """A registration's statements and nothing else: a pooled connection, the driver, a commit."""
    from .extensions import db

    if db.engine.dialect.name != "postgresql":
        abort(404)
    try:
        user_id, event_id = int(request.form["user"]), int(request.form["event"])
    except (KeyError, ValueError):
        abort(400)
    from .dataversion.writing import this_thread_shard  # here: the data version imports this module

    connection = db.engine.raw_connection()
    try:
        run_registration_statements(connection, user_id, event_id, this_thread_shard())
    finally:
        connection.close()  # back to the pool
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
