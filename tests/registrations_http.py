"""Real HTTP servers for the registration concurrency tests: gunicorn and werkzeug on 127.0.0.1.

Agents log in through the real ``/connexion`` form and post real forms with
their CSRF tokens; nothing here is reachable from the application itself.
"""
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import make_server

from bench.server import free_port, loopback_gunicorn, wait_until_up
from tests import factories

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextmanager
def gunicorn_server(database_url: str, log_path: Path, workers: int = 4, threads: int = 4):
    """``gunicorn wsgi:app`` with several workers on a free loopback port; always stopped."""
    env = dict(SECRET_KEY=os.urandom(24).hex(), RATELIMIT_STORAGE_URI="memory://")
    with loopback_gunicorn(database_url, workers=workers, threads=threads, log_path=log_path, env=env) as server:
        yield server.base_url


@contextmanager
def threaded_server(app):
    """The app under werkzeug's threaded server (what ``make run`` uses); always shut down."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_port}"
        wait_until_up(f"{base_url}/healthz", seconds=30)
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=15)


@dataclass
class Agent:
    """A logged-in browser: its cookies and the CSRF token of its session."""

    email: str
    session: requests.Session
    csrf: str


def csrf_token(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    if not match:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


def log_in(base_url: str, email: str, next_path: str) -> Agent:
    """Log in through the real form, landing on ``next_path`` (a form page) for a fresh token."""
    session = requests.Session()
    # A fresh connection per request: a kept-alive one the server closed meanwhile would reset a POST.
    session.headers["Connection"] = "close"
    url = f"{base_url}/connexion"
    page = session.get(url, params={"next": next_path}, timeout=60)
    page.raise_for_status()
    response = session.post(
        url,
        params={"next": next_path},
        data={"email": email, "password": factories.PASSWORD, "csrf_token": csrf_token(page.text)},
        timeout=60,
    )
    response.raise_for_status()
    assert response.url.endswith(next_path), f"log-in of {email} ended on {response.url}"
    return Agent(email=email, session=session, csrf=csrf_token(response.text))


def in_parallel(function, items, workers: int) -> list:
    """Run ``function(item)`` for every item at once (a barrier releases them together)."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(min(workers, len(items)), timeout=60)

    def run(item):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return function(item)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items, timeout=300))
