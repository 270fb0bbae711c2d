"""The API's endpoints: the published events and the organisations, read-only and paginated."""
import math
import re

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import BadRequest, NotFound

from ..editions import public_edition
from ..extensions import db
from ..models import Edition, Event, Organisation
from ..programme.filters import ProgrammeFilters, public_events_query
from ..seats import seats_for
from . import MAX_ID, bp
from .caching import cached_answer
from .records import event_record, organisation_record
from .schemas import (
    SLUG_PATTERN,
    ConditionalHeadersSchema,
    EventListArgsSchema,
    EventPageSchema,
    EventSchema,
    OrganisationListArgsSchema,
    OrganisationPageSchema,
    OrganisationSchema,
    ProgrammeArgsSchema,
)


_SLUG = re.compile(SLUG_PATTERN)

#: Documentation shared by the endpoints: conditional requests and their ETag.
ETAG_HEADERS = {"ETag": "ETAG"}
NOT_MODIFIED = "Pas de changement depuis la version désignée par `If-None-Match` (corps vide)."


def filters_from_args(args: dict) -> ProgrammeFilters:
    """The programme's filters from the validated query arguments (same parsing as ``/programme``)."""
    raw = {}
    for name in ProgrammeArgsSchema().fields:
        value = args.get(name)
        if value is None or value == "":
            continue
        if name == "places":
            raw[name] = "1" if value else "0"
        elif name == "date":
            raw[name] = value.isoformat()
        else:
            raw[name] = str(value)
    filters = ProgrammeFilters.from_args(raw)
    if filters.errors:  # the schema accepts only what the filters accept: defensive
        raise BadRequest(" ".join(filters.errors))
    return filters


def edition_summary(edition: Edition | None) -> dict | None:
    if edition is None:
        return None
    return {"year": edition.year, "title": edition.title, "theme": edition.theme}


def page_envelope(endpoint: str, args: dict, total: int, page: int, per_page: int) -> tuple[dict, dict]:
    """``meta`` and ``links`` of a page of results (links keep the filters)."""
    pages = max(1, math.ceil(total / per_page))

    def link(number: int) -> str:
        return url_for(endpoint, _external=True, **{**args, "page": number, "per_page": per_page})

    meta = {"total": total, "page": page, "per_page": per_page, "pages": pages}
    links = {
        "self": link(page),
        "first": link(1),
        "last": link(pages),
        "prev": link(page - 1) if 1 < page <= pages + 1 else None,
        "next": link(page + 1) if page < pages else None,
    }
    return meta, links


@bp.route("/events")
@cached_answer
@bp.arguments(EventListArgsSchema, location="query", error_status_code=400, as_kwargs=False)
@bp.response(200, EventPageSchema, headers=ETAG_HEADERS)
@bp.alt_response(304, description=NOT_MODIFIED)
@bp.arguments(ConditionalHeadersSchema, location="headers", as_kwargs=True, error_status_code=400)
def list_events(args, **_headers):
    """Événements du programme publié

    Les événements publiés (et ceux annulés après publication) de l'édition dont le
    programme est publié, triés par date de début, avec les mêmes filtres que
    `/programme`. Une page au-delà de la dernière est vide.
    """
    edition = public_edition()
    filters = filters_from_args(args)
    page, per_page = args["page"], args["per_page"]
    query = public_events_query(edition, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    events = list(
        db.session.scalars(
            query.options(joinedload(Event.organisation)).limit(per_page).offset((page - 1) * per_page)
        ).unique()
    )
    seats = seats_for(events)
    meta, links = page_envelope("api.list_events", filters.to_args(page=None), total, page, per_page)
    return {
        "edition": edition_summary(edition),
        "data": [event_record(event, seats.get(event.id)) for event in events],
        "meta": meta,
        "links": links,
    }


@bp.route("/events/<api_id:event_id>")
@cached_answer
@bp.response(200, EventSchema, headers=ETAG_HEADERS)
@bp.alt_response(304, description=NOT_MODIFIED)
@bp.alt_response(404, response="NOT_FOUND", description="Aucun événement publié ne porte ce numéro.")
@bp.arguments(ConditionalHeadersSchema, location="headers", as_kwargs=True, error_status_code=400)
def get_event(event_id: int, **_headers):
    """Un événement publié

    Un événement publié, ou annulé après publication, d'une édition dont le programme
    est publié (les éditions passées restent consultables). Tout autre numéro : 404.
    """
    event = None
    if event_id <= MAX_ID:
        event = db.session.scalars(
            select(Event)
            .options(joinedload(Event.organisation), joinedload(Event.edition))
            .where(Event.id == event_id)
        ).first()
    if event is None or not event.is_publicly_visible:
        raise NotFound(f"Aucun événement publié ne porte le numéro {event_id}.")
    return event_record(event, seats_for([event]).get(event.id))


@bp.route("/organisations")
@cached_answer
@bp.arguments(OrganisationListArgsSchema, location="query", error_status_code=400, as_kwargs=False)
@bp.response(200, OrganisationPageSchema, headers=ETAG_HEADERS)
@bp.alt_response(304, description=NOT_MODIFIED)
@bp.arguments(ConditionalHeadersSchema, location="headers", as_kwargs=True, error_status_code=400)
def list_organisations(args, **_headers):
    """Organisations

    Les organisations actives (laboratoires d'innovation, collectivités, opérateurs…),
    par ordre alphabétique. Leurs événements : `/api/v1/events?organisation=<slug>`.
    """
    conditions = [Organisation.is_active.is_(True)]
    if args.get("region"):
        conditions.append(Organisation.region_code == args["region"])
    if args.get("kind"):
        conditions.append(Organisation.kind == args["kind"])
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count(Organisation.id)).where(*conditions)) or 0
    organisations = db.session.scalars(
        select(Organisation)
        .where(*conditions)
        .order_by(Organisation.name, Organisation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    kept = {name: args[name] for name in ("region", "kind") if args.get(name)}
    meta, links = page_envelope("api.list_organisations", kept, total, page, per_page)
    return {"data": [organisation_record(o) for o in organisations], "meta": meta, "links": links}


@bp.route("/organisations/<slug>")
@cached_answer
@bp.response(200, OrganisationSchema, headers=ETAG_HEADERS)
@bp.alt_response(304, description=NOT_MODIFIED)
@bp.alt_response(404, response="NOT_FOUND", description="Aucune organisation active n'a cet identifiant.")
@bp.arguments(ConditionalHeadersSchema, location="headers", as_kwargs=True, error_status_code=400)
def get_organisation(slug: str, **_headers):
    """Une organisation

    Une organisation active, par son identifiant (celui de `/organisations/<slug>`).
    """
    organisation = None
    if _SLUG.match(slug) and len(slug) <= 120:
        organisation = db.session.scalars(
            select(Organisation).where(Organisation.slug == slug, Organisation.is_active.is_(True))
        ).first()
    if organisation is None:
        raise NotFound(f"Aucune organisation active n'a l'identifiant « {slug[:120]} ».")
    return organisation_record(organisation)
