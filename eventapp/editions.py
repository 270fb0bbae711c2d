"""Which edition is current, for the public and for organisers."""
from sqlalchemy import select

from .extensions import db
from .models import Edition


def current_edition() -> Edition | None:
    """The most recent edition (the one organisers work on)."""
    return db.session.scalars(select(Edition).order_by(Edition.year.desc()).limit(1)).first()


def public_edition() -> Edition | None:
    """The most recent edition whose national programme has been published."""
    return db.session.scalars(
        select(Edition)
        .where(Edition.programme_published_at.is_not(None))
        .order_by(Edition.year.desc())
        .limit(1)
    ).first()


def archived_editions(current: Edition | None = None) -> list[Edition]:
    """Past editions with a published programme, newest first, except the public one
    (``current``: the public edition, when the caller has already read it)."""
    current = current or public_edition()
    query = select(Edition).where(Edition.programme_published_at.is_not(None))
    if current is not None:
        query = query.where(Edition.id != current.id)
    return list(db.session.scalars(query.order_by(Edition.year.desc())))
