"""Rate limits outside the account forms: registrations and personal calendar feeds.

The account forms (log-in, sign-up, password reset) have theirs in
:mod:`eventapp.auth.ratelimits`. Limits are read from the configuration at request
time, so they can be tuned without a release; the storage is Flask-Limiter's
(``RATELIMIT_STORAGE_URI``: memory by default, Redis in production, where every
gunicorn worker must share the counters). A request over a limit gets the French
429 page (``core.errors``) with a ``Retry-After`` header.
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .extensions import limiter


def _setting(name: str):
    return lambda: current_app.config[name]


def _account_or_address() -> str:
    """The signed-in account (agents behind one ministry's NAT share an address), else the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


def _feed_selector() -> str:
    """The public half of a personal feed token (``<selector>.<secret>``): one counter per feed.

    Not the address: calendar services (Google, Microsoft) fetch every subscriber's feed
    from a few shared addresses, which a per-address limit would soon lock out.
    """
    token = (request.view_args or {}).get("token", "")
    return "feed:" + token.partition(".")[0][:32]


#: Registering (POST on the registration form), per account.
limit_registration = limiter.limit(
    _setting("REGISTRATION_LIMIT_PER_ACCOUNT"), key_func=_account_or_address, methods=["POST"],
    scope="registration",
)

#: Fetching a personal feed, per feed: calendar clients poll every 15 minutes to a few hours.
limit_personal_feed = limiter.limit(
    _setting("PERSONAL_FEED_LIMIT_PER_TOKEN"), key_func=_feed_selector, scope="personal-feed",
)
