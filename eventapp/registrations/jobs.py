"""Scheduled jobs on registrations: reminders the day before, and the personal-data purge."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..extensions import db
from ..models import Event, EventStatus, Registration, RegistrationStatus, utcnow
from ..vocabulary import PARIS_TZ
from . import notifications
from .erasure import anonymise


def send_reminders(now: datetime | None = None) -> int:
    """E-mail every confirmed agent whose event starts tomorrow (in the event's time zone).

    Each registration is reminded once (``reminder_sent_at``): running the job
    again sends nothing twice. Rows are locked (skipping those another run
    holds) so two overlapping runs do not both send. Returns how many were queued.
    """
    now = now or utcnow()
    candidates = list(db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
            Registration.user_id.is_not(None),
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            # Tomorrow in any time zone is less than 3 days away.
            Event.starts_at < now + timedelta(days=3),
        )
        .order_by(Registration.id)
        .with_for_update(of=Registration, skip_locked=True)
    ))
    sent = 0
    for registration in candidates:
        event = registration.event
        zone = ZoneInfo(event.timezone)
        if event.starts_at.astimezone(zone).date() != now.astimezone(zone).date() + timedelta(days=1):
            continue
        notifications.registration_reminder(registration)
        registration.reminder_sent_at = now
        sent += 1
    db.session.flush()
    return sent


def purge_personal_data(before: date, now: datetime | None = None) -> int:
    """Anonymise the registrations of events that ended before ``before`` (midnight, Paris time).

    Status and attendance stay as anonymous counts. Returns how many registrations were anonymised.
    """
    now = now or utcnow()
    limit = datetime.combine(before, time.min, tzinfo=ZoneInfo(PARIS_TZ))
    registrations = list(db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .where(Event.ends_at < limit, Registration.anonymised_at.is_(None))
        .order_by(Registration.id)
    ))
    count = 0
    for registration in registrations:
        anonymise(registration, now)
        count += 1
    db.session.flush()
    return count
