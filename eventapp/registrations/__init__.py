"""Agents' registrations, Mon agenda, and organisers' attendee management."""
from flask import Blueprint

bp = Blueprint("registrations", __name__)

from . import account, organiser_views, views  # noqa: E402,F401
