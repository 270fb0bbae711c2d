"""Signed, time-limited tokens for the links sent by e-mail.

Each purpose has its own salt, so a token made to verify an address never
passes as a password-reset token (and the reverse). Tokens carry ids and
keyed fingerprints, never an e-mail address or a password hash in clear:
their payload is only signed, not encrypted.
"""
import hashlib
import hmac
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

#: One salt per purpose.
SALTS = {
    "verify-email": "eventapp.accounts.verify-email",
    "reset-password": "eventapp.accounts.reset-password",
}


class TokenError(Exception):
    """The link cannot be used."""


class TokenExpired(TokenError):
    """The link was genuine but is too old."""


class TokenInvalid(TokenError):
    """The link was altered, made for another purpose, or has already been used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[purpose])


def make_token(purpose: str, payload: Any) -> str:
    """Sign ``payload`` (JSON-serialisable) for ``purpose``, stamped with the current time."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> Any:
    """The payload of a token made for ``purpose`` at most ``max_age`` seconds ago.

    Raises :class:`TokenExpired` or :class:`TokenInvalid`.
    """
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired() from exc
    except (BadData, UnicodeError, ValueError) as exc:
        raise TokenInvalid() from exc


def fingerprint(*values: object) -> str:
    """A short keyed digest of ``values``: changes whenever one of them changes.

    Binding a token to the fingerprint of, say, the password hash makes the
    token die as soon as the password changes, without revealing the hash.
    """
    message = "\x1f".join("" if value is None else str(value) for value in values).encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def fingerprints_match(expected: str, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(expected, given)
