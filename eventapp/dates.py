"""The span of dates the platform accepts from its users: the years an edition may have.

A date outside names no event of any edition, and turning it into an instant of
another time zone can overflow Python's ``datetime`` (0001-01-01 in Paris is
before year 1 in UTC; 9999-12-31 has no next day). A form refuses such a date
with one French message; a programme filter on such a day simply matches no event.
"""
from datetime import date, datetime

from wtforms import DateField, DateTimeLocalField

FIRST_YEAR = 2000
LAST_YEAR = 2100

OUT_OF_SPAN_MESSAGE = f"Saisissez une date comprise entre {FIRST_YEAR} et {LAST_YEAR}."


def within_span(value: date | datetime) -> bool:
    """Whether ``value`` (a date, or a date and time) falls within the years an edition may have."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


class _WithinSpan:
    """Refuses, as the field reads its input, a value outside the span: the form shows the French
    message and the field's data stays ``None``, so nothing downstream converts it between zones."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not within_span(self.data):
            self.data = None
            raise ValueError(OUT_OF_SPAN_MESSAGE)


class SpanDateField(_WithinSpan, DateField):
    """A date within the editions' years."""


class SpanDateTimeLocalField(_WithinSpan, DateTimeLocalField):
    """A date and time within the editions' years."""
