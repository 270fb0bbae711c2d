"""A database of their own for the tests that build one from nothing (the migration chains):
a SQLite file, or a throwaway schema beside the one every PostgreSQL test shares."""
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from eventapp import normalise_database_url
from tests.conftest import TEST_DATABASE_URL, postgres_url_with_schema

#: ``@pytest.mark.parametrize("kind", DATABASES)``: SQLite always, PostgreSQL with TEST_DATABASE_URL.
DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set: PostgreSQL not tested"),
    ]),
]


@contextmanager
def scratch_database(kind: str, folder: Path, name: str):
    """Yield the URL of an empty database: the SQLite file ``folder/<name>.db``, or on
    PostgreSQL a new schema ``<name>_<random>``, dropped with everything in it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    schema = f"{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield postgres_url_with_schema(TEST_DATABASE_URL, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
