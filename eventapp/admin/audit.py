"""The audit log: every management action of the coordinators leaves an entry.

:func:`record` is called by the services, in the same transaction as the
change it describes (so a rolled-back change leaves no entry either).
"""
from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEntry, Edition, Organisation, OrganisationInvitation, User

ACTION_LABELS = {
    "edition.created": "Édition créée",
    "edition.updated": "Édition modifiée",
    "edition.submissions_opened": "Dépôt des événements ouvert",
    "edition.submissions_closed": "Dépôt des événements fermé",
    "edition.programme_published": "Programme publié",
    "edition.programme_unpublished": "Programme retiré de la publication",
    "organisation.created": "Organisation créée",
    "organisation.updated": "Organisation modifiée",
    "organisation.deactivated": "Organisation désactivée",
    "organisation.reactivated": "Organisation réactivée",
    "organisation.merged": "Organisations fusionnées",
    "invitation.sent": "Invitation envoyée",
    "invitation.revoked": "Invitation annulée",
    "invitation.accepted": "Invitation acceptée",
    "member.removed": "Membre retiré",
    "membership_request.created": "Demande d'adhésion envoyée",
    "membership_request.accepted": "Demande d'adhésion acceptée",
    "membership_request.refused": "Demande d'adhésion refusée",
    "coordinator.granted": "Rôle de coordination attribué",
    "coordinator.revoked": "Rôle de coordination retiré",
}

TARGET_LABELS = {
    "edition": "Édition",
    "organisation": "Organisation",
    "user": "Compte",
    "invitation": "Invitation",
    "membership_request": "Demande d'adhésion",
}

PAGE_SIZE = 50


def describe_target(target) -> tuple[str, int | None, str]:
    """``(type, id, readable label)`` of an object of the log."""
    if isinstance(target, Edition):
        return "edition", target.id, f"Édition {target.year}"
    if isinstance(target, Organisation):
        return "organisation", target.id, target.name
    if isinstance(target, User):
        return "user", target.id, f"{target.name} ({target.email})"
    if isinstance(target, OrganisationInvitation):
        return "invitation", target.id, f"{target.email} → {target.organisation.name}"
    name = type(target).__name__
    return name.lower(), getattr(target, "id", None), str(target)


def record(actor: User | None, action: str, target, **details) -> AuditEntry:
    """Add an entry for ``action`` by ``actor`` on ``target`` (flushed, not committed)."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    target_type, target_id, target_label = describe_target(target)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.name if actor is not None else "Système",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(page: int = 1, action: str | None = None) -> tuple[list[AuditEntry], int]:
    """A page of the log, newest first, and the number of entries (optionally one action)."""
    conditions = [AuditEntry.action == action] if action else []
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0
    rows = db.session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    )
    return list(rows), total
