"""The coordinators' cockpit: dashboard, editions, organisations, organisers, audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/pilotage")

from . import views  # noqa: E402,F401
