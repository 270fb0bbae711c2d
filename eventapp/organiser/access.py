"""Loading an event for an organiser or coordinator view, and answering workflow refusals."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Event, Organisation
from ..permissions import can, require
from ..workflow import WorkflowError


def load_event(event_id: int, action: str = "event.follow") -> Event:
    """The event if ``action`` is allowed: 404 when the user may not know it exists, else 403."""
    event = db.session.scalars(
        select(Event)
        .options(joinedload(Event.organisation), joinedload(Event.edition))
        .where(Event.id == event_id)
    ).first()
    if event is None:
        from flask import abort

        abort(404)
    require("event.view", event)
    require(action, event)
    return event


def refuse(error: WorkflowError):
    """A refused step: 403 with the rule's French explanation; the caller changed nothing."""
    db.session.rollback()
    return (
        render_template("errors/error.html", code=403, title="Action impossible", message=error.message),
        403,
    )


def manageable_organisations() -> list[Organisation]:
    """Organisations the current user may create events for: theirs, and those a coordinator covers."""
    if current_user.is_staff:
        candidates = db.session.scalars(
            select(Organisation).where(Organisation.is_active.is_(True)).order_by(Organisation.name)
        )
        return [o for o in candidates if can("organisation.events", o)]
    return sorted(
        (m.organisation for m in current_user.memberships if m.organisation.is_active),
        key=lambda o: o.name,
    )
