"""The main pages in a real browser: no axe-core violation (WCAG 2.1 A and AA), French, a title of
their own, headings in order, valid HTML for the Nu HTML Checker, nothing wider than a phone.

Each page is visited once (per person) by a session fixture that keeps what the checks need and
saves full-page screenshots at desktop and mobile widths in ``test-artifacts/screenshots/``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from . import support
from .conftest import log_in

pytestmark = pytest.mark.browser


@dataclass
class PageSpec:
    name: str
    who: str | None  # None: a visitor; else "agent", "organiser" or "coordinator"
    path: str  # may use the scenario's fields: {open_event_id}, {organisation_slug}…
    status: int = 200
    submit: str | None = None  # a button to press first (a form sent empty, to show its errors)


PAGES = [
    PageSpec("programme", None, "/"),
    PageSpec("programme-filtered", None, "/?region=53&format=atelier-collaboratif&q=atelier"),
    PageSpec("event-open", None, "/evenements/{open_event_id}"),
    PageSpec("event-full-waiting-list", "agent", "/evenements/{full_event_id}"),
    PageSpec("event-cancelled", None, "/evenements/{cancelled_event_id}"),
    PageSpec("event-online", None, "/evenements/{online_event_id}"),
    PageSpec("login", None, "/connexion"),
    PageSpec("signup", None, "/creer-un-compte"),
    PageSpec("organisation", None, "/organisations/{organisation_slug}"),
    PageSpec("organisations", None, "/organisations"),
    PageSpec("not-found", None, "/cette-page-n-existe-pas", status=404),
    PageSpec("registration-form", "agent", "/evenements/{online_event_id}/inscription"),
    PageSpec("my-agenda", "agent", "/mon-agenda"),
    PageSpec("account", "agent", "/mon-compte"),
    PageSpec("organiser-area", "organiser", "/espace-organisateur"),
    PageSpec("organiser-draft", "organiser", "/espace-organisateur/evenements/{draft_event_id}"),
    PageSpec("event-form-errors", "organiser", "/espace-organisateur/evenements/nouveau",
             submit="Enregistrer le brouillon"),
    PageSpec("registrants", "organiser", "/espace-organisateur/evenements/{open_event_id}/inscriptions"),
    PageSpec("moderation-queue", "coordinator", "/moderation"),
    PageSpec("moderation-review", "coordinator", "/moderation/evenements/{submitted_event_id}"),
    PageSpec("dashboard", "coordinator", "/pilotage/"),
]
NAMES = [spec.name for spec in PAGES]
#: Pages also shot as their first screen only (``<name>-<width>-screen.png``): the README's pictures.
FIRST_SCREENS = {"programme", "event-full-waiting-list", "registration-form", "my-agenda",
                 "moderation-review", "dashboard"}


@dataclass
class Visit:
    status: int
    url: str
    outline: dict
    violations: list
    page_width: int
    html_file: object = None


def _account(scenario, who: str) -> str:
    return {"agent": scenario.page_agent, "organiser": scenario.organiser,
            "coordinator": scenario.coordinator}[who]


@pytest.fixture(scope="session")
def visits(browser, live_server) -> dict[str, Visit]:
    """Visit every page once, as its person, at desktop width; keep what the checks need."""
    scenario = live_server.scenario
    support.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    support.HTML_DIR.mkdir(parents=True, exist_ok=True)
    results: dict[str, Visit] = {}
    for who in (None, "agent", "organiser", "coordinator"):
        context = browser.new_context(viewport=support.DESKTOP, locale="fr-FR", bypass_csp=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            if who:
                log_in(page, live_server, _account(scenario, who))
            for spec in (s for s in PAGES if s.who == who):
                results[spec.name] = _visit(page, live_server, spec, spec.path.format(**vars(scenario)))
        finally:
            context.close()
    return results


def _visit(page, live_server, spec: PageSpec, path: str) -> Visit:
    response = page.goto(live_server(path))
    if spec.submit:
        with page.expect_navigation() as navigation:
            page.locator("main").get_by_role("button", name=spec.submit, exact=True).click()
        response = navigation.value
    page.wait_for_load_state("load")
    html_file = support.HTML_DIR / f"{spec.name}.html"
    html_file.write_bytes(response.body())
    visit = Visit(
        status=response.status, url=page.url, outline=support.outline(page),
        violations=support.axe_violations(page), page_width=0, html_file=html_file,
    )
    for width in ("desktop", "mobile"):
        page.set_viewport_size(support.VIEWPORTS[width])
        if width == "mobile":
            page.wait_for_timeout(100)  # let the layout settle at the new width
            visit.page_width = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(support.SCREENSHOTS / f"{spec.name}-{width}.png"), full_page=True)
        if spec.name in FIRST_SCREENS:
            page.screenshot(path=str(support.SCREENSHOTS / f"{spec.name}-{width}-screen.png"))
    page.set_viewport_size(support.DESKTOP)
    return visit


@pytest.mark.parametrize("name", NAMES)
def test_page_answers(visits, name):
    spec = PAGES[NAMES.index(name)]
    assert visits[name].status == spec.status, visits[name].url


@pytest.mark.parametrize("name", NAMES)
def test_no_axe_violation(visits, name):
    violations = visits[name].violations
    assert not violations, f"axe-core on {visits[name].url}:\n{support.format_violations(violations)}"


@pytest.mark.parametrize("name", NAMES)
def test_french_page_with_headings_in_order(visits, name):
    outline = visits[name].outline
    assert outline["lang"] == "fr"
    assert outline["title"].strip()
    assert not support.heading_problems(outline["headings"]), (visits[name].url, outline["headings"])


def test_every_page_has_its_own_title(visits):
    titles = {name: visit.outline["title"] for name, visit in visits.items()}
    duplicates = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    assert not duplicates, {name: title for name, title in titles.items() if title in duplicates}


@pytest.mark.parametrize("name", NAMES)
def test_fits_a_phone_screen(visits, name):
    """At 375 px nothing makes the page scroll sideways."""
    assert visits[name].page_width <= support.MOBILE["width"], visits[name].url


@pytest.fixture(scope="session")
def nu_errors(visits):
    problem = support.java_problem()
    if problem:
        support.missing_tool(problem)
    return support.vnu_errors([visit.html_file for visit in visits.values()])


@pytest.mark.parametrize("name", NAMES)
def test_valid_html(visits, nu_errors, name):
    errors = nu_errors.get(visits[name].html_file.name, [])
    assert not errors, f"Nu HTML Checker on {visits[name].url}:\n" + "\n".join(errors)
