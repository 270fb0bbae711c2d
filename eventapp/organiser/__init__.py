"""The organisers' space: their organisations' events, drafts, submissions, edits."""
from flask import Blueprint

bp = Blueprint("organiser", __name__)

from . import actions, editing, views  # noqa: E402,F401
