"""A small world for the security tests: two organisations in two regions, one person per role,
events of organisation A in several states, another agent's registration, live tokens.

Every object the roles act on belongs to someone else (organisation A, another agent), and the
registrant's personal data carry markers (:data:`SECRETS`) so that a test can prove they never
reach a page, file, feed or message they should not.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import (
    EventMode,
    EventStatus,
    MembershipRequest,
    OrganisationInvitation,
    RegistrationStatus,
    User,
)
from tests.factories import make_edition, make_event, make_registration, make_user
from tests.worlds import two_organisations

#: The roles every route is requested as (see ``permission_table.py``).
ROLES = (
    "visitor",
    "agent",
    "organiser_a",
    "organiser_b",
    "coord_other",
    "coord_a",
    "national",
    "admin",
)

#: The security roles named otherwise in :func:`tests.worlds.two_organisations` (A is in region 84).
_CAST_ROLE = {"coord_a": "coord_84", "coord_other": "coord_53"}

#: Roles that may see the personal data of organisation A's registrants.
IN_SCOPE = {"organiser_a", "coord_a", "national", "admin"}

#: Personal data of the registrant (another agent): each value carries the marker ``zorglub``.
SECRETS = {
    "name": "Héloïse Zorglub",
    "email": "heloise.zorglub@example.gouv.fr",
    "administration": "Direction Zorglub des essais",
    "job_title": "Cheffe de projet Zorglub",
    "accessibility_needs": "Boucle magnétique (Zorglub)",
}

#: Marker words planted in the world → the roles that may read them.
MARKERS = {
    # the registrant's name, e-mail, administration, job title and needs
    "zorglub": IN_SCOPE,
    # the titles of organisation A's draft and submitted events
    "quibble": IN_SCOPE,
    # the joining link of A's online event: confirmed registrants (none of the roles) and staff in scope
    "xyzzy": IN_SCOPE,
    # the name, e-mail and message of a person asking to join A: the coordinators in scope
    "frobnitz": {"coord_a", "national", "admin"},
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def user(self, role: str):
        if role == "visitor":
            return AnonymousUserMixin()
        return db.session.get(User, self.ids[role])


#: The world's rows per database, captured the first time it is built: later builds insert them
#: again in one statement per table (the factories cost a round trip per object).
_CAPTURED: dict[str, tuple[dict[str, list[dict]], World]] = {}


def build_world() -> World:
    """Create the world in the (empty) database, committed, and return its ids and tokens."""
    key = str(db.engine.url)
    if key not in _CAPTURED:
        world = _build_with_factories()
        rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables
        }
        db.session.rollback()
        _CAPTURED[key] = (rows, world)
        return _copy(world)
    rows, world = _CAPTURED[key]
    db.session.remove()
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            # Not the data version: restored as captured, the same writes would reach the same versions
            # test after test, and the caches keyed on them would serve the previous test's answers.
            if rows[table.name] and table.name != "data_version":
                conn.execute(table.insert(), rows[table.name])
        _restart_sequences(conn, after_max=True)
    return _copy(world)


def _copy(world: World) -> World:
    return World(users=dict(world.users), ids=dict(world.ids), tokens=dict(world.tokens))


def _restart_sequences(conn, after_max: bool) -> None:
    """PostgreSQL: each id sequence restarts at 1, or after the largest id present."""
    if conn.dialect.name != "postgresql":
        return
    statements = []
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            value = f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}")' if after_max else "1"
            statements.append(f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), {value}, false)")
    if statements:
        conn.exec_driver_sql("SELECT " + ", ".join(statements))


def _build_with_factories() -> World:
    from eventapp.accounts.services import reset_token, verification_token
    from eventapp.admin.members import invitation_token

    now = datetime.now(timezone.utc)
    old = make_edition(2029)
    cast_roles = {role: _CAST_ROLE.get(role, role) for role in ROLES if role != "visitor"}
    cast = two_organisations(roles=tuple(cast_roles.values()))
    edition, org_a, org_b = cast["edition"], cast["org_a"], cast["org_b"]
    users = {role: cast[name] for role, name in cast_roles.items()}
    registrant = make_user(
        SECRETS["email"],
        name=SECRETS["name"],
        administration=SECRETS["administration"],
        job_title=SECRETS["job_title"],
    )
    waiting = make_user(name="Agent en attente")
    unverified = make_user(name="Agent non vérifié", verified=False)
    applicant = make_user("candidat.frobnitz@example.gouv.fr", name="Candidat Frobnitz")

    event = make_event(edition, org_a, title="Atelier public de A", slug="atelier-public-de-a", capacity=1)
    draft = make_event(edition, org_a, status=EventStatus.DRAFT, title="Brouillon Quibble de A", slug="brouillon-quibble-de-a")
    submitted = make_event(
        edition, org_a, status=EventStatus.SUBMITTED, title="Soumis Quibble par A", slug="soumis-quibble-par-a"
    )
    online = make_event(
        edition, org_a, title="Webinaire de A", slug="webinaire-de-a", mode=EventMode.ONLINE, region_code=None,
        venue_name=None, street_address=None, postcode=None, city=None, departement_code=None,
        online_url="https://visio.example.gouv.fr/salle-xyzzy",
    )
    archived = make_event(old, org_a, title="Ancien atelier de A", slug="ancien-atelier-de-a")
    registration = make_registration(
        event,
        registrant,
        accessibility_needs=SECRETS["accessibility_needs"],
        administration=SECRETS["administration"],
        job_title=SECRETS["job_title"],
    )
    make_registration(online, registrant, accessibility_needs=SECRETS["accessibility_needs"])
    make_registration(event, waiting, status=RegistrationStatus.WAITLISTED)
    invitation = OrganisationInvitation(
        organisation=org_a, email="invitee@example.gouv.fr", invited_by_id=users["coord_a"].id,
        created_at=now, expires_at=now + timedelta(days=7),
    )
    request = MembershipRequest(organisation=org_a, user=applicant, message="Je travaille au laboratoire (Frobnitz).")
    db.session.add_all([invitation, request])
    db.session.flush()

    world = World(users={})
    world.ids = {role: user.id for role, user in users.items()}
    world.ids.update(
        registrant=registrant.id,
        edition_year=edition.year,
        archive_year=old.year,
        org_a=org_a.id,
        org_b=org_b.id,
        event=event.id,
        draft=draft.id,
        submitted=submitted.id,
        online=online.id,
        archived=archived.id,
        registration=registration.id,
        invitation=invitation.id,
        membership_request=request.id,
    )
    world.tokens = {
        "feed": registrant.feed_token,
        "invitation": invitation_token(invitation),
        "reset": reset_token(registrant),
        "verify": verification_token(unverified),
    }
    db.session.commit()
    return world


# --- Database snapshots -----------------------------------------------------------------------


def snapshot() -> dict[str, list]:
    """Every row of every table, in primary-key order: two equal snapshots mean nothing changed.

    Raw driver rows (no ORM, no type conversion): this runs before and after each request.
    """
    db.session.rollback()
    connection = db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    tables = {}
    for table in db.metadata.sorted_tables:
        order = ", ".join(quote(column.name) for column in (table.primary_key.columns or table.columns))
        rows = connection.exec_driver_sql(f"SELECT * FROM {quote(table.name)} ORDER BY {order}").all()
        tables[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return tables


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def empty_database() -> None:
    """Empty every table, restarting ids (DELETE: much cheaper than TRUNCATE on tiny tables)."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        _restart_sequences(conn, after_max=False)


def client_for(app, world: World, role: str):
    """A test client signed in as ``role`` (anonymous for the visitor)."""
    client = app.test_client()
    if role != "visitor":
        session_id = world.user(role).get_id()
        db.session.rollback()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client
