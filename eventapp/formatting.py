"""French formatting of dates, times and numbers for templates, e-mails and feeds."""
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from .vocabulary import PARIS_TZ

LOCALE = "fr_FR"


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def _day(value: date | datetime, tz: str | None) -> date:
    """The calendar day of ``value`` (in ``tz`` for an instant, when given)."""
    if isinstance(value, datetime):
        return (local(value, tz) if tz else value).date()
    return value


@lru_cache(maxsize=4096)
def _formatted_day(day: date, pattern: str) -> str:
    """Babel's French day; kept, since a programme page writes the same few dozen days again and again."""
    return format_date(day, format=pattern, locale=LOCALE)


def long_date(value: date | datetime, tz: str | None = None) -> str:
    """« mardi 14 novembre 2027 »"""
    return _formatted_day(_day(value, tz), "EEEE d MMMM y")


def short_date(value: date | datetime, tz: str | None = None) -> str:
    """« 14 nov. 2027 »"""
    return _formatted_day(_day(value, tz), "d MMM y")


def clock(value: datetime, tz: str) -> str:
    """« 14 h 30 » (the French way of writing the time)."""
    moment = local(value, tz)
    return f"{moment.hour} h {moment.minute:02d}"


def date_time(value: datetime, tz: str) -> str:
    """« mardi 14 novembre 2027 à 14 h 30 »"""
    return f"{long_date(value, tz)} à {clock(value, tz)}"


def timestamp(value: datetime | None, tz: str = PARIS_TZ) -> str:
    """A moment in the app's own history, shown in Paris time: « 14/11/2027 14:30 »."""
    if value is None:
        return ""
    return format_datetime(local(value, tz), format="dd/MM/y HH:mm", locale=LOCALE)


def duration(start: datetime, end: datetime) -> str:
    """« 1 h 30 », « 45 min », « 2 jours »"""
    minutes = int((end - start).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    if days and not rest:
        return f"{days} jour" + ("s" if days > 1 else "")
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins:02d}"
    if hours:
        return f"{hours} h"
    return f"{mins} min"


def number(value: int | float) -> str:
    return format_decimal(value, locale=LOCALE)


def timezone_label(tz: str) -> str:
    """« heure de Paris », « heure de La Réunion »…"""
    return TIMEZONE_LABELS.get(tz, tz)


TIMEZONE_LABELS = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}


def register_filters(app) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(short_date)
    app.add_template_filter(clock)
    app.add_template_filter(date_time)
    app.add_template_filter(timestamp)
    app.add_template_filter(number)
    app.add_template_filter(timezone_label)
    app.add_template_global(duration)
    app.add_template_global(format_time)
