"""What the benchmark reads straight from the database of a run: targets to request, and the checks after."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case, func, or_, select

from config import DevelopmentConfig
from eventapp import create_app
from eventapp.extensions import db
from eventapp.models import Event, EventStatus, Registration, RegistrationMode, RegistrationStatus, User, utcnow

from .datasets import BENCH_EMAIL, BENCH_ACCOUNTS


def open_app(database_url: str):
    """The application on a run's database (no server: for reads and checks only)."""

    class BenchProbeConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        BENCH_FLOOR_ROUTE = False
        BENCH_QUERY_COUNT = False

    return create_app(BenchProbeConfig)


@dataclass
class Plan:
    """What the run requests: a typical event, events open for registration, a hot event, accounts."""

    event_path: str
    open_event_ids: list[int]
    hot_event_id: int
    hot_capacity: int
    hot_confirmed_before: int
    feed_events: list[int]
    accounts: list[str] = field(default_factory=list)
    public_events: int = 0
    year: int = 0


def _open_events_query(now):
    """Published events one may register for here, open for at least a day more."""
    return (
        select(Event.id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.registration_mode == RegistrationMode.INTERNAL,
            Event.starts_at > now + timedelta(days=1),
            or_(Event.registration_deadline.is_(None), Event.registration_deadline > now + timedelta(days=1)),
        )
        .order_by(Event.id)
    )


def plan(app, hot_agents: int, feed_events: int = 20) -> Plan:
    """Pick what to request, deterministically for a given data set."""
    from eventapp.editions import public_edition

    with app.app_context():
        edition = public_edition()
        if edition is None:
            raise RuntimeError("the data set has no published programme")
        now = utcnow()
        published = db.session.scalars(
            select(Event)
            .where(Event.edition_id == edition.id, Event.status == EventStatus.PUBLISHED)
            .order_by(Event.id)
        ).all()
        public_count = db.session.scalar(
            select(func.count(Event.id)).where(
                Event.edition_id == edition.id, Event.status.in_((EventStatus.PUBLISHED, EventStatus.CANCELLED))
            )
        )
        typical = published[len(published) // 2]
        open_ids = list(db.session.scalars(_open_events_query(now).where(Event.edition_id == edition.id)))
        if len(open_ids) < 3:
            raise RuntimeError("the data set has too few events open for registration")
        confirmed = dict(db.session.execute(
            select(Registration.event_id, func.count(Registration.id))
            .where(Registration.status == RegistrationStatus.CONFIRMED, Registration.event_id.in_(open_ids))
            .group_by(Registration.event_id)
        ).all())
        capacities = dict(db.session.execute(
            select(Event.id, Event.capacity).where(Event.id.in_(open_ids), Event.capacity.is_not(None))
        ).all())
        # The hot event: the one whose few seats left the hot agents overflow the most surely.
        candidates = sorted(
            (capacity - confirmed.get(event_id, 0), event_id)
            for event_id, capacity in capacities.items()
            if 0 < capacity - confirmed.get(event_id, 0) <= max(1, hot_agents // 2)
        )
        if candidates:
            hot_event_id = candidates[len(candidates) // 2][1]
        else:
            hot_event_id = min(capacities, key=lambda event_id: capacities[event_id] - confirmed.get(event_id, 0),
                               default=open_ids[0])
        return Plan(
            event_path=f"/evenements/{typical.id}" + (f"-{typical.slug}" if typical.slug else ""),
            open_event_ids=[event_id for event_id in open_ids if event_id != hot_event_id],
            hot_event_id=hot_event_id,
            hot_capacity=capacities.get(hot_event_id) or 0,
            hot_confirmed_before=confirmed.get(hot_event_id, 0),
            feed_events=[event_id for event_id in open_ids if event_id != hot_event_id][:feed_events],
            accounts=[BENCH_EMAIL.format(n) for n in range(BENCH_ACCOUNTS)],
            public_events=public_count or 0,
            year=edition.year,
        )


def account_ids(app, emails: list[str]) -> list[int]:
    """The ids of these accounts, in the order given."""
    with app.app_context():
        ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
        db.session.remove()
    return [ids[email] for email in emails if email in ids]


def feed_token(app, email: str) -> str:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        return user.feed_token


@dataclass
class BookingCheck:
    """Seats after the registrations: never more confirmed than the capacity."""

    overbooked_events: int
    hot_capacity: int
    hot_confirmed: int
    hot_waitlisted: int
    duplicates: int


def check_bookings(app, hot_event_id: int) -> BookingCheck:
    with app.app_context():
        db.session.expire_all()
        confirmed = func.sum(case((Registration.status == RegistrationStatus.CONFIRMED, 1), else_=0))
        waitlisted = func.sum(case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0))
        rows = db.session.execute(
            select(Event.id, Event.capacity, confirmed, waitlisted)
            .join(Registration, Registration.event_id == Event.id)
            .group_by(Event.id, Event.capacity)
        ).all()
        overbooked = sum(1 for _id, capacity, n, _w in rows if capacity is not None and (n or 0) > capacity)
        hot = next((row for row in rows if row[0] == hot_event_id), (hot_event_id, 0, 0, 0))
        duplicates = db.session.scalar(
            select(func.count()).select_from(
                select(Registration.event_id, Registration.user_id)
                .where(Registration.status != RegistrationStatus.CANCELLED, Registration.user_id.is_not(None))
                .group_by(Registration.event_id, Registration.user_id)
                .having(func.count() > 1)
                .subquery()
            )
        ) or 0
        db.session.remove()
        return BookingCheck(overbooked, hot[1] or 0, int(hot[2] or 0), int(hot[3] or 0), duplicates)
