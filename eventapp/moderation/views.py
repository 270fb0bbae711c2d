"""The moderation queue: events in the coordinator's scope, oldest submission first, with filters."""
from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..editions import current_edition
from ..extensions import db
from ..models import Edition, Event, EventMode, EventStatus, EventStatusChange, Organisation
from ..permissions import coordinated_events_condition
from ..vocabulary import FORMATS, ONLINE_REGION_FILTER, REGIONS
from ..workflow import STATUS_LABELS
from . import bp

S = EventStatus
PAGE_SIZE = 50
#: The queue's tabs, in order.
TABS = [S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED, S.CANCELLED, S.REJECTED, S.DRAFT]


def _submissions():
    """Per event: when it was last submitted (an edit of a submitted event does not count), and how often."""
    return (
        select(
            EventStatusChange.event_id.label("event_id"),
            func.max(EventStatusChange.created_at).label("submitted_at"),
            func.count(EventStatusChange.id).label("submissions"),
        )
        .where(
            EventStatusChange.to_status == S.SUBMITTED,
            EventStatusChange.from_status.in_((S.DRAFT, S.CHANGES_REQUESTED)),
        )
        .group_by(EventStatusChange.event_id)
        .subquery()
    )


@bp.get("/moderation")
def queue():
    """Submitted events to review (or another status), in the coordinator's scope."""
    editions = list(db.session.scalars(select(Edition).order_by(Edition.year.desc())))
    edition = current_edition()
    year = request.args.get("edition", type=int)
    if year is not None:
        edition = next((e for e in editions if e.year == year), None) or abort(404)

    status = S.SUBMITTED
    requested_status = request.args.get("statut", "")
    if requested_status:
        status = next((s for s in TABS if s.value == requested_status), None) or S.SUBMITTED
    region = request.args.get("region", "")
    region = region if region in REGIONS or region == ONLINE_REGION_FILTER else ""
    event_format = request.args.get("format", "")
    event_format = event_format if event_format in FORMATS else ""
    organisation_slug = request.args.get("organisation", "")
    page = max(request.args.get("page", 1, type=int) or 1, 1)

    scope = [coordinated_events_condition(current_user)]
    if edition is not None:
        scope.append(Event.edition_id == edition.id)
    counts = dict(
        db.session.execute(select(Event.status, func.count(Event.id)).where(*scope).group_by(Event.status)).all()
    )
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(select(Event.organisation_id).where(*scope)))
            .order_by(Organisation.name)
        )
    )

    conditions = [*scope, Event.status == status]
    if region == ONLINE_REGION_FILTER:
        conditions.append(Event.mode == EventMode.ONLINE)
    elif region:
        conditions.append(Event.region_code == region)
    if event_format:
        conditions.append(Event.format == event_format)
    if organisation_slug:
        conditions.append(Organisation.slug == organisation_slug)

    submissions = _submissions()
    order = (
        (submissions.c.submitted_at.asc().nulls_last(), Event.id)
        if status == S.SUBMITTED
        else (Event.starts_at, Event.id)
    )
    total = db.session.scalar(
        select(func.count(Event.id)).join(Event.organisation).where(*conditions)
    )
    page = min(page, max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1))  # ?page=10**30: the last page, not an overflow
    rows = db.session.execute(
        select(Event, submissions.c.submitted_at, submissions.c.submissions)
        .join(Event.organisation)
        .options(contains_eager(Event.organisation))
        .outerjoin(submissions, submissions.c.event_id == Event.id)
        .where(*conditions)
        .order_by(*order)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()

    filters = {
        "statut": status.value if status != S.SUBMITTED else None,
        "region": region or None,
        "format": event_format or None,
        "organisation": organisation_slug or None,
        "edition": year,
    }

    def page_url(number: int) -> str:
        return url_for("moderation.queue", **filters, page=number if number > 1 else None)

    def tab_url(tab: EventStatus) -> str:
        return url_for("moderation.queue", **{**filters, "statut": tab.value if tab != S.SUBMITTED else None})

    return render_template(
        "moderation/queue.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        page_url=page_url,
        tab_url=tab_url,
        tabs=[(tab, STATUS_LABELS[tab], counts.get(tab, 0)) for tab in TABS],
        status=status,
        status_label=STATUS_LABELS[status],
        region=region,
        event_format=event_format,
        organisation_slug=organisation_slug,
        organisations=organisations,
        editions=editions,
        edition=edition,
        year=year,
    )
