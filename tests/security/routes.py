"""Walking the URL map: every rule, the methods it accepts, its URL filled from the world.

A rule's arguments come from :data:`ARGUMENT_SOURCES` (by argument name) unless
``permission_table.ARGUMENTS`` picks another object for that endpoint; a rule whose
argument has no source makes the walk fail, so a new route cannot slip through.
"""
import html
import re
from urllib.parse import urlsplit

from .world import World

IGNORED_METHODS = {"HEAD", "OPTIONS"}

#: Where each URL argument comes from: a key of ``world.ids``, ``world.tokens`` or a literal.
ARGUMENT_SOURCES = {
    "event_id": "ids:event",
    "registration_id": "ids:registration",
    "organisation_id": "ids:org_a",
    "invitation_id": "ids:invitation",
    "request_id": "ids:membership_request",
    "user_id": "ids:organiser_a",
    "year": "ids:edition_year",
    "slug": "literal:org-a",
    "token": "tokens:feed",
    "path": "literal:inconnu",
    "filename": "literal:dsfr.min.css",
}


def rules(app):
    """``(key, rule, method)`` for every rule and accepted method.

    ``key`` is ``"METHOD /path"``, followed by ``" (endpoint)"`` when two endpoints share a path.
    """
    from collections import Counter

    pairs = [(method, rule) for rule in app.url_map.iter_rules() for method in sorted(rule.methods - IGNORED_METHODS)]
    shared = Counter((method, rule.rule) for method, rule in pairs)
    found = []
    for method, rule in pairs:
        key = f"{method} {rule.rule}"
        if shared[(method, rule.rule)] > 1:
            key += f" ({rule.endpoint})"
        found.append((key, rule, method))
    return sorted(found, key=lambda item: item[0])


def is_numeric(converter) -> bool:
    """Werkzeug's ``int`` (ours is bounded) or a converter matching digits only (the API's ids)."""
    from werkzeug.routing import IntegerConverter

    return isinstance(converter, IntegerConverter) or getattr(converter, "regex", "").startswith(r"\d")


def resolve(source: str, world: World):
    kind, _, name = source.partition(":")
    if kind == "ids":
        return world.ids[name]
    if kind == "tokens":
        return world.tokens[name]
    if kind == "literal":
        return name
    raise ValueError(source)


def build_path(rule, world: World, overrides: dict | None = None) -> str:
    """The rule's path with its arguments filled from the world (``overrides``: argument → source)."""
    values = {}
    for argument in rule.arguments:
        source = (overrides or {}).get(argument) or ARGUMENT_SOURCES.get(argument)
        if source is None:
            raise AssertionError(f"no value for <{argument}> of {rule.rule}: add it to ARGUMENT_SOURCES")
        values[argument] = resolve(source, world)
    path = rule.rule
    for argument, value in values.items():
        path = re.sub(rf"<(?:[a-z_]+(?:\([^)]*\))?:)?{argument}>", str(value), path)
    return path


def outcome(response) -> str:
    """The table's notation of a response: the status code, or ``LOG`` for a redirect to log-in."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers.get("Location", "")).path
        if location == "/connexion":
            return "LOG"
    return str(response.status_code)


def readable_body(response) -> str:
    """The body as text a person would read: entities decoded, JSON escapes and iCal folding undone."""
    body = response.get_data(as_text=True)
    body = body.replace("\r\n ", "").replace("\r\n\t", "")
    body = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), body)
    return html.unescape(body)
