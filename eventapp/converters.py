"""URL converters: ``<int:…>`` accepts only the integers a database id or year can hold.

Werkzeug's ``int`` converter takes any number of digits; a 20-digit id would then reach
the database and fail there (SQLite cannot bind it, PostgreSQL compares it to a 32-bit
column), giving a 500 instead of a 404. Here anything above 2**31 - 1 simply does not
match the route, so the router answers 404 itself.
"""
from werkzeug.routing import IntegerConverter

#: The largest value of a 32-bit signed integer column (ids, years).
MAX_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``int`` with an upper bound by default (still non-negative, as Werkzeug's)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
