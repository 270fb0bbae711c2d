"""Forgotten password: ask for a link, then set a new password through it."""
from flask import flash, make_response, redirect, render_template, session, url_for
from flask_login import logout_user

from ..accounts import services
from ..accounts.tokens import TokenError, TokenExpired
from ..extensions import db
from ..models import normalize_email
from . import bp
from .forms import ForgotPasswordForm, ResetPasswordForm
from .ratelimits import count_submission, limit_password_reset


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limit_password_reset
def forgot_password():
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        count_submission()
        services.request_password_reset(form.email.data)
        db.session.commit()
        session["reset_email"] = normalize_email(form.email.data)
        return redirect(url_for("auth.forgot_password_done"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/mot-de-passe-oublie/confirmation")
def forgot_password_done():
    """Tell the visitor to check their mailbox."""
    return render_template("auth/forgot_password_done.html", email=session.pop("reset_email", None))


@bp.route("/reinitialiser-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through the link of the reset e-mail (once, within the time limit)."""
    try:
        services.user_for_reset_token(token)
    except TokenError as error:
        return render_template("auth/reset_failed.html", expired=isinstance(error, TokenExpired)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()  # any session of this browser is over: the nonce changed
            flash("Votre mot de passe a été modifié. Vous pouvez maintenant vous connecter.", "success")
            return redirect(url_for("auth.login"))
    response = make_response(render_template("auth/reset_password.html", form=form))
    # The token is in this page's address: never hand it to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
