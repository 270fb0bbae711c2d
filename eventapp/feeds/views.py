"""The feeds' HTTP side: validators first, 304 when nothing changed, the built calendar otherwise."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Response, abort, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import dataversion
from ..editions import public_edition
from ..extensions import db
from ..models import Edition, Event, Organisation, User
from ..permissions import require
from ..programme.filters import ProgrammeFilters
from ..ratelimits import limit_personal_feed
from . import bp
from .sources import feed_filters, organisation_feed, personal_feed, programme_feed, user_for_feed_token
from .cache import BytesCache
from .calendar import event_calendar
from .versions import FeedVersion, event_version, feed_settings, organisation_version, personal_version, programme_version

CONTENT_TYPE = "text/calendar; charset=utf-8"


#: Built public feeds keyed on their ETag (the data version): never stale, a new version misses.
feed_cache = BytesCache(max_entries=32)
#: Built personal feeds, by ETag too (it names the account and its feed's token, then digests the
#: registrations and events it shows): a few kilobytes each, kept apart so that agents' calendar
#: clients polling without validators never push the large public feeds out.
personal_feed_cache = BytesCache(max_entries=1024)


def _not_modified(version: FeedVersion) -> bool:
    """Whether the client's copy is current: If-None-Match first, If-Modified-Since otherwise."""
    if "If-None-Match" in request.headers:
        return request.if_none_match.contains_weak(version.etag)
    since = request.if_modified_since
    if since is not None and version.last_modified is not None:
        return version.last_modified <= since
    return False


def feed_response(
    version: FeedVersion,
    build: Callable[[], bytes],
    *,
    filename: str,
    attachment: bool = False,
    private: bool = False,
    cache: BytesCache | None = None,
) -> Response:
    """The calendar with its validators, or ``304`` without building it.

    ``cache``: where the built calendar is kept under its ETag, which must then name everything
    the bytes depend on (the same promise a ``304`` relies on).
    """
    if _not_modified(version):
        response = Response(status=304)
    else:
        body = cache.get(version.etag) if cache is not None else None
        if body is None:
            body = build()
            if cache is not None:
                cache.put(version.etag, body)
        response = Response(body, content_type=CONTENT_TYPE)
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(version.etag)
    if response.status_code == 200:  # a 304 carries no Last-Modified (werkzeug would drop it)
        last_modified = version.last_modified
        if last_modified is not None:
            response.last_modified = last_modified
    max_age = int(current_app.config.get("FEED_TTL_SECONDS", 3600))
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age={max_age}"
    if private:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@dataclass(frozen=True)
class EditionFacts:
    """What the programme feed's validators need of the public edition."""

    id: int
    year: int
    programme_published_at: datetime | None

    @property
    def is_programme_published(self) -> bool:
        return self.programme_published_at is not None


#: The public edition by data version: a revalidation reads no edition.
public_editions = dataversion.VersionedCache(max_entries=8)


def _public_edition_facts() -> EditionFacts | bool:
    edition = public_edition()
    return EditionFacts(edition.id, edition.year, edition.programme_published_at) if edition else False


@dataclass(frozen=True)
class ProgrammeFeedRequest:
    """What ``/programme.ics`` needs to answer one address at one data version."""

    edition: EditionFacts | None
    filters: ProgrammeFilters
    version: FeedVersion

    @property
    def filename(self) -> str:
        return f"programme-{self.edition.year}.ics" if self.edition is not None else "programme.ics"


#: By data version and query string: a revalidation parses no filters and hashes nothing.
programme_feed_requests = dataversion.VersionedCache(max_entries=512)


def _programme_feed_request(version: dataversion.Version | None) -> ProgrammeFeedRequest:
    edition = public_editions.get_or_compute(version, "public", _public_edition_facts) or None
    filters = feed_filters(request.args)
    return ProgrammeFeedRequest(edition, filters, programme_version(edition, filters))


@bp.get("/programme.ics")
def programme_ics():
    """The published programme as a calendar feed, with the programme's filters."""
    data_version = dataversion.current()
    feed = programme_feed_requests.get_or_compute(
        data_version, (request.query_string, feed_settings()), lambda: _programme_feed_request(data_version)
    )
    edition = feed.edition
    return feed_response(
        feed.version,
        lambda: programme_feed(db.session.get(Edition, edition.id) if edition else None, feed.filters),
        filename=feed.filename,
        cache=feed_cache,
    )


@bp.get("/organisations/<slug>.ics")
def organisation_ics(slug: str):
    """An organisation's publicly visible events as a calendar feed."""
    organisation = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        abort(404)
    require("organisation.view", organisation)
    version = organisation_version(organisation)
    return feed_response(
        version,
        lambda: organisation_feed(organisation),
        filename=f"{organisation.slug}.ics",
        private=not organisation.is_active,
        cache=feed_cache if organisation.is_active else None,
    )


@bp.get("/evenements/<int:event_id>.ics")
def event_ics(event_id: int):
    """One event as a calendar file to download (no joining link: that is for registrants)."""
    event = db.session.scalars(
        select(Event)
        .where(Event.id == event_id)
        .options(joinedload(Event.organisation), joinedload(Event.edition))
    ).first()
    if event is None:
        abort(404)
    require("event.view", event)
    return feed_response(
        event_version(event),
        lambda: event_calendar(event),
        filename=f"evenement-{event.id}.ics",
        attachment=True,
        private=not event.is_publicly_visible,
    )


@dataclass(frozen=True)
class FeedOwner:
    """Whose personal feed a token opens: what the validators need of the account."""

    id: int
    feed_token_selector: str


#: Feed owners and their feed's validators by token and data version (valid tokens only): a
#: revalidation reads no account and hashes nothing.
feed_owners = dataversion.VersionedCache(max_entries=4096)


def _feed_owner(token: str) -> tuple[FeedOwner, FeedVersion] | None:
    user = user_for_feed_token(token)
    if user is None:
        return None
    owner = FeedOwner(user.id, user.feed_token_selector)
    return owner, personal_version(owner)


@bp.get("/agenda/<token>.ics")
@limit_personal_feed
def personal_ics(token: str):
    """An agent's registrations, reached by the secret token of their feed URL."""
    found = feed_owners.get_or_compute(dataversion.current(), (token, feed_settings()), lambda: _feed_owner(token))
    if found is None:
        abort(404)
    owner, version = found
    return feed_response(
        version,
        lambda: personal_feed(db.session.get(User, owner.id)),
        filename="mon-agenda.ics",
        private=True,
        cache=personal_feed_cache,
    )
