"""Who may do what to which object: the one place that answers it.

Views call :func:`require` (or the :func:`role_required` decorator) and
templates call :func:`can`; no rule is written anywhere else. Each rule takes
the acting user (possibly anonymous) and the object, and returns a boolean.
"""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .models import Event, EventStatus, Organisation, Registration, User

Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}

#: Actions whose refusal must not even reveal that the object exists.
HIDDEN_WHEN_REFUSED = {"event.view", "organisation.view"}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[action] = func
        return func

    return register


def _user(user) -> User | None:
    """The authenticated user, or ``None`` for a visitor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def is_member(user, organisation_id: int | None) -> bool:
    user = _user(user)
    return bool(user) and organisation_id in user.organisation_ids


def coordinates_region(user, region_code: str | None) -> bool:
    """A national coordinator covers every region; a regional one covers theirs."""
    user = _user(user)
    if not user:
        return False
    if user.is_admin or user.is_national_coordinator:
        return True
    return user.is_coordinator and region_code is not None and user.coordinator_region == region_code


def coordinates_event(user, event: Event) -> bool:
    """Regional coordinators see their region's events and the online events of its organisations."""
    if coordinates_region(user, event.region_code):
        return True
    if event.is_online and event.organisation is not None:
        return coordinates_region(user, event.organisation.region_code)
    return False


def coordinated_events_condition(user):
    """The SQL twin of :func:`coordinates_event`: lists a coordinator's events in one query."""
    from sqlalchemy import and_, false, or_, select, true

    from .models import EventMode

    user = _user(user)
    if not user:
        return false()
    if user.is_admin or user.is_national_coordinator:
        return true()
    if not user.is_coordinator or user.coordinator_region is None:
        return false()
    region = user.coordinator_region
    return or_(
        Event.region_code == region,
        and_(
            Event.mode == EventMode.ONLINE,
            Event.organisation_id.in_(select(Organisation.id).where(Organisation.region_code == region)),
        ),
    )


@rule("event.view")
def may_view_event(user, event: Event) -> bool:
    """The public sees visible events; organisers and coordinators in scope see the rest."""
    return event.is_publicly_visible or is_member(user, event.organisation_id) or coordinates_event(user, event)


@rule("event.edit")
def may_edit_event(user, event: Event) -> bool:
    """Members edit their organisation's events until rejected or cancelled; coordinators in scope too."""
    if event.status in (EventStatus.REJECTED, EventStatus.CANCELLED):
        return False
    return is_member(user, event.organisation_id) or coordinates_event(user, event)


@rule("event.delete")
def may_delete_event(user, event: Event) -> bool:
    """Only drafts may be deleted, by their organisation's members."""
    return event.status == EventStatus.DRAFT and is_member(user, event.organisation_id)


@rule("event.submit")
def may_submit_event(user, event: Event) -> bool:
    return event.status in (EventStatus.DRAFT, EventStatus.CHANGES_REQUESTED) and (
        is_member(user, event.organisation_id) or coordinates_event(user, event)
    )


@rule("event.moderate")
def may_moderate_event(user, event: Event) -> bool:
    """Publish, request changes or reject: coordinators in scope."""
    return coordinates_event(user, event)


@rule("event.cancel")
def may_cancel_event(user, event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED and (
        is_member(user, event.organisation_id) or coordinates_event(user, event)
    )


@rule("event.follow")
def may_follow_event(user, event: Event) -> bool:
    """The organisers' page of an event (status, next step, history), whatever its status:
    its organisation's members and coordinators in scope."""
    return is_member(user, event.organisation_id) or coordinates_event(user, event)


@rule("event.duplicate")
def may_duplicate_event(user, event: Event) -> bool:
    """Copy an event into a new draft (labs run series): its organisation's members, coordinators in scope."""
    return is_member(user, event.organisation_id) or coordinates_event(user, event)


@rule("event.registrations")
def may_see_registrations(user, event: Event) -> bool:
    """Registrants' personal data: the event's organisers and coordinators in scope only."""
    return is_member(user, event.organisation_id) or coordinates_event(user, event)


@rule("event.register")
def may_register(user, event: Event) -> bool:
    return _user(user) is not None and event.is_publicly_visible


@rule("registration.cancel")
def may_cancel_registration(user, registration: Registration) -> bool:
    user = _user(user)
    return bool(user) and registration.user_id == user.id


@rule("organisation.events")
def may_manage_organisation_events(user, organisation: Organisation) -> bool:
    """Create and list the events of an organisation."""
    return is_member(user, organisation.id) or coordinates_region(user, organisation.region_code)


@rule("organisation.manage")
def may_manage_organisation(user, organisation: Organisation | None) -> bool:
    """Edit an organisation and its members (None: create one)."""
    if organisation is None:
        return coordinates_region(user, None) or _is_coordinator(user)
    return coordinates_region(user, organisation.region_code)


@rule("organisation.view")
def may_view_organisation(user, organisation: Organisation) -> bool:
    """Active organisations are public; inactive ones only to their members and coordinators in scope."""
    return organisation.is_active or may_manage_organisation_events(user, organisation)


@rule("event.online_link")
def may_see_online_link(user, event: Event) -> bool:
    """The joining link of an online or hybrid event.

    When registration is not on this site (none or external), whoever sees the
    event sees the link. When it is, only confirmed registrants do, besides the
    event's organisers and coordinators in scope: the link is what the seat buys.
    """
    from sqlalchemy import select

    from .extensions import db
    from .models import RegistrationMode, RegistrationStatus

    if not may_view_event(user, event):
        return False
    if event.registration_mode != RegistrationMode.INTERNAL or may_see_registrations(user, event):
        return True
    user = _user(user)
    if not user:
        return False
    confirmed = db.session.scalar(
        select(Registration.id)
        .where(
            Registration.event_id == event.id,
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .limit(1)
    )
    return confirmed is not None


@rule("moderation.access")
def may_access_moderation(user, _obj=None) -> bool:
    return _is_coordinator(user)


@rule("organiser.access")
def may_access_organiser_space(user, _obj=None) -> bool:
    """The organisers' space: members of an organisation, and coordinators (who act for organisations)."""
    user = _user(user)
    return bool(user) and (user.is_organiser or _is_coordinator(user))


@rule("dashboard.view")
def may_view_dashboard(user, _obj=None) -> bool:
    return _is_coordinator(user)


@rule("programme.publish")
def may_publish_programme(user, _obj=None) -> bool:
    """Publishing the national programme belongs to national coordinators."""
    return _is_national(user)


@rule("edition.manage")
def may_manage_edition(user, _obj=None) -> bool:
    return _is_national(user)


@rule("coordinator.grant")
def may_grant_coordinator(user, _obj=None) -> bool:
    return _is_national(user)


@rule("audit.view")
def may_view_audit(user, _obj=None) -> bool:
    return _is_national(user)


@rule("account.manage")
def may_manage_account(user, account: User | None = None) -> bool:
    """Profile, password and address verification: every signed-in user, for their own account only."""
    user = _user(user)
    return bool(user) and (account is None or account.id == user.id)


@rule("edition.edit")
def may_edit_edition(user, edition=None) -> bool:
    """Change an edition (dates, submission window, programme): national coordinators, and
    only while it is the current edition; once a newer one exists it is a read-only archive."""
    if not _is_national(user):
        return False
    if edition is None:
        return True
    from .editions import current_edition

    current = current_edition()
    return current is None or current.id == edition.id


@rule("organisation.join")
def may_ask_to_join(user, organisation: Organisation) -> bool:
    """Ask to join an active organisation: any signed-in person who is not a member yet."""
    user = _user(user)
    return bool(user) and organisation.is_active and organisation.id not in user.organisation_ids


def _is_coordinator(user) -> bool:
    user = _user(user)
    return bool(user) and (user.is_coordinator or user.is_admin)


def _is_national(user) -> bool:
    user = _user(user)
    return bool(user) and (user.is_admin or user.is_national_coordinator)


def can(action: str, obj=None, user=None) -> bool:
    """May ``user`` (default: the current user) do ``action`` to ``obj``?"""
    if user is None:
        user = current_user
    try:
        check = RULES[action]
    except KeyError:
        raise KeyError(f"unknown permission {action!r}") from None
    return bool(check(user, obj))


def require(action: str, obj=None, user=None) -> None:
    """Abort with 404 (hidden objects) or 403 unless ``can(action, obj)``."""
    if can(action, obj, user):
        return
    if user is None:
        user = current_user
    if action in HIDDEN_WHEN_REFUSED:
        abort(404)
    if not getattr(user, "is_authenticated", False):
        abort(401)
    abort(403)


def login_required_for(action: str) -> Callable:
    """Decorator for views guarded by an object-less rule (e.g. ``moderation.access``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(action)
            return view(*args, **kwargs)

        return wrapped

    return decorator
