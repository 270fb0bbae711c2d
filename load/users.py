"""One simulated agent: logs in, then browses, searches, subscribes to feeds and registers until
the deadline, with short pauses, and records every request it makes."""
from __future__ import annotations

import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FEED = re.compile(r"/agenda/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)\.ics")
SEARCH_WORDS = ["atelier", "simplification", "design", "numérique", "Lyon", "webinaire", "données", "IA",
                "participation", "laboratoire", "'; DROP TABLE event; --", "<script>"]
FILTERS = [{"region": "84"}, {"region": "53"}, {"region": "en-ligne"}, {"mode": "presentiel"},
           {"format": "atelier-collaboratif"}, {"theme": "simplification"}, {"places": "1"}, {}]
#: Answers each kind of request may give; anything else is an error.
EXPECTED = {
    "login": {302},
    "register": {303, 409},
    "register-form": {200},
}


@dataclass
class Results:
    """Everything the users measured, shared between their threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    registrations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")

    @property
    def count(self) -> int:
        return sum(len(values) for values in self.latencies.values())


class User(threading.Thread):
    """An agent with a session, acting until ``deadline`` (and at most ``max_actions`` times)."""

    def __init__(self, base_url: str, email: str, password: str, world: dict, results: Results,
                 deadline: float, seed: int, max_actions: int = 5000):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.email, self.password = email, password
        self.world = world
        self.results = results
        self.deadline = deadline
        self.max_actions = max_actions
        self.rng = random.Random(seed)
        self.session = requests.Session()
        # Like a browser, resend a GET once when the server closed an idle kept-alive connection
        # just as it was reused (a race of every HTTP/1.1 client); never a POST.
        retry = Retry(total=1, connect=1, read=1, status=0, allowed_methods=frozenset({"GET"}), raise_on_status=False)
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.feed_token: str | None = None
        self.etags: dict[str, str] = {}

    # -- requests --------------------------------------------------------------------------

    def request(self, kind: str, method: str, path: str, expected=(200, 304), **kwargs) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = self.session.request(method, self.base_url + path, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            self.results.record(kind, time.perf_counter() - start, f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - start
        allowed = EXPECTED.get(kind, set(expected))
        error = None if response.status_code in allowed else f"{method} {path}: HTTP {response.status_code}"
        self.results.record(kind, elapsed, error)
        return response

    def csrf(self, page: requests.Response | None) -> str | None:
        match = CSRF.search(page.text) if page is not None else None
        return match.group(1) if match else None

    # -- behaviour -------------------------------------------------------------------------

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, 5))  # people arrive over a few seconds, not all at once
        self.login()
        actions = [
            (self.browse, 30), (self.search, 15), (self.event_page, 20), (self.feeds, 12),
            (self.api, 6), (self.register, 12), (self.my_agenda, 5),
        ]
        functions, weights = zip(*actions)
        for _ in range(self.max_actions):
            if time.monotonic() >= self.deadline:
                break
            self.rng.choices(functions, weights)[0]()
            time.sleep(self.rng.uniform(0.1, 0.8))  # a person reads before the next click

    def login(self) -> None:
        token = self.csrf(self.request("login-form", "GET", "/connexion"))
        self.request("login", "POST", "/connexion",
                     data={"email": self.email, "password": self.password, "csrf_token": token or ""})
        page = self.request("my-agenda", "GET", "/mon-agenda")
        match = FEED.search(page.text) if page is not None else None
        self.feed_token = match.group(1) if match else None

    def browse(self) -> None:
        params = dict(self.rng.choice(FILTERS))
        if self.rng.random() < 0.3:
            params["page"] = str(self.rng.randint(1, 8))
        self.request("browse", "GET", "/programme", params=params)

    def search(self) -> None:
        params = {"q": self.rng.choice(SEARCH_WORDS), **self.rng.choice(FILTERS)}
        self.request("search", "GET", "/programme", params=params)

    def event_page(self) -> None:
        event_id = self.rng.choice(self.world["public_events"])
        self.request("event-page", "GET", f"/evenements/{event_id}", expected=(200, 301, 302))

    def feeds(self) -> None:
        choice = self.rng.random()
        if choice < 0.4 and self.feed_token:
            path = f"/agenda/{self.feed_token}.ics"
        elif choice < 0.7:
            path = "/programme.ics"
        elif choice < 0.85:
            path = f"/organisations/{self.rng.choice(self.world['organisations'])}.ics"
        else:
            path = f"/evenements/{self.rng.choice(self.world['public_events'])}.ics"
        headers = {"If-None-Match": self.etags[path]} if path in self.etags and self.rng.random() < 0.5 else {}
        response = self.request("feed", "GET", path, headers=headers)
        if response is not None and response.headers.get("ETag"):
            self.etags[path] = response.headers["ETag"]

    def api(self) -> None:
        params = {"page": str(self.rng.randint(1, 5)), **self.rng.choice(FILTERS)}
        self.request("api", "GET", "/api/v1/events", params=params)

    def my_agenda(self) -> None:
        self.request("my-agenda", "GET", "/mon-agenda")

    def register(self) -> None:
        event_id = self.rng.choice(self.world["hot_events"])
        form = self.request("register-form", "GET", f"/evenements/{event_id}/inscription")
        token = self.csrf(form)
        if token is None:  # already registered: the page offers no form
            return
        response = self.request("register", "POST", f"/evenements/{event_id}/inscription", data={
            "csrf_token": token, "administration": "Préfecture", "job_title": "Chargé de mission",
            "shares_answers": "y",
        })
        if response is not None:
            outcome = {303: "accepted", 409: "refused"}.get(response.status_code, "error")
            with self.results.lock:
                self.results.registrations[outcome] += 1
