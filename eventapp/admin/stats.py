"""The figures of the coordinators' dashboard, one aggregate query per block.

Every function takes the edition and the viewer's scope (``None``: the whole
country; a region code: what a regional coordinator covers, i.e. the events of
that region and the online events of its organisations, as
:func:`eventapp.permissions.coordinates_event`) and returns plain data.
"""
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..models import (
    Edition,
    Event,
    EventMode,
    EventStatus,
    EventStatusChange,
    EventTheme,
    Organisation,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    utcnow,
)
from ..programme.filters import local_day_condition

S = EventStatus
#: Statuses of the events that make the programme (published; cancelled ones are counted apart).
PROGRAMME = (S.PUBLISHED,)
IN_REVIEW = (S.SUBMITTED, S.CHANGES_REQUESTED)
#: A real submission comes from these statuses; a row submitted → submitted is an edit under review.
SUBMITTED_FROM = (S.DRAFT, S.CHANGES_REQUESTED)
DECISIONS = (S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED)


def scope_conditions(edition: Edition, region: str | None) -> list:
    """Events of ``edition`` in the viewer's scope."""
    conditions = [Event.edition_id == edition.id]
    if region is not None:
        organisations_of_region = select(Organisation.id).where(Organisation.region_code == region)
        conditions.append(
            or_(
                Event.region_code == region,
                and_(Event.mode == EventMode.ONLINE, Event.organisation_id.in_(organisations_of_region)),
            )
        )
    return conditions


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def by_status(edition: Edition, region: str | None) -> dict[EventStatus, int]:
    rows = db.session.execute(
        select(Event.status, func.count(Event.id)).where(*scope_conditions(edition, region)).group_by(Event.status)
    )
    counts = {status: 0 for status in EventStatus}
    counts.update({status: count for status, count in rows})
    return counts


@dataclass
class RegionRow:
    code: str | None
    published: int = 0
    in_review: int = 0

    @property
    def total(self) -> int:
        return self.published + self.in_review


def by_region(edition: Edition, region: str | None) -> dict[str | None, RegionRow]:
    """``{region code or None (no region): published and in-review counts}``."""
    rows = db.session.execute(
        select(
            Event.region_code,
            _count_if(Event.status.in_(PROGRAMME)),
            _count_if(Event.status.in_(IN_REVIEW)),
        )
        .where(*scope_conditions(edition, region), Event.status.in_((*PROGRAMME, *IN_REVIEW)))
        .group_by(Event.region_code)
    )
    return {code: RegionRow(code, int(published or 0), int(review or 0)) for code, published, review in rows}


def by_format(edition: Edition, region: str | None) -> dict[str, int]:
    rows = db.session.execute(
        select(Event.format, func.count(Event.id))
        .where(*scope_conditions(edition, region), Event.status.in_(PROGRAMME))
        .group_by(Event.format)
    )
    return {code: count for code, count in rows}


def by_theme(edition: Edition, region: str | None) -> dict[str, int]:
    """Published events per theme (an event with two themes counts in both)."""
    rows = db.session.execute(
        select(EventTheme.theme, func.count(EventTheme.event_id))
        .join(Event, Event.id == EventTheme.event_id)
        .where(*scope_conditions(edition, region), Event.status.in_(PROGRAMME))
        .group_by(EventTheme.theme)
    )
    return {code: count for code, count in rows}


def edition_days(edition: Edition) -> list[date]:
    days, day = [], edition.starts_on
    while day <= edition.ends_on and len(days) < 62:
        days.append(day)
        day += timedelta(days=1)
    return days


def by_day(edition: Edition, region: str | None) -> dict[date, int]:
    """Published events per local start day of the edition (same day rule as the programme's filter)."""
    days = edition_days(edition)
    if not days:
        return {}
    columns = [_count_if(local_day_condition(day)) for day in days]
    row = db.session.execute(
        select(*columns).where(*scope_conditions(edition, region), Event.status.in_(PROGRAMME))
    ).one()
    return {day: int(count or 0) for day, count in zip(days, row)}


def by_mode(edition: Edition, region: str | None) -> dict[EventMode, int]:
    rows = db.session.execute(
        select(Event.mode, func.count(Event.id))
        .where(*scope_conditions(edition, region), Event.status.in_(PROGRAMME))
        .group_by(Event.mode)
    )
    counts = {mode: 0 for mode in EventMode}
    counts.update({mode: count for mode, count in rows})
    return counts


@dataclass
class RegistrationFigures:
    events: int = 0  # published events registering on this site
    limited_events: int = 0  # … of which with a capacity
    capacity: int = 0
    confirmed_in_limited: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    full_events: int = 0
    events_with_waiting_list: int = 0

    @property
    def fill_rate(self) -> float | None:
        """Seats taken over seats offered, on events with a capacity."""
        return self.confirmed_in_limited / self.capacity if self.capacity else None


def registrations(edition: Edition, region: str | None) -> RegistrationFigures:
    def count(status):
        return (
            select(func.count(Registration.id))
            .where(Registration.event_id == Event.id, Registration.status == status)
            .correlate(Event)
            .scalar_subquery()
        )

    per_event = (
        select(
            Event.capacity.label("capacity"),
            count(RegistrationStatus.CONFIRMED).label("confirmed"),
            count(RegistrationStatus.WAITLISTED).label("waitlisted"),
        )
        .where(
            *scope_conditions(edition, region),
            Event.status.in_(PROGRAMME),
            Event.registration_mode == RegistrationMode.INTERNAL,
        )
        .subquery()
    )
    limited = per_event.c.capacity.is_not(None)
    row = db.session.execute(
        select(
            func.count(),
            _count_if(limited),
            func.sum(per_event.c.capacity),
            func.sum(case((limited, per_event.c.confirmed), else_=0)),
            func.sum(per_event.c.confirmed),
            func.sum(per_event.c.waitlisted),
            _count_if(and_(limited, per_event.c.confirmed >= per_event.c.capacity)),
            _count_if(per_event.c.waitlisted > 0),
        )
    ).one()
    return RegistrationFigures(*(int(value or 0) for value in row))


@dataclass
class AttendanceFigures:
    past_events: int = 0  # past published events registering here
    recorded_events: int = 0  # … whose attendance was recorded
    recorded: int = 0  # confirmed registrations with attendance recorded
    no_shows: int = 0

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.recorded if self.recorded else None


def attendance(edition: Edition, region: str | None, now: datetime | None = None) -> AttendanceFigures:
    """No-shows after the events, from the attendance organisers recorded."""
    now = now or utcnow()
    row = db.session.execute(
        select(
            func.count(func.distinct(Event.id)),
            func.count(func.distinct(case((Registration.attended.is_not(None), Event.id)))),
            _count_if(Registration.attended.is_not(None)),
            _count_if(Registration.attended.is_(False)),
        )
        .select_from(Event)
        .outerjoin(
            Registration,
            and_(Registration.event_id == Event.id, Registration.status == RegistrationStatus.CONFIRMED),
        )
        .where(
            *scope_conditions(edition, region),
            Event.status == S.PUBLISHED,
            Event.registration_mode == RegistrationMode.INTERNAL,
            Event.ends_at < now,
        )
    ).one()
    return AttendanceFigures(*(int(value or 0) for value in row))


@dataclass
class ModerationFigures:
    backlog: int = 0  # events waiting for a decision
    oldest_waiting_since: datetime | None = None
    decisions: int = 0
    median_hours: float | None = None  # from submission to decision


def moderation(edition: Edition, region: str | None) -> ModerationFigures:
    """The backlog (one aggregate query) and the median time to a decision (one query over decisions)."""
    last_submission = (
        select(func.max(EventStatusChange.created_at))
        .where(
            EventStatusChange.event_id == Event.id,
            EventStatusChange.to_status == S.SUBMITTED,
            EventStatusChange.from_status.in_(SUBMITTED_FROM),
        )
        .correlate(Event)
        .scalar_subquery()
    )
    backlog, oldest = db.session.execute(
        select(func.count(Event.id), func.min(last_submission)).where(
            *scope_conditions(edition, region), Event.status == S.SUBMITTED
        )
    ).one()
    figures = ModerationFigures(backlog=int(backlog or 0), oldest_waiting_since=_aware(oldest))
    figures.decisions, figures.median_hours = _decision_delays(edition, region)
    return figures


def _aware(value):
    from datetime import timezone

    if value is not None and value.tzinfo is None:  # SQLite returns aggregates naive (UTC)
        return value.replace(tzinfo=timezone.utc)
    return value


def _decision_delays(edition: Edition, region: str | None) -> tuple[int, float | None]:
    submission = EventStatusChange.__table__.alias("submission")
    decision = EventStatusChange
    submitted_at = (
        select(func.max(submission.c.created_at))
        .where(
            submission.c.event_id == decision.event_id,
            submission.c.to_status == S.SUBMITTED.value,
            submission.c.from_status.in_([status.value for status in SUBMITTED_FROM]),
            submission.c.id < decision.id,
        )
        .correlate(decision)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(decision.created_at, submitted_at)
        .join(Event, Event.id == decision.event_id)
        .where(
            *scope_conditions(edition, region),
            decision.from_status == S.SUBMITTED,
            decision.to_status.in_(DECISIONS),
        )
    )
    hours = [
        (_aware(decided) - _aware(submitted)).total_seconds() / 3600
        for decided, submitted in rows
        if submitted is not None
    ]
    return len(hours), (statistics.median(hours) if hours else None)


@dataclass
class Dashboard:
    edition: Edition
    region: str | None
    statuses: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    themes: dict = field(default_factory=dict)
    days: dict = field(default_factory=dict)
    modes: dict = field(default_factory=dict)
    registrations: RegistrationFigures = field(default_factory=RegistrationFigures)
    attendance: AttendanceFigures = field(default_factory=AttendanceFigures)
    moderation: ModerationFigures = field(default_factory=ModerationFigures)

    @property
    def published(self) -> int:
        return sum(self.modes.values())

    @property
    def online_share(self) -> float | None:
        return self.modes.get(EventMode.ONLINE, 0) / self.published if self.published else None


def dashboard(edition: Edition, region: str | None, now: datetime | None = None) -> Dashboard:
    """Every block of the dashboard (a fixed number of queries, whatever the number of events)."""
    return Dashboard(
        edition=edition,
        region=region,
        statuses=by_status(edition, region),
        regions=by_region(edition, region),
        formats=by_format(edition, region),
        themes=by_theme(edition, region),
        days=by_day(edition, region),
        modes=by_mode(edition, region),
        registrations=registrations(edition, region),
        attendance=attendance(edition, region, now),
        moderation=moderation(edition, region),
    )
