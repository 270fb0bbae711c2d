"""Accounts: sign-up, e-mail verification, log-in/out, password reset and change."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import account, password, session, views  # noqa: E402,F401
