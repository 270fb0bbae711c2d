"""CSV export of an event's registrants, for French Excel (UTF-8 with BOM, ``;``)."""
import csv
import io

from ..formatting import timestamp
from .management import RegistrationList, display_name

STATUS_LABELS = {"confirmed": "Confirmé", "waitlisted": "Liste d'attente", "cancelled": "Annulé"}
ATTENDANCE_LABELS = {True: "Présent", False: "Absent", None: ""}
HEADER = [
    "Nom",
    "E-mail",
    "Statut",
    "Position en liste d'attente",
    "Administration",
    "Fonction",
    "Besoins d'accessibilité",
    "Réponses partagées",
    "Inscrit le",
    "Confirmé le",
    "Annulé le",
    "Présence",
]

#: A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Text of a cell, with a leading apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def registrations_csv(registrations: RegistrationList) -> bytes:
    """All registrations of the event; answers only for agents who agreed to share them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for registration in registrations.all():
        shared = registration.shares_answers
        writer.writerow(
            neutralise(cell)
            for cell in (
                display_name(registration),
                registration.user.email if registration.user is not None else "",
                STATUS_LABELS[registration.status.value],
                registrations.positions.get(registration.id, ""),
                registration.administration if shared else "",
                registration.job_title if shared else "",
                registration.accessibility_needs if shared else "",
                "Oui" if shared else "Non",
                timestamp(registration.created_at),
                timestamp(registration.confirmed_at),
                timestamp(registration.cancelled_at),
                ATTENDANCE_LABELS[registration.attended],
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
