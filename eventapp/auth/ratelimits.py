"""Rate limits of the account forms (Flask-Limiter), read from the configuration.

Log-in attempts are limited per account (the normalised e-mail submitted) and per
client address, and only failed attempts count: a view calls :func:`count_failure`
and the limiter deducts after the response. Sign-ups and reset requests count each
accepted submission (:func:`count_submission`), since each one sends an e-mail.
A request over a limit gets the French 429 page (``core.errors``).
"""
from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter
from ..models import normalize_email
from . import bp


def _setting(name: str):
    return lambda: current_app.config[name]


def _account_key() -> str:
    return "account:" + normalize_email(request.form.get("email", ""))


def _address_key() -> str:
    return f"address:{get_remote_address()}"


def _user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return _address_key()


def count_failure() -> None:
    """Count this request against the failure limits (a wrong password)."""
    g.auth_failure = True


def count_submission() -> None:
    """Count this request against the submission limits (an e-mail may be sent)."""
    g.auth_submission = True


@bp.teardown_app_request
def _forget_counts(_exc=None) -> None:
    """The marks are per request, even where requests share one ``g`` (the test suite)."""
    g.pop("auth_failure", None)
    g.pop("auth_submission", None)


def _failed(_response) -> bool:
    return bool(g.get("auth_failure"))


def _submitted(_response) -> bool:
    return bool(g.get("auth_submission"))


def _chain(*decorators):
    def apply(view):
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return apply


limit_login = _chain(
    limiter.limit(_setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"],
                  deduct_when=_failed, scope="per-account"),
    limiter.limit(_setting("LOGIN_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"],
                  deduct_when=_failed, scope="per-address"),
)

#: Guessing the current password of a signed-in session counts like failed log-ins.
limit_password_check = limiter.limit(
    _setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_user_key, methods=["POST"], deduct_when=_failed
)

limit_signup = limiter.limit(
    _setting("SIGNUP_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"], deduct_when=_submitted
)

limit_password_reset = _chain(
    limiter.limit(_setting("PASSWORD_RESET_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"],
                  deduct_when=_submitted, scope="per-account"),
    limiter.limit(_setting("PASSWORD_RESET_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"],
                  deduct_when=_submitted, scope="per-address"),
)

limit_verification_resend = limiter.limit(
    _setting("VERIFICATION_RESEND_LIMIT"), key_func=_user_key, methods=["POST"], deduct_when=_submitted
)
