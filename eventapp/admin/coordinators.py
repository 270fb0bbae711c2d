"""The coordinator role: granted or removed by national coordinators, with a scope
(one region, or the whole country)."""
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..permissions import can
from ..vocabulary import REGIONS, region_name
from . import audit
from .errors import AdminError, NotAllowed


def scope_label(region: str | None) -> str:
    return "Nationale" if region is None else f"Régionale : {region_name(region)}"


def coordinators() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.is_coordinator.is_(True)).order_by(User.coordinator_region.nulls_first(), User.name)
        )
    )


def _check(actor: User | None) -> None:
    if not can("coordinator.grant", user=actor):
        raise NotAllowed("Seule la coordination nationale attribue ou retire le rôle de coordination.")


def grant_coordinator(actor: User | None, user: User, region: str | None) -> None:
    """Make ``user`` a coordinator of ``region`` (a region code) or, with ``None``, national."""
    _check(actor)
    if region is not None and region not in REGIONS:
        raise AdminError("Choisissez une région dans la liste, ou la coordination nationale.")
    if not user.is_active:
        raise AdminError("Ce compte est désactivé : il ne peut pas recevoir le rôle de coordination.")
    before = scope_label(user.coordinator_region) if user.is_coordinator else None
    if user.is_coordinator and user.coordinator_region == region:
        raise AdminError(f"{user.name} a déjà ce rôle ({scope_label(region).lower()}).")
    user.is_coordinator = True
    user.coordinator_region = region
    db.session.flush()
    audit.record(actor, "coordinator.granted", user, portée=scope_label(region), avant=before)


def revoke_coordinator(actor: User | None, user: User) -> None:
    """Take the coordinator role away (never one's own: another national coordinator must do it)."""
    _check(actor)
    if not user.is_coordinator:
        raise AdminError(f"{user.name} n'a pas le rôle de coordination.")
    if actor is not None and actor.id == user.id:
        raise AdminError("Vous ne pouvez pas retirer votre propre rôle : demandez-le à une autre personne de la coordination nationale.")
    before = scope_label(user.coordinator_region)
    user.is_coordinator = False
    user.coordinator_region = None
    db.session.flush()
    audit.record(actor, "coordinator.revoked", user, avant=before)
