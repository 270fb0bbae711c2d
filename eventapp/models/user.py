"""Accounts. Every user is an agent; roles come from memberships and flags."""
import hmac
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

FEED_SELECTOR_BYTES = 9   # 12 URL-safe characters, looked up by index
FEED_SECRET_BYTES = 24    # 32 URL-safe characters, compared in constant time


def normalize_email(email: str) -> str:
    """E-mail addresses are unique regardless of case and surrounding spaces."""
    return (email or "").strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    administration: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Region a coordinator is limited to; ``None`` for a national coordinator.
    coordinator_region: Mapped[str | None] = mapped_column(String(3))
    #: Changes whenever the password changes, which ends every other session.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    feed_token_selector: Mapped[str] = mapped_column(
        String(24), unique=True, default=lambda: secrets.token_urlsafe(FEED_SELECTOR_BYTES)
    )
    feed_token_secret: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_urlsafe(FEED_SECRET_BYTES)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login: the session id includes a nonce so a password change logs out other sessions.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_national_coordinator(self) -> bool:
        return self.is_coordinator and self.coordinator_region is None

    @property
    def is_staff(self) -> bool:
        """Coordinators and admins see what the public does not."""
        return self.is_coordinator or self.is_admin

    @property
    def organisation_ids(self) -> set[int]:
        return {m.organisation_id for m in self.memberships}

    @property
    def is_organiser(self) -> bool:
        return bool(self.memberships)

    @property
    def feed_token(self) -> str:
        """The secret of the personal calendar feed URL."""
        return f"{self.feed_token_selector}.{self.feed_token_secret}"

    def renew_feed_token(self) -> None:
        """Give the personal feed a new URL; the old one stops working."""
        self.feed_token_selector = secrets.token_urlsafe(FEED_SELECTOR_BYTES)
        self.feed_token_secret = secrets.token_urlsafe(FEED_SECRET_BYTES)

    def feed_secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.feed_token_secret.encode(), secret.encode())

    def end_other_sessions(self) -> None:
        self.session_nonce = secrets.token_hex(8)

    def __repr__(self) -> str:
        return f"<User {self.id}>"
