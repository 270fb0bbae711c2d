"""Editions: create the next one, set its dates and submission window, open or close
submissions, publish or unpublish its programme. Past editions are read-only archives.

Services take the acting user, raise :class:`AdminError` with a French message,
record an audit entry, flush and never commit.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ..editions import current_edition
from ..extensions import db
from ..models import Edition, User, utcnow
from ..permissions import can
from ..workflow import WorkflowError, publish_programme, unpublish_programme
from . import audit
from .errors import AdminError, NotAllowed

EDITABLE_FIELDS = (
    "title", "theme", "description", "starts_on", "ends_on", "submissions_open_at", "submissions_close_at",
)


@dataclass
class EditionValues:
    """What a coordinator types for an edition."""

    title: str
    theme: str | None
    description: str | None
    starts_on: date
    ends_on: date
    submissions_open_at: datetime | None
    submissions_close_at: datetime | None


def is_archived(edition: Edition) -> bool:
    """A past edition: a newer one exists, so it can no longer be changed."""
    current = current_edition()
    return current is not None and current.id != edition.id


def _check_manage(actor: User | None) -> None:
    if not can("edition.manage", user=actor):
        raise NotAllowed("Seule la coordination nationale gère les éditions.")


def _check_edit(actor: User | None, edition: Edition) -> None:
    _check_manage(actor)
    if is_archived(edition):
        raise AdminError(
            f"L'édition {edition.year} est archivée (une édition plus récente existe) : elle ne peut plus être modifiée."
        )


def _validate(values: EditionValues, year: int) -> None:
    if not (values.title or "").strip():
        raise AdminError("Indiquez le titre de l'édition.")
    if values.ends_on < values.starts_on:
        raise AdminError("La date de fin de l'édition doit suivre sa date de début.")
    if values.starts_on.year != year:
        raise AdminError(f"L'édition {year} doit commencer en {year}.")
    opens, closes = values.submissions_open_at, values.submissions_close_at
    if opens and closes and closes <= opens:
        raise AdminError("La clôture du dépôt des événements doit suivre son ouverture.")


def next_year() -> int:
    latest = db.session.scalar(select(func.max(Edition.year)))
    return (latest + 1) if latest else utcnow().year


def create_edition(actor: User | None, year: int, values: EditionValues) -> Edition:
    """Create the next edition (a later year than every existing one); the previous becomes an archive."""
    _check_manage(actor)
    latest = db.session.scalar(select(func.max(Edition.year)))
    if latest is not None and year <= latest:
        raise AdminError(f"L'édition {latest} existe déjà : la nouvelle édition doit porter une année postérieure.")
    _validate(values, year)
    edition = Edition(
        year=year,
        title=values.title.strip(),
        theme=(values.theme or "").strip() or None,
        description=(values.description or "").strip() or None,
        starts_on=values.starts_on,
        ends_on=values.ends_on,
        submissions_open_at=values.submissions_open_at,
        submissions_close_at=values.submissions_close_at,
    )
    db.session.add(edition)
    db.session.flush()
    audit.record(actor, "edition.created", edition, year=year, title=edition.title)
    return edition


def _shown(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def update_edition(actor: User | None, edition: Edition, values: EditionValues) -> list[str]:
    """Change the current edition's title, theme, dates and submission window; returns what changed."""
    _check_edit(actor, edition)
    _validate(values, edition.year)
    cleaned = dict(
        title=values.title.strip(),
        theme=(values.theme or "").strip() or None,
        description=(values.description or "").strip() or None,
        starts_on=values.starts_on,
        ends_on=values.ends_on,
        submissions_open_at=values.submissions_open_at,
        submissions_close_at=values.submissions_close_at,
    )
    changes = {}
    for name, value in cleaned.items():
        old = getattr(edition, name)
        if old != value:
            changes[name] = {"avant": _shown(old), "après": _shown(value)}
            setattr(edition, name, value)
    if changes:
        db.session.flush()
        audit.record(actor, "edition.updated", edition, changes=changes)
    return list(changes)


def open_submissions(actor: User | None, edition: Edition, now: datetime | None = None) -> None:
    """Open the submission window now, until its planned close (which must be in the future)."""
    _check_edit(actor, edition)
    now = now or utcnow()
    if edition.is_submission_open(now):
        raise AdminError("Le dépôt des événements est déjà ouvert.")
    if edition.submissions_close_at is None or edition.submissions_close_at <= now:
        raise AdminError(
            "Fixez d'abord une date de clôture du dépôt dans le futur (formulaire de l'édition), puis ouvrez le dépôt."
        )
    edition.submissions_open_at = now
    db.session.flush()
    audit.record(actor, "edition.submissions_opened", edition, until=_shown(edition.submissions_close_at))


def close_submissions(actor: User | None, edition: Edition, now: datetime | None = None) -> None:
    """Close the submission window now (organisers can no longer submit)."""
    _check_edit(actor, edition)
    now = now or utcnow()
    if not edition.is_submission_open(now):
        raise AdminError("Le dépôt des événements est déjà fermé.")
    edition.submissions_close_at = now
    db.session.flush()
    audit.record(actor, "edition.submissions_closed", edition)


def set_programme_published(actor: User | None, edition: Edition, publish: bool, comment: str | None = None) -> None:
    """Publish or unpublish the edition's programme through the workflow's service, and log it."""
    _check_edit(actor, edition)
    try:
        if publish:
            publish_programme(edition, actor, comment)
        else:
            unpublish_programme(edition, actor, comment)
    except WorkflowError as error:
        raise AdminError(error.message) from error
    action = "edition.programme_published" if publish else "edition.programme_unpublished"
    audit.record(actor, action, edition, **({"commentaire": comment.strip()} if comment and comment.strip() else {}))
