"""Property-based tests (hypothesis): generated values thrown at the public filters, the API's
parameters and the main forms. Never a server error; a rejected form changes no row.

Bounded (a few dozen examples each, derandomised so CI sees the same examples every run) and
without a deadline: the whole file takes well under a minute.
"""
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from urllib.parse import urlsplit

from eventapp.programme.filters import FILTER_NAMES
from eventapp.vocabulary import AUDIENCES, FORMATS, MODES, REGIONS, THEMES
from tests.test_organiser import form_data

from .harmless import PAYLOADS
from .world import build_world, changed_tables, client_for, snapshot

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any text a browser or a script could send (no lone surrogates: not encodable in a URL).
any_text = st.text(st.characters(codec="utf-8"), max_size=120)
hostile = st.sampled_from(list(PAYLOADS.values()))
numbers = st.integers(min_value=-(10**20), max_value=10**20).map(str)
vocabulary = st.sampled_from(
    [*REGIONS, *FORMATS, *THEMES, *AUDIENCES, *MODES, "en-ligne", "org-a", "1", "0", "2030-11-14"]
)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
values = st.one_of(any_text, hostile, numbers, vocabulary, dates, st.just(""))
#: Query strings: the filters, the page, and a few names nobody expects; repeated names too.
query_names = st.sampled_from([*FILTER_NAMES, "page", "per_page", "kind", "utm_source", "q[]"])
queries = st.lists(st.tuples(query_names, values), max_size=6)

PUBLIC_PATHS = ["/", "/programme", "/programme.ics", "/programme.csv", "/programme.json"]
API_PATHS = ["/api/v1/events", "/api/v1/organisations"]


@pytest.fixture
def world(app, monkeypatch):
    """The usual world, with the per-address limits out of the way of a hundred requests."""
    for name in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_ACCOUNT", "SIGNUP_LIMIT_PER_ADDRESS",
                 "REGISTRATION_LIMIT_PER_ACCOUNT"):
        monkeypatch.setitem(app.config, name, "100000 per hour")
    return build_world()


@SETTINGS
@given(path=st.sampled_from(PUBLIC_PATHS), query=queries)
def test_public_filters_never_fail(app, world, path, query):
    response = app.test_client().get(path, query_string=query)
    assert response.status_code in (200, 301, 302, 400), (path, query, response.status_code)
    if response.status_code in (301, 302):  # a cleaned-up address: on this site, and it answers
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost")
        assert app.test_client().get(response.headers["Location"]).status_code == 200


@SETTINGS
@given(path=st.sampled_from(API_PATHS), query=queries)
def test_api_parameters_never_fail(app, world, path, query):
    response = app.test_client().get(path, query_string=query)
    assert response.status_code in (200, 400, 422), (path, query, response.status_code)
    assert response.is_json
    if response.status_code != 200:
        assert response.get_json()["message"]


def _rejected(response, success_location: str | None = None) -> bool:
    if response.status_code in (302, 303):
        location = urlsplit(response.headers["Location"]).path
        return success_location is not None and location != success_location
    return True


@SETTINGS
@given(
    name=values, email=st.one_of(values, st.emails().map(str)), administration=values, job_title=values,
    password=st.one_of(values, st.just("un-mot-de-passe-solide")), confirm=st.booleans(),
)
def test_signup_form(app, world, name, email, administration, job_title, password, confirm):
    before = snapshot()
    response = app.test_client().post("/creer-un-compte", data={
        "name": name, "email": email, "administration": administration, "job_title": job_title,
        "password": password, "password_confirm": password if confirm else password + "x",
    })
    assert response.status_code < 500
    if _rejected(response, "/creer-un-compte/confirmation"):
        assert changed_tables(before, snapshot()) == []


@SETTINGS
@given(email=st.one_of(values, st.just("heloise.zorglub@example.gouv.fr")), password=values,
       remember=st.sampled_from(["", "y", "1", "nimporte"]), next_url=st.one_of(values, st.just("//evil.example")))
def test_login_form(app, world, email, password, remember, next_url):
    before = snapshot()
    response = app.test_client().post(
        "/connexion", query_string={"next": next_url},
        data={"email": email, "password": password, "remember": remember},
    )
    assert response.status_code in (200, 400), response.status_code  # none of these passwords is right
    assert changed_tables(before, snapshot()) == []


EVENT_FIELDS = [
    "title", "summary", "description", "format", "language", "start_date", "start_time", "end_date",
    "end_time", "timezone", "mode", "venue_name", "postcode", "city", "region_code", "departement_code",
    "latitude", "longitude", "online_url", "registration_mode", "capacity", "external_registration_url",
    "deadline_date", "deadline_time", "accessibility_info", "organisation_id",
]


@SETTINGS
@given(changes=st.dictionaries(st.sampled_from(EVENT_FIELDS), values, min_size=1, max_size=4),
       themes=st.lists(values, max_size=3))
def test_event_form(app, world, changes, themes):
    before = snapshot()
    data = form_data(**changes)
    if themes:
        data["themes"] = themes
    response = client_for(app, world, "organiser_a").post("/espace-organisateur/evenements/nouveau", data=data)
    assert response.status_code < 500, (changes, response.status_code)
    if response.status_code not in (302, 303):
        assert changed_tables(before, snapshot()) == []


@SETTINGS
@given(administration=values, job_title=values, needs=st.one_of(values, st.text(max_size=3000)),
       shares=st.sampled_from(["", "y", "on", "false"]), event=st.sampled_from(["event", "draft", "online", "archived"]))
def test_registration_form(app, world, administration, job_title, needs, shares, event):
    before = snapshot()
    response = client_for(app, world, "agent").post(
        f"/evenements/{world.ids[event]}/inscription",
        data={"administration": administration, "job_title": job_title, "accessibility_needs": needs,
              "shares_answers": shares},
    )
    assert response.status_code < 500, response.status_code
    if response.status_code != 303:
        assert changed_tables(before, snapshot()) == []
    else:  # registered: undo it so the next example starts from the same world
        from eventapp.extensions import db
        from eventapp.models import Registration

        db.session.query(Registration).filter_by(user_id=world.ids["agent"]).delete()
        from eventapp.models import OutboxMessage

        db.session.query(OutboxMessage).delete()
        db.session.commit()
