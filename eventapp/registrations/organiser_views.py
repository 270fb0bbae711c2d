"""Organisers' views of an event's registrants: lists, CSV export, attendance sheet, messages."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Event, Registration
from ..permissions import require
from ..text import slugify
from . import bp, management
from .exports import registrations_csv
from .forms import AttendanceForm, MessageForm
from .services import RegistrationError
from .views import event_page_url

AREA = "/espace-organisateur/evenements/<int:event_id>"


def _load_event(event_id: int) -> Event:
    """The event, if the current user may see its registrants (404 if hidden, 403 otherwise)."""
    event = db.get_or_404(Event, event_id)
    require("event.view", event)
    require("event.registrations", event)
    return event


def _area_links() -> dict:
    return {
        "dashboard_url": url_for("organiser.dashboard") if "organiser.dashboard" in current_app.view_functions else None,
    }


@bp.route(f"{AREA}/inscriptions")
def event_registrations(event_id: int):
    """Confirmed, waitlisted and cancelled registrations of an event, with totals and fill rate."""
    event = _load_event(event_id)
    return render_template(
        "registrations/organiser/list.html",
        event=event,
        registrations=management.registration_list(event),
        display_name=management.display_name,
        event_url=event_page_url(event),
        **_area_links(),
    )


@bp.route(f"{AREA}/inscriptions.csv")
def export_csv(event_id: int):
    """The registrants as CSV for French Excel (UTF-8 with BOM, semicolons)."""
    event = _load_event(event_id)
    content = registrations_csv(management.registration_list(event))
    filename = f"inscriptions-{event.id}-{slugify(event.title, 60)}.csv"
    return Response(
        content,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route(f"{AREA}/emargement")
def attendance(event_id: int):
    """The attendance sheet for the door, usable on a phone; ``q`` searches by name."""
    event = _load_event(event_id)
    query = (request.args.get("q") or "").strip()[:100]
    rows = management.attendance_sheet(event, query)
    everyone = management.attendance_sheet(event)
    return render_template(
        "registrations/organiser/attendance.html",
        event=event,
        rows=rows,
        query=query,
        total=len(everyone),
        present=sum(1 for r in everyone if r.attended is True),
        display_name=management.display_name,
        event_url=event_page_url(event),
        **_area_links(),
    )


@bp.route(f"{AREA}/emargement/<int:registration_id>", methods=["POST"])
def mark_attendance(event_id: int, registration_id: int):
    """Mark one registrant present or absent, then go back to the sheet (same search)."""
    event = _load_event(event_id)
    registration = db.get_or_404(Registration, registration_id)
    if registration.event_id != event.id:
        abort(404)
    form = AttendanceForm()
    query = (request.form.get("q") or "").strip()[:100]
    back = url_for(".attendance", event_id=event.id, q=query or None, _anchor=f"inscription-{registration.id}")
    if not form.validate_on_submit():
        flash("Choisissez « présent » ou « absent ».", "error")
        return redirect(back, code=303)
    value = {"present": True, "absent": False, "unknown": None}[form.attended.data]
    try:
        management.set_attendance(registration, value, current_user_object())
        db.session.commit()
    except RegistrationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back, code=303)
    name = management.display_name(registration)
    label = {True: "présent·e", False: "absent·e", None: "non renseigné·e"}[value]
    flash(f"{name} : {label}.", "success")
    return redirect(back, code=303)


@bp.route(f"{AREA}/message", methods=["GET", "POST"])
def write_registrants(event_id: int):
    """Write to every confirmed (or waitlisted) registrant; one e-mail each, through the outbox."""
    event = _load_event(event_id)
    form = MessageForm()
    registrations = management.registration_list(event)
    if form.validate_on_submit():
        try:
            count = management.message_registrants(
                event, current_user_object(), form.audience.data, form.subject.data, form.message.data
            )
            db.session.commit()
        except RegistrationError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".write_registrants", event_id=event.id), code=303)
        if count:
            flash(f"Votre message a été mis en file d'envoi pour {count} destinataire{'s' if count > 1 else ''}.", "success")
        else:
            flash("Aucun destinataire : personne n'est concerné pour le moment.", "warning")
        return redirect(url_for(".event_registrations", event_id=event.id), code=303)
    status = 400 if form.errors else 200
    return render_template(
        "registrations/organiser/message.html",
        event=event,
        form=form,
        registrations=registrations,
        event_url=event_page_url(event),
        **_area_links(),
    ), status


def current_user_object():
    return current_user._get_current_object()
