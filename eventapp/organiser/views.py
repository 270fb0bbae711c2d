"""The organiser's dashboard and an event's organiser page (status, next step, history)."""
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..editions import current_edition
from ..extensions import db
from ..models import Edition, Event, EventStatus, Organisation
from ..permissions import can, require
from ..seats import seats_for
from ..workflow import STATUS_LABELS, allowed_targets, change_label, last_decision
from ..workflow.snapshot import REGISTRATION_MODES
from . import bp
from .access import load_event, manageable_organisations
from .forms import EmptyForm

S = EventStatus

#: The dashboard's sections, in the order organisers act on them.
SECTIONS = [
    (S.CHANGES_REQUESTED, "Modifications demandées"),
    (S.DRAFT, "Brouillons à compléter"),
    (S.SUBMITTED, "En attente de modération"),
    (S.PUBLISHED, "Publiés"),
    (S.CANCELLED, "Annulés"),
    (S.REJECTED, "Refusés"),
]

#: What each status asks of the organiser next.
NEXT_STEPS = {
    S.DRAFT: "À compléter, puis à soumettre à la modération",
    S.SUBMITTED: "En attente de modération",
    S.CHANGES_REQUESTED: "Modifications demandées",
    S.PUBLISHED: "Publié",
    S.REJECTED: "Refusé",
    S.CANCELLED: "Annulé",
}

#: DSFR badge variant of each status.
STATUS_BADGES = {
    S.DRAFT: "new",
    S.SUBMITTED: "info",
    S.CHANGES_REQUESTED: "warning",
    S.PUBLISHED: "success",
    S.REJECTED: "error",
    S.CANCELLED: "error",
}


@bp.before_request
def guard():
    """The whole area is for organisation members and coordinators."""
    require("organiser.access")


@bp.app_template_global()
def event_status_label(event: Event) -> str:
    return STATUS_LABELS[event.status]


@bp.app_template_global()
def event_status_badge(event: Event) -> str:
    return STATUS_BADGES[event.status]


@bp.app_template_global()
def event_next_step(event: Event) -> str:
    return NEXT_STEPS[event.status]


@bp.app_template_global()
def history_label(change) -> str:
    return change_label(change)


def _endpoint_url(endpoint: str, **values) -> str | None:
    """Another area's page, when that area provides it."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.get("/espace-organisateur")
def dashboard():
    """The events of the user's organisations, grouped by what they need next."""
    requested = request.args.get("organisation", "").strip()
    if requested:
        organisation = db.session.scalars(select(Organisation).where(Organisation.slug == requested)).first()
        if organisation is None:
            abort(404)
        require("organisation.events", organisation)
        shown = [organisation]
    else:
        shown = sorted((m.organisation for m in current_user.memberships), key=lambda o: o.name)

    editions = list(db.session.scalars(select(Edition).order_by(Edition.year.desc())))
    edition = current_edition()
    year = request.args.get("edition", type=int)
    if year is not None:
        edition = next((e for e in editions if e.year == year), None) or abort(404)

    events: list[Event] = []
    if shown and edition is not None:
        events = list(
            db.session.scalars(
                select(Event)
                .options(selectinload(Event.status_changes), selectinload(Event.organisation))
                .where(Event.organisation_id.in_([o.id for o in shown]), Event.edition_id == edition.id)
                .order_by(Event.starts_at, Event.id)
            )
        )
    sections = [
        (status, title, [event for event in events if event.status == status]) for status, title in SECTIONS
    ]
    can_create = bool(manageable_organisations()) and edition is not None
    return render_template(
        "organiser/dashboard.html",
        organisations=shown,
        requested=requested,
        picker=manageable_organisations() if current_user.is_staff else [],
        editions=editions,
        edition=edition,
        sections=sections,
        event_count=len(events),
        seats=seats_for([e for e in events if e.status in (S.PUBLISHED, S.CANCELLED)]),
        decisions={event.id: last_decision(event) for event in events},
        can_create=can_create,
    )


@bp.get("/espace-organisateur/evenements/<int:event_id>")
def event(event_id: int):
    """An event as its organisers follow it: status, next step, actions, details and history."""
    event = load_event(event_id)
    targets = allowed_targets(event, current_user)
    seats = seats_for([event])[event.id]
    return render_template(
        "organiser/event.html",
        event=event,
        decision=last_decision(event),
        history=list(reversed(event.status_changes)),
        can_submit=S.SUBMITTED in targets,
        submission_closed=(
            event.status in (S.DRAFT, S.CHANGES_REQUESTED)
            and can("event.submit", event)
            and S.SUBMITTED not in targets
        ),
        seats=seats,
        registration_modes=REGISTRATION_MODES,
        preview_url=_endpoint_url("programme.event_detail", event_id=event.id, slug=event.slug),
        registrations_url=(
            _endpoint_url("registrations.event_registrations", event_id=event.id)
            if can("event.registrations", event) and event.status in (S.PUBLISHED, S.CANCELLED)
            else None
        ),
        button_form=EmptyForm(),
    )
