"""The public national programme: listing, filters, search, CSV export, archives, event pages."""
from flask import Blueprint

bp = Blueprint("programme", __name__)

from . import display, event_views, views  # noqa: E402,F401

bp.record_once(display.register_template_helpers)
