"""Security headers on every response."""
from eventapp import create_app
from tests.conftest import make_config


def test_every_page_has_the_security_headers(client):
    for path in ("/", "/healthz", "/nulle-part", "/static/dsfr/dsfr.min.css"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # only in production (HTTPS)


def test_hsts_in_production_settings(database_url):
    app = create_app(make_config(database_url, SESSION_COOKIE_SECURE=True))
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_nonce_is_in_the_policy_when_a_page_uses_it(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        html = render_template_string('<script nonce="{{ csp_nonce() }}" type="application/ld+json">{}</script>')
        response = app.make_response(html)
        response = app.process_response(response)
    nonce = html.split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
