"""Build the demo: an edition for the next November with its programme published, the previous
edition as an archive with attendance, organisations of all 18 regions, people and registrations.

Deterministic: every random choice comes from generators seeded with ``seed`` and every
timestamp is derived from the edition year, never from the clock (only the default year looks
at today's date). Fast: rows are inserted in bulk (see ``bulk``), a handful of statements per table;
the caller commits once.
"""
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..geo import departements
from ..models import (
    Edition,
    Event,
    EventAudience,
    EventStatus,
    EventStatusChange,
    EventTheme,
    Membership,
    Organisation,
    Registration,
    User,
)
from ..text import slugify
from ..vocabulary import REGIONS
from ..workflow.snapshot import snapshot
from . import content, people
from .bulk import bulk_insert, insert_returning
from .events import EventPlanner, Moderators, OrgInfo, PlannedEvent, paris_time
from .organisations import REGION_WEIGHTS, departement_council, organisation_specs, regional_council
from .places import Places
from .signups import AgentInfo, SignupSimulator

DEMO_PASSWORD = "innovation-publique"
EMAIL_DOMAIN = "example.org"
#: The regional coordinator's region, and the region of the organiser and agent printed.
DEMO_REGION = "53"
ARCHIVE_SHARE = 0.3


class DatabaseNotEmpty(Exception):
    """The database already holds data: the demo is only built on an empty one."""


@dataclass
class DemoOptions:
    events: int = 400
    organisations: int = 130
    agents: int = 2000
    seed: int = 42
    year: int | None = None


@dataclass
class DemoSummary:
    year: int
    archive_year: int
    events: int = 0
    published: int = 0
    archive_events: int = 0
    organisations: int = 0
    users: int = 0
    registrations: int = 0
    archive_registrations: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    seconds: float = 0.0


def default_year(today: date) -> int:
    """The next November that has not started yet."""
    return today.year if today < date(today.year, 11, 1) else today.year + 1


def database_is_empty() -> bool:
    return not any(
        db.session.scalar(select(exists().select_from(model)))
        for model in (Edition, Organisation, User, Event)
    )


def build_demo(options: DemoOptions, today: date | None = None) -> DemoSummary:
    """Insert the demo data (flushes, does not commit). Raises ``DatabaseNotEmpty``."""
    if not database_is_empty():
        raise DatabaseNotEmpty()
    started = time.perf_counter()
    year = options.year or default_year(today or date.today())
    summary = _Builder(options, year).build()
    summary.seconds = time.perf_counter() - started
    return summary


def _email_local_part(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    first, _, last = ascii_name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}"


class _Builder:
    """Builds the whole demo for one year; each part draws from its own seeded generator."""

    def __init__(self, options: DemoOptions, year: int):
        self.options = options
        self.year = year
        self.places = Places(departements())
        self.emails: set[str] = set()
        self.organiser_emails: dict[str, str] = {}
        # One password for every demo account, hashed once.
        self.password_hash = generate_password_hash(
            DEMO_PASSWORD, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def rng(self, purpose: str) -> random.Random:
        """An independent generator per purpose, so changing one part leaves the others alone."""
        return random.Random(f"{self.options.seed}:{self.year}:{purpose}")

    def build(self) -> DemoSummary:
        summary = DemoSummary(self.year, self.year - 1)
        current, archive = self._editions()
        orgs_specs = organisation_specs(self.rng("organisations"), self.places, self.options.organisations)
        org_ids = insert_returning(Organisation, [
            dict(name=s.name, slug=s.slug, kind=s.kind, region_code=s.region_code, city=s.city,
                 website=s.website, description=s.description, is_active=True,
                 created_at=paris_time(self.year - 2, 9, 1, 9) + timedelta(hours=i))
            for i, s in enumerate(orgs_specs)
        ])
        staff = self._staff()
        organisers = self._organisers(orgs_specs, org_ids)
        agents = self._agents()
        bulk_insert(Membership, [
            dict(user_id=user_id, organisation_id=org_id, created_at=paris_time(self.year - 2, 9, 2, 9))
            for user_id, org_id in zip(organisers, org_ids)
        ])
        orgs = [
            OrgInfo(org_id, spec.name, spec.kind, spec.region_code, spec.city, spec.website, user_id)
            for org_id, spec, user_id in zip(org_ids, orgs_specs, organisers)
        ]
        moderators = Moderators(staff["national"], staff["regional"], DEMO_REGION)
        simulator = SignupSimulator(self.rng("registrations"), agents)

        archive_count = max(1, round(self.options.events * ARCHIVE_SHARE))
        for edition, count, is_archive in ((archive, archive_count, True), (current, self.options.events, False)):
            planner = EventPlanner(self.rng(f"events:{edition.year}"), self.places, moderators,
                                   edition.year, edition.programme_published_at)
            planned = planner.plan(orgs, count, is_archive, edition.id)
            registrations = self._insert_events(planned, simulator, edition, is_archive)
            if is_archive:
                summary.archive_events, summary.archive_registrations = count, registrations
            else:
                summary.events, summary.registrations = count, registrations
                summary.published = sum(p.row["status"] == EventStatus.PUBLISHED for p in planned)

        db.session.flush()
        summary.organisations = len(org_ids)
        summary.users = db.session.scalar(select(func.count(User.id)))
        bretagne_lab = next(s for s in orgs_specs if s.kind == "liit" and s.region_code == DEMO_REGION)
        summary.logins = [
            ("coordination nationale", staff["national_email"]),
            (f"coordination régionale ({REGIONS[DEMO_REGION].name})", staff["regional_email"]),
            (f"organisateur ({bretagne_lab.name})", self._organiser_email(bretagne_lab.slug)),
            ("agent", f"agent@{EMAIL_DOMAIN}"),
            ("administration", staff["admin_email"]),
        ]
        return summary

    # -- editions ------------------------------------------------------------------------------

    def _editions(self) -> tuple[Edition, Edition]:
        editions = []
        for year in (self.year - 1, self.year):
            headline = content.headline_for(year)
            edition = Edition(
                year=year, title=f"Mois de l'innovation publique {year}", theme=headline,
                description=content.EDITION_DESCRIPTION.format(year=year, headline=headline),
                starts_on=date(year, 11, 1), ends_on=date(year, 11, 30),
                # Open from the September of the year before to the eve of the month: with the
                # default year, organisers can submit whatever day the demo runs.
                submissions_open_at=paris_time(year - 1, 9, 1),
                submissions_close_at=paris_time(year, 10, 31, 23, 59),
                programme_published_at=paris_time(year, 10, 14, 10),
                created_at=paris_time(year - 1, 6, 15, 9),
            )
            db.session.add(edition)
            editions.append(edition)
        db.session.flush()
        return editions[1], editions[0]

    # -- organisations and people ------------------------------------------------------------------

    def _insert_users(self, rows: list[dict]) -> list[int]:
        """Users in one batch, ids read back by e-mail (RETURNING in parameter order would
        insert them one by one on SQLite)."""
        bulk_insert(User, rows)
        wanted = {row["email"] for row in rows}
        ids = {email: user_id for email, user_id in db.session.execute(select(User.email, User.id))
               if email in wanted}
        return [ids[row["email"]] for row in rows]

    def _user_row(self, name: str, email: str, administration: str, job_title: str, created_at: datetime,
                  **flags) -> dict:
        self.emails.add(email)
        row = dict(
            email=email, name=name, administration=administration, job_title=job_title,
            password_hash=self.password_hash, email_verified_at=created_at + timedelta(minutes=7),
            is_active=True, is_admin=False, is_coordinator=False, coordinator_region=None,
            created_at=created_at,
        )
        row.update(flags)
        return row

    def _unique_email(self, name: str) -> str:
        local = _email_local_part(name)
        email, n = f"{local}@{EMAIL_DOMAIN}", 2
        while email in self.emails:
            email, n = f"{local}{n}@{EMAIL_DOMAIN}", n + 1
        return email

    def _staff(self) -> dict:
        created = paris_time(self.year - 2, 9, 1, 9)
        ditp = "Direction interministérielle de la transformation publique (DITP)"
        region = REGIONS[DEMO_REGION].name
        national = f"coordination.nationale@{EMAIL_DOMAIN}"
        regional = f"coordination.{slugify(region)}@{EMAIL_DOMAIN}"
        admin = f"admin@{EMAIL_DOMAIN}"
        ids = self._insert_users([
            self._user_row("Claire Moreau", national, ditp,
                           "Coordinatrice nationale du Mois de l'innovation publique", created,
                           is_coordinator=True),
            self._user_row("Yann Le Gall", regional, f"Préfecture de la région {region} (SGAR)",
                           "Coordinateur régional de l'innovation publique", created,
                           is_coordinator=True, coordinator_region=DEMO_REGION),
            self._user_row("Sophie Girard", admin, ditp, "Administratrice de la plateforme", created,
                           is_admin=True),
        ])
        return dict(national=ids[0], regional=ids[1], admin=ids[2],
                    national_email=national, regional_email=regional, admin_email=admin)

    def _organiser_email(self, slug: str) -> str:
        """« organisateur.ti-lab@example.org »: the local part stays within the 64 characters allowed."""
        if slug not in self.organiser_emails:
            local = f"organisateur.{slug}"[:64].rstrip("-")
            email, n = f"{local}@{EMAIL_DOMAIN}", 2
            while email in self.emails:
                email, n = f"{local[:60].rstrip('-')}-{n}@{EMAIL_DOMAIN}", n + 1
            self.organiser_emails[slug] = email
            self.emails.add(email)
        return self.organiser_emails[slug]

    def _person(self, rng: random.Random) -> tuple[str, bool]:
        female = rng.random() < 0.55
        first = rng.choice(people.FEMALE_FIRST_NAMES if female else people.MALE_FIRST_NAMES)
        return f"{first} {rng.choice(people.LAST_NAMES)}", female

    def _organisers(self, specs, org_ids: list[int]) -> list[int]:
        rng = self.rng("organisers")
        rows = []
        for i, spec in enumerate(specs):
            name, female = self._person(rng)
            titles = people.ORGANISER_JOB_TITLES if spec.kind in ("liit", "lab-ministere") else people.ORGANISER_JOB_TITLES[1:]
            job = rng.choice(titles)[1 if female else 0]
            rows.append(self._user_row(name, self._organiser_email(spec.slug), spec.name, job,
                                       paris_time(self.year - 2, 9, 2, 9) + timedelta(minutes=i)))
        return self._insert_users(rows)

    def _agents(self) -> list[AgentInfo]:
        rng = self.rng("agents")
        regions = list(REGION_WEIGHTS)
        weights = list(REGION_WEIGHTS.values())
        start = paris_time(self.year - 3, 1, 5, 8)
        span_minutes = int((paris_time(self.year - 1, 9, 1) - start).total_seconds() // 60)
        rows, regions_of = [], []
        for i in range(self.options.agents):
            region_code = DEMO_REGION if i == 0 else rng.choices(regions, weights)[0]
            name, female = self._person(rng)
            administration, job = self._employment(rng, region_code, female)
            email = f"agent@{EMAIL_DOMAIN}" if i == 0 else self._unique_email(name)
            created = start + timedelta(minutes=rng.randint(0, span_minutes))
            rows.append(self._user_row(name, email, administration, job, created))
            regions_of.append(region_code)
        ids = self._insert_users(rows)
        return [AgentInfo(user_id, region, row["administration"], row["job_title"])
                for user_id, region, row in zip(ids, regions_of, rows)]

    def _employment(self, rng: random.Random, region_code: str, female: bool) -> tuple[str, str]:
        """An employer of the region (or a ministry, from Île-de-France) and a job that fits it."""
        draw = rng.random()
        if draw < 0.04:
            return rng.choice(people.STUDENT_ADMINISTRATIONS), "Étudiante" if female else "Étudiant"
        if region_code == "11" and draw < 0.35:
            return rng.choice(people.NATIONAL_ADMINISTRATIONS), self._job(rng, None, female)
        templates = people.REGIONAL_ADMINISTRATIONS
        template, _, sector = rng.choices(templates, [weight for _, weight, _ in templates])[0]
        city = rng.choice(self.places.towns(region_code))
        capital = self.places.capital(region_code)
        if template.startswith("Rectorat") and region_code in people.ACADEMY_OVERRIDES:
            name = people.ACADEMY_OVERRIDES[region_code]
        elif template.startswith("Université") and region_code in people.UNIVERSITY_OVERRIDES:
            name = people.UNIVERSITY_OVERRIDES[region_code]
        elif template.startswith("Département"):
            name = departement_council(self.places, city)
        elif template.startswith("Région"):
            name = regional_council(region_code)
        else:
            name = template.format(
                dept_de=self.places.departement_de(city), region=REGIONS[region_code].name,
                city_de=city.de, capital_de=capital.de,
            )
        return name, self._job(rng, sector, female)

    def _job(self, rng: random.Random, sector: str | None, female: bool) -> str:
        titles = people.COMMON_JOB_TITLES
        if sector and rng.random() < 0.6:
            titles = people.JOB_TITLES_BY_SECTOR[sector]
        return rng.choice(titles)[1 if female else 0]

    # -- events ----------------------------------------------------------------------------

    def _insert_events(self, planned, simulator: SignupSimulator, edition: Edition, archive: bool) -> int:
        ids = insert_returning(Event, [p.row for p in planned])
        themes, audiences, changes, registrations = [], [], [], []
        for event_id, p in zip(ids, planned):
            themes += [dict(event_id=event_id, theme=code) for code in p.themes]
            audiences += [dict(event_id=event_id, audience=code) for code in p.audiences]
            base = _snapshot_of(p)
            changes += [
                dict(event_id=event_id, actor_id=actor, from_status=old, to_status=new, comment=comment,
                     snapshot=dict(base, status=new.value, sequence=1 if new == EventStatus.CANCELLED else 0,
                                   cancellation_reason=comment if new == EventStatus.CANCELLED else None),
                     created_at=moment)
                for old, new, actor, comment, moment in p.history
            ]
            registrations += simulator.rows_for(p, event_id, edition.programme_published_at, archive)
        bulk_insert(EventTheme, themes)
        bulk_insert(EventAudience, audiences)
        bulk_insert(EventStatusChange, changes)
        if registrations:
            bulk_insert(Registration, registrations)
        return len(registrations)


def _snapshot_of(planned: PlannedEvent) -> dict:
    """The event's fields as the workflow records them with every step of its history."""
    event = Event(**planned.row)
    event.themes.extend(planned.themes)
    event.audiences.extend(planned.audiences)
    return snapshot(event)

