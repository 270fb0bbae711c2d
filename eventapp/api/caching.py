"""The API's answers kept per data version: a repeat request runs no query and no serialisation.

An answer of ``/api/v1`` depends only on the address asked for and the data: no
account, no session, no clock (the published programme, the seats left, the
organisations). So each successful answer is kept, serialised, per data version
(:mod:`eventapp.dataversion`) and address in each process; the next request for
the same address gets the same bytes until something is written. Errors are never
kept. The ``ETag`` is still the digest of the body (:func:`.errors.cors_and_etag`),
so a client's validator does not change while the content does not.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Response, request

from .. import dataversion

#: Serialised answers, by data version and address: a page of 20 events is about 30 kB, of 100
#: (the most a page holds) about 150 kB, so at most some 20 MB per process.
answer_cache = dataversion.VersionedCache(max_entries=128)

#: What an answer holds besides the data and the address (its links).
_SETTINGS = ("SITE_HOST", "PREFERRED_URL_SCHEME")


def _kept_part(response) -> tuple[bytes, str] | None:
    """A successful JSON answer's body and type; nothing of an error."""
    if isinstance(response, Response) and response.status_code == 200 and not response.direct_passthrough:
        return response.get_data(), response.mimetype
    return None


def cached_answer(view: Callable) -> Callable:
    """Keep ``view``'s successful JSON answers per data version and address (GET and HEAD).

    Goes right under the blueprint's ``route``, above flask-smorest's decorators, so that
    what is kept is the serialised response (``functools.wraps`` carries their ``_apidoc``).
    """

    @wraps(view)
    def answer(*args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        produced, kept = answer_cache.produce_or_reuse(
            dataversion.current(), dataversion.address_key(*_SETTINGS), lambda: view(*args, **kwargs), _kept_part
        )
        if produced is not None:  # a miss, or an answer not kept: the view's own response
            return produced
        body, mimetype = kept
        return Response(body, mimetype=mimetype)

    return answer
