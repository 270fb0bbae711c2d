"""The programme as CSV, for spreadsheets: UTF-8 with BOM, ``;`` separator, formula-safe cells.

Columns (stable; documented in the README):

=============  =================================================================
id             the event's number (as in ``/evenements/<id>``)
title          title
starts_at      start, ISO 8601 in the event's time zone with its offset
ends_at        end, same form
timezone       IANA time zone of the event (``Europe/Paris``, ``Indian/Reunion``…)
region_code    region code (INSEE), empty when unknown
region         region name
departement    département code
city           city
mode           Présentiel, En ligne or Hybride
format         format label (Atelier collaboratif…)
themes         theme labels, separated by `` | ``
audiences      audience labels, separated by `` | ``
organisation   organiser's name
url            the event's public page
status         Publié or Annulé
capacity       seats offered (empty: unlimited or not registered here)
seats_left     seats left (empty: unlimited or not registered here)
=============  =================================================================
"""
import csv
import io
from collections.abc import Callable, Iterable

from ..models import Event, EventStatus
from ..seats import Seats
from ..vocabulary import AUDIENCES, FORMATS, MODES, THEMES, label, region_name

CSV_COLUMNS = [
    "id",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "region_code",
    "region",
    "departement",
    "city",
    "mode",
    "format",
    "themes",
    "audiences",
    "organisation",
    "url",
    "status",
    "capacity",
    "seats_left",
]

STATUS_LABELS = {EventStatus.PUBLISHED: "Publié", EventStatus.CANCELLED: "Annulé"}

#: Characters that make a spreadsheet read a cell as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def event_row(event: Event, seats: Seats | None, url: str) -> list[str]:
    return [
        safe_cell(cell)
        for cell in (
            event.id,
            event.title,
            event.local_starts_at.isoformat(),
            event.local_ends_at.isoformat(),
            event.timezone,
            event.region_code,
            region_name(event.region_code),
            event.departement_code,
            event.city,
            label(MODES, event.mode.value),
            label(FORMATS, event.format),
            " | ".join(label(THEMES, code) for code in event.themes),
            " | ".join(label(AUDIENCES, code) for code in event.audiences),
            event.organisation.name if event.organisation else "",
            url,
            STATUS_LABELS.get(event.status, event.status.value),
            "" if seats is None or seats.left is None else event.capacity,
            "" if seats is None or seats.left is None else seats.left,
        )
    ]


def programme_csv(
    events: Iterable[Event], seats: dict[int, Seats], url_of: Callable[[Event], str]
) -> str:
    """The CSV text (with its BOM) of the given events."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(event_row(event, seats.get(event.id), url_of(event)))
    return buffer.getvalue()
