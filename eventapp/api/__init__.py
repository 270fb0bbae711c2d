"""The read-only public JSON API (``/api/v1``), its OpenAPI document and the open-data export.

The API is built with flask-smorest: the marshmallow schemas of :mod:`.schemas`
serialise the responses and write the OpenAPI document (``/api/v1/openapi.json``),
so the two cannot disagree. ``/programme.json`` reuses the same event schema.
"""
from flask import Blueprint as FlaskBlueprint
from flask import Flask
from flask_smorest import Api
from flask_smorest import Blueprint
from werkzeug.routing import BaseConverter

from .schemas import ErrorSchema

API_PREFIX = "/api/v1"

#: The documented endpoints (in the OpenAPI document).
bp = Blueprint(
    "api",
    __name__,
    url_prefix=API_PREFIX,
    description="Le programme publié : événements et organisations, en lecture seule.",
)
#: Open data and the API's documents: ``/programme.json``, ``/api/v1/openapi.json``, the docs page.
opendata_bp = FlaskBlueprint("opendata", __name__)

API_DESCRIPTION = (
    "API publique, en lecture seule, du programme national du Mois de l'innovation publique. "
    "Elle ne contient que des données publiques : les événements publiés (ou annulés après "
    "publication) des éditions dont le programme est publié, et les organisations actives. "
    "Les dates sont au format ISO 8601, dans le fuseau de l'événement, avec leur décalage. "
    "Les réponses portent un `ETag` (requêtes conditionnelles `If-None-Match` → 304) et "
    "l'en-tête `Access-Control-Allow-Origin: *`. Les erreurs sont en JSON, avec un message "
    "en français."
)


class JsonApi(Api):
    """flask-smorest's Api whose JSON error pages stay inside the API.

    The stock Api registers a JSON handler for every HTTP error of the whole
    application; the rest of the site keeps its French HTML error pages, so the
    API's blueprints register their own handlers instead (see :mod:`.errors`).
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        return None


class ApiIdConverter(BaseConverter):
    """An id in an API path: 1 to 10 digits.

    Longer numbers do not match at all, so they reach the API's own catch-all and get
    a JSON 404 (a converter that refuses a value after matching would leave the answer
    to the site's HTML error page). Ten-digit values beyond the database's range are
    answered 404 by the view.
    """

    regex = r"\d{1,10}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


MAX_ID = 2**31 - 1


def api_of(app: Flask) -> JsonApi:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]


def init_app(app: Flask) -> None:
    """Build the API of ``app``: its spec, its blueprints (CSRF-exempt: GET only)."""
    from ..extensions import csrf
    from . import errors, opendata, views  # noqa: F401  (routes and handlers)

    app.config.setdefault("API_TITLE", "API du Mois de l'innovation publique")
    app.config.setdefault("API_VERSION", "1.0")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", None)  # the document is served by opendata_bp
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": API_DESCRIPTION}})
    app.url_map.converters["api_id"] = ApiIdConverter
    api = JsonApi(app)
    api.register_converter(ApiIdConverter, lambda _converter: {"type": "integer", "minimum": 0, "maximum": MAX_ID})
    api.register_blueprint(bp)
    app.register_blueprint(opendata_bp)
    csrf.exempt(bp)
    csrf.exempt(opendata_bp)
