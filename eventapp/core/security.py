"""Security headers on every response, the nonce that lets JSON-LD through the CSP, and a
refusal of NUL characters in requests.

Scripts run only from this site or with the response's nonce: no inline script
can be injected. Styles allow inline attributes (the design system sets some).
"""
import secrets

from flask import abort, current_app, g, request

from . import bp


def csp_nonce() -> str:
    """The nonce of this response, for ``<script nonce="…">`` elements (JSON-LD)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str | None) -> str:
    script = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join(
        [
            "default-src 'self'",
            script,
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


@bp.before_app_request
def refuse_nul_characters():
    """A NUL character has no place in an address, a filter or a form field.

    PostgreSQL cannot store or compare text holding one (the driver raises), so it
    would turn a search or a slug into a 500: an address holding one names nothing
    (404), a query or form value holding one is refused (400).
    """
    if request.routing_exception is not None:
        return  # the router's own 404 or 405 follows
    if "\x00" in request.path:
        abort(404)
    if any(
        "\x00" in key or "\x00" in value
        for source in (request.args, request.form)
        for key, values in source.lists()
        for value in values
    ):
        abort(400)


@bp.app_context_processor
def inject_csp_nonce():
    return {"csp_nonce": csp_nonce}


@bp.after_app_request
def add_security_headers(response):
    headers = response.headers
    # pop: the next response gets its own nonce, even where requests share one `g` (tests)
    headers.setdefault("Content-Security-Policy", content_security_policy(g.pop("csp_nonce", None)))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
