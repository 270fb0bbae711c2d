"""Joining an organisation from outside the cockpit: asking to join, and accepting an invitation.

These pages are for organisers-to-be, not coordinators, so they live in their own
blueprint (``membership``), at public addresses.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation
from ..permissions import can
from . import members
from .errors import AdminError, InvitationError
from .forms import ActionForm, InvitationAccountForm, JoinForm

membership_bp = Blueprint("membership", __name__)


def _login_redirect():
    flash("Connectez-vous (ou créez un compte) pour continuer.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@membership_bp.route("/organisations/<slug>/rejoindre", methods=["GET", "POST"])
def request_to_join(slug: str):
    """Ask to join an organisation; the coordination accepts or refuses."""
    organisation = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None or not organisation.is_active:
        abort(404)
    if not current_user.is_authenticated:
        return _login_redirect()
    pending = members.pending_request(current_user, organisation)
    already = organisation.id in current_user.organisation_ids
    form = JoinForm()
    if not already and pending is None and form.validate_on_submit():
        try:
            members.request_membership(current_user, organisation, form.message.data)
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Votre demande est envoyée : la coordination vous répondra par e-mail.", "success")
            return redirect(url_for("membership.request_to_join", slug=slug))
    return render_template(
        "admin/membership/join.html", organisation=organisation, form=form, pending=pending, already=already,
        allowed=can("organisation.join", organisation),
    )


@membership_bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Accept an invitation: a newcomer sets their name and password; a signed-in person joins."""
    try:
        invitation = members.invitation_from_token(token)
    except InvitationError as error:
        return render_template("admin/membership/invitation.html", error=error.message, invitation=None), 410
    from ..accounts.services import find_user_by_email

    has_account = find_user_by_email(invitation.email) is not None
    account_form = InvitationAccountForm()
    action_form = ActionForm()
    if request.method == "POST":
        try:
            if current_user.is_authenticated:
                if not action_form.validate_on_submit():
                    abort(400)
                members.accept_invitation(token, current_user)
                user = current_user
            elif has_account:
                return _login_redirect()
            elif account_form.validate_on_submit():
                user = members.accept_invitation_with_new_account(
                    token, name=account_form.name.data, password=account_form.password.data
                )
            else:
                user = None
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
            user = None
        if user is not None:
            db.session.commit()
            if not current_user.is_authenticated:
                login_user(user)
            flash(f"Bienvenue : vous êtes membre de {invitation.organisation.name}.", "success")
            return redirect(url_for("organiser.dashboard"))
    return render_template(
        "admin/membership/invitation.html", invitation=invitation, error=None, has_account=has_account,
        account_form=account_form,
        other_account=current_user.is_authenticated and not members.is_invited_account(invitation, current_user),
    )
