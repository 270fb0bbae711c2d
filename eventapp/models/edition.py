"""An edition of the Mois de l'innovation publique (one per year)."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Edition(db.Model):
    __tablename__ = "edition"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    submissions_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    programme_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_programme_published(self) -> bool:
        return self.programme_published_at is not None

    def is_submission_open(self, now: datetime | None = None) -> bool:
        """Whether organisers may submit events for review at ``now``."""
        now = now or utcnow()
        if self.submissions_open_at is None or self.submissions_close_at is None:
            return False
        return self.submissions_open_at <= now < self.submissions_close_at

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"


class EditionChange(db.Model):
    """A recorded step in an edition's life, e.g. its programme published or unpublished."""

    __tablename__ = "edition_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: What happened: ``programme_published`` or ``programme_unpublished``.
    action: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edition: Mapped[Edition] = relationship()
    actor: Mapped["User | None"] = relationship()  # noqa: F821
