"""Validators of the feeds (ETag, Last-Modified), derived from the data without building a feed.

Each feed's version comes from one aggregate query over the rows it is built
from (count, sums and maxima of ids, sequences and change times), plus what
changes a feed without touching those rows: the edition's publication and
recorded publication changes, the organisations' names (a digest of a few
hundred short rows) and the site settings written into every feed.
The same data gives the same ETag in every process, and the feed bytes are
deterministic, so the ETag is strong. Each process keeps those query results
by data version (:mod:`eventapp.dataversion`): until something is written, a
revalidation costs one small query instead of the aggregates.

``Last-Modified`` only ever moves forward: it is the latest change among
*all* the rows that could enter or leave the feed (every event of the
edition, whatever its status, so an unpublished event moves it too), the
programme's publication and the recorded (un)publications of editions. Only
drafts may be deleted, and drafts are in no feed, so deletions cannot leave a
feed behind a stale date. HTTP dates have no fractions of a second: the date is
rounded up, and not given at all while it is still the current second (a second
change in that same second could otherwise hide behind it).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import func, select

from .. import dataversion
from ..extensions import db
from ..models import Edition, EditionChange, Event, Organisation, Registration, RegistrationStatus, User
from ..models.types import utcnow
from ..programme.filters import PUBLIC_STATUSES, ProgrammeFilters, filter_conditions, visible_conditions
from .calendar import FEED_FORMAT_VERSION


@dataclass(frozen=True)
class FeedVersion:
    """The validators of one feed: a strong ETag, and the latest change behind its HTTP date."""

    etag: str
    latest: datetime | None

    @property
    def last_modified(self) -> datetime | None:
        """``Last-Modified``: decided at each request, as it depends on the clock (see the module)."""
        return http_last_modified(self.latest)


def feed_settings() -> tuple:
    """Site settings that are written into feeds: changing them changes every ETag."""
    config = current_app.config
    return (
        FEED_FORMAT_VERSION,
        config.get("SITE_HOST"),
        config.get("SITE_NAME"),
        config.get("PREFERRED_URL_SCHEME"),
        config.get("FEED_TTL_SECONDS"),
    )


def _stamp(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return repr(value)


def make_version(kind: str, parts: tuple, moments: list[datetime | None]) -> FeedVersion:
    """A :class:`FeedVersion`: the ETag from ``parts`` (what identifies the feed's data),
    Last-Modified from ``moments`` (when anything that could enter or leave it changed)."""
    material = "|".join(_stamp(part) for part in (kind, *feed_settings(), *parts))
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    known = [moment.astimezone(timezone.utc) for moment in moments if moment is not None]
    return FeedVersion(etag=etag, latest=max(known) if known else None)


def http_last_modified(latest: datetime | None, now: datetime | None = None) -> datetime | None:
    """``latest`` rounded up to the second, or ``None`` if that second is not over."""
    if latest is None:
        return None
    whole = latest.replace(microsecond=0)
    if whole != latest:
        whole += timedelta(seconds=1)
    now = now or utcnow()
    if whole > now:
        return None
    return whole


def organisations_digest() -> str:
    """A digest of every organisation's name and address (they show as ``ORGANIZER``).

    Organisations have no change time; there are a few hundred, so reading
    their names is cheap and a renaming changes the ETag of the feeds.
    """
    rows = db.session.execute(
        select(Organisation.id, Organisation.slug, Organisation.name).order_by(Organisation.id)
    )
    return hashlib.blake2b(repr(rows.all()).encode(), digest_size=16).hexdigest()


#: The rows the validators come from, by data version and feed (small tuples).
validator_rows = dataversion.VersionedCache(max_entries=2048)


def _rows(key: tuple, read):
    """``read()``'s result for ``key``, read once per data version in this process."""
    return validator_rows.get_or_compute(dataversion.current(), key, read)


def _edition_changes_subquery():
    """The last recorded programme (un)publication of any edition."""
    return select(func.max(EditionChange.created_at)).scalar_subquery()


def _event_aggregate():
    """count, max and sum of ids, sum of sequences, last change: of the events a query selects."""
    return (
        func.count(Event.id),
        func.max(Event.id),
        func.sum(Event.id),
        func.sum(Event.sequence),
        func.max(Event.updated_at),
    )


def programme_version(edition: Edition | None, filters: ProgrammeFilters) -> FeedVersion:
    """Validators of ``/programme.ics`` for these filters (two queries once per data version: the aggregate,
    the organisations digest). ``edition`` is the public edition, or anything with its ``id``,
    ``programme_published_at`` and ``is_programme_published``."""
    edition_id = edition.id if edition is not None else None
    published_at = edition.programme_published_at if edition is not None else None
    filter_args = tuple(sorted(filters.to_args().items()))

    def read():
        # The statement is built here, on a miss only: building it costs more than a revalidation.
        conditions = [*visible_conditions(edition), *filter_conditions(filters)]
        edition_last_change = (
            select(func.max(Event.updated_at)).where(Event.edition_id == edition_id).scalar_subquery()
        )
        row = db.session.execute(
            select(
                *_event_aggregate(),
                edition_last_change,
                _edition_changes_subquery(),
            ).where(*conditions)
        ).one()
        return tuple(row), organisations_digest()

    row, digest = _rows(("programme", edition_id, published_at, filter_args), read)
    count, max_id, sum_id, sum_sequence, last_change, edition_change, publication_change = row
    parts = (edition_id, published_at, filter_args,
             count, max_id, sum_id, sum_sequence, last_change, digest)
    return make_version("programme", parts, [edition_change, published_at, publication_change])


def organisation_version(organisation: Organisation) -> FeedVersion:
    """Validators of ``/organisations/<slug>.ics`` (one query)."""
    def read():
        published_editions = select(Edition.id).where(Edition.programme_published_at.is_not(None))
        organisation_last_change = (
            select(func.max(Event.updated_at))
            .where(Event.organisation_id == organisation.id)
            .scalar_subquery()
        )
        last_publication = select(func.max(Edition.programme_published_at)).scalar_subquery()
        return tuple(db.session.execute(
            select(
                *_event_aggregate(),
                organisation_last_change,
                last_publication,
                _edition_changes_subquery(),
                func.count(func.distinct(Event.edition_id)),
            ).where(
                Event.organisation_id == organisation.id,
                Event.status.in_(PUBLIC_STATUSES),
                Event.edition_id.in_(published_editions),
            )
        ).one())

    row = _rows(("organisation", organisation.id), read)
    (count, max_id, sum_id, sum_sequence, last_change,
     organisation_change, publication, publication_change, editions) = row
    parts = (organisation.id, organisation.slug, organisation.name, organisation.is_active,
             count, max_id, sum_id, sum_sequence, last_change, editions)
    return make_version(
        "organisation", parts, [organisation_change, publication, publication_change, organisation.created_at]
    )


def event_version(event: Event) -> FeedVersion:
    """Validators of ``/evenements/<id>.ics``: the event row and what its file shows of its neighbours."""
    edition = event.edition
    organisation = event.organisation
    parts = (
        event.id, event.updated_at, event.sequence, event.status.value,
        edition.programme_published_at, organisation.name, organisation.slug,
        tuple(event.themes),
    )
    return make_version("event", parts, [event.updated_at, edition.programme_published_at])


def personal_version(user: User) -> FeedVersion:
    """Validators of ``/agenda/<token>.ics`` (two queries, once per data version).

    ``user`` is the account, or anything with its ``id`` and ``feed_token_selector``.

    Besides the agent's registrations and their events, the activity on the
    waiting lists they are on counts: it moves their position.
    """
    def read():
        waitlisted_events = select(Registration.event_id).where(
            Registration.user_id == user.id, Registration.status == RegistrationStatus.WAITLISTED
        )
        waiting_activity = [
            select(func.max(column)).where(Registration.event_id.in_(waitlisted_events)).scalar_subquery()
            for column in (Registration.cancelled_at, Registration.confirmed_at, Registration.waitlisted_at)
        ]
        return tuple(db.session.execute(
            select(
                func.count(Registration.id),
                func.max(Registration.id),
                func.sum(Registration.id),
                func.max(Registration.created_at),
                func.max(Registration.confirmed_at),
                func.max(Registration.waitlisted_at),
                func.max(Registration.cancelled_at),
                func.count(Registration.promoted_at),
                func.count(Registration.cancelled_at),
                func.sum(Event.sequence),
                func.max(Event.updated_at),
                *waiting_activity,
            )
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id)
        ).one()), organisations_digest()

    row, digest = _rows(("personal", user.id), read)
    (count, max_id, sum_id, created, confirmed, waitlisted, cancelled,
     promotions, cancellations, sum_sequence, event_change, *activity) = row
    moments = [created, confirmed, waitlisted, cancelled, event_change, *activity]
    parts = (user.id, user.feed_token_selector, count, max_id, sum_id, promotions, cancellations,
             sum_sequence, *moments, digest)
    return make_version("personal", parts, moments)
