"""Deleting one's own account (« Supprimer mon compte »)."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from ..accounts.services import password_matches
from ..extensions import db
from . import bp
from .erasure import delete_account as delete_account_service
from .forms import DeleteAccountForm


@bp.route("/mon-compte/supprimer", methods=["GET", "POST"])
@login_required
def delete_account():
    """Explain what deletion does, then delete after the password and a confirmation."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not password_matches(current_user, form.password.data):
            form.password.errors.append("Le mot de passe est incorrect.")
        else:
            user = current_user._get_current_object()
            delete_account_service(user)
            db.session.commit()
            logout_user()
            flash(
                "Votre compte a été supprimé. Vos inscriptions à venir ont été annulées et vos données personnelles effacées.",
                "success",
            )
            return redirect(url_for("core.home"), code=303)
    status = 400 if form.errors else 200
    return render_template("registrations/delete_account.html", form=form), status
