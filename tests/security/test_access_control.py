"""Access control over the whole URL map: each route, each method, each role, as the table says.

The routes come from ``app.url_map`` (so a new route cannot escape) and the expected answers
from ``permission_table.py``. Besides the status, every refused request (log-in redirect,
400, 403, 404, 405, 409, 410) must leave every row of every table as it was, and no answer to
a role out of scope may contain the personal data or hidden content planted in the world
(``world.MARKERS``), and no HTML page may hold an inline script or event handler.
"""
import json
import os

import pytest

from config import TestingConfig
from eventapp import create_app

from . import permission_table
from .harmless import html_problems
from .routes import build_path, outcome, readable_body, rules
from .world import MARKERS, ROLES, build_world, changed_tables, client_for, empty_database, snapshot

#: Answers after which nothing may have changed in the database.
REFUSALS = {"LOG", "400", "401", "403", "404", "405", "409", "410", "429"}


def _walk_keys():
    app = create_app(TestingConfig)
    return [key for key, _rule, _method in rules(app)]


WALK_KEYS = _walk_keys()


def test_the_roles_are_the_table_columns():
    assert permission_table.COLUMNS == ROLES


def test_every_route_is_in_the_table(app):
    missing = [key for key in WALK_KEYS if key not in permission_table.TABLE]
    unknown = [key for key in permission_table.TABLE if key not in WALK_KEYS]
    assert not missing, "routes missing from tests/security/permission_table.py:\n" + "\n".join(missing)
    assert not unknown, "routes in the table that no longer exist:\n" + "\n".join(unknown)


@pytest.mark.parametrize("key", WALK_KEYS)
def test_route_answers_each_role_as_the_table_says(app, key):
    rule, method = next((rule, method) for k, rule, method in rules(app) if k == key)
    overrides = permission_table.ARGUMENTS.get(rule.endpoint)
    expected = permission_table.expected(key) if key in permission_table.TABLE else None
    world = build_world()
    observed, problems = {}, []
    before = snapshot()
    for role in ROLES:
        path = build_path(rule, world, overrides)
        client = client_for(app, world, role)
        response = client.open(path, method=method, data={} if method != "GET" else None)
        answer = outcome(response)
        observed[role] = answer
        after = snapshot()
        changed = changed_tables(before, after)
        if expected is not None and answer != expected[role]:
            problems.append(f"{role}: {method} {path} answered {answer}, the table says {expected[role]}")
        # A POST answered 200 showed its form again: rejected too (success redirects).
        if (answer in REFUSALS or (method == "POST" and answer == "200")) and changed:
            problems.append(f"{role}: refused {method} {path} ({answer}) changed {changed}")
        if rule.endpoint not in permission_table.REGISTRANT_SECRET_ROUTES:
            body = readable_body(response).lower()
            for marker, allowed in MARKERS.items():
                if role not in allowed and marker in body:
                    problems.append(f"{role}: {method} {path} shows {marker!r}, out of scope")
        if response.mimetype == "text/html":
            problems += [f"{role}: {method} {path}: {p}" for p in html_problems(response.get_data(as_text=True))]
        if response.status_code >= 500:
            problems.append(f"{role}: {method} {path} answered {response.status_code}")
        if changed:  # an allowed change: start the next role from the same world
            empty_database()
            world = build_world()
            after = snapshot()
        before = after
    _record(key, observed)
    assert not problems, "\n".join(problems)


def _record(key: str, observed: dict) -> None:
    """With SECURITY_TABLE_DUMP=<file>, append the observed row (to draft the table)."""
    target = os.environ.get("SECURITY_TABLE_DUMP")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps([key, [observed[role] for role in ROLES]]) + "\n")
