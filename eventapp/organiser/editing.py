"""Creating and editing an event with the one event form (save as draft, or save and submit)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..editions import current_edition
from ..extensions import db
from ..models import Event, EventStatus
from ..permissions import can
from ..registrations.services import confirmed_count
from ..workflow import WorkflowError, create_event, may_submit_now, submit_event, update_event
from . import bp
from .access import load_event, manageable_organisations, refuse
from .forms import EventForm

#: The name of the button that saves and submits in one go.
SUBMIT_BUTTON = "submit_for_review"


def _submit_requested(event: Event) -> bool:
    return SUBMIT_BUTTON in request.form and event.status in (EventStatus.DRAFT, EventStatus.CHANGES_REQUESTED)


def _submit_after_save(event: Event) -> None:
    """Submit after saving; a refusal (window closed) keeps the saved draft and says why."""
    try:
        submit_event(event, current_user)
    except WorkflowError as error:
        flash(f"Vos modifications sont enregistrées, mais l'événement n'a pas été soumis : {error.message}", "warning")
    else:
        flash("L'événement est soumis à la modération : la coordination a été prévenue par e-mail.", "success")


@bp.route("/espace-organisateur/evenements/nouveau", methods=["GET", "POST"])
def new_event():
    """A new draft for one of the user's organisations, in the current edition."""
    edition = current_edition()
    if edition is None:
        flash("Aucune édition n'est ouverte : il n'est pas encore possible de proposer un événement.", "warning")
        return redirect(url_for("organiser.dashboard"))
    organisations = manageable_organisations()
    if not organisations:
        abort(403)
    by_id = {o.id: o for o in organisations}
    preselected = next((o for o in organisations if o.slug == request.args.get("organisation")), None)
    if request.args.get("organisation") and preselected is None:
        abort(404)
    if preselected is not None:
        choices = None
        default = preselected
    else:
        choices = [(o.id, o.name) for o in organisations]
        default = organisations[0] if len(organisations) == 1 else None

    form = EventForm(
        edition=edition,
        organisation_region=default.region_code if default else None,
        organisation_choices=choices,
    )
    if request.method == "GET":
        form.region_code.data = default.region_code if default else ""
        if "organisation_id" in form._fields:
            form.organisation_id.data = default.id if default else 0
    organisation = default
    if "organisation_id" in form._fields:
        organisation = by_id.get(form.organisation_id.data)
        form.organisation_region = organisation.region_code if organisation else None

    if form.validate_on_submit():
        try:
            event = create_event(current_user, organisation, edition, form.values)
        except WorkflowError as error:
            return refuse(error)
        if SUBMIT_BUTTON in request.form:
            _submit_after_save(event)
        else:
            flash("Le brouillon est enregistré. Soumettez-le à la modération quand il est prêt.", "success")
        db.session.commit()
        return redirect(url_for("organiser.event", event_id=event.id))
    return render_template(
        "organiser/event_form.html",
        form=form,
        event=None,
        edition=edition,
        organisation=organisation,
        may_submit=organisation is not None and (edition.is_submission_open() or current_user.is_staff),
        submit_button=SUBMIT_BUTTON,
    )


@bp.route("/espace-organisateur/evenements/<int:event_id>/modifier", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Edit an event; a published one stays published and its registrants hear of practical changes."""
    event = load_event(event_id, "event.edit")
    form = EventForm(
        data=EventForm.data_from_event(event) if request.method == "GET" else None,
        edition=event.edition,
        organisation_region=event.organisation.region_code,
        confirmed_count=confirmed_count(event.id) if event.status == EventStatus.PUBLISHED else 0,
    )
    if form.validate_on_submit():
        try:
            result = update_event(event, current_user, form.values)
        except WorkflowError as error:
            return refuse(error)
        if _submit_requested(event):
            _submit_after_save(event)
        elif not result.changed:
            flash("Aucune modification : l'événement est inchangé.", "info")
        else:
            flash("Les modifications sont enregistrées.", "success")
        if result.notified:
            flash(
                f"{result.notified} inscrit{'s' if result.notified > 1 else ''} "
                f"{'ont' if result.notified > 1 else 'a'} été prévenu{'s' if result.notified > 1 else ''} "
                "par e-mail du changement de date, d'horaire, de lieu ou de modalité.",
                "info",
            )
        if result.promoted:
            count = len(result.promoted)
            flash(
                f"{count} personne{'s' if count > 1 else ''} de la liste d'attente "
                f"{'ont' if count > 1 else 'a'} obtenu une place.",
                "info",
            )
        db.session.commit()
        return redirect(url_for("organiser.event", event_id=event.id))
    return render_template(
        "organiser/event_form.html",
        form=form,
        event=event,
        edition=event.edition,
        organisation=event.organisation,
        may_submit=(
            event.status in (EventStatus.DRAFT, EventStatus.CHANGES_REQUESTED)
            and can("event.submit", event)
            and may_submit_now(event, current_user)
        ),
        submit_button=SUBMIT_BUTTON,
    )
