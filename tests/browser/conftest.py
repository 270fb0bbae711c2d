"""Fixtures of the browser tests: a seeded database served by a real server process on
127.0.0.1, Debian's Chromium driven by Playwright, and helpers a person's gestures map to.

Where Chromium or Java is missing the tests skip with the reason; in CI (``CI`` set) they fail.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from . import support
from .scenario import PASSWORD, build_database

SERVER_START_SECONDS = 90


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, scenario, process: subprocess.Popen, log: Path):
        self.url = url
        self.scenario = scenario
        self.process = process
        self.log = log

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def chromium_ready():
    problem = support.chromium_problem()
    if problem:
        support.missing_tool(problem)


@pytest.fixture(scope="session")
def live_server(chromium_ready, tmp_path_factory):
    """The app served by gunicorn on a free port of 127.0.0.1, over a freshly seeded SQLite file."""
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'eventapp.db'}"
    scenario = build_database(database_url)
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        EVENTAPP_CONFIG="development",
        RATELIMIT_ENABLED="0",
        SITE_HOST=f"127.0.0.1:{port}",
        MAIL_BACKEND="console",
    )
    log = folder / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "8",
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "2", "wsgi:app"],
            cwd=support.ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", scenario, process, log)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server("/healthz"), timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer /healthz within {SERVER_START_SECONDS} s:\n{server.log_tail()}")


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
