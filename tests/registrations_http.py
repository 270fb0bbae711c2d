"""Real HTTP servers for the registration concurrency tests: gunicorn and werkzeug on 127.0.0.1.

Agents log in through the real ``/connexion`` form and post real forms with
their CSRF tokens; nothing here is reachable from the application itself.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import make_server

from tests import factories

ROOT = Path(__file__).resolve().parent.parent
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    """Poll ``/healthz`` until it answers 200 (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if requests.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not answer within {seconds} s")


@contextmanager
def gunicorn_server(database_url: str, log_path: Path, workers: int = 4, threads: int = 4):
    """``gunicorn wsgi:app`` with several workers on a free loopback port; always stopped."""
    port = free_port()
    env = dict(
        os.environ,
        EVENTAPP_CONFIG="development",
        DATABASE_URL=database_url,
        SECRET_KEY=os.urandom(24).hex(),
        SITE_HOST=f"127.0.0.1:{port}",
        MAIL_BACKEND="console",
        RATELIMIT_STORAGE_URI="memory://",
    )
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
        "wsgi:app",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url, process=process)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the group of the gunicorn we started
                process.wait(timeout=15)


@contextmanager
def threaded_server(app):
    """The app under werkzeug's threaded server (what ``make run`` uses); always shut down."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_port}"
        wait_until_up(base_url)
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
