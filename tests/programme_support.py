"""Helpers for the programme, event page and organisation tests: searchable events, a query counter."""
import json
import re
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import event as sa_event

from eventapp import dataversion
from eventapp.extensions import db
from eventapp.search import refresh_search_text
from tests.factories import make_event


def public_event(edition, organisation=None, **fields):
    """A published event whose search text is up to date (as the services keep it)."""
    event = make_event(edition, organisation, **fields)
    refresh_search_text(event)
    db.session.flush()
    return event


def at(day: int, hour: int = 13, minute: int = 0, year: int = 2030) -> datetime:
    """An instant in November (UTC)."""
    return datetime(year, 11, day, hour, minute, tzinfo=timezone.utc)


@contextmanager
def count_queries():
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def record_version_read(*_args):
        statements.append(dataversion._READ)

    # The data version is read on a raw DBAPI connection of its own engine (no cursor events
    # there): each checkout of that pool is one read of the version, one statement.
    engine, reader = db.engine, dataversion.reader_engine()
    sa_event.listen(engine, "before_cursor_execute", record)
    if reader is not None:
        sa_event.listen(reader, "checkout", record_version_read)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
        if reader is not None:
            sa_event.remove(reader, "checkout", record_version_read)


def jsonld_of(response) -> dict:
    """The page's JSON-LD, parsed back."""
    match = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.get_data(as_text=True), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def event_ids_on_page(response) -> list[int]:
    """Ids of the events listed on a programme page, in order."""
    return [int(n) for n in re.findall(r'id="evenement-(\d+)"', response.get_data(as_text=True))]
