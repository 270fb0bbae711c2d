"""Forms of the registrations area."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

try:  # WTForms 3.3 deprecates plain tuples as choices
    from wtforms.fields.choices import SelectChoice as Choice
except ImportError:  # pragma: no cover - older WTForms
    def Choice(value, label):
        return (value, label)


class RegistrationForm(FlaskForm):
    """What an agent tells the organiser when registering."""

    administration = StringField(
        "Administration ou structure",
        validators=[DataRequired("Indiquez votre administration ou structure."), Length(max=200, message="200 caractères au plus.")],
    )
    job_title = StringField(
        "Fonction",
        validators=[DataRequired("Indiquez votre fonction."), Length(max=200, message="200 caractères au plus.")],
    )
    accessibility_needs = TextAreaField(
        "Besoins d'accessibilité (facultatif)",
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
    )
    shares_answers = BooleanField(
        "J'accepte que l'organisateur de l'événement voie mon administration, ma fonction et mes besoins d'accessibilité"
    )


class ButtonForm(FlaskForm):
    """An empty form: a POST-only button carrying its CSRF token."""


class AttendanceForm(FlaskForm):
    """Mark one registrant present or absent (or clear the mark)."""

    attended = RadioField(
        "Présence",
        choices=[Choice("present", "Présent·e"), Choice("absent", "Absent·e"), Choice("unknown", "Non renseigné")],
        validators=[InputRequired("Choisissez une présence.")],
    )


class MessageForm(FlaskForm):
    """An organiser writes to the registrants of an event."""

    audience = RadioField(
        "Destinataires",
        choices=[
            Choice("confirmed", "Les inscrits confirmés"),
            Choice("waitlisted", "Les personnes sur liste d'attente"),
        ],
        default="confirmed",
        validators=[InputRequired("Choisissez les destinataires.")],
    )
    subject = StringField(
        "Objet",
        validators=[DataRequired("Indiquez l'objet du message."), Length(max=200, message="200 caractères au plus.")],
    )
    message = TextAreaField(
        "Message",
        validators=[DataRequired("Écrivez votre message."), Length(max=10000, message="10 000 caractères au plus.")],
    )


class DeleteAccountForm(FlaskForm):
    """Deleting one's account asks for the password and an explicit confirmation."""

    password = PasswordField(
        "Mot de passe actuel", validators=[DataRequired("Saisissez votre mot de passe pour confirmer.")]
    )
    confirm = BooleanField(
        "Je comprends que mon compte et mes données personnelles seront définitivement supprimés",
        validators=[DataRequired("Cochez la case pour confirmer la suppression.")],
    )
