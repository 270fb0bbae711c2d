"""The programme pages as visitors without an account see them: validators, 304s and a page cache.

A visitor's programme page depends only on the address asked for and the data
(no account, no flash message, no CSRF token), so it is rendered once per data
version (:mod:`eventapp.dataversion`) and address in each process, and
revalidated without rendering: its ETag comes from the data version, one query.
Signed-in users, whose pages carry their name and a CSRF token, get a fresh
render every time, without validators.

A page that uses the CSP nonce (an event's JSON-LD) is kept with a placeholder
in its place, and each response gets a nonce of its own. A page whose content
also depends on the clock (an event's page: past, registration closed) passes
that state as ``extra_key``.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable

from flask import Response, g, request, session
from flask_login import current_user

from .. import dataversion
from ..auth.session import may_be_signed_in

#: Rendered pages, by data version and address: a hundred or so pages of ~80 kB per process.
page_cache = dataversion.VersionedCache(max_entries=128)

#: Stands for the CSP nonce in kept pages: drawn once per process, replaced in every response.
_NONCE_PLACEHOLDER = secrets.token_urlsafe(16)

#: What a visitor's page shows besides the data and the address.
_SETTINGS = ("SITE_NAME", "SITE_HOST", "PREFERRED_URL_SCHEME", "PROGRAMME_PAGE_SIZE", "SHOW_STATE_BRAND",
             "BRAND_OPERATOR")
CACHE_CONTROL = "no-cache"


def _shareable() -> bool:
    """Whether this request gets the page every visitor without an account gets."""
    return (
        request.method in ("GET", "HEAD")
        and not (may_be_signed_in() and current_user.is_authenticated)
        and not session.get("_flashes")
    )


def _etag(version: dataversion.Version, key: tuple) -> str:
    return hashlib.blake2b(repr((version.token, key)).encode(), digest_size=16).hexdigest()


def cached_page(render: Callable[[], object], *, cache: dataversion.VersionedCache = page_cache,
                extra_key: Hashable = ()):
    """``render()``'s page, from the cache or revalidated with a 304 when the request allows it.

    ``render`` returns what a view returns; only a plain page (a string) is
    cached, anything else (a redirect, an error) is passed through untouched.
    ``extra_key``: what else the page depends on (e.g. where the clock stands).
    """
    version = dataversion.current() if _shareable() else None
    if version is None:
        return render()
    key = (*dataversion.address_key(*_SETTINGS), extra_key)
    etag = _etag(version, key)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        def render_to_keep():
            g.csp_nonce = _NONCE_PLACEHOLDER  # what the page's csp_nonce() writes while it is kept
            try:
                return render()
            finally:
                g.pop("csp_nonce", None)

        rendered, body = cache.produce_or_reuse(
            version, key, render_to_keep, lambda result: result.encode("utf-8") if isinstance(result, str) else None
        )
        if body is None:  # not a plain page: not cached, returned as rendered
            return rendered
        response = Response(_with_own_nonce(body), content_type="text/html; charset=utf-8")
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Cookie")
    return response


def _with_own_nonce(body: bytes) -> bytes:
    """The kept page with this response's CSP nonce (sent in its header) in place of the placeholder."""
    placeholder = _NONCE_PLACEHOLDER.encode()
    if placeholder not in body:
        return body
    from ..core.security import csp_nonce  # here: the core package imports the programme's home page

    return body.replace(placeholder, csp_nonce().encode())
