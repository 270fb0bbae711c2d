"""E-mails of the event workflow, queued in the outbox within the caller's transaction.

Each transition tells "the other side": a submission goes to the coordinators
in scope, a decision to the organisation's members, a cancellation or a
practical change to the registrants. The acting user is never e-mailed about
what they just did.
"""
from flask import current_app
from sqlalchemy import select
from werkzeug.routing import BuildError

from ..extensions import db
from ..mail.outbox import queue_email
from ..models import (
    Event,
    EventStatus,
    EventStatusChange,
    Membership,
    Registration,
    RegistrationStatus,
    User,
)
from ..permissions import coordinates_event
from .snapshot import PRACTICAL_GROUPS, FieldChange, group_text


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from ``SITE_HOST`` (works outside a request too)."""
    adapter = current_app.url_map.bind(
        current_app.config["SITE_HOST"], url_scheme=current_app.config["PREFERRED_URL_SCHEME"]
    )
    return adapter.build(endpoint, values, force_external=True)


def public_event_url(event: Event) -> str:
    """The event's public page (``/evenements/<id>-<slug>``, a public contract)."""
    try:
        return external_url("programme.event_detail", event_id=event.id, slug=event.slug)
    except BuildError:
        scheme = current_app.config["PREFERRED_URL_SCHEME"]
        return f"{scheme}://{current_app.config['SITE_HOST']}/evenements/{event.id}-{event.slug}"


def _without(users: list[User], actor: User | None) -> list[User]:
    return [user for user in users if actor is None or user.id != actor.id]


def organisation_members(event: Event, actor: User | None = None) -> list[User]:
    """Active members of the event's organisation, except the actor."""
    users = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == event.organisation_id, User.is_active.is_(True))
        .order_by(User.id)
    )
    return _without(list(users), actor)


def event_coordinators(event: Event, actor: User | None = None) -> list[User]:
    """The regional coordinators in charge of the event; the national ones when there is none."""
    coordinators = list(
        db.session.scalars(
            select(User).where(User.is_coordinator.is_(True), User.is_active.is_(True)).order_by(User.id)
        )
    )
    regional = [u for u in coordinators if u.coordinator_region is not None and coordinates_event(u, event)]
    chosen = regional or [u for u in coordinators if u.coordinator_region is None]
    return _without(chosen, actor)


def active_registrants(event: Event) -> list[User]:
    """Agents with a confirmed or waitlisted registration (anonymised ones have no address)."""
    users = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
        )
        .order_by(Registration.id)
    )
    seen, result = set(), []
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            result.append(user)
    return result


def _calendar_attachments(event: Event) -> list[dict]:
    """The updated event as ``.ics`` (its SEQUENCE rose), when the feeds package provides it."""
    from ..registrations.notifications import event_attachments

    return event_attachments(event)


def _context(event: Event, actor: User | None, change: EventStatusChange | None = None) -> dict:
    return dict(
        event=event,
        actor=actor,
        change=change,
        comment=change.comment if change else None,
        public_url=public_event_url(event),
        organiser_url=external_url("organiser.event", event_id=event.id),
        review_url=external_url("moderation.review", event_id=event.id),
    )


def event_submitted(event: Event, actor: User | None, change: EventStatusChange, resubmission: bool) -> None:
    subject = ("Événement modifié à modérer : " if resubmission else "Événement à modérer : ") + event.title
    for user in event_coordinators(event, actor):
        queue_email(
            user.email, subject, "event_submitted", kind="event_submitted",
            user=user, resubmission=resubmission, **_context(event, actor, change),
        )


_DECISIONS = {
    EventStatus.PUBLISHED: ("event_published", "Votre événement est publié : {}"),
    EventStatus.CHANGES_REQUESTED: ("event_changes_requested", "Modifications demandées pour votre événement : {}"),
    EventStatus.REJECTED: ("event_rejected", "Votre événement n'a pas été retenu : {}"),
}


def event_decided(event: Event, actor: User | None, change: EventStatusChange) -> None:
    """A coordinator published, asked for changes or rejected: the organisation's members are told."""
    template, subject = _DECISIONS[change.to_status]
    for user in organisation_members(event, actor):
        queue_email(
            user.email, subject.format(event.title), template, kind=template,
            user=user, **_context(event, actor, change),
        )


def event_cancelled(event: Event, actor: User | None, change: EventStatusChange) -> None:
    """Registrants are told (with the updated calendar entry); so is the other side of the team."""
    attachments = _calendar_attachments(event)
    for user in active_registrants(event):
        queue_email(
            user.email, f"Événement annulé : {event.title}", "event_cancelled", kind="event_cancelled",
            attachments=attachments, user=user, **_context(event, actor, change),
        )
    other_side = (
        event_coordinators(event, actor)
        if actor is not None and actor.id in {u.id for u in organisation_members(event)}
        else organisation_members(event, actor)
    )
    for user in other_side:
        queue_email(
            user.email, f"Événement annulé : {event.title}", "event_cancelled_notice",
            kind="event_cancelled_notice", user=user, **_context(event, actor, change),
        )


def event_practical_change(event: Event, actor: User | None, old: dict, new: dict, groups: list[str]) -> int:
    """Registrants learn what changed in the date, time, place or mode, before and after.

    Returns how many registrants were told.
    """
    changes = [
        FieldChange(group, PRACTICAL_GROUPS[group][0], _group_value(group, old), _group_value(group, new))
        for group in groups
    ]
    attachments = _calendar_attachments(event)
    registrants = active_registrants(event)
    for user in registrants:
        queue_email(
            user.email, f"Changement pour l'événement « {event.title} »", "event_changed",
            kind="event_changed", attachments=attachments, user=user, changes=changes,
            **_context(event, actor),
        )
    return len(registrants)


def _group_value(group: str, data: dict) -> str:
    text = group_text(group, data)
    if text == "—":
        return "aucun lien" if group == "online" else "aucun lieu (événement en ligne)" if group == "place" else text
    return text


def event_edited_by_coordinator(event: Event, actor: User | None, changes: list[FieldChange]) -> None:
    """A coordinator edited the event: its organisation's members see what changed."""
    for user in organisation_members(event, actor):
        queue_email(
            user.email, f"Votre événement a été modifié par la coordination : {event.title}",
            "event_edited", kind="event_edited", user=user, changes=changes, **_context(event, actor),
        )
