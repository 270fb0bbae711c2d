"""The organisation directory (the atlas of the labs) and each organisation's public page."""
import math

from flask import abort, current_app, render_template, request, url_for
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..editions import public_edition
from ..extensions import db
from ..markdown import render_markdown
from ..models import Edition, Event, Organisation
from ..permissions import require
from ..programme.filters import PUBLIC_STATUSES
from ..programme.listing import pagination_window
from ..seats import seats_for
from ..text import search_key
from ..vocabulary import ORGANISATION_KINDS, REGIONS
from . import bp


def public_event_conditions() -> list:
    """Events the public sees in any edition: published or cancelled, programme published."""
    return [Event.status.in_(PUBLIC_STATUSES), Edition.programme_published_at.is_not(None)]


def _choice(name: str, vocabulary: dict, noun: str, errors: list[str]) -> str | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    if value in vocabulary:
        return value
    errors.append(f"{noun} « {value[:40]} » n'existe pas ; ce filtre a été ignoré.")
    return None


@bp.get("/organisations")
def directory():
    """Every active organisation with public events, filterable by region and kind."""
    errors: list[str] = []
    region = _choice("region", REGIONS, "La région", errors)
    kind = _choice("kind", ORGANISATION_KINDS, "Le type d'organisation", errors)
    current = public_edition()
    current_id = current.id if current else -1

    counts = (
        select(
            Event.organisation_id.label("organisation_id"),
            func.count(Event.id).label("total"),
            func.sum(case((Event.edition_id == current_id, 1), else_=0)).label("current"),
        )
        .join(Edition, Edition.id == Event.edition_id)
        .where(*public_event_conditions())
        .group_by(Event.organisation_id)
        .subquery()
    )
    base = (
        select(Organisation, counts.c.total, counts.c.current)
        .join(counts, counts.c.organisation_id == Organisation.id)
        .where(Organisation.is_active.is_(True))
    )
    rows = db.session.execute(
        base.where(
            *([Organisation.region_code == region] if region else []),
            *([Organisation.kind == kind] if kind else []),
        )
    ).all()
    rows.sort(key=lambda row: search_key(row[0].name))

    def facet(column, skip_condition):
        query = (
            select(column, func.count(Organisation.id))
            .join(counts, counts.c.organisation_id == Organisation.id)
            .where(Organisation.is_active.is_(True), *skip_condition)
            .group_by(column)
        )
        return dict(db.session.execute(query).all())

    region_counts = facet(Organisation.region_code, [Organisation.kind == kind] if kind else [])
    kind_counts = facet(Organisation.kind, [Organisation.region_code == region] if region else [])
    return render_template(
        "organisations/directory.html",
        rows=rows,
        region=region,
        kind=kind,
        errors=errors,
        current=current,
        region_options=sorted(REGIONS.values(), key=lambda r: search_key(r.name)),
        region_counts=region_counts,
        kind_counts=kind_counts,
    )


@bp.get("/organisations/<slug>")
def detail(slug: str):
    """An organisation: its description, website, region, and its events of every published edition."""
    organisation = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        abort(404)
    require("organisation.view", organisation)

    per_edition = db.session.execute(
        select(Edition, func.count(Event.id))
        .join(Event, Event.edition_id == Edition.id)
        .where(Event.organisation_id == organisation.id, *public_event_conditions())
        .group_by(Edition.id)
        .order_by(Edition.year.desc())
    ).all()
    total = sum(count for _edition, count in per_edition)
    per_page = current_app.config["PROGRAMME_PAGE_SIZE"]
    pages = max(1, math.ceil(total / per_page))
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), pages)

    events = list(
        db.session.scalars(
            select(Event)
            .join(Edition, Edition.id == Event.edition_id)
            .options(joinedload(Event.organisation), joinedload(Event.edition))
            .where(Event.organisation_id == organisation.id, *public_event_conditions())
            .order_by(Edition.year.desc(), Event.starts_at, Event.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    groups: list[tuple[Edition, list[Event]]] = []
    for event in events:
        if not groups or groups[-1][0].id != event.edition_id:
            groups.append((event.edition, []))
        groups[-1][1].append(event)

    current = public_edition()
    feed_url = webcal_url = None
    if "feeds.organisation_ics" in current_app.view_functions:
        feed_url = url_for("feeds.organisation_ics", slug=organisation.slug, _external=True)
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        description_html=render_markdown(organisation.description),
        per_edition=per_edition,
        total=total,
        groups=groups,
        seats=seats_for(events),
        page=page,
        pages=pages,
        window=pagination_window(page, pages),
        page_url=lambda number: url_for("organisations.detail", slug=organisation.slug, page=number if number > 1 else None),
        current=current,
        feed_url=feed_url,
        webcal_url=webcal_url,
    )
