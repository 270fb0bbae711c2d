"""The coordinators' moderation queue and decisions, and the publication of the programme."""
from flask import Blueprint

from ..permissions import require

bp = Blueprint("moderation", __name__)


@bp.before_request
def guard():
    """The whole area is for coordinators (object rules then narrow it to their scope)."""
    require("moderation.access")


from . import programme, review, views  # noqa: E402,F401
