"""Forms of the coordinators' cockpit and of joining an organisation (French messages)."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from ..accounts.services import password_problem
from ..dates import FIRST_YEAR, LAST_YEAR, SpanDateField, SpanDateTimeLocalField
from ..vocabulary import ORGANISATION_KINDS, PARIS_TZ, REGIONS

PARIS = ZoneInfo(PARIS_TZ)
REQUIRED = "Ce champ est obligatoire."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def paris_to_utc(value: datetime | None) -> datetime | None:
    """A ``datetime-local`` value typed in Paris time, as a UTC instant."""
    if value is None:
        return None
    return value.replace(tzinfo=PARIS).astimezone(timezone.utc)


def utc_to_paris_naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(PARIS).replace(tzinfo=None)


class ActionForm(FlaskForm):
    """An empty form: POST-only buttons carry its CSRF token."""


class EditionForm(FlaskForm):
    year = IntegerField(
        "Année",
        validators=[
            DataRequired("Indiquez l'année de l'édition."),
            NumberRange(FIRST_YEAR, LAST_YEAR, f"Indiquez une année comprise entre {FIRST_YEAR} et {LAST_YEAR}."),
        ],
    )
    title = StringField(
        "Titre", filters=[_strip],
        validators=[DataRequired("Indiquez le titre de l'édition."), Length(max=200, message="200 caractères au plus.")],
    )
    theme = StringField("Thème de l'année (facultatif)", filters=[_strip],
                        validators=[Optional(), Length(max=200, message="200 caractères au plus.")])
    description = TextAreaField("Présentation (facultatif)", filters=[_strip], validators=[Optional()])
    starts_on = SpanDateField("Premier jour", validators=[DataRequired("Indiquez le premier jour (JJ/MM/AAAA).")])
    ends_on = SpanDateField("Dernier jour", validators=[DataRequired("Indiquez le dernier jour (JJ/MM/AAAA).")])
    submissions_open_at = SpanDateTimeLocalField(
        "Ouverture du dépôt des événements (heure de Paris, facultatif)", validators=[Optional()]
    )
    submissions_close_at = SpanDateTimeLocalField(
        "Clôture du dépôt des événements (heure de Paris, facultatif)", validators=[Optional()]
    )


class OrganisationForm(FlaskForm):
    name = StringField("Nom", filters=[_strip],
                       validators=[DataRequired("Indiquez le nom."), Length(max=200, message="200 caractères au plus.")])
    slug = StringField("Identifiant dans l'adresse (facultatif : tiré du nom)", filters=[_strip],
                       validators=[Optional(), Length(max=120, message="120 caractères au plus.")])
    kind = SelectField("Type", choices=list(ORGANISATION_KINDS.items()), validators=[DataRequired(REQUIRED)])
    region_code = SelectField("Région", validators=[DataRequired(REQUIRED)])
    city = StringField("Ville (facultatif)", filters=[_strip],
                       validators=[Optional(), Length(max=120, message="120 caractères au plus.")])
    website = StringField("Site web (facultatif)", filters=[_strip],
                          validators=[Optional(), Length(max=300, message="300 caractères au plus.")])
    description = TextAreaField("Présentation (facultatif)", filters=[_strip], validators=[Optional()])

    def __init__(self, *args, regions: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = regions if regions is not None else list(REGIONS)
        self.region_code.choices = [(code, REGIONS[code].name) for code in codes]


def _email_field(label: str) -> EmailField:
    return EmailField(
        label, filters=[_strip],
        validators=[
            DataRequired("Indiquez l'adresse e-mail."),
            Length(max=254, message="L'adresse e-mail est trop longue."),
            Email("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.gouv.fr.",
                  check_deliverability=False),
        ],
    )


class InviteForm(FlaskForm):
    email = _email_field("Adresse e-mail de la personne à inviter")


class MergeForm(FlaskForm):
    kept_id = SelectField("Organisation à conserver", coerce=int, validators=[DataRequired(REQUIRED)])
    confirm = BooleanField(
        "Je confirme la fusion : les événements, les membres et les demandes passent à l'organisation conservée, "
        "et ce doublon est supprimé.",
        validators=[DataRequired("Cochez la case pour confirmer la fusion.")],
    )


class DecisionForm(FlaskForm):
    comment = TextAreaField("Message à la personne (facultatif)", filters=[_strip],
                            validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")])


class CoordinatorForm(FlaskForm):
    email = _email_field("Adresse e-mail du compte")
    scope = SelectField("Portée")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = [("national", "Coordination nationale")] + [
            (code, f"Région : {region.name}") for code, region in REGIONS.items()
        ]


class JoinForm(FlaskForm):
    message = TextAreaField(
        "Message à la coordination (facultatif) : votre rôle dans l'organisation",
        filters=[_strip],
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
    )


def _new_password(_form, field) -> None:
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


class InvitationAccountForm(FlaskForm):
    name = StringField("Prénom et nom", filters=[_strip],
                       validators=[DataRequired("Indiquez votre nom."), Length(max=120, message="120 caractères au plus.")])
    password = PasswordField("Mot de passe", validators=[DataRequired("Choisissez un mot de passe."), _new_password])
    confirm = PasswordField(
        "Confirmation du mot de passe",
        validators=[DataRequired("Saisissez à nouveau le mot de passe."),
                    EqualTo("password", "Les deux mots de passe ne sont pas identiques.")],
    )
