"""The national programme of the current edition: its publication status, history and switch."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..editions import current_edition
from ..extensions import db
from ..models import Event, EventStatus
from ..organiser.access import refuse
from ..permissions import require
from ..workflow import WorkflowError, programme_history, publish_programme, unpublish_programme
from ..workflow.programme import ACTION_LABELS
from . import bp
from .forms import ProgrammeForm


def _edition_or_404():
    edition = current_edition()
    if edition is None:
        abort(404)
    return edition


@bp.get("/moderation/programme")
def programme():
    """Whether the current edition's programme is public, what it holds, and who switched it when."""
    edition = _edition_or_404()
    counts = dict(
        db.session.execute(
            select(Event.status, func.count(Event.id)).where(Event.edition_id == edition.id).group_by(Event.status)
        ).all()
    )
    return render_template(
        "moderation/programme.html",
        edition=edition,
        published_count=counts.get(EventStatus.PUBLISHED, 0),
        cancelled_count=counts.get(EventStatus.CANCELLED, 0),
        submitted_count=counts.get(EventStatus.SUBMITTED, 0),
        history=programme_history(edition),
        action_labels=ACTION_LABELS,
        form=ProgrammeForm(),
    )


def _switch(service, message: str):
    require("programme.publish")
    edition = _edition_or_404()
    form = ProgrammeForm()
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("moderation.programme"))
    try:
        service(edition, current_user, form.comment.data)
    except WorkflowError as error:
        return refuse(error)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("moderation.programme"))


@bp.post("/moderation/programme/publier", endpoint="publish_programme")
def publish_programme_view():
    """National coordinators: make the edition's published events public."""
    return _switch(publish_programme, "Le programme est publié : les événements publiés sont visibles de tous.")


@bp.post("/moderation/programme/retirer", endpoint="unpublish_programme")
def unpublish_programme_view():
    """National coordinators: take the programme off the public site again."""
    return _switch(unpublish_programme, "Le programme n'est plus public : seuls les organisateurs et la coordination voient les événements.")
