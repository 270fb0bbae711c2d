"""Fixtures of the browser tests: a seeded database served by a real server process on
127.0.0.1, Debian's Chromium driven by Playwright, and helpers a person's gestures map to.

Where Chromium or Java is missing the tests skip with the reason; in CI (``CI`` set) they fail.
"""
from __future__ import annotations

import pytest

from bench.server import loopback_gunicorn
from tests.conftest import TEST_DATABASE_URL
from tests.schemas import scratch_database

from . import support
from .scenario import PASSWORD, build_database

SERVER_START_SECONDS = 90


class LiveServer:
    """The served app: ``live_server("/path")`` is a full address; ``scenario``, who and what it holds."""

    def __init__(self, url: str, scenario):
        self.url = url
        self.scenario = scenario

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def chromium_ready():
    problem = support.chromium_problem()
    if problem:
        support.missing_tool(problem)


@pytest.fixture(scope="session")
def live_server(chromium_ready, tmp_path_factory):
    """The app served by gunicorn on a free port of 127.0.0.1, over a freshly migrated and seeded
    database: a schema of its own on PostgreSQL when ``TEST_DATABASE_URL`` is set (as in CI, the
    production database), a SQLite file otherwise."""
    folder = tmp_path_factory.mktemp("browser")
    kind = "postgresql" if TEST_DATABASE_URL else "sqlite"
    with scratch_database(kind, folder, "browser") as database_url:
        scenario = build_database(database_url)
        with loopback_gunicorn(
            database_url, workers=1, threads=8, log_path=folder / "server.log", env={"RATELIMIT_ENABLED": "0"},
            start_seconds=SERVER_START_SECONDS,
        ) as server:
            yield LiveServer(server.base_url, scenario)


@pytest.fixture(scope="session")
def browser(chromium_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=support.CHROMIUM, args=support.CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person) at a viewport: ``new_page('mobile')``."""
    contexts = []

    def open_page(viewport: str = "desktop"):
        context = browser.new_context(
            viewport=support.VIEWPORTS[viewport], locale="fr-FR", timezone_id="Europe/Paris",
            bypass_csp=True,  # lets the test inject axe-core; the app's CSP allows scripts from itself only
            accept_downloads=True,
            has_touch=viewport == "mobile",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# -- gestures shared by the tests ---------------------------------------------------------------

def log_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Open the log-in page, fill the form and send it."""
    page.goto(live_server("/connexion"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Se connecter").click()
    assert "/connexion" not in page.url, page.locator("main").inner_text()
