"""Snapshots of an event's fields, and what changed between two of them, in French.

Every history row keeps a snapshot, so a coordinator reviewing a resubmission
sees what the organiser changed since the last review, and registrants can be
told what changed in a published event.
"""
from dataclasses import dataclass
from datetime import datetime

from ..formatting import date_time, long_date, clock, timezone_label
from ..models import Event
from ..vocabulary import AUDIENCES, FORMATS, LANGUAGES, MODES, THEMES, label, region_name

REGISTRATION_MODES = {
    "none": "Sans inscription",
    "internal": "Inscription sur la plateforme",
    "external": "Inscription sur un site externe",
}

#: The fields an organiser edits, in the order of the form, with their French labels.
FIELD_LABELS: dict[str, str] = {
    "title": "Titre",
    "summary": "Résumé",
    "description": "Description",
    "format": "Format",
    "themes": "Thèmes",
    "audiences": "Publics",
    "language": "Langue",
    "mode": "Modalité",
    "starts_at": "Début",
    "ends_at": "Fin",
    "timezone": "Fuseau horaire",
    "venue_name": "Nom du lieu",
    "street_address": "Adresse",
    "postcode": "Code postal",
    "city": "Ville",
    "departement_code": "Département",
    "region_code": "Région",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "online_url": "Lien de connexion",
    "accessibility_info": "Accessibilité",
    "registration_mode": "Inscription",
    "capacity": "Nombre de places",
    "has_waiting_list": "Liste d'attente",
    "external_registration_url": "Lien d'inscription externe",
    "registration_deadline": "Date limite d'inscription",
}

EDITABLE_FIELDS = tuple(FIELD_LABELS)
_INSTANTS = {"starts_at", "ends_at", "registration_deadline"}
_LISTS = {"themes", "audiences"}

#: Changes registrants are told about (and that raise the calendar SEQUENCE), by group.
PRACTICAL_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "when": ("Date et horaires", ("starts_at", "ends_at", "timezone")),
    "mode": ("Modalité", ("mode",)),
    "place": (
        "Lieu",
        ("venue_name", "street_address", "postcode", "city", "departement_code", "region_code"),
    ),
    "online": ("Lien de connexion", ("online_url",)),
}


def snapshot(event: Event) -> dict:
    """The event's fields as JSON-ready values (instants in ISO UTC, enums as their values)."""
    data: dict = {}
    for name in EDITABLE_FIELDS:
        value = getattr(event, name)
        if name in _LISTS:
            value = sorted(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        data[name] = value
    data["status"] = event.status.value if event.status else None
    data["sequence"] = event.sequence
    data["cancellation_reason"] = event.cancellation_reason
    data["organisation_id"] = event.organisation_id
    return data


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def changed_fields(old: dict | None, new: dict) -> list[str]:
    """Names of the editable fields whose value differs, in form order (blank equals blank)."""
    old = old or {}
    changed = []
    for name in EDITABLE_FIELDS:
        before, after = old.get(name), new.get(name)
        if _blank(before) and _blank(after):
            continue
        if before != after:
            changed.append(name)
    return changed


def practical_changes(old: dict, new: dict) -> list[str]:
    """The groups (``when``, ``mode``, ``place``, ``online``) whose fields changed."""
    changed = set(changed_fields(old, new))
    return [group for group, (_label, names) in PRACTICAL_GROUPS.items() if changed & set(names)]


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def display_value(name: str, data: dict) -> str:
    """A field of a snapshot as a French reader would want it ("—" when empty)."""
    value = data.get(name)
    if _blank(value):
        return "—"
    tz = data.get("timezone") or "Europe/Paris"
    if name in _INSTANTS:
        return f"{date_time(_instant(value), tz)} ({timezone_label(tz)})"
    if name == "themes":
        return ", ".join(label(THEMES, code) for code in value)
    if name == "audiences":
        return ", ".join(label(AUDIENCES, code) for code in value)
    if name == "format":
        return label(FORMATS, value)
    if name == "mode":
        return label(MODES, value)
    if name == "language":
        return label(LANGUAGES, value)
    if name == "registration_mode":
        return label(REGISTRATION_MODES, value)
    if name == "region_code":
        return region_name(value) or value
    if name == "departement_code":
        return _departement_label(value)
    if name == "timezone":
        return timezone_label(value)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    return str(value)


def _departement_label(code: str) -> str:
    from ..geo import departements

    departement = departements().get(code)
    return f"{code} – {departement.name}" if departement else code


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def diff_snapshots(old: dict | None, new: dict) -> list[FieldChange]:
    """What changed between two snapshots, field by field, ready to show in French."""
    old = old or {}
    return [
        FieldChange(name, FIELD_LABELS[name], display_value(name, old), display_value(name, new))
        for name in changed_fields(old, new)
    ]


def when_text(data: dict) -> str:
    """« mardi 14 novembre 2030, de 14 h 00 à 16 h 00 (heure de Paris) », or a range of days."""
    tz = data.get("timezone") or "Europe/Paris"
    start, end = _instant(data.get("starts_at")), _instant(data.get("ends_at"))
    if start is None or end is None:
        return "—"
    if long_date(start, tz) == long_date(end, tz):
        text = f"{long_date(start, tz)}, de {clock(start, tz)} à {clock(end, tz)}"
    else:
        text = f"du {date_time(start, tz)} au {date_time(end, tz)}"
    return f"{text} ({timezone_label(tz)})"


def place_text(data: dict) -> str:
    """« Préfecture, 1 rue de la République, 69001 Lyon » (what is filled in)."""
    town = " ".join(part for part in (data.get("postcode"), data.get("city")) if part)
    parts = [data.get("venue_name"), data.get("street_address"), town]
    return ", ".join(part for part in parts if part) or "—"


def group_text(group: str, data: dict) -> str:
    """One practical group of a snapshot as a sentence for an e-mail."""
    if group == "when":
        return when_text(data)
    if group == "place":
        return place_text(data)
    if group == "mode":
        return display_value("mode", data)
    return display_value("online_url", data)
