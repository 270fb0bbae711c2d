"""The database the browser tests run against: `flask db upgrade`, `flask seed demo` at a small
size, then the accounts and events the journeys and page checks need, with known names.

Everything is built in the test process through the app (migrations, the real seed command,
the factories), committed to a SQLite file, and then served by a separate server process.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from config import DevelopmentConfig
from eventapp import create_app
from eventapp.editions import current_edition
from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationMode, RegistrationStatus
from eventapp.search import refresh_search_text
from eventapp.text import slugify
from tests import factories

PASSWORD = factories.PASSWORD
SEED_ARGS = ["seed", "demo", "--events", "80", "--organisations", "30", "--agents", "200", "--seed", "8"]

#: The variants of the journeys: each has its own accounts and events, so they never meet.
VARIANTS = ("desktop", "mobile", "keyboard-desktop", "keyboard-mobile")
#: A word found only in each variant's event, for the programme's search field.
JOURNEY_WORDS = {
    "desktop": "Kerlouan",
    "mobile": "Tréguier",
    "keyboard-desktop": "Locronan",
    "keyboard-mobile": "Plougastel",
}
#: The new events the organiser proposes in journey 1.
PROPOSAL_WORDS = {"desktop": "Paimpol", "mobile": "Camaret"}


@dataclass
class Journey:
    """What one run of the registration journey needs: an event with one seat left, two agents."""

    word: str
    event_id: int
    event_title: str
    agent: str  # takes the last seat, then cancels
    waiting_agent: str  # joins the waiting list, then gets the seat


@dataclass
class Scenario:
    year: int
    organisation_slug: str
    organiser: str
    coordinator: str
    page_agent: str
    open_event_id: int
    full_event_id: int
    cancelled_event_id: int
    online_event_id: int
    submitted_event_id: int
    draft_event_id: int
    journeys: dict[str, Journey] = field(default_factory=dict)


def browser_config(database_url: str):
    class BrowserConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # the demo accounts' hash, quickly

    return BrowserConfig


def build_database(database_url: str) -> Scenario:
    """Migrate, seed and add the scenario to the (empty) database at ``database_url``."""
    from flask_migrate import upgrade

    app = create_app(browser_config(database_url))
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=SEED_ARGS)
        if result.exit_code != 0 or "créée" not in result.output:
            raise RuntimeError(f"flask seed demo failed: {result.output}\n{result.exception!r}")
        scenario = _add_scenario()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return scenario


def _at(year: int, day: int, hour: int = 13) -> datetime:
    return datetime(year, 11, day, hour, 0, tzinfo=timezone.utc)


def _add_scenario() -> Scenario:
    edition = current_edition()
    year = edition.year
    lab = factories.make_organisation(
        "53", name="Laboratoire des parcours usagers", slug="laboratoire-des-parcours-usagers",
        city="Rennes", description="Le laboratoire d'innovation publique qui teste les parcours des usagers.",
    )
    organiser = factories.make_user("organisatrice@parcours.example.gouv.fr", organisations=(lab,),
                                    name="Odile Organisatrice")
    coordinator = factories.make_user("coordination@parcours.example.gouv.fr", is_coordinator=True,
                                      name="Corentin Coordinateur")
    page_agent = factories.make_user("agent.pages@parcours.example.gouv.fr", name="Agathe Agente")
    fillers = [factories.make_user(f"participant{n}@parcours.example.gouv.fr", name=f"Participant {n}")
               for n in range(3)]

    def event(title: str, day: int, **fields):
        values = dict(
            summary="Un atelier pour éprouver, avec des usagers, un parcours de démarche en ligne.",
            description="Nous testerons **ensemble** un parcours réel.\n\n- accueil\n- atelier\n- restitution",
            venue_name="Hôtel de préfecture", street_address="3 avenue de la Préfecture",
            postcode="35000", city="Rennes", departement_code="35", region_code="53",
            format="atelier-collaboratif", capacity=2, has_waiting_list=True,
            starts_at=_at(year, day), themes=("design-de-services",), audiences=("agents-publics",),
        )
        values.update(fields)
        created = factories.make_event(edition, lab, title=title, slug=slugify(title), **values)
        refresh_search_text(created)
        return created

    open_event = event("Atelier des parcours à Carnac", 16, capacity=30)
    full_event = event("Atelier complet à Quiberon", 17)
    factories.make_registration(full_event, fillers[0])
    factories.make_registration(full_event, fillers[1])
    factories.make_registration(full_event, page_agent, status=RegistrationStatus.WAITLISTED)
    factories.make_registration(open_event, page_agent)
    cancelled_event = event(
        "Conférence annulée à Vannes", 18, format="conference", status=EventStatus.CANCELLED,
        cancellation_reason="L'intervenant principal ne peut pas venir ; une nouvelle date sera proposée.",
        cancelled_at=datetime.now(timezone.utc) - timedelta(days=1),
        published_at=datetime.now(timezone.utc) - timedelta(days=10),
    )
    online_event = event(
        "Webinaire sur les parcours en ligne", 19, format="webinaire", mode=EventMode.ONLINE,
        venue_name=None, street_address=None, postcode=None, city=None, departement_code=None,
        region_code=None, online_url="https://visio.example.gouv.fr/parcours", capacity=100,
        registration_mode=RegistrationMode.INTERNAL,
    )

    submitted_event = event("Atelier proposé à Lorient", 23, status=EventStatus.SUBMITTED, published_at=None)
    draft_event = event("Brouillon d'atelier à Saint-Malo", 24, status=EventStatus.DRAFT, published_at=None)

    scenario = Scenario(
        year=year, organisation_slug=lab.slug, organiser=organiser.email, coordinator=coordinator.email,
        page_agent=page_agent.email, open_event_id=open_event.id, full_event_id=full_event.id,
        cancelled_event_id=cancelled_event.id, online_event_id=online_event.id,
        submitted_event_id=submitted_event.id, draft_event_id=draft_event.id,
    )
    for day, variant in enumerate(VARIANTS, start=20):
        word = JOURNEY_WORDS[variant]
        journey_event = event(f"Atelier {word} : tester un parcours usager", day)
        factories.make_registration(journey_event, fillers[2])  # one seat of two is taken
        agent = factories.make_user(f"agent.{variant}@parcours.example.gouv.fr", name=f"Alice {word}")
        waiting = factories.make_user(f"attente.{variant}@parcours.example.gouv.fr", name=f"Bruno {word}")
        scenario.journeys[variant] = Journey(word, journey_event.id, journey_event.title, agent.email, waiting.email)
    db.session.flush()
    return scenario
