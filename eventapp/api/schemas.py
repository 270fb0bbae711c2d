"""The marshmallow schemas of the API: they serialise the responses and, through
flask-smorest and apispec, write the OpenAPI document. One source for both."""
import marshmallow as ma
from marshmallow import fields, validate

from ..programme.filters import MAX_PAGE, MAX_QUERY_LENGTH
from ..vocabulary import AUDIENCES, FORMATS, MODES, ONLINE_REGION_FILTER, ORGANISATION_KINDS, REGIONS, THEMES

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


def _one_of(choices, noun: str) -> validate.OneOf:
    return validate.OneOf(
        list(choices),
        error=f"{noun} inconnu(e) « {{input}} ». Valeurs possibles : {{choices}}.",
    )


def _describe(text: str, **extra) -> dict:
    return {"description": text, **extra}


_INTEGER_ERRORS = {"invalid": "Un nombre entier est attendu."}


#: No control characters (e.g. NUL) in a search: no search needs them and PostgreSQL refuses NUL.
NO_CONTROL_CHARACTERS = validate.Regexp(
    r"^[^\x00-\x1f\x7f]*$", error="La recherche ne peut pas contenir de caractères de contrôle."
)


# --- Query parameters ---------------------------------------------------------------------------


class PaginationArgsSchema(ma.Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(1, MAX_PAGE, error=f"La page doit être comprise entre 1 et {MAX_PAGE}."),
        error_messages=_INTEGER_ERRORS,
        metadata=_describe("Numéro de la page (à partir de 1)."),
    )
    per_page = fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(
            1, MAX_PER_PAGE, error=f"Le nombre d'éléments par page doit être compris entre 1 et {MAX_PER_PAGE}."
        ),
        error_messages=_INTEGER_ERRORS,
        metadata=_describe(f"Nombre d'éléments par page (1 à {MAX_PER_PAGE})."),
    )


class ProgrammeArgsSchema(ma.Schema):
    """The programme's filters, as in ``/programme`` (see ``eventapp.programme.filters``)."""

    q = fields.String(
        validate=[
            validate.Length(max=MAX_QUERY_LENGTH, error=f"La recherche est limitée à {MAX_QUERY_LENGTH} caractères."),
            NO_CONTROL_CHARACTERS,
        ],
        metadata=_describe("Recherche en texte libre (titre, résumé, organisation, ville…)."),
    )
    region = fields.String(
        validate=_one_of([*REGIONS, ONLINE_REGION_FILTER], "Région"),
        metadata=_describe("Code INSEE de la région, ou `en-ligne` pour les événements en ligne."),
    )
    format = fields.String(validate=_one_of(FORMATS, "Format"), metadata=_describe("Code du format."))
    theme = fields.String(validate=_one_of(THEMES, "Thème"), metadata=_describe("Code du thème."))
    audience = fields.String(validate=_one_of(AUDIENCES, "Public"), metadata=_describe("Code du public visé."))
    mode = fields.String(validate=_one_of(MODES, "Modalité"), metadata=_describe("Modalité de l'événement."))
    date = fields.Date(
        error_messages={"invalid": "Date invalide : le format attendu est AAAA-MM-JJ."},
        metadata=_describe("Jour de début de l'événement, dans son fuseau horaire (AAAA-MM-JJ)."),
    )
    organisation = fields.String(
        validate=[
            validate.Length(max=120, error="Un identifiant d'organisation compte au plus 120 caractères."),
            validate.Regexp(SLUG_PATTERN, error="Identifiant d'organisation invalide « {input} »."),
        ],
        metadata=_describe("Identifiant (slug) de l'organisation."),
    )
    places = fields.Boolean(
        error_messages={"invalid": "Valeur invalide : indiquez true ou false."},
        metadata=_describe("`true` : seulement les événements où il reste des places (inscription sur ce site)."),
    )


class EventListArgsSchema(ProgrammeArgsSchema, PaginationArgsSchema):
    pass


class OrganisationListArgsSchema(PaginationArgsSchema):
    region = fields.String(
        validate=_one_of(REGIONS, "Région"), metadata=_describe("Code INSEE de la région de l'organisation.")
    )
    kind = fields.String(
        validate=_one_of(ORGANISATION_KINDS, "Type d'organisation"), metadata=_describe("Type d'organisation.")
    )


class ConditionalHeadersSchema(ma.Schema):
    """The request header of a conditional GET (the ETag itself is handled for every response)."""

    if_none_match = fields.String(
        data_key="If-None-Match",
        metadata=_describe("L'`ETag` d'une réponse déjà reçue : 304 sans corps si rien n'a changé."),
    )


# --- Responses ----------------------------------------------------------------------------------


def _str(description: str, nullable: bool = False, **kwargs):
    return fields.String(required=True, allow_none=nullable, metadata=_describe(description), **kwargs)


def _int(description: str, nullable: bool = False):
    return fields.Integer(required=True, allow_none=nullable, metadata=_describe(description))


def _instant(description: str, nullable: bool = False):
    return fields.DateTime(format="iso", required=True, allow_none=nullable, metadata=_describe(description))


class EventSchema(ma.Schema):
    """A published (or cancelled) event of the programme."""

    id = _int("Numéro de l'événement (celui de `/evenements/<id>`).")
    title = _str("Titre.")
    summary = _str("Résumé court.")
    starts_at = _instant("Début, ISO 8601 dans le fuseau de l'événement, avec son décalage (ex. `2025-11-14T14:00:00+01:00`).")
    ends_at = _instant("Fin, même forme.")
    timezone = _str("Fuseau horaire IANA de l'événement (`Europe/Paris`, `Indian/Reunion`…).")
    region_code = _str("Code INSEE de la région (null pour un événement en ligne sans région).", True)
    region = _str("Nom de la région.", True)
    departement = _str("Code du département.", True)
    departement_name = _str("Nom du département.", True)
    city = _str("Ville.", True)
    venue_name = _str("Lieu (présentiel et hybride).", True)
    street_address = _str("Adresse (présentiel et hybride).", True)
    postcode = _str("Code postal (présentiel et hybride).", True)
    mode = _str("Modalité : `presentiel`, `en-ligne` ou `hybride`.", validate=validate.OneOf(list(MODES)))
    mode_label = _str("Modalité en clair.")
    format = _str("Code du format.")
    format_label = _str("Format en clair.")
    themes = fields.List(fields.String(), required=True, metadata=_describe("Codes des thèmes."))
    theme_labels = fields.List(fields.String(), required=True, metadata=_describe("Thèmes en clair."))
    audiences = fields.List(fields.String(), required=True, metadata=_describe("Codes des publics visés."))
    audience_labels = fields.List(fields.String(), required=True, metadata=_describe("Publics visés en clair."))
    language = _str("Langue de l'événement (`fr`, `en`, `lsf`).")
    organisation = _str("Nom de l'organisation.", True)
    organisation_slug = _str("Identifiant de l'organisation (voir `/api/v1/organisations/<slug>`).", True)
    url = _str("Page publique de l'événement.")
    ical_url = _str("L'événement au format iCalendar.")
    status = _str("Statut : `published` ou `cancelled`.", validate=validate.OneOf(["published", "cancelled"]))
    status_label = _str("Statut en clair.")
    cancellation_reason = _str("Motif de l'annulation (événement annulé).", True)
    registration_mode = _str(
        "Inscription : `internal` (sur ce site), `external` (lien externe) ou `none` (sans inscription).",
        validate=validate.OneOf(["internal", "external", "none"]),
    )
    registration_url = _str("Lien d'inscription externe (inscription `external`).", True)
    registration_deadline = _instant("Date limite d'inscription sur ce site, si elle précède le début.", True)
    capacity = _int("Nombre de places (null : illimité ou inscription hors de ce site).", True)
    seats_left = _int("Places restantes (null : illimité ou inscription hors de ce site).", True)
    has_waiting_list = fields.Boolean(required=True, metadata=_describe("Liste d'attente quand c'est complet."))
    updated_at = _instant("Dernière modification (UTC).")


class OrganisationSchema(ma.Schema):
    """An organisation that organises events (usually a lab)."""

    slug = _str("Identifiant stable (celui de `/organisations/<slug>`).")
    name = _str("Nom.")
    kind = _str("Code du type d'organisation.")
    kind_label = _str("Type d'organisation en clair.")
    region_code = _str("Code INSEE de la région.", True)
    region = _str("Nom de la région.", True)
    city = _str("Ville.", True)
    website = _str("Site web.", True)
    description = _str("Présentation.")
    url = _str("Page publique de l'organisation.")
    ical_url = _str("Ses événements au format iCalendar.")


class PageMetaSchema(ma.Schema):
    total = _int("Nombre total de résultats.")
    page = _int("Page courante.")
    per_page = _int("Éléments par page.")
    pages = _int("Nombre de pages.")


class PageLinksSchema(ma.Schema):
    self = _str("Cette page.")
    first = _str("Première page.")
    last = _str("Dernière page.")
    prev = _str("Page précédente (null sur la première).", True)
    next = _str("Page suivante (null sur la dernière).", True)


class EditionSchema(ma.Schema):
    year = _int("Année de l'édition.")
    title = _str("Titre de l'édition.")
    theme = _str("Thème de l'année.", True)


class EventPageSchema(ma.Schema):
    edition = fields.Nested(EditionSchema, required=True, allow_none=True,
                            metadata=_describe("L'édition dont le programme est publié (null : aucune)."))
    data = fields.List(fields.Nested(EventSchema), required=True)
    meta = fields.Nested(PageMetaSchema, required=True)
    links = fields.Nested(PageLinksSchema, required=True)


class OrganisationPageSchema(ma.Schema):
    data = fields.List(fields.Nested(OrganisationSchema), required=True)
    meta = fields.Nested(PageMetaSchema, required=True)
    links = fields.Nested(PageLinksSchema, required=True)


class ProgrammeExportSchema(ma.Schema):
    """``/programme.json``: the whole filtered programme at once."""

    edition = fields.Nested(EditionSchema, required=True, allow_none=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    count = _int("Nombre d'événements.")
    generated_at = _instant("Date de production du fichier (UTC).")
    events = fields.List(fields.Nested(EventSchema), required=True)


class ErrorSchema(ma.Schema):
    """Every error of the API."""

    code = _int("Code HTTP.")
    status = _str("Nom du code HTTP.")
    message = _str("Explication en français.")
    errors = fields.Dict(
        keys=fields.String(), required=False,
        metadata=_describe("Pour une erreur 400 : le message de chaque paramètre refusé."),
    )
