"""The coordinator role: who has it, grant it, take it away (national coordinators)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.services import find_user_by_email
from ..extensions import db
from ..models import User
from ..permissions import require
from . import bp
from . import coordinators as service
from .errors import AdminError
from .forms import ActionForm, CoordinatorForm


@bp.route("/coordination", methods=["GET", "POST"])
def coordinators():
    """The coordinators and the form that gives the role to an existing account."""
    require("coordinator.grant")
    form = CoordinatorForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        region = None if form.scope.data == "national" else form.scope.data
        try:
            if user is None:
                raise AdminError(
                    f"Aucun compte n'a l'adresse {form.email.data} : la personne doit d'abord créer son compte."
                )
            service.grant_coordinator(current_user, user, region)
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{user.name} a désormais le rôle de coordination ({service.scope_label(region).lower()}).", "success")
            return redirect(url_for("admin.coordinators"))
    return render_template(
        "admin/coordinators.html", coordinators=service.coordinators(), form=form,
        scope_label=service.scope_label,
    )


@bp.post("/coordination/<int:user_id>/retirer")
def revoke_coordinator(user_id: int):
    require("coordinator.grant")
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.revoke_coordinator(current_user, user)
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"{user.name} n'a plus le rôle de coordination.", "success")
    return redirect(url_for("admin.coordinators"))
