"""Registrations of agents for events (confirmed, waitlisted or cancelled)."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .event import _enum
from .types import UTCDateTime, utcnow


class RegistrationStatus(str, enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = ("confirmed", "waitlisted")
_ACTIVE_WHERE = text("status IN ('confirmed', 'waitlisted')")


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        # At most one active registration per user and event, enforced by the database.
        Index(
            "uq_registration_active_user_event",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=_ACTIVE_WHERE,
            postgresql_where=_ACTIVE_WHERE,
        ),
        Index("ix_registration_event_status", "event_id", "status", "waitlisted_at"),
        Index("ix_registration_user", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: Null once the agent's personal data has been erased (anonymous attendance).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[RegistrationStatus] = mapped_column(
        _enum(RegistrationStatus, "registration_status")
    )
    administration: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    shares_answers: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``None`` until the organiser records attendance.
    attended: Mapped[bool | None] = mapped_column(Boolean)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped["Event"] = relationship()  # noqa: F821
    user: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"
