"""E-mails about registrations, queued in the outbox within the caller's transaction."""
from flask import current_app

from ..mail.outbox import queue_email
from ..models import Event, OutboxMessage, Registration, User


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from ``SITE_HOST`` (works outside a request too)."""
    adapter = current_app.url_map.bind(
        current_app.config["SITE_HOST"], url_scheme=current_app.config["PREFERRED_URL_SCHEME"]
    )
    return adapter.build(endpoint, values, force_external=True)


def event_url(event: Event) -> str:
    if "programme.event_detail" in current_app.view_functions:
        return external_url("programme.event_detail", event_id=event.id)
    return external_url("registrations.register", event_id=event.id)


def event_attachments(event: Event) -> list[dict]:
    """The event as an ``.ics`` attachment (with its connection link: only registrants get it)."""
    from ..feeds.calendar import event_calendar

    return [
        {
            "filename": f"evenement-{event.id}.ics",
            "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
            "content": event_calendar(event, include_online_url=True).decode("utf-8"),
        }
    ]


def _context(registration: Registration) -> dict:
    event = registration.event
    return dict(
        registration=registration,
        event=event,
        user=registration.user,
        event_url=event_url(event),
        agenda_url=external_url("registrations.my_agenda"),
    )


def registration_confirmed(registration: Registration, attachments: list[dict] | None = None) -> OutboxMessage:
    """``attachments``: the event's calendar file when the caller already built it."""
    event = registration.event
    return queue_email(
        registration.user.email,
        f"Inscription confirmée : {event.title}",
        "registration_confirmed",
        kind="registration_confirmed",
        attachments=attachments if attachments is not None else event_attachments(event),
        **_context(registration),
    )


def registration_waitlisted(registration: Registration, position: int | None) -> OutboxMessage:
    event = registration.event
    return queue_email(
        registration.user.email,
        f"Liste d'attente : {event.title}",
        "registration_waitlisted",
        kind="registration_waitlisted",
        position=position,
        **_context(registration),
    )


def registration_promoted(registration: Registration, attachments: list[dict] | None = None) -> OutboxMessage:
    event = registration.event
    return queue_email(
        registration.user.email,
        f"Une place s'est libérée : votre inscription est confirmée – {event.title}",
        "registration_promoted",
        kind="registration_promoted",
        attachments=attachments if attachments is not None else event_attachments(event),
        **_context(registration),
    )


def registration_cancelled(registration: Registration) -> OutboxMessage:
    event = registration.event
    return queue_email(
        registration.user.email,
        f"Inscription annulée : {event.title}",
        "registration_cancelled",
        kind="registration_cancelled",
        **_context(registration),
    )


def registration_reminder(registration: Registration) -> OutboxMessage:
    event = registration.event
    return queue_email(
        registration.user.email,
        f"Rappel : {event.title} a lieu demain",
        "registration_reminder",
        kind="registration_reminder",
        attachments=event_attachments(event),
        **_context(registration),
    )


def registration_message(registration: Registration, subject: str, message: str, sender: User) -> OutboxMessage:
    """An organiser's message to one registrant."""
    event = registration.event
    return queue_email(
        registration.user.email,
        f"[{event.title}] {subject}",
        "registration_message",
        kind="registration_message",
        message=message,
        sender=sender,
        organisation=event.organisation,
        **_context(registration),
    )


def account_deleted(email: str, name: str) -> OutboxMessage:
    return queue_email(
        email,
        "Votre compte a été supprimé",
        "registration_account_deleted",
        kind="account_deleted",
        name=name,
    )
