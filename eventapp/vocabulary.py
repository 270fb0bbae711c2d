"""Fixed vocabularies of the domain, with their French labels.

Formats, themes, audiences, modes, organisation kinds and regions are codes
stored in the database and used in URLs; the labels are what users read.
Départements come from the official administrative divisions (see ``geo``).
"""
from dataclasses import dataclass

FORMATS: dict[str, str] = {
    "conference": "Conférence",
    "webinaire": "Webinaire",
    "formation": "Formation",
    "atelier-collaboratif": "Atelier collaboratif",
    "simplificathon": "Simplificathon",
    "debat-citoyen": "Débat citoyen",
    "module-formation": "Module de formation",
    "table-ronde": "Table ronde",
    "portes-ouvertes": "Portes ouvertes",
    "sprint-creatif": "Sprint créatif",
    "hackathon": "Hackathon",
    "visite": "Visite",
    "exposition": "Exposition",
}

THEMES: dict[str, str] = {
    "design-de-services": "Design de services",
    "intelligence-collective": "Intelligence collective",
    "participation-citoyenne": "Participation citoyenne",
    "sciences-comportementales": "Sciences comportementales",
    "simplification": "Simplification",
    "innovation-manageriale": "Innovation managériale",
    "numerique-ia": "Numérique et intelligence artificielle",
    "transition-ecologique": "Transition écologique",
    "inclusion-accessibilite": "Inclusion et accessibilité",
}

AUDIENCES: dict[str, str] = {
    "agents-publics": "Agents publics",
    "managers": "Managers et encadrants",
    "elus": "Élus",
    "grand-public": "Grand public",
    "etudiants": "Étudiants",
}

MODES: dict[str, str] = {
    "presentiel": "Présentiel",
    "en-ligne": "En ligne",
    "hybride": "Hybride",
}

ORGANISATION_KINDS: dict[str, str] = {
    "lab-ministere": "Laboratoire d'un ministère",
    "liit": "Laboratoire d'innovation territoriale (LIIT)",
    "collectivite": "Collectivité territoriale",
    "hopital": "Hôpital",
    "operateur": "Opérateur public",
    "association": "Association",
    "autre": "Autre",
}

LANGUAGES: dict[str, str] = {
    "fr": "Français",
    "en": "Anglais",
    "lsf": "Français et langue des signes française",
}

PARIS_TZ = "Europe/Paris"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    timezone: str

    @property
    def is_overseas(self) -> bool:
        return self.timezone != PARIS_TZ


_REGION_ROWS = [
    ("84", "Auvergne-Rhône-Alpes", "Europe/Paris"),
    ("27", "Bourgogne-Franche-Comté", "Europe/Paris"),
    ("53", "Bretagne", "Europe/Paris"),
    ("24", "Centre-Val de Loire", "Europe/Paris"),
    ("94", "Corse", "Europe/Paris"),
    ("44", "Grand Est", "Europe/Paris"),
    ("32", "Hauts-de-France", "Europe/Paris"),
    ("11", "Île-de-France", "Europe/Paris"),
    ("28", "Normandie", "Europe/Paris"),
    ("75", "Nouvelle-Aquitaine", "Europe/Paris"),
    ("76", "Occitanie", "Europe/Paris"),
    ("52", "Pays de la Loire", "Europe/Paris"),
    ("93", "Provence-Alpes-Côte d'Azur", "Europe/Paris"),
    ("01", "Guadeloupe", "America/Guadeloupe"),
    ("02", "Martinique", "America/Martinique"),
    ("03", "Guyane", "America/Cayenne"),
    ("04", "La Réunion", "Indian/Reunion"),
    ("06", "Mayotte", "Indian/Mayotte"),
]

REGIONS: dict[str, Region] = {code: Region(code, name, tz) for code, name, tz in _REGION_ROWS}

#: Value of the ``region`` filter that selects online events.
ONLINE_REGION_FILTER = "en-ligne"

TIMEZONES: list[str] = sorted({region.timezone for region in REGIONS.values()})


def region_name(code: str | None) -> str:
    """The French name of a region code, or an empty string."""
    region = REGIONS.get(code or "")
    return region.name if region else ""


def region_timezone(code: str | None) -> str:
    """The IANA time zone of a region (Paris when unknown)."""
    region = REGIONS.get(code or "")
    return region.timezone if region else PARIS_TZ


def label(vocabulary: dict[str, str], code: str | None) -> str:
    """The label of a code, falling back to the code itself."""
    return vocabulary.get(code or "", code or "")
