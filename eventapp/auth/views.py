"""Sign-up, e-mail verification, log-in and log-out."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from ..accounts import services
from ..accounts.tokens import TokenError, TokenExpired
from ..extensions import db
from ..models import normalize_email
from ..permissions import login_required_for
from . import bp
from .forms import ConfirmForm, LoginForm, SignupForm
from .ratelimits import count_failure, count_submission, limit_login, limit_signup, limit_verification_resend
from .redirects import safe_local_url

#: The same message whether the address is unknown, the password wrong or the account disabled.
LOGIN_FAILED = "Adresse e-mail ou mot de passe incorrect."


@bp.route("/creer-un-compte", methods=["GET", "POST"])
@limit_signup
def signup():
    """Create an account; the answer is the same whether the address already has one or not."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = SignupForm()
    if form.validate_on_submit():
        count_submission()
        try:
            services.sign_up(
                name=form.name.data,
                email=form.email.data,
                administration=form.administration.data,
                job_title=form.job_title.data,
                password=form.password.data,
            )
            db.session.commit()
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
            return render_template("auth/signup.html", form=form)
        except IntegrityError:
            # The same address signed up at the same instant: it has an account now.
            db.session.rollback()
        session["signup_email"] = normalize_email(form.email.data)
        return redirect(url_for("auth.signup_done"))
    return render_template("auth/signup.html", form=form)


@bp.route("/creer-un-compte/confirmation")
def signup_done():
    """Tell the visitor to check their mailbox."""
    return render_template("auth/signup_done.html", email=session.pop("signup_email", None))


@bp.route("/verifier-email/<token>")
def verify_email(token: str):
    """Follow the link of the verification e-mail."""
    try:
        user = services.verify_email(token)
    except TokenError as error:
        return render_template("auth/verify_failed.html", expired=isinstance(error, TokenExpired)), 400
    db.session.commit()
    return render_template("auth/email_verified.html", user=user)


@bp.route("/verifier-email", methods=["GET", "POST"])
@login_required_for("account.manage")
@limit_verification_resend
def resend_verification():
    """Send a new verification link to the signed-in user."""
    if request.method == "GET":
        return redirect(url_for("auth.account"))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if user.email_verified_at is not None:
        flash("Votre adresse e-mail est déjà vérifiée.", "info")
    else:
        count_submission()
        services.send_verification_email(user)
        db.session.commit()
        flash(f"Un nouveau lien de vérification a été envoyé à {user.email}.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/connexion", methods=["GET", "POST"])
@limit_login
def login():
    """Log in with e-mail and password; go back to ``next`` when it is a page of this site."""
    next_url = safe_local_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            count_failure()
            error = LOGIN_FAILED
        else:
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            db.session.commit()
            flash(f"Vous êtes connecté(e) en tant que {user.name}.", "success")
            return redirect(next_url or url_for("core.home"))
    return render_template("auth/login.html", form=form, error=error, next_url=next_url)


@bp.route("/deconnexion", methods=["GET", "POST"])
def logout():
    """GET asks for confirmation; POST (with its CSRF token) logs out."""
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        logout_user()
        flash("Vous êtes déconnecté(e). À bientôt !", "success")
        return redirect(url_for("core.home"))
    if not current_user.is_authenticated:
        return redirect(url_for("core.home"))
    return render_template("auth/logout.html", form=form)
