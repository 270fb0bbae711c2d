"""What each feed holds: the queries (a bounded number, whatever the size) and the calendar's words."""
from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defer, joinedload, lazyload

from ..extensions import db
from ..models import Edition, Event, Organisation, Registration, RegistrationStatus, User
from ..programme.filters import PUBLIC_STATUSES, ProgrammeFilters, public_events_query
from .calendar import REGISTRATION_CANCELLED_PREFIX, FeedItem, build_calendar, calendar_options, site_url

#: What a feed never shows: the search key (long), the audiences (loaded only if asked for).
_UNUSED_COLUMNS = (defer(Event.search_text), lazyload(Event.audience_links))


def _site_name() -> str:
    return current_app.config.get("SITE_NAME") or "Programme"


def feed_filters(args) -> ProgrammeFilters:
    """The programme's filters as a feed reads them: no page, no "seats left" (it changes by the minute)."""
    filters = ProgrammeFilters.from_args(args)
    filters.page = 1
    filters.places = False
    return filters


def programme_events(edition: Edition | None, filters: ProgrammeFilters) -> list[Event]:
    """The publicly visible events matching ``filters``, with their organisations (bounded queries)."""
    query = public_events_query(edition, filters).options(
        joinedload(Event.organisation), *_UNUSED_COLUMNS
    )
    return list(db.session.scalars(query).unique())


def programme_feed(edition: Edition | None, filters: ProgrammeFilters) -> bytes:
    """``/programme.ics``: the published programme, as filtered."""
    organisation_name = None
    if filters.organisation:
        organisation_name = db.session.scalar(
            select(Organisation.name).where(Organisation.slug == filters.organisation)
        )
    scope = filters.describe(organisation_name)
    site = _site_name()
    if edition is None:
        name = site
        description = f"{site} : aucun programme n'est publié pour le moment."
    else:
        name = f"{site} {edition.year}" + ("" if filters.is_empty else f" – {scope}")
        description = f"Programme du {edition.title} – {scope}. Mis à jour automatiquement."
    return build_calendar(
        programme_events(edition, filters),
        name=name,
        description=description,
        source_url=site_url(_path_with_args("/programme.ics", filters.to_args())),
        **calendar_options(),
    )


def _path_with_args(path: str, args: dict) -> str:
    from urllib.parse import urlencode

    return f"{path}?{urlencode(args)}" if args else path


def organisation_events(organisation: Organisation) -> list[Event]:
    """The organisation's publicly visible events, every published edition, in time order."""
    published_editions = select(Edition.id).where(Edition.programme_published_at.is_not(None))
    query = (
        select(Event)
        .where(
            Event.organisation_id == organisation.id,
            Event.status.in_(PUBLIC_STATUSES),
            Event.edition_id.in_(published_editions),
        )
        .options(joinedload(Event.organisation), *_UNUSED_COLUMNS)
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query).unique())


def organisation_feed(organisation: Organisation) -> bytes:
    """``/organisations/<slug>.ics``: every publicly visible event of one organisation."""
    return build_calendar(
        organisation_events(organisation),
        name=f"{organisation.name} – {_site_name()}",
        description=f"Les événements de {organisation.name} au {_site_name()}. Mis à jour automatiquement.",
        source_url=site_url(f"/organisations/{organisation.slug}.ics"),
        **calendar_options(),
    )


def personal_items(user: User) -> list[FeedItem]:
    """The agent's registrations as feed items: confirmed, waiting (with position) or cancelled.

    An agent may have several registrations for one event over time (cancel,
    register again): the active one is shown, or else the last. Each of their
    own changes (promotion, cancellation, new registration) raises the
    event's SEQUENCE in this feed, so calendars take the new state.
    """
    from ..registrations.services import waiting_positions

    registrations = list(
        db.session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id, Event.status.in_(PUBLIC_STATUSES))
            .options(
                contains_eager(Registration.event).joinedload(Event.organisation),
                contains_eager(Registration.event).defer(Event.search_text),
                contains_eager(Registration.event).lazyload(Event.audience_links),
            )
            .order_by(Event.starts_at, Event.id, Registration.id)
        ).unique()
    )
    by_event: dict[int, list[Registration]] = defaultdict(list)
    for registration in registrations:
        by_event[registration.event_id].append(registration)

    waiting = [r.id for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    positions = waiting_positions(registration_ids=waiting) if waiting else {}
    activity = _waiting_list_activity([r.event_id for r in registrations if r.id in positions])

    items = []
    for event_id, rows in by_event.items():
        active = [r for r in rows if r.status != RegistrationStatus.CANCELLED]
        shown = active[-1] if active else rows[-1]
        bonus = (len(rows) - 1) + sum(1 for r in rows if r.promoted_at) + sum(1 for r in rows if r.cancelled_at)
        moments = [
            moment
            for r in rows
            for moment in (r.created_at, r.confirmed_at, r.waitlisted_at, r.promoted_at, r.cancelled_at)
            if moment is not None
        ]
        item = dict(event=shown.event, sequence_bonus=bonus)
        if shown.event.is_cancelled:
            # The event's own cancellation says it all (status, title, reason).
            item.update(status="CANCELLED")
        elif shown.status == RegistrationStatus.CONFIRMED:
            item.update(status="CONFIRMED", include_online_url=True, busy=True,
                        note="Vous êtes inscrit ou inscrite à cet événement.")
        elif shown.status == RegistrationStatus.WAITLISTED:
            position = positions.get(shown.id)
            where = f"position {position}" if position else "en attente"
            item.update(status="TENTATIVE", summary_suffix=f" (liste d'attente, {where})",
                        note=f"Vous êtes sur la liste d'attente ({where}) : vous serez prévenu ou "
                             "prévenue par e-mail si une place se libère.")
            if event_id in activity:
                moments.append(activity[event_id])
        else:
            item.update(status="CANCELLED", summary_prefix=REGISTRATION_CANCELLED_PREFIX,
                        note="Vous avez annulé votre inscription à cet événement.")
        item["changed_at"] = max(moments) if moments else None
        items.append(FeedItem(**item))
    return items


def _waiting_list_activity(event_ids: list[int]) -> dict:
    """For each event, the last change on its registrations that can move a waiting position."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(
            Registration.event_id,
            func.max(Registration.cancelled_at),
            func.max(Registration.confirmed_at),
            func.max(Registration.waitlisted_at),
        )
        .where(Registration.event_id.in_(set(event_ids)))
        .group_by(Registration.event_id)
    )
    return {
        event_id: max(moment for moment in moments if moment is not None)
        for event_id, *moments in rows
        if any(moment is not None for moment in moments)
    }


def personal_feed(user: User) -> bytes:
    """``/agenda/<token>.ics``: one agent's registrations (private)."""
    site = _site_name()
    return build_calendar(
        personal_items(user),
        name=f"Mon agenda – {site}",
        description=(
            f"Vos inscriptions au {site}. Ce lien est personnel : ne le partagez pas "
            "(vous pouvez le renouveler depuis « Mon agenda »)."
        ),
        **calendar_options(),
    )


def user_for_feed_token(token: str) -> User | None:
    """The active user whose personal feed token is ``token`` (``<selector>.<secret>``), or ``None``.

    The selector finds the row through its unique index; the secret is compared
    in constant time.
    """
    selector, dot, secret = (token or "").partition(".")
    if not dot or not selector or not secret or len(token) > 200:
        return None
    user = db.session.scalars(select(User).where(User.feed_token_selector == selector)).first()
    if user is None or not user.is_active or not user.feed_secret_matches(secret):
        return None
    return user
