"""Plain factory functions for tests: each builds valid objects with sensible defaults."""
import itertools
from datetime import date, datetime, timedelta, timezone

from werkzeug.security import generate_password_hash

from eventapp.extensions import db
from eventapp.models import (
    Edition,
    Event,
    EventMode,
    EventStatus,
    Membership,
    Organisation,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    User,
)

_counter = itertools.count(1)
PASSWORD = "motdepasse-de-test-123"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_edition(year: int = 2030, published: bool = True, **fields) -> Edition:
    now = datetime.now(timezone.utc)
    values = dict(
        year=year,
        title=f"Mois de l'innovation publique {year}",
        theme="Simplification",
        starts_on=date(year, 11, 1),
        ends_on=date(year, 11, 30),
        submissions_open_at=now - timedelta(days=30),
        submissions_close_at=now + timedelta(days=30),
        programme_published_at=now - timedelta(days=1) if published else None,
    )
    values.update(fields)
    edition = Edition(**values)
    db.session.add(edition)
    db.session.flush()
    return edition


def make_organisation(region_code: str = "84", **fields) -> Organisation:
    n = next(_counter)
    values = dict(
        name=f"Laboratoire numéro {n}",
        slug=f"laboratoire-{n}",
        kind="liit",
        region_code=region_code,
        city="Lyon",
        description="Un laboratoire d'innovation publique.",
    )
    values.update(fields)
    organisation = Organisation(**values)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def make_user(
    email: str | None = None,
    *,
    organisations: tuple = (),
    coordinator_region: str | None = None,
    is_coordinator: bool = False,
    is_admin: bool = False,
    verified: bool = True,
    **fields,
) -> User:
    n = next(_counter)
    values = dict(
        email=email or f"agent{n}@example.gouv.fr",
        name=f"Agent {n}",
        administration="Préfecture",
        job_title="Chargé de mission",
        password_hash=_PASSWORD_HASH,
        email_verified_at=datetime.now(timezone.utc) if verified else None,
        is_coordinator=is_coordinator or coordinator_region is not None,
        coordinator_region=coordinator_region,
        is_admin=is_admin,
    )
    values.update(fields)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    for organisation in organisations:
        db.session.add(Membership(user=user, organisation=organisation))
    db.session.flush()
    return user


def make_event(
    edition: Edition | None = None,
    organisation: Organisation | None = None,
    *,
    status: EventStatus = EventStatus.PUBLISHED,
    starts_at: datetime | None = None,
    hours: float = 2,
    themes: tuple = ("simplification",),
    audiences: tuple = ("agents-publics",),
    **fields,
) -> Event:
    edition = edition or make_edition()
    organisation = organisation or make_organisation()
    n = next(_counter)
    starts_at = starts_at or datetime(edition.year, 11, 14, 13, 0, tzinfo=timezone.utc)
    values = dict(
        edition=edition,
        organisation=organisation,
        title=f"Atelier de simplification {n}",
        slug=f"atelier-de-simplification-{n}",
        summary="Un atelier pour simplifier une démarche.",
        description="Nous travaillerons **ensemble** sur une démarche.",
        format="atelier-collaboratif",
        mode=EventMode.IN_PERSON,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        timezone="Europe/Paris",
        venue_name="Préfecture",
        street_address="1 rue de la République",
        postcode="69001",
        city="Lyon",
        departement_code="69",
        region_code=organisation.region_code,
        registration_mode=RegistrationMode.INTERNAL,
        capacity=20,
        has_waiting_list=True,
        status=status,
        published_at=datetime.now(timezone.utc) if status == EventStatus.PUBLISHED else None,
    )
    values.update(fields)
    event = Event(**values)
    event.themes.extend(themes)
    event.audiences.extend(audiences)
    db.session.add(event)
    db.session.flush()
    return event


def make_registration(event: Event, user: User | None = None, status=RegistrationStatus.CONFIRMED, **fields):
    user = user or make_user()
    now = datetime.now(timezone.utc)
    values = dict(
        event=event,
        user=user,
        status=status,
        administration=user.administration,
        job_title=user.job_title,
        shares_answers=True,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
    )
    values.update(fields)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.flush()
    return registration
