"""Events, their themes and audiences, and the history of their status."""
import enum
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class EventStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class EventMode(str, enum.Enum):
    IN_PERSON = "presentiel"
    ONLINE = "en-ligne"
    HYBRID = "hybride"


class RegistrationMode(str, enum.Enum):
    NONE = "none"
    INTERNAL = "internal"
    EXTERNAL = "external"


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_event_programme", "edition_id", "status", "starts_at"),
        Index("ix_event_edition_region", "edition_id", "region_code"),
        Index("ix_event_edition_format", "edition_id", "format"),
        Index("ix_event_edition_mode", "edition_id", "mode"),
        # The programme's order: a page (LIMIT/OFFSET) is read in order instead of sorting the edition.
        Index("ix_event_edition_start", "edition_id", "starts_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)

    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220))
    summary: Mapped[str] = mapped_column(String(400), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(40))
    mode: Mapped[EventMode] = mapped_column(_enum(EventMode, "event_mode"))
    language: Mapped[str] = mapped_column(String(10), default="fr")

    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")

    venue_name: Mapped[str | None] = mapped_column(String(200))
    street_address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(120))
    departement_code: Mapped[str | None] = mapped_column(String(3))
    region_code: Mapped[str | None] = mapped_column(String(3))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str | None] = mapped_column(String(500))
    accessibility_info: Mapped[str | None] = mapped_column(Text)

    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        _enum(RegistrationMode, "registration_mode"), default=RegistrationMode.NONE
    )
    external_registration_url: Mapped[str | None] = mapped_column(String(500))
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    has_waiting_list: Mapped[bool] = mapped_column(Boolean, default=False)

    status: Mapped[EventStatus] = mapped_column(
        _enum(EventStatus, "event_status"), default=EventStatus.DRAFT
    )
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    #: The iCalendar SEQUENCE: rises on every change of date, time, place, mode or status.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: Lower-cased, accent-free text of the searchable fields (see ``eventapp.search``).
    search_text: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the date, time, place or mode last changed after publication.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    edition: Mapped["Edition"] = relationship()  # noqa: F821
    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    theme_links: Mapped[list["EventTheme"]] = relationship(
        cascade="all, delete-orphan", order_by="EventTheme.theme", lazy="selectin"
    )
    audience_links: Mapped[list["EventAudience"]] = relationship(
        cascade="all, delete-orphan", order_by="EventAudience.audience", lazy="selectin"
    )
    status_changes: Mapped[list["EventStatusChange"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventStatusChange.id"
    )

    themes: AssociationProxy[list[str]] = association_proxy(
        "theme_links", "theme", creator=lambda code: EventTheme(theme=code)
    )
    audiences: AssociationProxy[list[str]] = association_proxy(
        "audience_links", "audience", creator=lambda code: EventAudience(audience=code)
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_online(self) -> bool:
        return self.mode == EventMode.ONLINE

    @property
    def has_place(self) -> bool:
        return self.mode in (EventMode.IN_PERSON, EventMode.HYBRID)

    @property
    def has_online_access(self) -> bool:
        return self.mode in (EventMode.ONLINE, EventMode.HYBRID)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_publicly_visible(self) -> bool:
        """Published (or cancelled after publication) in an edition whose programme is out."""
        return (
            self.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)
            and self.edition.is_programme_published
        )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.status.value}>"


class EventTheme(db.Model):
    __tablename__ = "event_theme"
    __table_args__ = (Index("ix_event_theme_theme", "theme", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True)


class EventAudience(db.Model):
    __tablename__ = "event_audience"
    __table_args__ = (Index("ix_event_audience_audience", "audience", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[str] = mapped_column(String(40), primary_key=True)


class EventStatusChange(db.Model):
    """One step in an event's history: who moved it from which status to which, and why."""

    __tablename__ = "event_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_status: Mapped[EventStatus | None] = mapped_column(_enum(EventStatus, "from_status"))
    to_status: Mapped[EventStatus] = mapped_column(_enum(EventStatus, "to_status"))
    comment: Mapped[str | None] = mapped_column(Text)
    #: Snapshot of the event's fields at this step, to show what changed on a resubmission.
    snapshot: Mapped[dict | None] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="status_changes")
    actor: Mapped["User | None"] = relationship()  # noqa: F821


@sa_event.listens_for(Session, "before_flush")
def _touch_events_whose_links_changed(session, flush_context, instances) -> None:
    """Themes and audiences live in their own tables: changing them is a change of the event.

    Without this, an edit of the themes alone would leave ``updated_at`` (the
    event's last change, which feeds and caches rely on) where it was.
    """
    for obj in list(session.dirty):
        if not isinstance(obj, Event):
            continue
        attributes = sa_inspect(obj).attrs
        if attributes.theme_links.history.has_changes() or attributes.audience_links.history.has_changes():
            obj.updated_at = utcnow()
