"""An event's review page and the coordinator's decision on it."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..markdown import render_markdown
from ..models import Event, EventStatus
from ..organiser.access import load_event, refuse
from ..workflow import (
    WorkflowError,
    changes_since_last_review,
    publish_event,
    reject_event,
    request_changes,
)
from ..workflow.snapshot import EDITABLE_FIELDS, FIELD_LABELS, display_value, snapshot
from . import bp
from .forms import DecisionForm

DECISION_SERVICES = {
    "publish": publish_event,
    "request_changes": request_changes,
    "reject": reject_event,
}
DECISION_MESSAGES = {
    "publish": "L'événement est publié. Les membres de l'organisation ont été prévenus par e-mail.",
    "request_changes": "Les modifications sont demandées. Les membres de l'organisation ont été prévenus par e-mail.",
    "reject": "L'événement est refusé. Les membres de l'organisation ont été prévenus par e-mail.",
}
#: Fields shown as rendered Markdown rather than as text.
MARKDOWN_FIELDS = {"description", "accessibility_info"}


def _render_review(event: Event, form: DecisionForm, status: int = 200):
    data = snapshot(event)
    fields = [
        (FIELD_LABELS[name], render_markdown(data.get(name)) if name in MARKDOWN_FIELDS else display_value(name, data),
         name in MARKDOWN_FIELDS)
        for name in EDITABLE_FIELDS
    ]
    public_url = None
    if "programme.event_detail" in current_app.view_functions:
        public_url = url_for("programme.event_detail", event_id=event.id, slug=event.slug)
    return (
        render_template(
            "moderation/review.html",
            event=event,
            fields=fields,
            diff=changes_since_last_review(event) if event.status == EventStatus.SUBMITTED else None,
            history=list(reversed(event.status_changes)),
            form=form,
            public_url=public_url,
        ),
        status,
    )


@bp.get("/moderation/evenements/<int:event_id>")
def review(event_id: int):
    """Everything submitted, the history, and on a resubmission what changed since the last review."""
    event = load_event(event_id, "event.moderate")
    return _render_review(event, DecisionForm())


@bp.post("/moderation/evenements/<int:event_id>/decision")
def decide(event_id: int):
    """Publish, request changes or reject: recorded, and e-mailed to the organisation's members."""
    event = load_event(event_id, "event.moderate")
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_review(event, form, 400)
    service = DECISION_SERVICES[form.decision.data]
    try:
        service(event, current_user, form.comment.data)
    except WorkflowError as error:
        return refuse(error)
    db.session.commit()
    flash(DECISION_MESSAGES[form.decision.data], "success")
    return redirect(url_for("moderation.queue"))

