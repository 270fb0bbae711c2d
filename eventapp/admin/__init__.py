"""The coordinators' cockpit: dashboard, editions, organisations, organisers, audit log.

``bp`` (``/pilotage``) is the cockpit itself; ``membership_bp`` holds the pages
where people join an organisation (asking to join, accepting an invitation).
"""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/pilotage")

from . import coordinator_views, edition_views, organisation_views, views  # noqa: E402,F401
from .joining import membership_bp  # noqa: E402,F401
