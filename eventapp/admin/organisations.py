"""Organisations: create, edit, deactivate or reactivate, and merge duplicates.

A merge moves every event, membership, invitation and membership request of the
duplicate to the organisation kept, then deletes the duplicate, inside a
savepoint: if anything fails midway, nothing of it is left in the database.
"""
import re
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import (
    Event,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    Organisation,
    OrganisationInvitation,
    User,
)
from ..permissions import can
from ..text import slugify
from ..vocabulary import ORGANISATION_KINDS, REGIONS
from . import audit
from .errors import AdminError, NotAllowed

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("name", "slug", "kind", "region_code", "city", "website", "description")


@dataclass
class OrganisationValues:
    name: str
    slug: str | None
    kind: str
    region_code: str
    city: str | None = None
    website: str | None = None
    description: str | None = None


def _check(actor: User | None, organisation: Organisation) -> None:
    if not can("organisation.manage", organisation, user=actor):
        raise NotAllowed("Vous ne pouvez gérer que les organisations de votre région.")


def _clean(values: OrganisationValues, current: Organisation | None = None) -> dict:
    name = (values.name or "").strip()
    if not name:
        raise AdminError("Indiquez le nom de l'organisation.")
    if values.kind not in ORGANISATION_KINDS:
        raise AdminError("Choisissez le type d'organisation dans la liste.")
    if values.region_code not in REGIONS:
        raise AdminError("Choisissez la région de l'organisation dans la liste.")
    slug = (values.slug or "").strip() or slugify(name, 120)
    if not SLUG_RE.match(slug) or len(slug) > 120:
        raise AdminError(
            "L'identifiant d'adresse ne peut contenir que des minuscules sans accent, des chiffres et des tirets."
        )
    taken = db.session.scalars(select(Organisation.id).where(Organisation.slug == slug)).first()
    if taken is not None and (current is None or taken != current.id):
        raise AdminError(f"L'identifiant « {slug} » est déjà utilisé par une autre organisation.")
    website = (values.website or "").strip() or None
    if website and not website.startswith(("https://", "http://")):
        raise AdminError("L'adresse du site web doit commencer par https:// (ou http://).")
    return dict(
        name=name,
        slug=slug,
        kind=values.kind,
        region_code=values.region_code,
        city=(values.city or "").strip() or None,
        website=website,
        description=(values.description or "").strip() or None,
    )


def create_organisation(actor: User | None, values: OrganisationValues) -> Organisation:
    """Create an organisation (a regional coordinator: in their region only)."""
    cleaned = _clean(values)
    organisation = Organisation(**cleaned, is_active=True)
    _check(actor, organisation)
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.created", organisation, slug=organisation.slug, region=organisation.region_code)
    return organisation


def update_organisation(actor: User | None, organisation: Organisation, values: OrganisationValues) -> list[str]:
    """Edit an organisation; moving it to another region needs the right on both regions."""
    _check(actor, organisation)
    cleaned = _clean(values, organisation)
    if cleaned["region_code"] != organisation.region_code:
        _check(actor, Organisation(region_code=cleaned["region_code"]))
    changes = {}
    for name, value in cleaned.items():
        old = getattr(organisation, name)
        if old != value:
            changes[name] = {"avant": old, "après": value}
            setattr(organisation, name, value)
    if changes:
        db.session.flush()
        audit.record(actor, "organisation.updated", organisation, changes=changes)
    return list(changes)


def set_active(actor: User | None, organisation: Organisation, active: bool) -> None:
    """Deactivate (hidden from the directory and the API, members kept) or reactivate."""
    _check(actor, organisation)
    if organisation.is_active == active:
        raise AdminError("L'organisation est déjà active." if active else "L'organisation est déjà désactivée.")
    organisation.is_active = active
    db.session.flush()
    audit.record(actor, "organisation.reactivated" if active else "organisation.deactivated", organisation)


def merge_organisations(actor: User | None, duplicate: Organisation, kept: Organisation) -> dict:
    """Merge ``duplicate`` into ``kept``: its events, members, invitations and requests move,
    then the duplicate is deleted. All or nothing (a savepoint). Returns the counts moved."""
    _check(actor, duplicate)
    _check(actor, kept)
    if duplicate.id == kept.id:
        raise AdminError("Choisissez deux organisations différentes à fusionner.")
    summary = {"doublon": duplicate.name, "identifiant_doublon": duplicate.slug}
    with db.session.begin_nested():
        summary["evenements"] = _move_events(duplicate, kept)
        summary["membres"] = _move_memberships(duplicate, kept)
        summary["invitations"] = _move_invitations(duplicate, kept)
        summary["demandes"] = _move_requests(duplicate, kept)
        db.session.expire(duplicate, ["memberships"])
        db.session.delete(duplicate)
        db.session.flush()
    audit.record(actor, "organisation.merged", kept, **summary)
    return summary


def _move_events(duplicate: Organisation, kept: Organisation) -> int:
    result = db.session.execute(
        update(Event).where(Event.organisation_id == duplicate.id).values(organisation_id=kept.id)
    )
    return result.rowcount or 0


def _move_memberships(duplicate: Organisation, kept: Organisation) -> int:
    """Members of the duplicate join the kept organisation (once, if they are in both)."""
    already = set(db.session.scalars(select(Membership.user_id).where(Membership.organisation_id == kept.id)))
    moving = list(db.session.scalars(select(Membership).where(Membership.organisation_id == duplicate.id)))
    moved = 0
    for membership in moving:
        if membership.user_id not in already:
            db.session.add(Membership(user_id=membership.user_id, organisation_id=kept.id,
                                      created_at=membership.created_at))
            moved += 1
    db.session.flush()
    db.session.execute(delete(Membership).where(Membership.organisation_id == duplicate.id))
    return moved


def _move_invitations(duplicate: Organisation, kept: Organisation) -> int:
    result = db.session.execute(
        update(OrganisationInvitation)
        .where(OrganisationInvitation.organisation_id == duplicate.id)
        .values(organisation_id=kept.id)
    )
    return result.rowcount or 0


def _move_requests(duplicate: Organisation, kept: Organisation) -> int:
    """Requests move; a pending one from someone already in (or asking) the kept organisation is dropped."""
    members = set(db.session.scalars(select(Membership.user_id).where(Membership.organisation_id == kept.id)))
    asking = set(
        db.session.scalars(
            select(MembershipRequest.user_id).where(
                MembershipRequest.organisation_id == kept.id,
                MembershipRequest.status == MembershipRequestStatus.PENDING,
            )
        )
    )
    moved = 0
    for request in db.session.scalars(
        select(MembershipRequest).where(MembershipRequest.organisation_id == duplicate.id)
    ).all():
        if request.status == MembershipRequestStatus.PENDING and request.user_id in (members | asking):
            db.session.delete(request)
            continue
        request.organisation_id = kept.id
        moved += 1
    db.session.flush()
    return moved
