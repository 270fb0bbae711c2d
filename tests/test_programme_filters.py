"""The programme filters contract: parsing, URL arguments, description, and the public events query."""
import datetime

import pytest
from werkzeug.datastructures import MultiDict

from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationMode, RegistrationStatus
from eventapp.programme.filters import ProgrammeFilters, public_events_query
from tests.factories import make_edition, make_organisation, make_registration
from tests.programme_support import at, public_event


def ids(edition, **args) -> set[int]:
    filters = ProgrammeFilters.from_args(MultiDict(args))
    assert not filters.errors, filters.errors
    return {event.id for event in db.session.scalars(public_events_query(edition, filters))}


# --- Parsing -------------------------------------------------------------------------------------


def test_from_args_keeps_known_values():
    filters = ProgrammeFilters.from_args(
        MultiDict(
            {
                "q": "  co-construction ",
                "region": "53",
                "format": "atelier-collaboratif",
                "theme": "simplification",
                "audience": "elus",
                "mode": "hybride",
                "date": "2030-11-14",
                "organisation": "ti-lab",
                "places": "1",
                "page": "3",
            }
        )
    )
    assert filters.errors == []
    assert filters.q == "co-construction"
    assert (filters.region, filters.format, filters.theme) == ("53", "atelier-collaboratif", "simplification")
    assert (filters.audience, filters.mode, filters.organisation) == ("elus", "hybride", "ti-lab")
    assert filters.date == datetime.date(2030, 11, 14)
    assert filters.places is True and filters.page == 3
    assert not filters.is_empty


def test_online_is_a_region_value():
    assert ProgrammeFilters.from_args({"region": "en-ligne"}).region == "en-ligne"


@pytest.mark.parametrize(
    "args, message",
    [
        ({"region": "99"}, "La région « 99 » n'existe pas"),
        ({"format": "karaoke"}, "Le format « karaoke » n'existe pas"),
        ({"theme": "astrologie"}, "Le thème « astrologie » n'existe pas"),
        ({"audience": "martiens"}, "Le public « martiens » n'existe pas"),
        ({"mode": "telepathie"}, "La modalité « telepathie » n'existe pas"),
        ({"date": "14/11/2030"}, "La date « 14/11/2030 » n'est pas valide"),
        ({"date": "2030-02-30"}, "La date « 2030-02-30 » n'est pas valide"),
        ({"organisation": "<script>"}, "L'organisation « <script> » n'existe pas"),
        ({"places": "beaucoup"}, "« beaucoup » du filtre « places disponibles »"),
        ({"page": "-2"}, "Le numéro de page « -2 » n'est pas valide"),
        ({"page": "deux"}, "Le numéro de page « deux » n'est pas valide"),
    ],
)
def test_unknown_values_are_dropped_with_a_polite_message(args, message):
    filters = ProgrammeFilters.from_args(MultiDict(args))
    assert filters.is_empty
    assert filters.page == 1
    assert len(filters.errors) == 1
    assert message in filters.errors[0]


def test_from_args_never_raises_on_odd_input():
    for args in ({}, {"q": None}, {"q": ["a", "b"]}, {"page": "9" * 400}, {"date": "\x00"}, {"q": "x" * 5000}):
        filters = ProgrammeFilters.from_args(args)
        assert isinstance(filters, ProgrammeFilters)
    assert len(ProgrammeFilters.from_args({"q": "x" * 5000}).q) == 200


def test_to_args_drops_empty_values_and_first_page():
    filters = ProgrammeFilters(region="53", places=True, date=datetime.date(2030, 11, 14), page=1)
    assert filters.to_args() == {"region": "53", "date": "2030-11-14", "places": "1"}
    assert filters.to_args(page=2)["page"] == "2"
    assert filters.to_args(region=None, places=False) == {"date": "2030-11-14"}
    assert ProgrammeFilters().to_args() == {}
    with pytest.raises(TypeError):
        filters.to_args(colour="blue")


def test_to_args_round_trips():
    filters = ProgrammeFilters(q="atelier", region="04", theme="simplification", organisation="lab", page=4)
    again = ProgrammeFilters.from_args(filters.to_args())
    assert again == filters


def test_describe_in_french():
    assert ProgrammeFilters().describe() == "Tout le programme"
    filters = ProgrammeFilters(region="53", format="atelier-collaboratif", q="simplification")
    assert filters.describe() == "Bretagne · Atelier collaboratif · « simplification »"
    assert ProgrammeFilters(region="en-ligne").describe() == "En ligne"
    assert ProgrammeFilters(organisation="ti-lab").describe("Ti Lab") == "Ti Lab"
    assert ProgrammeFilters(page=3).is_empty


# --- The query -----------------------------------------------------------------------------------


@pytest.fixture
def world(app, db):
    """A small programme: Breton atelier, online webinar from La Réunion, hybrid conference in Lyon."""
    edition = make_edition(2030)
    ti_lab = make_organisation("53", name="Ti Lab", slug="ti-lab", city="Rennes")
    reunion = make_organisation("04", name="Lab Réunion", slug="lab-reunion", city="Saint-Denis")
    archipel = make_organisation("84", name="Archipel", slug="archipel")
    events = {
        "atelier": public_event(
            edition, ti_lab, title="Atelier de co-construction", city="Rennes", region_code="53",
            format="atelier-collaboratif", themes=("simplification", "design-de-services"),
            audiences=("agents-publics",), starts_at=at(14, 9),
        ),
        "webinaire": public_event(
            edition, reunion, title="Webinaire : l'Événement de l'année", format="webinaire",
            mode=EventMode.ONLINE, region_code="04", timezone="Indian/Reunion", city=None, venue_name=None,
            online_url="https://visio.example.gouv.fr/x", themes=("numerique-ia",), audiences=("elus",),
            # 23:30 in La Réunion on the 14th is 19:30 UTC: still the 14th locally.
            starts_at=at(14, 19, 30), registration_mode=RegistrationMode.NONE, capacity=None,
        ),
        "conference": public_event(
            edition, archipel, title="Conférence sur les sciences comportementales", format="conference",
            mode=EventMode.HYBRID, region_code="84", themes=("sciences-comportementales",),
            audiences=("managers", "agents-publics"), starts_at=at(15, 13), capacity=2,
        ),
        "cancelled": public_event(
            edition, ti_lab, title="Atelier annulé", status=EventStatus.CANCELLED, region_code="53",
            starts_at=at(16, 9), cancellation_reason="Intempéries",
        ),
    }
    # Not public: a draft, a submitted one, and a published event of an unpublished edition.
    public_event(edition, ti_lab, title="Brouillon", status=EventStatus.DRAFT)
    public_event(edition, ti_lab, title="Soumis", status=EventStatus.SUBMITTED)
    public_event(make_edition(2031, published=False), ti_lab, title="Édition future")
    db.session.commit()
    return edition, {name: event.id for name, event in events.items()}


def test_only_publicly_visible_events_in_order(world):
    edition, e = world
    filters = ProgrammeFilters()
    listed = [event.id for event in db.session.scalars(public_events_query(edition, filters))]
    assert listed == [e["atelier"], e["webinaire"], e["conference"], e["cancelled"]]


def test_nothing_while_the_programme_is_unpublished(app, db):
    edition = make_edition(2031, published=False)
    public_event(edition)
    db.session.commit()
    assert ids(edition) == set()
    assert ids(None) == set()


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"region": "53"}, {"atelier", "cancelled"}),
        ({"region": "04"}, {"webinaire"}),
        ({"region": "en-ligne"}, {"webinaire"}),
        ({"format": "conference"}, {"conference"}),
        ({"theme": "design-de-services"}, {"atelier"}),
        ({"theme": "simplification"}, {"atelier", "cancelled"}),
        ({"audience": "agents-publics"}, {"atelier", "conference", "cancelled"}),
        ({"audience": "elus"}, {"webinaire"}),
        ({"mode": "en-ligne"}, {"webinaire"}),
        ({"mode": "hybride"}, {"conference"}),
        ({"mode": "presentiel"}, {"atelier", "cancelled"}),
        ({"date": "2030-11-14"}, {"atelier", "webinaire"}),
        ({"date": "2030-11-15"}, {"conference"}),
        ({"date": "2030-11-20"}, set()),
        ({"organisation": "ti-lab"}, {"atelier", "cancelled"}),
        ({"organisation": "inconnue"}, set()),
        ({"places": "1"}, {"atelier", "conference"}),
        ({"q": "evenement"}, {"webinaire"}),
        ({"q": "ÉVÉNEMENT"}, {"webinaire"}),
        ({"q": "coconstruction"}, {"atelier"}),
        ({"q": "co-construction"}, {"atelier"}),
        ({"q": "Rennes"}, {"atelier"}),
        ({"q": "archipel sciences"}, {"conference"}),
        ({"q": "50%_"}, set()),
    ],
)
def test_each_filter_alone(world, args, expected):
    edition, e = world
    assert ids(edition, **args) == {e[name] for name in expected}


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"region": "53", "theme": "simplification", "q": "atelier"}, {"atelier", "cancelled"}),
        ({"region": "53", "places": "1"}, {"atelier"}),
        ({"audience": "agents-publics", "mode": "hybride", "format": "conference"}, {"conference"}),
        ({"audience": "agents-publics", "date": "2030-11-14", "organisation": "ti-lab"}, {"atelier"}),
        ({"region": "en-ligne", "theme": "numerique-ia", "q": "webinaire", "date": "2030-11-14"}, {"webinaire"}),
        ({"region": "04", "mode": "presentiel"}, set()),
        ({"theme": "simplification", "audience": "elus"}, set()),
    ],
)
def test_filters_combined(world, args, expected):
    edition, e = world
    assert ids(edition, **args) == {e[name] for name in expected}


def test_places_follows_registrations(world):
    edition, e = world
    from eventapp.models import Event

    conference = db.session.get(Event, e["conference"])
    make_registration(conference)
    make_registration(conference, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    assert e["conference"] in ids(edition, places="1")
    make_registration(conference)  # capacity 2 reached
    db.session.commit()
    assert e["conference"] not in ids(edition, places="1")
    conference.capacity = None  # unlimited
    db.session.commit()
    assert e["conference"] in ids(edition, places="1")


def test_date_is_the_local_date_overseas(app, db):
    edition = make_edition(2030)
    guadeloupe = make_organisation("01")
    # 20:00 on the 14th in Guadeloupe is 00:00 UTC on the 15th.
    evening = public_event(edition, guadeloupe, timezone="America/Guadeloupe", starts_at=at(15, 0))
    db.session.commit()
    assert ids(edition, date="2030-11-14") == {evening.id}
    assert ids(edition, date="2030-11-15") == set()
