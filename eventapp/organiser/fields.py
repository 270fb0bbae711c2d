"""Building blocks of the organisers' and coordinators' forms: French messages, choices,
date, time and text fields, and small parsing helpers."""
import re
from datetime import date, datetime, time, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from wtforms import SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..dates import SpanDateField

try:  # WTForms 3.3 deprecates plain tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%H h %M"]
POSTCODE = re.compile(r"^\d{5}$")


def choice_list(pairs) -> list:
    """``(value, label)`` pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class FrenchMeta(DefaultMeta):
    """WTForms' own messages in French (Flask-Babel is not used)."""

    locales = ("fr_FR", "fr")

    def get_translations(self, form):
        return DefaultMeta.get_translations(self, form)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, rendered by the ``choices`` macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def date_field(label: str, required_message: str | None = None, description: str = "") -> SpanDateField:
    """A date typed as 2030-11-14 (the browser's date input) or 14/11/2030, within the editions' years."""
    validators = [InputRequired(required_message)] if required_message else [Optional()]
    return SpanDateField(
        label,
        validators=validators,
        format=DATE_FORMATS,
        invalid_value_message="Saisissez une date valide, par exemple 14/11/2030.",
        description=description,
    )


def time_field(label: str, required_message: str | None = None, description: str = "") -> TimeField:
    validators = [InputRequired(required_message)] if required_message else [Optional()]
    return TimeField(
        label,
        validators=validators,
        format=TIME_FORMATS,
        invalid_value_message="Saisissez une heure valide, par exemple 14:30.",
        description=description,
    )


def text_field(label: str, max_length: int, required_message: str | None = None, description: str = "", area=False):
    """A stripped text input (or text area) of bounded length, required when a message is given."""
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=max_length, message=f"« {label} » ne doit pas dépasser {max_length} caractères."))
    field_class = TextAreaField if area else StringField
    return field_class(label, validators=validators, description=description, filters=[strip])


def strip(value):
    return value.strip() if isinstance(value, str) else value


def is_https_url(value: str) -> bool:
    """A web address on https with a host name (no other scheme can sneak in)."""
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.netloc) and " " not in value and "." in parts.netloc


def instant(day: date | None, moment: time | None, tz: str) -> datetime | None:
    """A local date and time in ``tz`` as a UTC instant."""
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def departement_from_postcode(postcode: str) -> str:
    """The usual département of a postcode (Corsica and overseas need their own rule)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    return postcode[:2]
