"""The public national programme: listing, filters, search, event pages."""
from flask import Blueprint

bp = Blueprint("programme", __name__)

from . import views  # noqa: E402,F401
