"""Site-wide pieces: health check, error pages, front-end assets, home helpers."""
from flask import Blueprint

bp = Blueprint("core", __name__)

from . import assets, errors, health, home, navigation, security  # noqa: E402,F401
