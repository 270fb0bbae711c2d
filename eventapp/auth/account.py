"""The signed-in user's own account: profile and password."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from ..accounts import services
from ..extensions import db
from ..permissions import login_required_for
from ..vocabulary import region_name
from . import bp
from .forms import ChangePasswordForm, ConfirmForm, ProfileForm
from .ratelimits import count_failure, limit_password_check
from .session import has_remember_cookie


@bp.route("/mon-compte", methods=["GET", "POST"])
@login_required_for("account.manage")
def account():
    """Show and edit the profile (name, administration, job title)."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                user, name=form.name.data, administration=form.administration.data, job_title=form.job_title.data
            )
        except services.AccountError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash("Vos informations ont été enregistrées.", "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=form, resend_form=ConfirmForm(), user=user, region_name=region_name
    )


@bp.route("/mon-compte/mot-de-passe", methods=["GET", "POST"])
@login_required_for("account.manage")
@limit_password_check
def change_password():
    """Change the password with the current one; every other session ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.WrongPassword as error:
            db.session.rollback()
            count_failure()
            form.current_password.errors.append(str(error))
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            # The session id carries the new nonce: log this session in again, keeping
            # "remember me" if it was on, so that only this session survives.
            login_user(user, remember=has_remember_cookie())
            flash("Votre mot de passe a été modifié. Vos autres sessions ont été fermées.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)
