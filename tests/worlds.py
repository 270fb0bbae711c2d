"""Two organisations in two regions, one edition and the people around them: the world of the
organiser, workflow and security tests.

Organisation A is in Auvergne-Rhône-Alpes (84), organisation B in Bretagne (53). The cast:
an agent with no role, an organiser of each organisation and a colleague of A's organiser,
a regional coordinator of each region, a national coordinator and an admin.
"""
from tests.factories import make_edition, make_organisation, make_user

CAST = ("agent", "organiser_a", "colleague_a", "organiser_b", "coord_84", "coord_53", "national", "admin")


def two_organisations(*, published: bool = True, roles=CAST) -> dict:
    """Create the edition, organisations A and B and the people of ``roles`` (in that order),
    flushed but not committed: ``{"edition", "org_a", "org_b", <role>: User…}``."""
    edition = make_edition(published=published)
    org_a = make_organisation(region_code="84", slug="org-a", name="Archipel")
    org_b = make_organisation(region_code="53", slug="org-b", name="Ti Lab", city="Rennes")
    who = {
        "agent": {},
        "organiser_a": {"organisations": (org_a,)},
        "colleague_a": {"organisations": (org_a,)},
        "organiser_b": {"organisations": (org_b,)},
        "coord_84": {"coordinator_region": "84"},
        "coord_53": {"coordinator_region": "53"},
        "national": {"is_coordinator": True},
        "admin": {"is_admin": True},
    }
    people = {role: make_user(**who[role]) for role in roles}
    return dict(edition=edition, org_a=org_a, org_b=org_b, **people)
