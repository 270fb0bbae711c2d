"""The cockpit's home (the dashboard), the audit log and the pending requests to join."""
from flask import abort, render_template, request
from flask_login import current_user

from ..editions import current_edition
from ..models import EventMode, EventStatus
from ..permissions import require
from ..vocabulary import FORMATS, MODES, REGIONS, THEMES, label, region_name
from ..workflow import STATUS_LABELS
from . import audit, bp, charts, members, stats


@bp.before_request
def coordinators_only():
    """The whole cockpit is for coordinators; each view then checks its own rule."""
    require("dashboard.view")


def viewer_region() -> str | None:
    """``None`` for national coordinators and admins; a regional coordinator's region."""
    if current_user.is_admin or current_user.is_national_coordinator:
        return None
    return current_user.coordinator_region


def _status_chart(board) -> charts.Chart:
    alarm = {STATUS_LABELS[EventStatus.REJECTED]: charts.RED_MARIANNE,
             STATUS_LABELS[EventStatus.CANCELLED]: charts.RED_MARIANNE,
             STATUS_LABELS[EventStatus.DRAFT]: charts.GREY}
    items = [(STATUS_LABELS[status], board.statuses.get(status, 0)) for status in EventStatus]
    return charts.bar_chart("statuts", "Événements par statut", items, alarm)


def region_rows(board, region: str | None) -> list[dict]:
    """The 18 regions (a regional coordinator: theirs), then events without a region."""
    codes = list(REGIONS) if region is None else [region]
    rows = []
    for code in codes:
        row = board.regions.get(code) or stats.RegionRow(code)
        rows.append({"code": code, "name": REGIONS[code].name, "overseas": REGIONS[code].is_overseas, "row": row})
    others = [row for code, row in board.regions.items() if code not in codes]
    if others:
        merged = stats.RegionRow(None, sum(r.published for r in others), sum(r.in_review for r in others))
        rows.append({"code": None, "name": "En ligne ou sans région", "overseas": False, "row": merged})
    return rows


@bp.get("/")
def dashboard():
    """The figures of the current edition, in the viewer's scope."""
    edition = current_edition()
    region = viewer_region()
    if edition is None:
        return render_template("admin/dashboard.html", edition=None, region=region)
    board = stats.dashboard(edition, region)
    rows = region_rows(board, region)
    by_theme = sorted(board.themes.items(), key=lambda item: (-item[1], item[0]))
    by_format = sorted(board.formats.items(), key=lambda item: (-item[1], item[0]))
    context = dict(
        edition=edition,
        region=region,
        region_label=region_name(region) if region else "toutes les régions",
        board=board,
        region_rows=rows,
        status_chart=_status_chart(board),
        region_chart=charts.bar_chart(
            "regions", "Événements publiés par région", [(r["name"], r["row"].published) for r in rows]
        ),
        format_chart=charts.bar_chart(
            "formats", "Événements publiés par format", [(label(FORMATS, c), n) for c, n in by_format]
        ),
        theme_chart=charts.bar_chart(
            "themes", "Événements publiés par thème", [(label(THEMES, c), n) for c, n in by_theme]
        ),
        day_chart=charts.column_chart(
            "jours", "Événements publiés par jour", [(str(day.day), n) for day, n in board.days.items()]
        ),
        mode_chart=charts.bar_chart(
            "modalites", "Événements publiés par modalité",
            [(label(MODES, mode.value), board.modes.get(mode, 0)) for mode in EventMode],
        ),
        pending_requests=len(members.pending_requests(region=region)),
    )
    return render_template("admin/dashboard.html", **context)


@bp.get("/journal")
def audit_log():
    """The audit log of management actions (national coordinators)."""
    require("audit.view")
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    action = request.args.get("action") or None
    if action is not None and action not in audit.ACTION_LABELS:
        action = None
    entries, total = audit.entries(page, action)
    pages = max(1, -(-total // audit.PAGE_SIZE))
    return render_template(
        "admin/audit.html", entries=entries, total=total, page=page, pages=pages, action=action,
        labels=audit.ACTION_LABELS, target_labels=audit.TARGET_LABELS,
    )


@bp.get("/demandes")
def membership_requests():
    """Pending requests to join an organisation, in the viewer's scope."""
    region = viewer_region()
    requests = members.pending_requests(region=region)
    return render_template("admin/requests.html", requests=requests)


@bp.app_template_filter("percent")
def percent(value: float | None) -> str:
    """0.256 → « 25,6 % »; no value → « – »."""
    if value is None:
        return "–"
    return f"{value * 100:.1f}".replace(".", ",") + " %"


@bp.app_template_filter("hours")
def hours(value: float | None) -> str:
    """A duration in hours, read naturally: « 18 h », « 2,5 jours »."""
    if value is None:
        return "–"
    if value < 48:
        return f"{value:.1f}".replace(".", ",").replace(",0", "") + " h"
    return f"{value / 24:.1f}".replace(".", ",").replace(",0", "") + " jours"


def not_found_unless(condition: bool) -> None:
    if not condition:
        abort(404)
