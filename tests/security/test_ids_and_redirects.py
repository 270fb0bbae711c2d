"""Ids that do not exist or are not integers give 404 (never 500); wrong methods give 405;
``next`` after log-in leads only to a page of this site."""
import pytest

from config import TestingConfig
from eventapp import create_app
from tests.factories import PASSWORD

from .routes import build_path, is_numeric, outcome, rules
from .world import build_world, changed_tables, client_for, snapshot

#: Values put in place of an ``<int:…>`` argument: none names an object.
MISSING_IDS = ["987654", str(2**31), "9" * 40]
#: Values the converters refuse: the router answers 404 itself.
NOT_INTEGERS = ["abc", "-1", "1.5", "1%00", "1;DROP%20TABLE%20event"]


def _int_rules():
    app = create_app(TestingConfig)
    return [
        (key, method)
        for key, rule, method in rules(app)
        if any(is_numeric(conv) for conv in rule._converters.values())
    ]


INT_RULES = _int_rules()


def _paths_with(rule, world, value: str) -> list[str]:
    """The rule's path once per int argument, that argument replaced by ``value``."""
    from . import permission_table

    paths = []
    for argument, converter in rule._converters.items():
        if not is_numeric(converter):
            continue
        overrides = dict(permission_table.ARGUMENTS.get(rule.endpoint, {}))
        overrides[argument] = f"literal:{value}"
        paths.append(build_path(rule, world, overrides))
    return paths


def test_unknown_or_malformed_ids_are_404(app):
    """Every route with a numeric argument, each argument replaced in turn (one world for all)."""
    world = build_world()
    before = snapshot()
    problems = []
    for key, method in INT_RULES:
        rule = next(rule for k, rule, m in rules(app) if k == key)
        for role in ("admin", "visitor"):
            client = client_for(app, world, role)
            for value in MISSING_IDS + NOT_INTEGERS:
                for path in _paths_with(rule, world, value):
                    response = client.open(path, method=method, data={} if method != "GET" else None)
                    answer = outcome(response)
                    # A visitor may be sent to log in before the object is looked up; nothing else.
                    allowed = {"404", "LOG"} if role == "visitor" else {"404"}
                    if answer not in allowed:
                        problems.append(f"{role}: {method} {path} answered {answer}")
    assert not problems, "\n".join(problems)
    assert changed_tables(before, snapshot()) == []


def test_routes_answer_405_to_methods_they_do_not_accept(app):
    """POST to a read-only page, GET to a POST-only action: 405 (the French page), nothing changed."""
    world = build_world()
    before = snapshot()
    client = client_for(app, world, "admin")
    problems = []
    for key, rule, method in rules(app):
        if rule.endpoint in ("api.unmatched", "static") or "GET" in rule.methods and "POST" in rule.methods:
            continue
        other = "POST" if method == "GET" else "GET"
        if other in rule.methods:
            continue
        from . import permission_table

        path = build_path(rule, world, permission_table.ARGUMENTS.get(rule.endpoint))
        response = client.open(path, method=other)
        if response.status_code != 405:
            problems.append(f"{other} {path} answered {response.status_code}")
        elif not path.startswith(("/api/", "/programme.json")) and "Méthode non autorisée" not in response.get_data(as_text=True):
            problems.append(f"{other} {path}: 405 without the French page")
    assert not problems, "\n".join(problems)
    assert changed_tables(before, snapshot()) == []


# --- next ---------------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "https:/evil.example",
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_to_another_site(app, client, target):
    from tests.factories import make_user

    user = make_user("next@example.gouv.fr")
    from eventapp.extensions import db

    db.session.commit()
    response = client.post(
        "/connexion", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", f"next={target!r} led to {location!r}"
    # Already signed in: the log-in page redirects at once, with the same rule.
    again = client.get("/connexion", query_string={"next": target})
    assert again.headers["Location"] == "/"


def test_an_encoded_line_break_in_next_stays_encoded(app, client):
    """``/%0d%0a…`` is a (strange) local path: it stays percent-encoded, no header is added."""
    from eventapp.extensions import db
    from tests.factories import make_user

    user = make_user("crlf@example.gouv.fr")
    db.session.commit()
    response = client.post(
        "/connexion",
        query_string={"next": "/%0d%0aSet-Cookie:%20pirate=1"},
        data={"email": user.email, "password": PASSWORD},
    )
    assert "\r" not in response.headers["Location"] and "\n" not in response.headers["Location"]
    assert not any("pirate" in value for value in response.headers.getlist("Set-Cookie"))


def test_login_goes_back_to_a_page_of_this_site(app, client):
    from eventapp.extensions import db
    from tests.factories import make_user

    user = make_user("next-ok@example.gouv.fr")
    db.session.commit()
    response = client.post(
        "/connexion",
        query_string={"next": "/mon-agenda?vue=passe"},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/mon-agenda?vue=passe"


def test_the_login_form_does_not_carry_a_foreign_next(client):
    page = client.get("/connexion", query_string={"next": "https://evil.example/"}).get_data(as_text=True)
    assert "evil.example" not in page


# --- query strings ------------------------------------------------------------------------------

QUERY_NAMES = (
    "page", "per_page", "edition", "statut", "region", "format", "theme", "audience", "mode",
    "date", "organisation", "places", "q", "action", "annee", "tri",
)
QUERY_VALUES = ["9" * 30, "-5", "abc", "2030-02-30", "'; DROP TABLE event; --", "\x00<script>%"]


#: Numeric arguments are also sent alone: with the others set, a view may stop before reading them.
NUMERIC_NAMES = ("page", "per_page", "edition")


@pytest.mark.parametrize("value", QUERY_VALUES)
def test_no_page_fails_on_hostile_query_strings(app, value):
    """Every GET route, as an admin (who sees every page), with every known filter set to junk."""
    from . import permission_table

    world = build_world()
    client = client_for(app, world, "admin")
    queries = [{name: value for name in QUERY_NAMES}]
    if value.isdigit():
        queries += [{name: value} for name in NUMERIC_NAMES]
    failures = []
    for key, rule, method in rules(app):
        if method != "GET":
            continue
        path = build_path(rule, world, permission_table.ARGUMENTS.get(rule.endpoint))
        for query in queries:
            response = client.get(path, query_string=query)
            if response.status_code >= 500:
                failures.append(f"GET {path}?{query} answered {response.status_code}")
    assert not failures, "\n".join(failures)
