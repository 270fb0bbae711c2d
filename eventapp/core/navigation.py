"""The main navigation, built from the areas that are installed and allowed to the user."""
from dataclasses import dataclass

from flask import current_app, request, url_for

from ..permissions import can
from . import bp

#: (endpoint, label, permission or None): shown when the endpoint exists and is allowed.
NAVIGATION = [
    ("core.home", "Programme", None),
    ("organisations.directory", "Organisations", None),
    ("registrations.my_agenda", "Mon agenda", "authenticated"),
    ("organiser.dashboard", "Espace organisateur", "organiser"),
    ("moderation.queue", "Modération", "moderation.access"),
    ("admin.dashboard", "Pilotage", "dashboard.view"),
]

#: A menu entry is also current on every page of this blueprint (events, archives, organisation pages).
SECTIONS = {"core.home": "programme", "organisations.directory": "organisations"}


@dataclass
class NavigationItem:
    url: str
    label: str
    current: bool


def _allowed(permission: str | None) -> bool:
    from flask_login import current_user

    if permission is None:
        return True
    if permission == "authenticated":
        return current_user.is_authenticated
    if permission == "organiser":
        return current_user.is_authenticated and (current_user.is_organiser or current_user.is_staff)
    return can(permission)


def navigation_items() -> list[NavigationItem]:
    items = []
    for endpoint, label, permission in NAVIGATION:
        if endpoint not in current_app.view_functions or not _allowed(permission):
            continue
        current = request.endpoint == endpoint or (
            endpoint in SECTIONS and request.blueprint == SECTIONS[endpoint]
        )
        items.append(NavigationItem(url_for(endpoint), label, current))
    return items


@bp.app_context_processor
def inject_navigation():
    return {"navigation_items": navigation_items}
