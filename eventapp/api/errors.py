"""JSON errors, CORS and conditional requests for the API and the open-data files.

Every response of these blueprints is JSON (never the site's HTML error
pages), carries ``Access-Control-Allow-Origin: *`` and, when it succeeds, an
``ETag`` computed from its body, so ``If-None-Match`` gets a 304.
"""
from flask import Blueprint as FlaskBlueprint
from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from ..extensions import db
from . import bp, opendata_bp

MESSAGES = {
    400: "La requête est invalide.",
    404: "Cette ressource n'existe pas.",
    405: "Cette méthode n'est pas permise : l'API est en lecture seule (GET).",
    406: "Ce format de réponse n'est pas disponible : l'API répond en JSON.",
    429: "Trop de requêtes en peu de temps : merci de patienter avant de réessayer.",
    500: "Une erreur inattendue est survenue de notre côté. Merci de réessayer dans un instant.",
    503: "Le service est momentanément indisponible. Merci de réessayer dans quelques minutes.",
}

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def error_response(code: int, message: str | None = None, errors: dict | None = None, headers=None):
    """The JSON body of every API error: ``{code, status, message[, errors]}``."""
    from http import HTTPStatus

    try:
        status = HTTPStatus(code).phrase
    except ValueError:
        status = "Error"
    payload = {"code": code, "status": status, "message": message or MESSAGES.get(code, status)}
    if errors:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_errors(data: dict) -> dict:
    """webargs' ``{"query": {"region": [...]}}`` as ``{"region": [...]}``."""
    messages = data.get("messages") or {}
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat


def handle_http_error(error: HTTPException):
    if isinstance(error, RequestRedirect):
        return error.get_response()
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {}
    if isinstance(error, MethodNotAllowed):
        headers["Allow"] = ", ".join(READ_METHODS)
    if code == 400 and data.get("messages"):
        errors = _validation_errors(data)
        names = ", ".join(sorted(errors)) or "?"
        plural = "s" if len(errors) > 1 else ""
        return error_response(400, f"Paramètre{plural} invalide{plural} : {names}.", errors)
    message = data.get("message")
    if message is None and error.description and error.description != type(error).description:
        message = error.description  # a specific message given by the view
    return error_response(code, message, headers=headers)


def handle_server_error(_error: InternalServerError):
    db.session.rollback()
    return error_response(500)


for blueprint in (bp, opendata_bp):
    blueprint.register_error_handler(HTTPException, handle_http_error)
    blueprint.register_error_handler(InternalServerError, handle_server_error)


@bp.after_request
@opendata_bp.after_request
def cors_and_etag(response):
    """Open to every origin (public, read-only data); conditional GET through the ETag."""
    if request.endpoint == "opendata.documentation":
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
        response.add_etag()
        response.headers.setdefault(
            "Cache-Control", f"public, max-age={current_app.config.get('API_CACHE_SECONDS', 60)}"
        )
        response.make_conditional(request)
    return response


def _unmatched(path: str = ""):
    """Any other address or method under /api/v1: a JSON 404 or 405, never an HTML page."""
    if request.method == "OPTIONS":
        return "", 204, {"Allow": ", ".join(READ_METHODS)}
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _values = adapter.match(request.path, method="GET")
    except HTTPException:
        endpoint = None
    if endpoint and endpoint != "api.unmatched" and request.method not in READ_METHODS:
        raise MethodNotAllowed(valid_methods=list(READ_METHODS))
    raise NotFound()


# Registered through Flask's own method so that flask-smorest leaves it out of the OpenAPI document.
for rule in ("/", "/<path:path>"):
    FlaskBlueprint.add_url_rule(
        bp,
        rule,
        "unmatched",
        _unmatched,
        methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
        provide_automatic_options=False,
    )
