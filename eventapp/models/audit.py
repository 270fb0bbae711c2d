"""The audit log of the coordinators' management actions, and the invitations and
requests that bring people into organisations."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .event import _enum
from .types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One management action: who did what to which object, with its details.

    ``actor_name`` keeps the actor's name as it was, so the log still reads well
    once an account is erased (``actor_id`` then becomes null).
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    #: What was done, e.g. ``organisation.merged`` (see ``eventapp.admin.audit.ACTION_LABELS``).
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: The kind of object acted upon: ``edition``, ``organisation``, ``user``, ``invitation``…
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    #: A readable name of the target at the time (it may since have changed or gone).
    target_label: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"


class OrganisationInvitation(db.Model):
    """An e-mail invitation to join an organisation; its link works once, for a limited time."""

    __tablename__ = "organisation_invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    invited_by: Mapped["User | None"] = relationship(foreign_keys=[invited_by_id])  # noqa: F821
    accepted_by: Mapped["User | None"] = relationship(foreign_keys=[accepted_by_id])  # noqa: F821

    def is_pending(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    def __repr__(self) -> str:
        return f"<OrganisationInvitation {self.id}>"


class MembershipRequestStatus(str, enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class MembershipRequest(db.Model):
    """A person asks to join an organisation; a coordinator accepts or refuses."""

    __tablename__ = "membership_request"
    __table_args__ = (Index("ix_membership_request_pending", "organisation_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MembershipRequestStatus] = mapped_column(
        _enum(MembershipRequestStatus, "membership_request_status"),
        default=MembershipRequestStatus.PENDING,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_comment: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<MembershipRequest {self.id} {self.status.value}>"
