"""How Flask-Login finds the user of a session."""
from flask import current_app, g, request, session
from flask_login.config import COOKIE_NAME

from ..extensions import db, login_manager
from ..models import User
from . import bp

login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Sessions hold ``<id>:<nonce>``; a changed nonce (new password) ends the session."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


def has_remember_cookie() -> bool:
    """Whether the browser sent Flask-Login's "remember me" cookie."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def may_be_signed_in() -> bool:
    """Whether Flask-Login could find an account for this request: a session naming one, or a
    "remember me" cookie. Cheap, unlike asking ``current_user``: Flask-Login's session protection
    hashes the address and the browser on every request, even for a visitor with neither."""
    return "_user_id" in session or has_remember_cookie()


@bp.teardown_app_request
def forget_request_user(_exc=None) -> None:
    """Drop the user Flask-Login cached in ``g`` once the request is over.

    In production each request has its own application context, so this changes
    nothing; where requests share one context (the test suite), the next request
    must load its own user, not see the previous request's.
    """
    g.pop("_login_user", None)
