"""Bulk inserts for the demo: thousands of rows in a few statements, in the session's transaction."""
import enum
import json

from sqlalchemy import insert

from ..extensions import db


def insert_returning(model, rows: list[dict]) -> list[int]:
    """Insert rows and give their ids, in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement.execution_options(render_nulls=True), rows))


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows whose keys are column names (the same keys in every row).

    SQLite: one Core ``executemany`` (one call, no ORM bookkeeping per row). PostgreSQL:
    ``COPY … FROM STDIN`` on the session's connection, several times faster than psycopg's
    pipelined ``executemany`` (or its multi-row VALUES, which it parses in Python). Columns left
    out get their Python-side default, as an INSERT would give them.
    """
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(insert(model.__table__), rows)
        return
    table = model.__table__
    given = list(rows[0])
    defaulted = [
        column for column in table.columns
        if column.name not in rows[0] and column.default is not None
        and (column.default.is_scalar or column.default.is_callable)
    ]
    names = ", ".join(f'"{name}"' for name in given + [column.name for column in defaulted])
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [_copy_value(row[name]) for name in given]
            values += [_default(column) for column in defaulted]
            copy.write_row(values)


def _copy_value(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _default(column):
    default = column.default
    return default.arg(None) if default.is_callable else default.arg
