"""`flask seed demo`: the counts it promises, consistency, no overbooking, determinism, re-runs."""
import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text
from werkzeug.security import check_password_hash

from eventapp.geo import departements
from eventapp.models import (
    Edition,
    Event,
    EventMode,
    EventStatus,
    EventStatusChange,
    Membership,
    Organisation,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    User,
)
from eventapp.search import event_search_text
from eventapp.seed.demo import DEMO_PASSWORD, default_year
from eventapp.seed.places import city_with
from eventapp.text import slugify
from eventapp.vocabulary import AUDIENCES, FORMATS, ORGANISATION_KINDS, REGIONS, THEMES

SMALL = ["--events", "60", "--organisations", "25", "--agents", "150"]
YEAR = 2030
OVERSEAS_ZONES = {"America/Guadeloupe", "America/Martinique", "America/Cayenne", "Indian/Reunion", "Indian/Mayotte"}


def seed(runner, *extra):
    result = runner.invoke(args=["seed", "demo", *SMALL, "--year", str(YEAR), *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture
def seeded(runner, db):
    result = seed(runner)
    db.session.expire_all()
    return result


def edition(db, year=YEAR) -> Edition:
    return db.session.scalars(select(Edition).where(Edition.year == year)).one()


def events_of(db, year=YEAR) -> list[Event]:
    return list(db.session.scalars(
        select(Event).join(Edition).where(Edition.year == year).order_by(Event.id)))


def test_default_year_is_the_next_november_not_started():
    assert default_year(date(2026, 11, 21)) == 2027
    assert default_year(date(2027, 10, 31)) == 2027
    assert default_year(date(2027, 11, 1)) == 2028
    assert default_year(date(2027, 1, 1)) == 2027


def test_french_place_names(app):
    deps = departements()
    assert deps["29"].with_de == "du Finistère"
    assert deps["01"].with_de == "de l'Ain"
    assert deps["40"].with_de == "des Landes"
    assert deps["75"].with_de == "de Paris"
    assert deps["35"].with_de == "d'Ille-et-Vilaine"
    assert deps["33"].with_de == "de la Gironde"
    assert city_with("de", "Le Mans") == "du Mans"
    assert city_with("à", "Les Abymes") == "aux Abymes"
    assert city_with("de", "Angers") == "d'Angers"
    assert city_with("de", "La Rochelle") == "de La Rochelle"


def test_editions_current_published_and_archive(seeded, db):
    current = edition(db)
    assert current.title == f"Mois de l'innovation publique {YEAR}"
    assert (current.starts_on, current.ends_on) == (date(YEAR, 11, 1), date(YEAR, 11, 30))
    assert current.programme_published_at is not None
    assert current.submissions_open_at < current.submissions_close_at < datetime(YEAR, 11, 1, tzinfo=timezone.utc)
    archive = edition(db, YEAR - 1)
    assert archive.programme_published_at is not None
    assert len(events_of(db)) == 60
    assert len(events_of(db, YEAR - 1)) == 18
    assert db.session.scalar(select(func.count(Edition.id))) == 2


def test_organisations_real_labs_and_all_regions(seeded, db):
    organisations = list(db.session.scalars(select(Organisation)))
    assert len(organisations) == 25
    assert len({o.slug for o in organisations}) == 25
    assert all(o.slug == slugify(o.name, max_length=100) or o.slug.startswith(slugify(o.name, 100)) for o in organisations)
    assert {o.kind for o in organisations} <= set(ORGANISATION_KINDS)
    assert {o.region_code for o in organisations} == set(REGIONS)
    liits = {o.region_code: o.name for o in organisations if o.kind == "liit"}
    assert len(liits) == 18 and sum(o.kind == "liit" for o in organisations) == 18
    assert liits["53"] == "Ti Lab"
    assert liits["76"] == "Lab'O"
    assert liits["84"] == "Lab Archipel"
    assert liits["04"] == "Lab Péï"
    assert liits["01"] == "Lab' An nou"
    assert liits["94"] == "Laboratoire d'innovation territoriale de Corse"
    assert all(o.description and len(o.description) > 80 for o in organisations)


def test_people_roles_and_one_shared_password(seeded, db):
    users = list(db.session.scalars(select(User)))
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    national = [u for u in users if u.is_coordinator and u.coordinator_region is None]
    regional = [u for u in users if u.is_coordinator and u.coordinator_region is not None]
    assert len(national) == 1 and len(regional) == 1 and regional[0].coordinator_region == "53"
    assert sum(u.is_admin for u in users) == 1
    memberships = list(db.session.scalars(select(Membership)))
    assert len(memberships) == organisations
    assert Counter(m.organisation_id for m in memberships) == {o: 1 for o in {m.organisation_id for m in memberships}}
    assert len(users) == 3 + organisations + 150
    assert all(u.email_verified_at is not None and u.is_active for u in users)
    assert len({u.password_hash for u in users}) == 1
    assert check_password_hash(users[0].password_hash, DEMO_PASSWORD)
    assert len({u.feed_token_selector for u in users}) == len(users)
    assert all(len(u.email.split("@")[0]) <= 64 for u in users)
    output = seeded.output
    for email in ("coordination.nationale@example.org", "coordination.bretagne@example.org",
                  "organisateur.ti-lab@example.org", "agent@example.org", "admin@example.org"):
        assert email in output
        assert db.session.scalar(select(User).where(User.email == email)) is not None
    assert DEMO_PASSWORD in output


def test_the_printed_demo_accounts_log_in(seeded, client, db):
    pages = {
        "coordination.nationale@example.org": "/moderation",
        "coordination.bretagne@example.org": "/moderation",
        "organisateur.ti-lab@example.org": "/espace-organisateur",
        "agent@example.org": "/mon-agenda",
        "admin@example.org": "/moderation",
    }
    for email, page in pages.items():
        response = client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get(page).status_code == 200, (email, page)
        client.post("/deconnexion")
    agent = db.session.scalars(select(User).where(User.email == "agent@example.org")).one()
    mine = list(db.session.scalars(select(Registration).where(
        Registration.user_id == agent.id, Registration.status != RegistrationStatus.CANCELLED)))
    assert mine, "the printed agent has registrations to show"


def test_events_spread_and_consistent(seeded, db):
    events = events_of(db)
    deps = departements()
    assert Counter(e.status for e in events).keys() == set(EventStatus)
    assert sum(e.status == EventStatus.PUBLISHED for e in events) > len(events) * 0.7
    online = sum(e.mode == EventMode.ONLINE for e in events) / len(events)
    assert 0.2 <= online <= 0.3
    assert any(e.mode == EventMode.HYBRID for e in events)
    assert {e.region_code for e in events} == set(REGIONS)
    assert OVERSEAS_ZONES <= {e.timezone for e in events}
    assert len({e.format for e in events}) >= 7 and {e.format for e in events} <= set(FORMATS)
    assert {e.local_starts_at.day for e in events} == set(range(1, 31))
    modes = Counter(e.registration_mode for e in events)
    assert modes[RegistrationMode.INTERNAL] > modes[RegistrationMode.EXTERNAL] > 0
    assert modes[RegistrationMode.NONE] > 0
    assert any(e.capacity and e.capacity <= 20 for e in events)
    for e in events:
        local = e.local_starts_at
        assert (local.year, local.month) == (YEAR, 11) and e.ends_at > e.starts_at
        assert 8 <= local.hour <= 18 and local.minute in (0, 30)
        assert e.timezone == REGIONS[e.region_code].timezone
        assert 1 <= len(e.themes) <= 3 and set(e.themes) <= set(THEMES)
        assert 1 <= len(e.audiences) <= 3 and set(e.audiences) <= set(AUDIENCES)
        assert e.slug == slugify(e.title)
        assert e.search_text == event_search_text(e) and e.search_text
        assert "lorem" not in e.description.lower() and "## Au programme" in e.description
        if e.mode == EventMode.ONLINE:
            assert e.city is None and e.online_url.startswith("https://")
        else:
            assert e.city and e.venue_name and e.street_address
            assert deps[e.departement_code].region_code == e.region_code
            assert e.postcode.startswith("20" if e.departement_code in ("2A", "2B") else e.departement_code)
            if e.mode == EventMode.HYBRID:
                assert e.online_url.startswith("https://")
        if e.registration_mode == RegistrationMode.EXTERNAL:
            assert e.external_registration_url.startswith("https://") and e.capacity is None
        if e.registration_deadline:
            assert e.registration_deadline < e.starts_at


def test_status_history_matches_status(seeded, db):
    for e in events_of(db) + events_of(db, YEAR - 1):
        history = list(db.session.scalars(
            select(EventStatusChange).where(EventStatusChange.event_id == e.id).order_by(EventStatusChange.id)))
        assert history[0].from_status is None and history[0].to_status == EventStatus.DRAFT
        assert history[-1].to_status == e.status
        assert all(h.actor_id is not None for h in history)
        assert all(h.snapshot["status"] == h.to_status.value and h.snapshot["title"] == e.title for h in history)
        assert all(a.to_status == b.from_status for a, b in zip(history, history[1:]))
        assert all(a.created_at <= b.created_at for a, b in zip(history, history[1:]))
        assert history[-1].created_at < e.starts_at
        assert e.created_at == history[0].created_at and e.updated_at == history[-1].created_at
        if e.status in (EventStatus.CHANGES_REQUESTED, EventStatus.REJECTED):
            assert history[-1].comment
            actor = db.session.get(User, history[-1].actor_id)
            assert actor.is_coordinator
        if e.status == EventStatus.CANCELLED:
            assert e.cancellation_reason and e.cancelled_at and e.sequence >= 1
            assert history[-1].comment == e.cancellation_reason
        else:
            assert e.sequence == 0 and e.cancellation_reason is None
        assert (e.published_at is not None) == (e.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED))


def test_registrations_never_overbook_and_look_real(seeded, db):
    registrations = defaultdict(list)
    for r in db.session.scalars(select(Registration)):
        registrations[r.event_id].append(r)
    current = events_of(db)
    full = waitlists = 0
    confirmed_counts = []
    for e in current + events_of(db, YEAR - 1):
        rows = registrations.get(e.id, [])
        if e.registration_mode != RegistrationMode.INTERNAL or e.status not in (EventStatus.PUBLISHED, EventStatus.CANCELLED):
            assert not rows
            continue
        confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r in rows)
        waitlisted = sum(r.status == RegistrationStatus.WAITLISTED for r in rows)
        active_users = [r.user_id for r in rows if r.status != RegistrationStatus.CANCELLED]
        assert len(active_users) == len(set(active_users))
        if e.capacity is not None:
            assert confirmed <= e.capacity
        if waitlisted:
            assert e.has_waiting_list and confirmed == e.capacity
            waitlists += e in current
        full += e in current and e.capacity is not None and confirmed == e.capacity
        if e in current and e.status == EventStatus.PUBLISHED:
            confirmed_counts.append(confirmed)
        opens = e.edition.programme_published_at
        for r in rows:
            assert opens < r.created_at < e.starts_at
            assert (r.cancelled_at is not None) == (r.status == RegistrationStatus.CANCELLED)
            if r.status == RegistrationStatus.CONFIRMED:
                assert r.confirmed_at is not None
            if r.status == RegistrationStatus.WAITLISTED:
                assert r.confirmed_at is None and r.waitlisted_at is not None
            if r.promoted_at is not None:
                assert r.waitlisted_at < r.promoted_at == r.confirmed_at
    assert full and waitlists
    assert 25 <= sum(confirmed_counts) / len(confirmed_counts) <= 90
    statuses = Counter(r.status for rows in registrations.values() for r in rows)
    assert statuses.keys() == set(RegistrationStatus)


def test_archive_has_attendance(seeded, db):
    archive_ids = {e.id for e in events_of(db, YEAR - 1)}
    rows = list(db.session.scalars(select(Registration)))
    archived = [r for r in rows if r.event_id in archive_ids]
    attended = Counter(r.attended for r in archived if r.status == RegistrationStatus.CONFIRMED
                       and r.event.status == EventStatus.PUBLISHED)
    assert attended[True] > attended[False] > 0 and attended[None] == 0
    assert all(r.attended is None for r in rows if r.event_id not in archive_ids)
    assert all(r.attended is None for r in archived if r.status != RegistrationStatus.CONFIRMED)


# -- determinism and re-runs -----------------------------------------------------------------

DIGESTED = {
    "edition": "*",
    "organisation": "*",
    "user": "id, email, name, administration, job_title, email_verified_at, is_admin, is_coordinator, "
            "coordinator_region, created_at",
    "membership": "*",
    "event": "*",
    "event_theme": "*",
    "event_audience": "*",
    "event_status_change": "id, event_id, actor_id, from_status, to_status, comment, created_at",
    "registration": "*",
}


def digest(db) -> str:
    """A hash of the demo's rows (without salts and secret tokens, random by design)."""
    hasher = hashlib.sha256()
    for table, columns in DIGESTED.items():
        rows = db.session.execute(text(f'SELECT {columns} FROM "{table}" ORDER BY 1, 2')).all()
        hasher.update(f"{table}:{len(rows)}:{rows!r}".encode())
    return hasher.hexdigest()


def empty_database(db):
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


def test_same_seed_gives_the_same_data_and_another_seed_differs(runner, db):
    seed(runner)
    first = digest(db)
    empty_database(db)
    seed(runner)
    assert digest(db) == first
    empty_database(db)
    seed(runner, "--seed", "7")
    assert digest(db) != first


def seed_and_digest(database_url: str) -> str:
    """Seed a fresh database in this process and return its digest (used by the test below)."""
    from eventapp import create_app
    from eventapp.extensions import db
    from tests.conftest import make_config

    app = create_app(make_config(database_url))
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed", "demo", *SMALL, "--year", str(YEAR)])
        assert result.exit_code == 0, result.output
        return digest(db)


@pytest.mark.slow
def test_same_data_whatever_the_hash_seed_of_the_process(tmp_path):
    """Set and dict orders change with PYTHONHASHSEED; the demo must not depend on them."""
    root = Path(__file__).resolve().parents[1]
    digests = set()
    for hash_seed in ("1", "2"):
        url = f"sqlite:///{tmp_path / f'demo-{hash_seed}.db'}"
        completed = subprocess.run(
            [sys.executable, "-c", "import sys; from tests.test_seed import seed_and_digest; "
             "print(seed_and_digest(sys.argv[1]))", url],
            cwd=root, env={**os.environ, "PYTHONHASHSEED": hash_seed}, capture_output=True, text=True,
            timeout=300,
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        digests.add(completed.stdout.strip().splitlines()[-1])
    assert len(digests) == 1


def test_rerun_on_a_seeded_database_changes_nothing(runner, db):
    seed(runner)
    before = digest(db)
    result = runner.invoke(args=["seed", "demo", "--events", "10"])
    assert result.exit_code == 0
    assert "rien n'a été modifié" in result.output
    quiet = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert quiet.exit_code == 0 and quiet.output == ""
    db.session.remove()
    assert digest(db) == before


def test_a_database_with_any_account_is_not_seeded(runner, db):
    from tests.factories import make_user

    make_user()
    db.session.commit()
    result = runner.invoke(args=["seed", "demo", *SMALL])
    assert result.exit_code == 0 and "rien n'a été modifié" in result.output
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_year_defaults_to_the_next_november(runner, db):
    result = runner.invoke(args=["seed", "demo", "--events", "20", "--organisations", "18", "--agents", "20"])
    assert result.exit_code == 0, result.output
    year = default_year(date.today())
    assert {e.year for e in db.session.scalars(select(Edition))} == {year, year - 1}
    assert db.session.scalar(select(func.count(Organisation.id))) == 18
    assert f"Édition {year} créée" in result.output


def test_bad_options_are_refused(runner, db):
    result = runner.invoke(args=["seed", "demo", "--organisations", "5"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(Edition.id))) == 0
