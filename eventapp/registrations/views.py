"""Agents' views: register for an event, « Mon agenda », cancel, renew the personal feed link."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from ..extensions import db
from ..models import Event, Registration, RegistrationStatus, utcnow
from ..permissions import require
from ..ratelimits import limit_registration
from ..seats import seats_for
from . import bp, services
from .forms import ButtonForm, RegistrationForm


def event_page_url(event: Event) -> str:
    """The public page of an event (the programme's), or its registration page as a fallback."""
    if "programme.event_detail" in current_app.view_functions:
        return url_for("programme.event_detail", event_id=event.id)
    return url_for("registrations.register", event_id=event.id)


@bp.app_template_global()
def my_registration(event: Event) -> Registration | None:
    """The current user's active registration for ``event`` (for the event page's button)."""
    if not current_user.is_authenticated:
        return None
    return services.active_registration(event.id, current_user.id)


@bp.app_template_global()
def registration_closed_reason(event: Event) -> str | None:
    """Why registration is closed for ``event`` (French), or ``None`` (for the event page)."""
    return services.closed_reason(event)


#: What registering reads of the event, in one query: the event with its edition (visibility),
#: organisation (e-mail, calendar file) and themes (calendar file); not its audiences.
_EVENT_FOR_REGISTRATION = (joinedload(Event.edition), joinedload(Event.organisation),
                           joinedload(Event.theme_links), lazyload(Event.audience_links))


@bp.route("/evenements/<int:event_id>/inscription", methods=["GET", "POST"])
@limit_registration
def register(event_id: int):
    """The registration form of an event (GET) and the registration itself (POST)."""
    event = db.get_or_404(Event, event_id, options=_EVENT_FOR_REGISTRATION)
    require("event.view", event)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for(".register", event_id=event.id)))

    form = RegistrationForm()
    if request.method == "GET":
        form.administration.data = current_user.administration
        form.job_title.data = current_user.job_title

    if form.validate_on_submit():
        try:
            outcome = services.register(
                event,
                current_user,
                administration=form.administration.data,
                job_title=form.job_title.data,
                accessibility_needs=form.accessibility_needs.data,
                shares_answers=form.shares_answers.data,
            )
            # Read before the commit expires them (reading them after would reload the rows).
            title, confirmed, position = event.title, outcome.confirmed, outcome.waiting_position
            db.session.commit()
        except services.RegistrationError as error:
            db.session.rollback()
            return _render_register(event, form, refusal=error.message), 409
        if confirmed:
            flash(f"Votre inscription à « {title} » est confirmée. Un e-mail de confirmation vous a été envoyé.", "success")
        else:
            flash(
                f"L'événement « {title} » est complet : vous êtes sur la liste d'attente, "
                f"en position {position}. Vous serez prévenu·e par e-mail si une place se libère.",
                "info",
            )
        return redirect(url_for(".my_agenda"), code=303)

    status = 400 if form.errors else 200
    return _render_register(event, form), status


def _render_register(event: Event, form: RegistrationForm, refusal: str | None = None):
    existing = services.active_registration(event.id, current_user.id)
    return render_template(
        "registrations/register.html",
        event=event,
        form=form,
        seats=seats_for([event])[event.id],
        existing=existing,
        position=services.waiting_position(existing) if existing else None,
        closed=services.closed_reason(event),
        refusal=refusal,
        event_url=event_page_url(event),
    )


@bp.route("/mon-agenda")
@login_required
def my_agenda():
    """The agent's upcoming and past registrations, with the personal calendar feed."""
    now = utcnow()
    registrations = list(
        db.session.scalars(
            select(Registration)
            .join(Registration.event)
            .where(Registration.user_id == current_user.id, Registration.status != RegistrationStatus.CANCELLED)
            .order_by(Event.starts_at, Event.id)
        )
    )
    upcoming = [r for r in registrations if r.event.ends_at > now]
    past = [r for r in reversed(registrations) if r.event.ends_at <= now and r.status == RegistrationStatus.CONFIRMED]
    positions = services.waiting_positions(
        registration_ids=[r.id for r in upcoming if r.status == RegistrationStatus.WAITLISTED]
    )
    feed_url = webcal_url = None
    if "feeds.personal_ics" in current_app.view_functions:
        feed_url = url_for("feeds.personal_ics", token=current_user.feed_token, _external=True)
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render_template(
        "registrations/my_agenda.html",
        upcoming=upcoming,
        past=past,
        positions=positions,
        now=now,
        feed_url=feed_url,
        webcal_url=webcal_url,
        event_page_url=event_page_url,
    )


@bp.route("/mon-agenda/inscriptions/<int:registration_id>/annuler", methods=["POST"])
@login_required
def cancel(registration_id: int):
    """Cancel one of one's own registrations; the seat goes to the waiting list."""
    registration = db.get_or_404(Registration, registration_id)
    require("registration.cancel", registration)
    form = ButtonForm()
    if not form.validate_on_submit():
        flash("La session a expiré : merci de recommencer.", "error")
        return redirect(url_for(".my_agenda"), code=303)
    title = registration.event.title
    try:
        services.cancel_registration(registration, current_user)
        db.session.commit()
    except services.RegistrationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".my_agenda"), code=303)
    flash(f"Votre inscription à « {title} » est annulée.", "success")
    return redirect(url_for(".my_agenda"), code=303)


@bp.route("/mon-agenda/renouveler-le-lien", methods=["POST"])
@login_required
def renew_feed_token():
    """Give the personal calendar feed a new secret URL; the old one stops working."""
    form = ButtonForm()
    if not form.validate_on_submit():
        flash("La session a expiré : merci de recommencer.", "error")
        return redirect(url_for(".my_agenda"), code=303)
    current_user.renew_feed_token()
    db.session.commit()
    flash(
        "Le lien de votre agenda personnel a été renouvelé. L'ancien lien ne fonctionne plus : "
        "abonnez votre logiciel d'agenda au nouveau lien.",
        "success",
    )
    return redirect(url_for(".my_agenda", _anchor="abonnement"), code=303)
