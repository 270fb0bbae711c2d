"""The permission rules as a table: (role, action, object) -> allowed or denied.

Organisation A is in Auvergne-Rhône-Alpes (84); its events are the objects.
"""
import pytest
from flask_login import AnonymousUserMixin

from eventapp.models import EventMode, EventStatus
from eventapp.permissions import can
from tests.factories import make_edition, make_event, make_organisation, make_registration, make_user

ROLES = ["visitor", "agent", "organiser_a", "organiser_b", "coord_84", "coord_53", "national", "admin"]

# object -> action -> the roles allowed (every other role is denied).
TABLE = {
    "published_event": {
        "event.view": ROLES,
        "event.edit": ["organiser_a", "coord_84", "national", "admin"],
        "event.delete": [],
        "event.submit": [],
        "event.moderate": ["coord_84", "national", "admin"],
        "event.cancel": ["organiser_a", "coord_84", "national", "admin"],
        "event.registrations": ["organiser_a", "coord_84", "national", "admin"],
        "event.register": ["agent", "organiser_a", "organiser_b", "coord_84", "coord_53", "national", "admin"],
    },
    "draft_event": {
        "event.view": ["organiser_a", "coord_84", "national", "admin"],
        "event.edit": ["organiser_a", "coord_84", "national", "admin"],
        "event.delete": ["organiser_a"],
        "event.submit": ["organiser_a", "coord_84", "national", "admin"],
        "event.moderate": ["coord_84", "national", "admin"],
        "event.cancel": [],
        "event.register": [],
    },
    "submitted_event": {
        "event.view": ["organiser_a", "coord_84", "national", "admin"],
        "event.submit": [],
        "event.moderate": ["coord_84", "national", "admin"],
    },
    "cancelled_event": {
        "event.view": ROLES,
        "event.edit": [],
        "event.cancel": [],
    },
    # Online, with no region of its own: in scope of the coordinator of its organisation's region.
    "online_draft_event": {
        "event.view": ["organiser_a", "coord_84", "national", "admin"],
        "event.moderate": ["coord_84", "national", "admin"],
    },
    "organisation_a": {
        "organisation.events": ["organiser_a", "coord_84", "national", "admin"],
        "organisation.manage": ["coord_84", "national", "admin"],
    },
    "registration_of_agent": {
        "registration.cancel": ["agent"],
    },
    None: {
        "moderation.access": ["coord_84", "coord_53", "national", "admin"],
        "dashboard.view": ["coord_84", "coord_53", "national", "admin"],
        "programme.publish": ["national", "admin"],
        "edition.manage": ["national", "admin"],
        "coordinator.grant": ["national", "admin"],
        "audit.view": ["national", "admin"],
    },
}

CASES = [
    (role, action, obj_name, role in allowed)
    for obj_name, actions in TABLE.items()
    for action, allowed in actions.items()
    for role in ROLES
]


@pytest.fixture
def world(app, db):
    edition = make_edition()
    org_a = make_organisation(region_code="84", slug="org-a")
    org_b = make_organisation(region_code="53", slug="org-b")
    agent = make_user()
    users = {
        "visitor": AnonymousUserMixin(),
        "agent": agent,
        "organiser_a": make_user(organisations=(org_a,)),
        "organiser_b": make_user(organisations=(org_b,)),
        "coord_84": make_user(coordinator_region="84"),
        "coord_53": make_user(coordinator_region="53"),
        "national": make_user(is_coordinator=True),
        "admin": make_user(is_admin=True),
    }
    published = make_event(edition, org_a, region_code="84")
    objects = {
        "published_event": published,
        "draft_event": make_event(edition, org_a, status=EventStatus.DRAFT),
        "submitted_event": make_event(edition, org_a, status=EventStatus.SUBMITTED),
        "cancelled_event": make_event(edition, org_a, status=EventStatus.CANCELLED),
        "online_draft_event": make_event(
            edition, org_a, status=EventStatus.DRAFT, mode=EventMode.ONLINE, region_code=None,
            online_url="https://visio.example.gouv.fr/a",
        ),
        "organisation_a": org_a,
        "registration_of_agent": make_registration(published, agent),
        None: None,
    }
    db.session.commit()
    return users, objects


@pytest.mark.parametrize("role, action, obj_name, expected", CASES, ids=[
    f"{role}-{action}-{obj}" for role, action, obj, _ in CASES
])
def test_permission_table(world, role, action, obj_name, expected):
    users, objects = world
    assert can(action, objects[obj_name], user=users[role]) is expected


def test_unpublished_programme_hides_published_events(app, db):
    edition = make_edition(published=False)
    event = make_event(edition)
    db.session.commit()
    assert can("event.view", event, user=AnonymousUserMixin()) is False
    assert can("event.view", event, user=make_user(is_coordinator=True)) is True


def test_unknown_action_is_a_programming_error(app):
    with pytest.raises(KeyError):
        can("event.teleport", None, user=AnonymousUserMixin())
