"""Liveness and database check for load balancers and monitoring."""
from flask import jsonify
from sqlalchemy import text

from ..extensions import db, limiter
from . import bp


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the database is not usable
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
