"""Account services: sign-up, e-mail verification, authentication, password reset and
change, profile, and account creation from the command line.

Plain functions used by the web views and the CLI. They raise :class:`AccountError`
(with a French message) or a :mod:`tokens` error, flush but never commit, and queue
e-mails in the outbox within the caller's transaction. Addresses are stored
normalised (:func:`normalize_email`), so lookups are exact matches.
"""
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..mail.outbox import queue_email
from ..models import Membership, Organisation, User, normalize_email, utcnow
from ..vocabulary import REGIONS
from . import tokens

ROLES = ("agent", "organiser", "coordinator", "admin")
ROLE_LABELS = {
    "agent": "agent",
    "organiser": "organisateur",
    "coordinator": "coordinateur",
    "admin": "administrateur",
}
PASSWORD_MAX_LENGTH = 200


class AccountError(Exception):
    """A request about an account that cannot be carried out; ``str(error)`` is French."""


class EmailAlreadyUsed(AccountError):
    pass


class WrongPassword(AccountError):
    pass


class InvalidPassword(AccountError):
    pass


# --- Passwords -------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt in production)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _decoy_hash(method: str) -> str:
    return generate_password_hash("decoy password, never valid", method=method)


def password_matches(user: User | None, password: str) -> bool:
    """Check a password; for a missing user, spend the same time on a decoy hash.

    So the time a failed log-in takes does not tell whether the address has an account.
    """
    if user is None or not user.password_hash:
        check_password_hash(_decoy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return False
    return check_password_hash(user.password_hash, password or "")


def password_problem(password: str | None) -> str | None:
    """Why a new password is refused (French), or ``None`` when it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not password or len(password) < minimum:
        return f"Le mot de passe doit comporter au moins {minimum} caractères."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Le mot de passe doit comporter au plus {PASSWORD_MAX_LENGTH} caractères."
    if not password.strip():
        return "Le mot de passe ne peut pas être composé uniquement d'espaces."
    return None


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise InvalidPassword(problem)
    user.password_hash = hash_password(password)


# --- Lookups and links -----------------------------------------------------------------

def find_user_by_email(email: str | None) -> User | None:
    address = normalize_email(email or "")
    if not address:
        return None
    return db.session.scalars(select(User).where(User.email == address)).first()


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, built from the configured site address.

    Never from the request's Host header, which a client chooses: a forged host
    would otherwise put an attacker's domain in a password-reset e-mail.
    """
    config = current_app.config
    adapter = current_app.url_map.bind(
        config["SITE_HOST"],
        url_scheme=config["PREFERRED_URL_SCHEME"],
        script_name=config.get("APPLICATION_ROOT") or "/",
    )
    return adapter.build(endpoint, values, force_external=True)


# --- Tokens ----------------------------------------------------------------------------

def verification_token(user: User) -> str:
    return tokens.make_token("verify-email", {"u": user.id, "e": tokens.fingerprint(user.email)})


def reset_token(user: User) -> str:
    """A reset token bound to the current password and session nonce: it dies once used."""
    return tokens.make_token(
        "reset-password",
        {"u": user.id, "p": tokens.fingerprint(user.password_hash, user.session_nonce)},
    )


def _user_from_payload(payload) -> User | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    return db.session.get(User, payload["u"])


# --- Sign-up and verification ----------------------------------------------------------

def sign_up(*, name: str, email: str, administration: str, job_title: str | None, password: str) -> User | None:
    """Create an unverified account and queue its verification e-mail.

    When the address already has an account, nothing is created: that address gets an
    e-mail saying so (with a reset link) and ``None`` is returned, so the page shown to
    the visitor is the same either way and reveals nothing.
    """
    address = normalize_email(email)
    problem = password_problem(password)
    if problem:
        raise InvalidPassword(problem)
    password_hash = hash_password(password)  # hashed in both cases: same time either way
    existing = find_user_by_email(address)
    if existing is not None:
        if existing.is_active:
            queue_email(
                existing.email,
                f"Vous avez déjà un compte – {current_app.config['SITE_NAME']}",
                "account_exists",
                kind="account_exists",
                user=existing,
                login_url=absolute_url("auth.login"),
                reset_url=absolute_url("auth.reset_password", token=reset_token(existing)),
                max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
            )
        return None
    user = User(
        email=address,
        name=name.strip(),
        administration=(administration or "").strip() or None,
        job_title=(job_title or "").strip() or None,
        password_hash=password_hash,
    )
    db.session.add(user)
    db.session.flush()
    send_verification_email(user)
    return user


def send_verification_email(user: User):
    """Queue the e-mail with the link that confirms ``user`` owns their address."""
    return queue_email(
        user.email,
        f"Confirmez votre adresse e-mail – {current_app.config['SITE_NAME']}",
        "verify_email",
        kind="verify_email",
        user=user,
        verify_url=absolute_url("auth.verify_email", token=verification_token(user)),
        max_age_days=current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 86400,
    )


def verify_email(token: str) -> User:
    """Mark the address of the token's account as verified (once; later calls change nothing).

    Raises :class:`tokens.TokenExpired` or :class:`tokens.TokenInvalid`.
    """
    payload = tokens.read_token("verify-email", token, current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    user = _user_from_payload(payload)
    if user is None or not tokens.fingerprints_match(tokens.fingerprint(user.email), payload.get("e")):
        raise tokens.TokenInvalid()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
    return user


# --- Log-in ----------------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, or ``None`` (whatever the reason)."""
    user = find_user_by_email(email)
    if not password_matches(user, password):
        return None
    if not user.is_active:
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()


# --- Password reset and change ---------------------------------------------------------

def request_password_reset(email: str) -> bool:
    """Queue a reset e-mail when an active account has this address; say whether one was queued.

    The caller must answer the same way in both cases.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return False
    queue_email(
        user.email,
        f"Réinitialisation de votre mot de passe – {current_app.config['SITE_NAME']}",
        "password_reset",
        kind="password_reset",
        user=user,
        reset_url=absolute_url("auth.reset_password", token=reset_token(user)),
        max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    return True


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for, if the link is recent and has not been used.

    Raises :class:`tokens.TokenExpired` or :class:`tokens.TokenInvalid`.
    """
    payload = tokens.read_token("reset-password", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = _user_from_payload(payload)
    if user is None or not user.is_active:
        raise tokens.TokenInvalid()
    expected = tokens.fingerprint(user.password_hash, user.session_nonce)
    if not tokens.fingerprints_match(expected, payload.get("p")):
        raise tokens.TokenInvalid()
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; every session of the account ends.

    Following the link proves the address, so it also counts as verified.
    """
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    user.end_other_sessions()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    _queue_password_changed(user)
    db.session.flush()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change ``user``'s own password after checking the current one; other sessions end.

    The caller logs the current session in again (its session id includes the nonce).
    """
    if not password_matches(user, current_password):
        raise WrongPassword("Le mot de passe actuel est incorrect.")
    _set_password(user, new_password)
    user.end_other_sessions()
    _queue_password_changed(user)
    db.session.flush()


def _queue_password_changed(user: User) -> None:
    queue_email(
        user.email,
        f"Votre mot de passe a été modifié – {current_app.config['SITE_NAME']}",
        "password_changed",
        kind="password_changed",
        user=user,
        changed_at=utcnow(),
        forgot_url=absolute_url("auth.forgot_password"),
    )


# --- Profile ---------------------------------------------------------------------------

def update_profile(user: User, *, name: str, administration: str | None, job_title: str | None) -> None:
    """Change ``user``'s own name, administration and job title (the address stays)."""
    name = (name or "").strip()
    if not name:
        raise AccountError("Indiquez votre nom.")
    user.name = name
    user.administration = (administration or "").strip() or None
    user.job_title = (job_title or "").strip() or None
    db.session.flush()


# --- Accounts created by an operator ---------------------------------------------------

def check_new_user(
    *, email: str, role: str, organisation_slug: str | None = None, region: str | None = None
) -> tuple[str, Organisation | None]:
    """Validate the command line's choices before asking for a password.

    Returns the normalised address and the organisation (for an organiser).
    """
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu « {role} » : choisissez parmi {', '.join(ROLES)}.")
    try:
        address = normalize_email(validate_email((email or "").strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise AccountError(f"Adresse e-mail invalide « {email} » : {exc}") from exc
    if find_user_by_email(address) is not None:
        raise EmailAlreadyUsed(f"Un compte existe déjà avec l'adresse {address} : rien n'a été modifié.")
    organisation = None
    if role == "organiser":
        if not organisation_slug:
            raise AccountError("Un organisateur doit être rattaché à une organisation : ajoutez --organisation SLUG.")
        organisation = db.session.scalars(
            select(Organisation).where(Organisation.slug == organisation_slug.strip())
        ).first()
        if organisation is None:
            raise AccountError(f"Aucune organisation n'a l'identifiant « {organisation_slug} ».")
    elif organisation_slug:
        raise AccountError("--organisation ne s'utilise qu'avec --role organiser.")
    if region is not None:
        if role != "coordinator":
            raise AccountError("--region ne s'utilise qu'avec --role coordinator.")
        if region not in REGIONS:
            known = ", ".join(f"{code} ({r.name})" for code, r in REGIONS.items())
            raise AccountError(f"Code de région inconnu « {region} ». Codes connus : {known}.")
    return address, organisation


def create_user(
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    organisation_slug: str | None = None,
    region: str | None = None,
    administration: str | None = None,
) -> User:
    """Create an account with a role, as an operator does from the command line.

    ``role`` is one of :data:`ROLES`: an organiser joins ``organisation_slug``; a coordinator
    covers ``region`` (a region code) or, without one, the whole country. The operator vouches
    for the address, so it counts as verified. An existing address is an error.
    """
    address, organisation = check_new_user(
        email=email, role=role, organisation_slug=organisation_slug, region=region
    )
    name = (name or "").strip()
    if not name:
        raise AccountError("Le nom ne peut pas être vide.")
    user = User(
        email=address,
        name=name,
        administration=(administration or "").strip() or (organisation.name if organisation else None),
        email_verified_at=utcnow(),
        is_coordinator=role == "coordinator",
        coordinator_region=region if role == "coordinator" else None,
        is_admin=role == "admin",
    )
    _set_password(user, password)
    db.session.add(user)
    db.session.flush()
    if organisation is not None:
        db.session.add(Membership(user=user, organisation=organisation))
        db.session.flush()
    return user
