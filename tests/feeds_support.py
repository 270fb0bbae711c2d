"""Reading feeds back for the tests: icalendar, the strict ``ical`` package and ``vobject`` must agree."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import event as sa_event
from sqlalchemy import update

from eventapp.extensions import db
from eventapp.models import Event, Organisation, Registration

PARIS = "Europe/Paris"


@dataclass
class ParsedEvent:
    uid: str
    summary: str
    description: str
    location: str
    start: datetime
    end: datetime
    status: str
    sequence: int
    tzid: str
    categories: list[str]
    organizer_cn: str | None
    url: str
    geo: tuple[float, float] | None


@dataclass
class Parsed:
    raw: bytes
    calendar: icalendar.Calendar
    events: dict[str, ParsedEvent] = field(default_factory=dict)
    timezones: list[str] = field(default_factory=list)

    def by_id(self, event_id: int) -> ParsedEvent:
        for uid, parsed in self.events.items():
            if uid.startswith(f"event-{event_id}@"):
                return parsed
        raise KeyError(event_id)

    def header(self, name: str) -> str:
        return str(self.calendar[name])


def check_lines(data: bytes) -> None:
    """CRLF everywhere, no bare CR or LF, content lines folded at 75 octets."""
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character


def parse_all(data: bytes) -> Parsed:
    """Parse with the three parsers, check they agree, return icalendar's reading."""
    check_lines(data)
    text = data.decode("utf-8")

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == sorted(set(timezones)), "one VTIMEZONE per zone, sorted"

    parsed = Parsed(raw=data, calendar=calendar, timezones=timezones)
    for component in calendar.walk("VEVENT"):
        start = component["DTSTART"]
        tzid = start.params.get("TZID")
        assert tzid, "no floating or UTC-only times"
        assert component["DTEND"].params.get("TZID") == tzid
        assert tzid in timezones, f"TZID {tzid} has no VTIMEZONE"
        geo = component.get("GEO")
        organizer = component.get("ORGANIZER")
        value = component.get("CATEGORIES")
        values = value if isinstance(value, list) else ([value] if value is not None else [])
        categories = [str(category) for v in values for category in v.cats]
        item = ParsedEvent(
            uid=str(component["UID"]),
            summary=str(component["SUMMARY"]),
            description=str(component.get("DESCRIPTION", "")),
            location=str(component.get("LOCATION", "")),
            start=start.dt,
            end=component["DTEND"].dt,
            status=str(component["STATUS"]),
            sequence=int(component["SEQUENCE"]),
            tzid=tzid,
            categories=categories,
            organizer_cn=organizer.params.get("CN") if organizer is not None else None,
            url=str(component["URL"]),
            geo=(geo.latitude, geo.longitude) if geo is not None else None,
        )
        assert item.uid not in parsed.events, "duplicate UID"
        parsed.events[item.uid] = item

    # The strict parser reads the same events.
    strict = IcsCalendarStream.calendar_from_ics(text)
    # (ical adds the zone named by X-WR-TIMEZONE when the file has no VTIMEZONE for it)
    strict_zones = {tz.tz_id for tz in strict.timezones}
    assert set(timezones) <= strict_zones <= set(timezones) | {PARIS}, (strict_zones, timezones)
    assert len(strict.events) == len(parsed.events)
    for event in strict.events:
        mine = parsed.events[event.uid]
        assert event.summary == mine.summary
        assert (event.description or "") == mine.description
        assert (event.location or "") == mine.location
        assert event.dtstart == mine.start and event.dtend == mine.end
        assert str(event.status.value) == mine.status
        assert event.sequence == mine.sequence

    # vobject reads the times through the file's own VTIMEZONE definitions.
    vcalendar = vobject.readOne(text)
    vevents = list(getattr(vcalendar, "vevent_list", []))
    assert len(vevents) == len(parsed.events)
    for event in vevents:
        mine = parsed.events[event.uid.value]
        assert event.summary.value == mine.summary
        assert getattr(event, "description", None) is None or event.description.value == mine.description
        assert event.dtstart.value == mine.start, (event.dtstart.value, mine.start)
        assert event.dtend.value == mine.end
        assert event.dtstart.value.utcoffset() == mine.start.utcoffset()
        assert event.status.value == mine.status
        assert int(event.sequence.value) == mine.sequence
    return parsed


def paris(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(PARIS))


def age_everything(hours: int = 2) -> datetime:
    """Move every event and registration change into the past (Last-Modified needs a closed second)."""
    past = datetime.now(timezone.utc) - timedelta(hours=hours)
    db.session.flush()
    db.session.execute(update(Event).values(created_at=past, updated_at=past))
    db.session.execute(update(Organisation).values(created_at=past))
    db.session.execute(
        update(Registration).values(created_at=past).execution_options(synchronize_session=False)
    )
    for column in ("confirmed_at", "waitlisted_at", "promoted_at", "cancelled_at"):
        db.session.execute(
            update(Registration)
            .where(getattr(Registration, column).is_not(None))
            .values({column: past})
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    db.session.expire_all()
    return past


class QueryCounter:
    """Counts the SQL statements run while active (``with QueryCounter() as counter``)."""

    def __init__(self):
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}:
            return  # transaction control (SQLite's BEGIN IMMEDIATE), not a query
        self.statements.append(statement)

    def __enter__(self):
        sa_event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa_event.remove(db.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
