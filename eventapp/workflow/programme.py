"""Publishing the national programme of an edition (national coordinators), with its history.

Before publication, published events are seen by staff only; once the
programme is out, every published event of the edition is public at once.
"""
from datetime import datetime

from ..extensions import db
from ..models import Edition, EditionChange, User, utcnow
from ..permissions import can
from .errors import InvalidTransition, NotAllowed

PROGRAMME_PUBLISHED = "programme_published"
PROGRAMME_UNPUBLISHED = "programme_unpublished"

ACTION_LABELS = {
    PROGRAMME_PUBLISHED: "Programme publié",
    PROGRAMME_UNPUBLISHED: "Programme retiré de la publication",
}


def _check(actor: User | None) -> None:
    if not can("programme.publish", user=actor):
        raise NotAllowed("Seule la coordination nationale peut publier le programme.")


def publish_programme(
    edition: Edition, actor: User | None, comment: str | None = None, *, now: datetime | None = None
) -> EditionChange:
    """Make the edition's published events public, now."""
    _check(actor)
    if edition.is_programme_published:
        raise InvalidTransition("Le programme de cette édition est déjà publié.")
    now = now or utcnow()
    edition.programme_published_at = now
    change = EditionChange(
        edition=edition, actor=actor, action=PROGRAMME_PUBLISHED,
        comment=(comment or "").strip() or None, created_at=now,
    )
    db.session.add(change)
    db.session.flush()
    return change


def unpublish_programme(
    edition: Edition, actor: User | None, comment: str | None = None, *, now: datetime | None = None
) -> EditionChange:
    """Hide the edition's programme from the public again (staff still see every event)."""
    _check(actor)
    if not edition.is_programme_published:
        raise InvalidTransition("Le programme de cette édition n'est pas publié.")
    now = now or utcnow()
    edition.programme_published_at = None
    change = EditionChange(
        edition=edition, actor=actor, action=PROGRAMME_UNPUBLISHED,
        comment=(comment or "").strip() or None, created_at=now,
    )
    db.session.add(change)
    db.session.flush()
    return change


def programme_history(edition: Edition) -> list[EditionChange]:
    from sqlalchemy import select

    return list(
        db.session.scalars(
            select(EditionChange)
            .where(EditionChange.edition_id == edition.id)
            .order_by(EditionChange.created_at.desc(), EditionChange.id.desc())
        )
    )
