"""An event's public page: everything an attendee needs, its schema.org description and its canonical URL."""
from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from ..dataversion import VersionedCache
from ..editions import public_edition
from ..extensions import db
from ..markdown import render_markdown
from ..models import Event, EventStatus, RegistrationMode, utcnow
from ..permissions import can, require
from ..seats import seats_for
from . import bp
from .caching import cached_page
from .display import event_url
from .jsonld import event_description, event_jsonld, script_json

#: What staff read about an event the public cannot see.
STATUS_NOTICES = {
    EventStatus.DRAFT: "C'est un brouillon : il n'a pas encore été soumis à la modération.",
    EventStatus.SUBMITTED: "Il attend la décision des coordinateurs.",
    EventStatus.CHANGES_REQUESTED: "Des modifications ont été demandées à l'organisateur.",
    EventStatus.REJECTED: "Il a été refusé par les coordinateurs.",
    EventStatus.PUBLISHED: "Il est publié, et apparaîtra dès la publication du programme national.",
    EventStatus.CANCELLED: "Il a été annulé avant la publication du programme national.",
}


def _endpoint_url(endpoint: str, **values) -> str | None:
    """The URL of another area's page, or ``None`` while that area does not provide it."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.get("/evenements/<int:event_id>", defaults={"slug": None})
@bp.get("/evenements/<int:event_id>-<slug>")
def event_detail(event_id: int, slug: str | None):
    """The event's page; any other slug than its own redirects (301) to the canonical address."""
    event = db.session.scalars(
        select(Event)
        # Themes and audiences only when the page is rendered: a kept page reads the event alone.
        .options(joinedload(Event.organisation), joinedload(Event.edition), lazyload(Event.theme_links),
                 lazyload(Event.audience_links))
        .where(Event.id == event_id)
    ).first()
    if event is None:
        abort(404)
    require("event.view", event)
    if (slug or None) != (event.slug or None):
        query = request.query_string.decode("utf-8", "replace")
        return redirect(event_url(event) + (f"?{query}" if query else ""), code=301)
    return cached_page(lambda: _event_page(event), cache=event_pages, extra_key=clock_state(event, utcnow()))


#: Visitors' event pages, by data version and address (and where the clock stands): ~40 kB each.
event_pages = VersionedCache(max_entries=256)


def clock_state(event: Event, now) -> tuple[bool, bool, bool]:
    """What the page of ``event`` shows that changes with time alone, not with the data: whether it
    has started (registration closed), whether the registration deadline has passed, whether it is over."""
    deadline = event.registration_deadline
    return (event.starts_at <= now, deadline is not None and deadline <= now, event.ends_at <= now)


def _event_page(event: Event) -> str:
    seats = seats_for([event])[event.id]
    canonical = event_url(event, _external=True)
    organisation_url = None
    if can("organisation.view", event.organisation):
        organisation_url = url_for("organisations.detail", slug=event.organisation.slug)
    register_url = _endpoint_url("registrations.register", event_id=event.id)
    jsonld = None
    if event.is_publicly_visible:
        jsonld = script_json(
            event_jsonld(
                event,
                url=canonical,
                organisation_url=(
                    url_for("organisations.detail", slug=event.organisation.slug, _external=True)
                    if event.organisation.is_active
                    else None
                ),
                seats=seats,
                online_url=event.online_url if event.registration_mode != RegistrationMode.INTERNAL else None,
                registration_url=(
                    event.external_registration_url
                    if event.registration_mode == RegistrationMode.EXTERNAL
                    else _endpoint_url("registrations.register", event_id=event.id, _external=True)
                ),
            )
        )
    current = public_edition()
    return render_template(
        "programme/event.html",
        event=event,
        seats=seats,
        show_online_link=can("event.online_link", event),
        description_html=render_markdown(event.description),
        accessibility_html=render_markdown(event.accessibility_info),
        meta_description=event_description(event),
        canonical=canonical,
        jsonld=jsonld,
        organisation_url=organisation_url,
        register_url=register_url,
        agenda_url=_endpoint_url("registrations.my_agenda"),
        ics_url=_endpoint_url("feeds.event_ics", event_id=event.id) if event.is_publicly_visible else None,
        status_notice=None if event.is_publicly_visible else STATUS_NOTICES.get(event.status),
        is_past=event.ends_at <= utcnow(),
        is_archive=event.edition.is_programme_published and (current is None or current.id != event.edition_id),
    )
