"""The organisation directory: the atlas of the labs and their pages."""
from flask import Blueprint

bp = Blueprint("organisations", __name__)

from . import views  # noqa: E402,F401
