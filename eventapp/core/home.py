"""The home page: the current edition at a glance."""
from flask import render_template
from sqlalchemy import func, select

from ..editions import archived_editions, public_edition
from ..extensions import db
from ..models import Event, EventStatus
from . import bp


@bp.get("/")
def home():
    """The current edition's headline and how many events its programme holds."""
    edition = public_edition()
    published_count = 0
    if edition is not None:
        published_count = db.session.scalar(
            select(func.count(Event.id)).where(
                Event.edition_id == edition.id, Event.status == EventStatus.PUBLISHED
            )
        )
    return render_template(
        "core/home.html",
        edition=edition,
        published_count=published_count,
        archives=archived_editions(),
    )
