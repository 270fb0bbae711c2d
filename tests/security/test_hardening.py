"""Hardening: cookies, CSRF on every state-changing route, rate limits (memory and Redis),
the reverse proxy setting, request size, single-purpose expiring tokens."""
import re
import uuid
from datetime import timedelta

import pytest

from config import Config, ProductionConfig
from eventapp import create_app
from eventapp.extensions import db, limiter
from eventapp.models import OrganisationInvitation, Registration, User, utcnow
from tests.conftest import make_config
from tests.factories import PASSWORD, make_edition, make_event, make_organisation, make_user

from . import permission_table
from .routes import build_path, rules
from .world import build_world, changed_tables, client_for, snapshot


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


# --- Cookies ------------------------------------------------------------------------------------


def test_cookie_settings():
    assert Config.SESSION_COOKIE_HTTPONLY is True and Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert Config.REMEMBER_COOKIE_HTTPONLY is True and Config.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.SESSION_COOKIE_SECURE is True and ProductionConfig.REMEMBER_COOKIE_SECURE is True


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    make_user("cookie@example.gouv.fr")
    db.session.commit()
    response = client.post("/connexion", data={"email": "cookie@example.gouv.fr", "password": PASSWORD})
    cookie = _set_cookies(response)["session"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development and tests


def test_production_cookies_are_secure_too(monkeypatch, database_url):
    """The production settings, with the session and "remember me" cookies of a real log-in."""
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("DATABASE_URL", database_url)

    class Production(ProductionConfig):
        RATELIMIT_STORAGE_URI = "memory://"
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

    app = create_app(Production)
    try:
        with app.app_context():
            db.create_all()
            make_user("prod-cookie@example.gouv.fr")
            db.session.commit()
            client = app.test_client()
            form = client.get("/connexion", base_url="https://127.0.0.1").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
            response = client.post(
                "/connexion",
                data={"email": "prod-cookie@example.gouv.fr", "password": PASSWORD, "remember": "y",
                      "csrf_token": token},
                base_url="https://127.0.0.1",
                # Over HTTPS, Flask-WTF also wants a Referer from this site (WTF_CSRF_SSL_STRICT).
                headers={"Referer": "https://127.0.0.1/connexion"},
            )
            assert response.status_code == 302, response.status_code
            cookies = _set_cookies(response)
            for name in ("session", "remember_token"):
                assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {
                    part.strip() for part in cookies[name].split(";")
                }, cookies[name]
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
            db.session.query(User).delete()
            db.session.commit()
    finally:
        create_app(make_config(database_url))  # give the shared limiter back its memory storage


# --- CSRF ---------------------------------------------------------------------------------------


def _state_changing_rules(app):
    return [(key, rule, method) for key, rule, method in rules(app) if method not in ("GET",)]


def test_the_json_api_and_open_data_are_read_only(app):
    """The CSRF-exempt blueprints answer GET only: their catch-all never succeeds."""
    for key, rule, method in rules(app):
        if rule.endpoint.split(".")[0] in ("api", "opendata") and rule.endpoint != "api.unmatched":
            assert method == "GET", key
    client = app.test_client()
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.open("/api/v1/events", method=method)
        assert response.status_code in (404, 405) and response.is_json


@pytest.mark.parametrize("role", ["visitor", "admin", "organiser_a"])
def test_every_post_without_a_csrf_token_is_refused(app, monkeypatch, role):
    """With CSRF on, each state-changing route of the URL map, posted without a token,
    answers 400 (the French page) and changes nothing."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    world = build_world()
    before = snapshot()
    client = client_for(app, world, role)
    problems = []
    for key, rule, method in _state_changing_rules(app):
        if rule.endpoint == "api.unmatched":
            continue  # the API's catch-all: JSON 404/405, checked above
        path = build_path(rule, world, permission_table.ARGUMENTS.get(rule.endpoint))
        # A complete-looking form, so only the missing token can be the reason for a refusal.
        response = client.open(path, method=method, data={"comment": "x", "reason": "x", "password": PASSWORD})
        if response.status_code != 400:
            problems.append(f"{key}: {response.status_code}")
        elif "Requête incorrecte" not in response.get_data(as_text=True):
            problems.append(f"{key}: 400 without the French page")
    assert not problems, "\n".join(problems)
    assert changed_tables(before, snapshot()) == []


def test_a_token_from_another_session_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    world = build_world()
    other = client_for(app, world, "agent")
    page = other.get("/mon-agenda").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    victim = client_for(app, world, "organiser_a")
    before = snapshot()
    response = victim.post("/mon-agenda/renouveler-le-lien", data={"csrf_token": token})
    assert response.status_code == 400
    assert changed_tables(before, snapshot()) == []


# --- Rate limits --------------------------------------------------------------------------------


def _assert_french_429(response):
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_registrations_are_limited_per_account(app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_LIMIT_PER_ACCOUNT", "2 per minute")
    edition = make_edition()
    events = [make_event(edition) for _ in range(3)]
    agent = make_user()
    other = make_user()
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = agent.get_id()
    form = {"administration": "Préfecture", "job_title": "Agent", "shares_answers": "y"}
    for event in events[:2]:
        assert client.post(f"/evenements/{event.id}/inscription", data=form).status_code == 303
    before = snapshot()
    _assert_french_429(client.post(f"/evenements/{events[2].id}/inscription", data=form))
    assert changed_tables(before, snapshot()) == []
    # Reading the form is not limited; another account is counted apart.
    assert client.get(f"/evenements/{events[2].id}/inscription").status_code == 200
    other_client = app.test_client()
    with other_client.session_transaction() as session:
        session["_user_id"] = other.get_id()
    assert other_client.post(f"/evenements/{events[2].id}/inscription", data=form).status_code == 303
    assert db.session.query(Registration).count() == 3


def test_personal_feeds_are_limited_per_feed(app, monkeypatch):
    monkeypatch.setitem(app.config, "PERSONAL_FEED_LIMIT_PER_TOKEN", "3 per minute")
    first, second = make_user(), make_user()
    db.session.commit()
    client = app.test_client()
    for _ in range(3):
        assert client.get(f"/agenda/{first.feed_token}.ics").status_code == 200
    _assert_french_429(client.get(f"/agenda/{first.feed_token}.ics"))
    # Another feed fetched from the same address (a calendar service) is not affected.
    assert client.get(f"/agenda/{second.feed_token}.ics").status_code == 200


def test_existing_account_limits_answer_the_french_429(app, monkeypatch):
    """Log-in, sign-up and password reset are limited (``eventapp.auth.ratelimits``)."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "1 per minute")
    monkeypatch.setitem(app.config, "SIGNUP_LIMIT_PER_ADDRESS", "1 per minute")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_ADDRESS", "1 per minute")
    client = app.test_client()
    wrong = {"email": "nobody@example.gouv.fr", "password": "pas-le-bon-mot-de-passe"}
    client.post("/connexion", data=wrong)
    _assert_french_429(client.post("/connexion", data=wrong))
    signup = {
        "name": "Nouvel Agent", "email": "nouvel.agent@example.gouv.fr", "administration": "Mairie",
        "job_title": "Agent", "password": "un-mot-de-passe-solide", "password_confirm": "un-mot-de-passe-solide",
    }
    client.post("/creer-un-compte", data=signup)
    _assert_french_429(client.post("/creer-un-compte", data={**signup, "email": "autre@example.gouv.fr"}))
    client.post("/mot-de-passe-oublie", data={"email": "a@example.gouv.fr"})
    _assert_french_429(client.post("/mot-de-passe-oublie", data={"email": "b@example.gouv.fr"}))


def _redis_or_skip(url: str):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    return connection


def test_limits_are_shared_through_redis(database_url, tmp_path):
    """The production storage: counters live in Redis, so every worker sees the same ones."""
    url = "redis://127.0.0.1:6379"
    connection = _redis_or_skip(url)
    prefix = f"eventapp-test-{uuid.uuid4().hex}"
    if database_url == "sqlite://":  # each in-memory database belongs to one app: share a file
        database_url = f"sqlite:///{tmp_path / 'workers.db'}"
    config = make_config(
        database_url, RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix,
        PERSONAL_FEED_LIMIT_PER_TOKEN="2 per minute",
    )
    first, second = create_app(config), create_app(config)  # two workers sharing one database
    try:
        with first.app_context():
            db.create_all()
            user = make_user()
            db.session.commit()
            token = user.feed_token
            assert first.test_client().get(f"/agenda/{token}.ics").status_code == 200
        with second.app_context():
            assert second.test_client().get(f"/agenda/{token}.ics").status_code == 200
            _assert_french_429(second.test_client().get(f"/agenda/{token}.ics"))
        assert connection.keys(f"*{prefix}*"), "no counter was written to Redis"
        with first.app_context():
            db.session.query(User).delete()
            db.session.commit()
    finally:
        for key in connection.keys(f"*{prefix}*"):
            connection.delete(key)
        create_app(make_config(database_url))  # back to the memory storage for the other tests


def test_memory_storage_by_default(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert importlib.reload(config).Config.RATELIMIT_STORAGE_URI == "memory://"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    assert importlib.reload(config).ProductionConfig.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379"
    monkeypatch.undo()
    importlib.reload(config)


# --- Reverse proxy ------------------------------------------------------------------------------


def _proxy_app(database_url, proxies: int):
    return create_app(make_config(database_url, TRUSTED_PROXIES=proxies, LOGIN_LIMIT_PER_ADDRESS="1 per minute"))


@pytest.mark.parametrize("proxies", [0, 1])
def test_limits_count_client_addresses_behind_the_trusted_proxy(database_url, proxies):
    app = _proxy_app(database_url, proxies)
    try:
        with app.app_context():
            db.create_all()
            client = app.test_client()
            wrong = {"email": "x@example.gouv.fr", "password": "pas-le-bon-mot-de-passe"}

            def attempt(address):
                return client.post("/connexion", data=wrong, headers={"X-Forwarded-For": address})

            assert attempt("203.0.113.1").status_code == 200
            assert attempt("203.0.113.1").status_code == 429
            # Another client behind the proxy: its own counter only if the proxy is trusted.
            assert attempt("203.0.113.2").status_code == (200 if proxies else 429)
            limiter.reset()
    finally:
        create_app(make_config(database_url))


def test_only_the_trusted_proxys_hop_is_believed(database_url):
    """A client cannot choose its address by sending its own X-Forwarded-For."""
    app = create_app(make_config(database_url, TRUSTED_PROXIES=1))

    @app.get("/_test/adresse")
    def where():
        from flask import jsonify, request

        return jsonify(address=request.remote_addr, scheme=request.scheme)

    try:
        with app.app_context():
            answer = app.test_client().get(
                "/_test/adresse",
                headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"},
            ).get_json()
        assert answer == {"address": "203.0.113.9", "scheme": "https"}
        untrusted = create_app(make_config(database_url))
        assert not hasattr(untrusted.wsgi_app, "x_for")
    finally:
        create_app(make_config(database_url))


# --- Request size -------------------------------------------------------------------------------


def test_oversized_bodies_are_refused_in_french(app, client):
    before = snapshot()
    response = client.post("/connexion", data={"email": "a" * (3 * 1024 * 1024), "password": "x"})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot()) == []


# --- Tokens -------------------------------------------------------------------------------------


def test_each_token_works_only_for_its_own_purpose(app):
    """A verification, reset, invitation or feed token passes nowhere else."""
    world = build_world()
    tokens = world.tokens
    client = app.test_client()
    pages = {
        "verify": lambda token: client.get(f"/verifier-email/{token}"),
        "reset": lambda token: client.get(f"/reinitialiser-mot-de-passe/{token}"),
        "invitation": lambda token: client.get(f"/invitation/{token}"),
        "feed": lambda token: client.get(f"/agenda/{token}.ics"),
    }
    refused = {"verify": 400, "reset": 400, "invitation": 410, "feed": 404}
    before = snapshot()
    for purpose, token in tokens.items():
        for page, open_page in pages.items():
            if page != purpose:
                assert open_page(token).status_code == refused[page], f"a {purpose} token opened {page}"
    assert changed_tables(before, snapshot()) == []


def test_invitations_expire_and_work_once(app):
    from eventapp.admin.members import invitation_token

    world = build_world()
    invitation = db.session.get(OrganisationInvitation, world.ids["invitation"])
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/invitation/{world.tokens['invitation']}").status_code == 410
    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    invited = client_for(app, world, "agent")
    someone_else = client_for(app, world, "organiser_b")
    before = snapshot()
    refused = someone_else.post(f"/invitation/{world.tokens['invitation']}")
    assert refused.status_code == 200
    assert "destinée à une autre adresse" in refused.get_data(as_text=True)
    assert changed_tables(before, snapshot()) == []
    invitation.email = db.session.get(User, world.ids["agent"]).email  # (the token binds the address)
    db.session.commit()
    assert invited.post(f"/invitation/{invitation_token(invitation)}").status_code == 302
    again = client_for(app, world, "organiser_b")
    before = snapshot()
    assert again.post(f"/invitation/{invitation_token(invitation)}").status_code == 410
    assert changed_tables(before, snapshot()) == []


def test_invitation_links_stop_after_their_lifetime_even_if_the_row_says_otherwise(app, monkeypatch):
    world = build_world()
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    assert app.test_client().get(f"/invitation/{world.tokens['invitation']}").status_code == 410


def test_reset_and_verification_links_expire(app, monkeypatch):
    world = build_world()
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    monkeypatch.setitem(app.config, "EMAIL_VERIFICATION_MAX_AGE", -1)
    client = app.test_client()
    assert client.get(f"/reinitialiser-mot-de-passe/{world.tokens['reset']}").status_code == 400
    assert client.get(f"/verifier-email/{world.tokens['verify']}").status_code == 400


def test_a_feed_token_needs_both_halves(app):
    first, second = make_user(), make_user()
    db.session.commit()
    client = app.test_client()
    mixed = f"{first.feed_token_selector}.{second.feed_token_secret}"
    assert client.get(f"/agenda/{mixed}.ics").status_code == 404
    assert client.get(f"/agenda/{first.feed_token_selector}.ics").status_code == 404
    assert client.get(f"/agenda/{first.feed_token}.ics").status_code == 200


def test_personal_feed_is_private_and_unindexed(app):
    user = make_user()
    db.session.commit()
    response = app.test_client().get(f"/agenda/{user.feed_token}.ics")
    assert response.headers["Cache-Control"].startswith("private")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_inactive_organisations_are_hidden_from_visitors(app):
    make_organisation(is_active=False, slug="labo-ferme")
    db.session.commit()
    client = app.test_client()
    assert client.get("/organisations/labo-ferme").status_code == 404
    assert client.get("/organisations/labo-ferme.ics").status_code == 404
    assert client.get("/api/v1/organisations/labo-ferme").status_code == 404


# --- Content-Security-Policy ----------------------------------------------------------------------


def test_the_json_ld_runs_under_the_nonce_of_its_response(app):
    """The event page's only inline script is its JSON-LD, allowed by this response's nonce alone."""
    world = build_world()
    client = app.test_client()
    nonces = []
    for _ in range(2):
        response = client.get(f"/evenements/{world.ids['event']}", follow_redirects=True)
        html = response.get_data(as_text=True)
        [nonce] = re.findall(r'<script type="application/ld\+json" nonce="([^"]+)">', html)
        script_policy = next(
            part for part in response.headers["Content-Security-Policy"].split(";") if "script-src" in part
        )
        assert f"'nonce-{nonce}'" in script_policy and "unsafe-inline" not in script_policy
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a nonce must not be reused across responses"


def test_production_warns_when_rate_limits_stay_in_memory(monkeypatch, caplog, database_url):
    import logging

    # Alembic's logging set-up (the migration tests) disables the loggers that existed before it.
    logger = logging.getLogger("eventapp")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setenv("SECRET_KEY", "w" * 40)
    monkeypatch.setenv("DATABASE_URL", database_url)

    class Production(ProductionConfig):
        RATELIMIT_STORAGE_URI = "memory://"

    try:
        with caplog.at_level("WARNING", logger="eventapp"):
            create_app(Production)
        assert "RATELIMIT_STORAGE_URI" in caplog.text

        class WithRedis(ProductionConfig):
            RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"

        caplog.clear()
        _redis_or_skip(WithRedis.RATELIMIT_STORAGE_URI)
        with caplog.at_level("WARNING", logger="eventapp"):
            create_app(WithRedis)
        assert "RATELIMIT_STORAGE_URI" not in caplog.text
    finally:
        create_app(make_config(database_url))
