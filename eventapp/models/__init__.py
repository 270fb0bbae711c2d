"""The data model. Import models from here."""
from .audit import AuditEntry, MembershipRequest, MembershipRequestStatus, OrganisationInvitation
from .dataversion import DataVersion
from .edition import Edition, EditionChange
from .event import (
    Event,
    EventAudience,
    EventMode,
    EventStatus,
    EventStatusChange,
    EventTheme,
    RegistrationMode,
)
from .organisation import Membership, Organisation
from .outbox import OutboxMessage
from .registration import ACTIVE_STATUSES, Registration, RegistrationStatus
from .types import UTCDateTime, utcnow
from .user import User, normalize_email

__all__ = [
    "ACTIVE_STATUSES",
    "AuditEntry",
    "DataVersion",
    "Edition",
    "EditionChange",
    "Event",
    "EventAudience",
    "EventMode",
    "EventStatus",
    "EventStatusChange",
    "EventTheme",
    "Membership",
    "MembershipRequest",
    "MembershipRequestStatus",
    "Organisation",
    "OrganisationInvitation",
    "OutboxMessage",
    "Registration",
    "RegistrationMode",
    "RegistrationStatus",
    "User",
    "UTCDateTime",
    "normalize_email",
    "utcnow",
]
