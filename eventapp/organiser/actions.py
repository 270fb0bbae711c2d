"""Organisers' one-click steps: submit, duplicate, delete a draft, cancel a published event."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Event
from ..workflow import WorkflowError, cancel_event, delete_event, duplicate_event, submit_event
from . import bp
from .access import load_event, refuse
from .forms import CancelForm, CommentForm, EmptyForm


@bp.post("/espace-organisateur/evenements/<int:event_id>/soumettre")
def submit(event_id: int):
    """Send the event to the coordinators (with an optional message)."""
    event = load_event(event_id, "event.submit")
    form = CommentForm()
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("organiser.event", event_id=event.id))
    try:
        submit_event(event, current_user, form.comment.data)
    except WorkflowError as error:
        return refuse(error)
    db.session.commit()
    flash("L'événement est soumis à la modération : la coordination a été prévenue par e-mail.", "success")
    return redirect(url_for("organiser.event", event_id=event.id))


@bp.post("/espace-organisateur/evenements/<int:event_id>/dupliquer")
def duplicate(event_id: int):
    """Copy the event into a new draft and open it for editing."""
    event = load_event(event_id, "event.duplicate")
    if not EmptyForm().validate_on_submit():
        flash("La session a expiré : merci de recommencer.", "error")
        return redirect(url_for("organiser.event", event_id=event.id))
    try:
        copy = duplicate_event(event, current_user)
    except WorkflowError as error:
        return refuse(error)
    db.session.commit()
    flash(
        "Une copie a été créée en brouillon. Vérifiez ses dates et son titre avant de la soumettre.",
        "success",
    )
    return redirect(url_for("organiser.edit_event", event_id=copy.id))


@bp.route("/espace-organisateur/evenements/<int:event_id>/supprimer", methods=["GET", "POST"])
def delete(event_id: int):
    """Delete a draft, after confirmation. Anything ever submitted is kept."""
    event = load_event(event_id, "event.delete")
    form = EmptyForm()
    if form.validate_on_submit():
        title = event.title
        try:
            delete_event(event, current_user)
        except WorkflowError as error:
            return refuse(error)
        db.session.commit()
        flash(f"Le brouillon « {title} » est supprimé.", "success")
        return redirect(url_for("organiser.dashboard"))
    return render_template("organiser/delete.html", event=event, form=form)


@bp.route("/espace-organisateur/evenements/<int:event_id>/annuler", methods=["GET", "POST"])
def cancel(event_id: int):
    """Cancel a published event with a reason: it stays visible as cancelled, registrants are told."""
    event: Event = load_event(event_id, "event.cancel")
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancel_event(event, current_user, form.reason.data)
        except WorkflowError as error:
            return refuse(error)
        db.session.commit()
        flash("L'événement est annulé. Ses inscrits ont été prévenus par e-mail.", "success")
        return redirect(url_for("organiser.event", event_id=event.id))
    return render_template("organiser/cancel.html", event=event, form=form)
