"""iCalendar feeds of the programme, organisations, events and agents."""
from flask import Blueprint

bp = Blueprint("feeds", __name__)

from . import views  # noqa: E402,F401
