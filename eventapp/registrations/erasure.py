"""Erasing personal data: account deletion and anonymisation of registrations."""
from datetime import datetime

from sqlalchemy import delete, select

from ..extensions import db
from ..models import EventStatus, OutboxMessage, Registration, User, utcnow
from . import notifications
from .services import cancel_registration


def anonymise(registration: Registration, now: datetime | None = None) -> None:
    """Detach a registration from its agent and erase the answers.

    Status and attendance stay, so past events keep their anonymous counts.
    """
    registration.user = None
    registration.user_id = None
    registration.administration = None
    registration.job_title = None
    registration.accessibility_needs = None
    registration.shares_answers = False
    registration.anonymised_at = now or utcnow()


def delete_account(user: User, *, now: datetime | None = None) -> None:
    """Delete ``user``'s account at their request.

    Their registrations to events not yet started are cancelled first, so the
    seats go to the waiting lists (whose agents are promoted and told). Every
    registration of theirs is then anonymised, their e-mails still in the
    outbox are erased, and the user row is deleted (memberships with it). A
    last e-mail confirms the deletion. Events are locked in id order so two
    deletions never wait for each other in a cycle. Flushes, never commits.
    """
    now = now or utcnow()
    registrations = list(
        db.session.scalars(
            select(Registration).where(Registration.user_id == user.id).order_by(Registration.event_id)
        )
    )
    for registration in registrations:
        event = registration.event
        if registration.is_active and event.status == EventStatus.PUBLISHED and event.starts_at > now:
            cancel_registration(registration, user, now=now, notify=False, check_permission=False)
    for registration in registrations:
        anonymise(registration, now)

    email, name = user.email, user.name
    db.session.flush()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email))
    db.session.delete(user)
    db.session.flush()
    notifications.account_deleted(email, name)
