"""The public programme: the current edition's listing, its CSV export, and the archives."""
from dataclasses import replace

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..editions import archived_editions, public_edition
from ..extensions import db
from ..models import Edition, Event
from ..seats import seats_for
from ..vocabulary import AUDIENCES, FORMATS, MODES, THEMES
from . import bp
from .caching import cached_page
from .display import event_url
from .export import programme_csv
from .facets import compute_facets
from .filters import PUBLIC_STATUSES, ProgrammeFilters, public_events_query
from .listing import load_page, pagination_window, resolve_organisation


@bp.get("/programme")
@bp.get("/")  # the first rule (decorators apply bottom-up) is the one url_for builds
def index():
    """The national programme of the public edition, filtered by the query string."""
    return cached_page(_index)


def _index():
    edition = public_edition()
    if edition is None:
        return render_template("programme/unpublished.html", archives=archived_editions())
    return _render_listing(edition, archive=False)


@bp.get("/archives")
def archives():
    """The past editions, each with its number of events."""
    editions = archived_editions()
    counts = dict(
        db.session.execute(
            select(Event.edition_id, func.count(Event.id))
            .where(Event.edition_id.in_([e.id for e in editions]), Event.status.in_(PUBLIC_STATUSES))
            .group_by(Event.edition_id)
        ).all()
    ) if editions else {}
    return render_template("programme/archives.html", editions=editions, counts=counts)


@bp.get("/archives/<int:year>")
def archive(year: int):
    """A past edition's programme, with the same filters as the current one."""
    return cached_page(lambda: _archive(year))


def _archive(year: int):
    edition = _archived_edition(year)
    if edition is None:
        return redirect(url_for("programme.index", **ProgrammeFilters.from_args(request.args).to_args()))
    return _render_listing(edition, archive=True)


@bp.get("/programme.csv", endpoint="csv")
def csv_export():
    """The current programme's events matching the filters, as a CSV file."""
    edition = public_edition()
    if edition is None:
        abort(404)
    return _csv_response(edition)


@bp.get("/archives/<int:year>.csv", endpoint="archive_csv")
def archive_csv_export(year: int):
    """A past edition's events matching the filters, as a CSV file."""
    edition = _archived_edition(year)
    if edition is None:
        return redirect(url_for("programme.csv", **ProgrammeFilters.from_args(request.args).to_args(page=1)))
    return _csv_response(edition)


def _archived_edition(year: int) -> Edition | None:
    """The edition of ``year`` when it is an archive; ``None`` when it is the public one; else 404."""
    edition = db.session.scalars(select(Edition).where(Edition.year == year)).first()
    if edition is None or not edition.is_programme_published:
        abort(404)
    current = public_edition()
    if current is not None and current.id == edition.id:
        return None
    return edition


def _render_listing(edition: Edition, archive: bool):
    filters = ProgrammeFilters.from_args(request.args)
    per_page = current_app.config["PROGRAMME_PAGE_SIZE"]
    page = load_page(edition, filters, per_page)
    facets = compute_facets(edition, filters)

    endpoint = "programme.archive" if archive else "programme.index"
    values = {"year": edition.year} if archive else {}

    def listing_url(**overrides) -> str:
        return url_for(endpoint, **values, **filters.to_args(**overrides))

    def page_url(number: int) -> str:
        return listing_url(page=number)

    def tag_url(name: str, code: str) -> str:
        return listing_url(page=1, **{name: code})

    feed_url = webcal_url = None
    if not archive and "feeds.programme_ics" in current_app.view_functions:
        feed_url = url_for("feeds.programme_ics", **filters.to_args(page=1, places=False), _external=True)
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    csv_url = url_for("programme.archive_csv" if archive else "programme.csv", **values, **filters.to_args(page=1))
    organisation_name = page.organisation.name if page.organisation else None
    return render_template(
        "programme/index.html",
        edition=edition,
        archive=archive,
        page=page,
        filters=filters,
        facets=facets,
        description=filters.describe(organisation_name),
        feed_scope=replace(filters, places=False, errors=[]).describe(organisation_name),
        active_filters=filters.active(organisation_name),
        listing_url=listing_url,
        page_url=page_url,
        tag_url=tag_url,
        canonical_url=url_for(endpoint, **values, **filters.to_args(), _external=True),
        form_action=url_for(endpoint, **values),
        window=pagination_window(page.page, page.pages),
        feed_url=feed_url,
        webcal_url=webcal_url,
        csv_url=csv_url,
        archives=[] if archive else archived_editions(edition),
        vocabularies={"format": FORMATS, "theme": THEMES, "audience": AUDIENCES, "mode": MODES},
    )


def _csv_response(edition: Edition) -> Response:
    filters = ProgrammeFilters.from_args(request.args)
    resolve_organisation(filters)
    events = list(
        db.session.scalars(public_events_query(edition, filters).options(joinedload(Event.organisation)))
    )
    body = programme_csv(events, seats_for(events), lambda event: event_url(event, _external=True))
    name = f"programme-{edition.year}"
    if not filters.is_empty:
        name += "-filtre"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        },
    )
