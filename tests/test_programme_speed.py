"""The number of SQL queries of the public pages does not grow with the number of events."""
from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationStatus
from tests.factories import make_edition, make_organisation, make_registration, make_user
from tests.programme_support import at, count_queries, public_event

REGIONS = ["53", "84", "04", "11", "01"]
PAGES = [
    "/",
    "/programme?region=53&theme=simplification&q=atelier&places=1",
    "/?organisation=lab-0&mode=presentiel&date=2030-11-13",
    "/?page=2",
    "/archives/2029",
    "/organisations",
    "/organisations/lab-0",
    "/organisations/lab-0?page=2",
]


def grow_to(edition_id: int, organisation_ids: list[int], agent_ids: list[int], count: int) -> None:
    """Add events (with registrations) until the edition has ``count`` of them."""
    from eventapp.models import Edition, Organisation, User

    edition = db.session.get(Edition, edition_id)
    organisations = [db.session.get(Organisation, id_) for id_ in organisation_ids]
    agents = [db.session.get(User, id_) for id_ in agent_ids]
    existing = len(edition_events(edition_id))
    for n in range(existing, count):
        organisation = organisations[n % len(organisations)]
        event = public_event(
            edition,
            organisation,
            title=f"Atelier numéro {n}",
            region_code=organisation.region_code,
            starts_at=at(1 + n % 28, 8 + n % 10),
            mode=[EventMode.IN_PERSON, EventMode.ONLINE, EventMode.HYBRID][n % 3],
            status=EventStatus.CANCELLED if n % 17 == 0 else EventStatus.PUBLISHED,
            themes=("simplification", "numerique-ia") if n % 2 else ("design-de-services",),
            audiences=("agents-publics", "elus") if n % 3 else ("grand-public",),
            capacity=3,
        )
        if n % 4 == 0:
            make_registration(event, agents[n % len(agents)])
        if n % 8 == 0:
            make_registration(event, agents[(n + 1) % len(agents)], status=RegistrationStatus.WAITLISTED)
    db.session.commit()


def edition_events(edition_id: int) -> list[int]:
    from sqlalchemy import select

    from eventapp.models import Event

    return db.session.scalars(select(Event.id).where(Event.edition_id == edition_id).order_by(Event.id)).all()


def query_counts(client, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        db.session.remove()  # a fresh session, as in production: no object served from memory
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = len(statements)
    return counts


def test_query_count_does_not_grow_with_the_number_of_events(client, login_as, app, db):
    past = make_edition(2029)
    edition = make_edition(2030)
    organisations = [
        make_organisation(REGIONS[i % len(REGIONS)], name=f"Laboratoire {i}", slug=f"lab-{i}") for i in range(12)
    ]
    agents = [make_user() for _ in range(6)]
    for n in range(5):
        public_event(past, organisations[0], starts_at=at(10 + n, year=2029))
    db.session.commit()
    ids = (edition.id, [o.id for o in organisations], [a.id for a in agents])
    grow_to(*ids, 50)
    first_event = edition_events(ids[0])[1]
    from eventapp.models import Event

    slug = db.session.get(Event, first_event).slug
    paths = PAGES + [f"/evenements/{first_event}-{slug}"]

    small = query_counts(client, paths)
    grow_to(*ids, 500)
    assert len(edition_events(ids[0])) == 500
    large = query_counts(client, paths)
    assert large == small, (small, large)
    # And a bounded number, not just a constant one.
    # The data version, the edition, the page (count, events, themes, audiences, seats), every filter's
    # counts in one statement, the archives; on SQLite a BEGIN too.
    assert small["/"] <= 10, small
    assert small[paths[-1]] <= 10, small

    # The same holds for a signed-in registrant on an event page.
    from eventapp.models import User

    login_as(db.session.get(User, ids[2][0]))
    assert query_counts(client, paths[-1:]) == query_counts(client, paths[-1:])
