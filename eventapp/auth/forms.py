"""Account forms, with French messages."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..accounts.services import password_problem

REQUIRED = "Ce champ est obligatoire."
EMAIL_INVALID = "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.gouv.fr."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str = "Adresse e-mail") -> EmailField:
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired("Indiquez votre adresse e-mail."),
            Length(max=254, message="L'adresse e-mail est trop longue."),
            Email(EMAIL_INVALID, check_deliverability=False),
        ],
    )


def _new_password_validator(_form, field) -> None:
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _new_password_fields(label: str = "Mot de passe"):
    password = PasswordField(label, validators=[DataRequired("Choisissez un mot de passe."), _new_password_validator])
    confirm = PasswordField(
        "Confirmation du mot de passe",
        validators=[
            DataRequired("Saisissez à nouveau le mot de passe."),
            EqualTo("password", "Les deux mots de passe ne sont pas identiques."),
        ],
    )
    return password, confirm


class ProfileFields(FlaskForm):
    name = StringField(
        "Prénom et nom",
        validators=[DataRequired("Indiquez votre nom."), Length(max=120, message="120 caractères au plus.")],
    )
    administration = StringField(
        "Administration ou employeur",
        validators=[
            DataRequired("Indiquez votre administration ou votre employeur."),
            Length(max=200, message="200 caractères au plus."),
        ],
    )
    job_title = StringField(
        "Fonction (facultatif)",
        validators=[Optional(), Length(max=200, message="200 caractères au plus.")],
    )


class SignupForm(ProfileFields):
    email = _email_field()
    password, password_confirm = _new_password_fields()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe.")])
    remember = BooleanField("Se souvenir de moi")


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = _new_password_fields("Nouveau mot de passe")


class ProfileForm(ProfileFields):
    pass


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Mot de passe actuel", validators=[DataRequired("Indiquez votre mot de passe actuel.")]
    )
    password, password_confirm = _new_password_fields("Nouveau mot de passe")


class ConfirmForm(FlaskForm):
    """An empty form: a POST-only button that carries the CSRF token."""
