"""Open data and the API's documents: ``/programme.json``, ``/api/v1/openapi.json`` and the
human-readable documentation page (rendered here from the OpenAPI document, nothing external)."""
from flask import current_app, json, render_template, request
from sqlalchemy.orm import joinedload
from webargs.flaskparser import parser

from ..editions import public_edition
from ..extensions import db
from ..models import Event, utcnow
from ..seats import seats_for
from . import API_PREFIX, api_of, opendata_bp
from .records import event_record
from .schemas import ProgrammeArgsSchema, ProgrammeExportSchema
from .views import edition_summary, filters_from_args

_export_schema = ProgrammeExportSchema()


@opendata_bp.get("/programme.json")
def programme_json():
    """The whole published programme (same filters as ``/programme``), with the API's event fields."""
    args = parser.parse(ProgrammeArgsSchema(), request, location="query", error_status_code=400)
    filters = filters_from_args(args)
    edition = public_edition()
    from ..programme.filters import public_events_query

    events = list(
        db.session.scalars(public_events_query(edition, filters).options(joinedload(Event.organisation))).unique()
    )
    seats = seats_for(events)
    body = _export_schema.dump(
        {
            "edition": edition_summary(edition),
            "filters": filters.to_args(page=None),
            "count": len(events),
            "generated_at": utcnow(),
            "events": [event_record(event, seats.get(event.id)) for event in events],
        }
    )
    # generated_at would change the ETag on every request: it is left out of the tag.
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False, sort_keys=True), mimetype="application/json"
    )
    stable = dict(body, generated_at=None)
    response.set_etag(_digest(json.dumps(stable, sort_keys=True)))
    return response


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:32]


@opendata_bp.get(f"{API_PREFIX}/openapi.json")
def openapi_json():
    """The OpenAPI 3 document of the API, generated from its schemas."""
    return current_app.response_class(
        json.dumps(api_of(current_app).spec.to_dict(), ensure_ascii=False, sort_keys=False),
        mimetype="application/json",
    )


@opendata_bp.get(f"{API_PREFIX}/documentation")
def documentation():
    """The API's documentation for people, from the same OpenAPI document."""
    spec = api_of(current_app).spec.to_dict()
    return render_template("api/documentation.html", doc=describe_spec(spec), spec=spec)


# --- A readable view of the OpenAPI document --------------------------------------------------

#: Registered by flask-smorest for its own pagination header, which this API does not use.
UNUSED_SCHEMAS = {"PaginationMetadata"}


def _resolve(spec: dict, item: dict) -> dict:
    """Follow a local ``$ref`` (``#/components/...``)."""
    seen = 0
    while isinstance(item, dict) and "$ref" in item and seen < 10:
        node = spec
        for part in item["$ref"].lstrip("#/").split("/"):
            node = node.get(part, {})
        item = node
        seen += 1
    return item


def _type_text(spec: dict, schema: dict) -> str:
    schema = schema or {}
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"liste de {_type_text(spec, schema.get('items', {}))}"
    text = kind
    if schema.get("format"):
        text += f" ({schema['format']})"
    return text or "objet"


def describe_spec(spec: dict) -> dict:
    """Operations and schemas of the document, flattened for a template."""
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = []
            for parameter in [*shared, *operation.get("parameters", [])]:
                parameter = _resolve(spec, parameter)
                schema = parameter.get("schema", {})
                parameters.append(
                    {
                        "name": parameter.get("name"),
                        "where": {"query": "requête", "path": "chemin", "header": "en-tête"}.get(
                            parameter.get("in"), parameter.get("in")
                        ),
                        "type": _type_text(spec, schema),
                        "required": parameter.get("required", False),
                        "enum": schema.get("enum"),
                        "default": schema.get("default"),
                        "description": parameter.get("description") or schema.get("description", ""),
                    }
                )
            responses = []
            for code, response in operation.get("responses", {}).items():
                response = _resolve(spec, response)
                content = response.get("content", {}).get("application/json", {})
                responses.append(
                    {
                        "code": code,
                        "description": response.get("description", ""),
                        "schema": _type_text(spec, content.get("schema")) if content else "",
                    }
                )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
                }
            )
    schemas = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        if name in UNUSED_SCHEMAS:
            continue
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field_name,
                "type": _type_text(spec, field),
                "nullable": field.get("nullable", False),
                "required": field_name in required,
                "enum": field.get("enum"),
                "description": field.get("description", ""),
            }
            for field_name, field in schema.get("properties", {}).items()
        ]
        schemas.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return {"info": spec.get("info", {}), "operations": operations, "schemas": schemas}
