"""Organisers: invitations by e-mail, removal of members, and requests to join.

An invitation link is signed and time-limited like the account links of
:mod:`eventapp.accounts.tokens` (its own salt, so no other link passes for it),
and tied to an invitation row, which makes it work once: a used, revoked or
expired invitation is refused with a French message.
"""
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..accounts import tokens
from ..accounts.services import AccountError, absolute_url, create_user, find_user_by_email
from ..extensions import db
from ..mail.outbox import queue_email
from ..models import (
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    Organisation,
    OrganisationInvitation,
    User,
    normalize_email,
    utcnow,
)
from ..permissions import can
from . import audit
from .errors import AdminError, InvitationError, NotAllowed

INVITATION_SALT = "eventapp.admin.invitation"
DEFAULT_INVITATION_MAX_AGE = 7 * 24 * 3600
MAX_MESSAGE_LENGTH = 2000

EXPIRED = "Ce lien d'invitation a expiré. Demandez à la coordination de vous inviter à nouveau."
USED = "Ce lien d'invitation a déjà été utilisé : connectez-vous avec le compte qui l'a accepté."
REVOKED = "Cette invitation a été annulée par la coordination."
INVALID = "Ce lien d'invitation n'est pas valide : vérifiez que l'adresse copiée est complète."
INACTIVE = "Cette organisation n'est plus active : l'invitation ne peut plus être acceptée."


def invitation_max_age() -> int:
    return int(current_app.config.get("INVITATION_MAX_AGE", DEFAULT_INVITATION_MAX_AGE))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_token(invitation: OrganisationInvitation) -> str:
    return _serializer().dumps({"i": invitation.id, "f": tokens.fingerprint(invitation.id, invitation.email)})


def _check_manage(actor: User | None, organisation: Organisation) -> None:
    if not can("organisation.manage", organisation, user=actor):
        raise NotAllowed("Vous ne pouvez gérer que les membres des organisations de votre région.")


# --- Invitations --------------------------------------------------------------------------------


def invite(actor: User | None, organisation: Organisation, email: str) -> OrganisationInvitation:
    """Invite ``email`` to join ``organisation``: a new link by e-mail; earlier pending ones are revoked."""
    _check_manage(actor, organisation)
    if not organisation.is_active:
        raise AdminError("Réactivez d'abord l'organisation pour y inviter quelqu'un.")
    try:
        address = normalize_email(validate_email(email or "", check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise AdminError(f"Adresse e-mail invalide « {(email or '').strip()} ».") from exc
    existing = find_user_by_email(address)
    if existing is not None and organisation.id in existing.organisation_ids:
        raise AdminError(f"{existing.name} ({address}) est déjà membre de {organisation.name}.")
    now = utcnow()
    for previous in db.session.scalars(
        select(OrganisationInvitation).where(
            OrganisationInvitation.organisation_id == organisation.id,
            OrganisationInvitation.email == address,
            OrganisationInvitation.accepted_at.is_(None),
            OrganisationInvitation.revoked_at.is_(None),
        )
    ):
        previous.revoked_at = now
    invitation = OrganisationInvitation(
        organisation=organisation,
        email=address,
        invited_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + timedelta(seconds=invitation_max_age()),
    )
    db.session.add(invitation)
    db.session.flush()
    queue_email(
        address,
        f"Invitation à rejoindre {organisation.name} – {current_app.config['SITE_NAME']}",
        "organisation_invitation",
        kind="organisation_invitation",
        organisation=organisation,
        inviter=actor,
        has_account=existing is not None,
        accept_url=absolute_url("membership.invitation", token=invitation_token(invitation)),
        expires_at=invitation.expires_at,
    )
    audit.record(actor, "invitation.sent", invitation, email=address, organisation=organisation.slug)
    return invitation


def revoke_invitation(actor: User | None, invitation: OrganisationInvitation) -> None:
    _check_manage(actor, invitation.organisation)
    if not invitation.is_pending():
        raise AdminError("Cette invitation n'est plus en attente.")
    invitation.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "invitation.revoked", invitation)


def invitation_from_token(token: str) -> OrganisationInvitation:
    """The pending invitation of a link, or :class:`InvitationError` with the reason."""
    try:
        payload = _serializer().loads(token, max_age=invitation_max_age())
    except SignatureExpired as exc:
        raise InvitationError(EXPIRED) from exc
    except (BadData, UnicodeError, ValueError) as exc:
        raise InvitationError(INVALID) from exc
    invitation = None
    if isinstance(payload, dict) and isinstance(payload.get("i"), int):
        invitation = db.session.get(OrganisationInvitation, payload["i"])
    if invitation is None or not tokens.fingerprints_match(
        tokens.fingerprint(invitation.id, invitation.email), payload.get("f")
    ):
        raise InvitationError(INVALID)
    if invitation.accepted_at is not None:
        raise InvitationError(USED)
    if invitation.revoked_at is not None:
        raise InvitationError(REVOKED)
    if invitation.expires_at <= utcnow():
        raise InvitationError(EXPIRED)
    if not invitation.organisation.is_active:
        raise InvitationError(INACTIVE)
    return invitation


def _accept(invitation: OrganisationInvitation, user: User) -> Membership:
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    membership = db.session.get(Membership, (user.id, invitation.organisation_id))
    if membership is None:
        membership = Membership(user=user, organisation=invitation.organisation)
        db.session.add(membership)
    db.session.flush()
    audit.record(user, "invitation.accepted", invitation, organisation=invitation.organisation.slug)
    return membership


def is_invited_account(invitation: OrganisationInvitation, user: User) -> bool:
    """Whether ``user`` is the account of the invited address (the only one that may accept)."""
    return normalize_email(user.email) == normalize_email(invitation.email)


def accept_invitation(token: str, user: User) -> OrganisationInvitation:
    """The invited person, signed in, accepts: their account joins the organisation.

    Only the account of the invited address may accept: a forwarded or leaked
    link must not make someone else an organiser (who would see registrants' data).
    """
    invitation = invitation_from_token(token)
    if not is_invited_account(invitation, user):
        raise InvitationError(
            "Cette invitation est destinée à une autre adresse e-mail : connectez-vous avec le compte "
            "de l'adresse invitée, ou demandez une nouvelle invitation à la coordination."
        )
    _accept(invitation, user)
    return invitation


def accept_invitation_with_new_account(token: str, *, name: str, password: str) -> User:
    """A newcomer accepts by choosing their name and password; the link proves the address."""
    invitation = invitation_from_token(token)
    if find_user_by_email(invitation.email) is not None:
        raise InvitationError(
            "Un compte existe déjà avec l'adresse de cette invitation : connectez-vous pour l'accepter."
        )
    try:
        user = create_user(email=invitation.email, name=name, role="agent", password=password)
    except AccountError as error:
        raise AdminError(str(error)) from error
    _accept(invitation, user)
    return user


# --- Members ------------------------------------------------------------------------------------


def members(organisation: Organisation) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).join(User).where(Membership.organisation_id == organisation.id).order_by(User.name)
        )
    )


def remove_member(actor: User | None, organisation: Organisation, user: User) -> None:
    """Take ``user`` out of ``organisation`` (their account and registrations stay)."""
    _check_manage(actor, organisation)
    membership = db.session.get(Membership, (user.id, organisation.id))
    if membership is None:
        raise AdminError(f"{user.name} n'est pas membre de {organisation.name}.")
    db.session.delete(membership)
    db.session.flush()
    db.session.expire(user, ["memberships"])
    audit.record(actor, "member.removed", user, organisation=organisation.slug)


# --- Requests to join ---------------------------------------------------------------------------


def pending_request(user: User, organisation: Organisation) -> MembershipRequest | None:
    return db.session.scalars(
        select(MembershipRequest).where(
            MembershipRequest.user_id == user.id,
            MembershipRequest.organisation_id == organisation.id,
            MembershipRequest.status == MembershipRequestStatus.PENDING,
        )
    ).first()


def request_membership(user: User, organisation: Organisation, message: str | None) -> MembershipRequest:
    """``user`` asks to join ``organisation``; the coordinators of its region are told by e-mail."""
    if not can("organisation.join", organisation, user=user):
        if organisation.id in user.organisation_ids:
            raise AdminError(f"Vous êtes déjà membre de {organisation.name}.")
        raise AdminError("Cette organisation n'accepte pas de demande d'adhésion.")
    if pending_request(user, organisation) is not None:
        raise AdminError("Vous avez déjà une demande en attente pour cette organisation.")
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise AdminError(f"Le message est limité à {MAX_MESSAGE_LENGTH} caractères.")
    request = MembershipRequest(organisation=organisation, user=user, message=message or None)
    db.session.add(request)
    db.session.flush()
    audit.record(user, "membership_request.created", organisation, demandeur=user.email)
    for coordinator in coordinators_for(organisation):
        queue_email(
            coordinator.email,
            f"Demande d'adhésion à {organisation.name} – {current_app.config['SITE_NAME']}",
            "membership_request_received",
            kind="membership_request_received",
            organisation=organisation,
            requester=user,
            request=request,
            review_url=absolute_url("admin.organisation", organisation_id=organisation.id),
        )
    return request


def coordinators_for(organisation: Organisation) -> list[User]:
    """The regional coordinators of the organisation's region, or else the national ones."""
    active = (User.is_active.is_(True), User.is_coordinator.is_(True))
    regional = list(
        db.session.scalars(select(User).where(*active, User.coordinator_region == organisation.region_code))
    )
    if regional:
        return regional
    return list(db.session.scalars(select(User).where(*active, User.coordinator_region.is_(None))))


def decide_request(actor: User | None, request: MembershipRequest, accept: bool, comment: str | None = None) -> None:
    """Accept (the person becomes a member) or refuse a pending request; the person is told."""
    organisation = request.organisation
    _check_manage(actor, organisation)
    if request.status != MembershipRequestStatus.PENDING:
        raise AdminError("Cette demande a déjà été traitée.")
    request.status = MembershipRequestStatus.ACCEPTED if accept else MembershipRequestStatus.REFUSED
    request.decided_at = utcnow()
    request.decided_by_id = actor.id if actor else None
    request.decision_comment = (comment or "").strip() or None
    if accept and db.session.get(Membership, (request.user_id, organisation.id)) is None:
        db.session.add(Membership(user_id=request.user_id, organisation_id=organisation.id))
    db.session.flush()
    db.session.expire(request.user, ["memberships"])
    audit.record(
        actor,
        "membership_request.accepted" if accept else "membership_request.refused",
        request.user,
        organisation=organisation.slug,
        **({"commentaire": request.decision_comment} if request.decision_comment else {}),
    )
    queue_email(
        request.user.email,
        f"Votre demande d'adhésion à {organisation.name} – {current_app.config['SITE_NAME']}",
        "membership_request_decided",
        kind="membership_request_decided",
        organisation=organisation,
        user=request.user,
        accepted=accept,
        comment=request.decision_comment,
        organiser_url=absolute_url("organiser.dashboard"),
    )


def pending_requests(organisation: Organisation | None = None, region: str | None = None) -> list[MembershipRequest]:
    query = select(MembershipRequest).where(MembershipRequest.status == MembershipRequestStatus.PENDING)
    if organisation is not None:
        query = query.where(MembershipRequest.organisation_id == organisation.id)
    if region is not None:
        query = query.join(Organisation).where(Organisation.region_code == region)
    return list(db.session.scalars(query.order_by(MembershipRequest.created_at)))
