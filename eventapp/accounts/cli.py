"""``flask users …``: manage accounts from the command line."""
import click
from flask.cli import AppGroup

from ..extensions import db
from ..vocabulary import region_name
from . import services

users_cli = AppGroup("users", help="Gérer les comptes.")


@users_cli.command("create")
@click.option("--email", required=True, help="Adresse e-mail (identifiant de connexion).")
@click.option("--name", required=True, help="Prénom et nom.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(services.ROLES),
    help="agent, organiser (membre d'une organisation), coordinator (régional ou national) ou admin.",
)
@click.option("--organisation", "organisation_slug", help="Identifiant (slug) de l'organisation d'un organisateur.")
@click.option("--region", help="Code de la région d'un coordinateur régional (sans : coordinateur national).")
@click.option("--administration", help="Administration ou employeur (par défaut : l'organisation).")
@click.option("--password", help="Mot de passe (demandé, avec confirmation, s'il n'est pas donné).")
def create_user(email, name, role, organisation_slug, region, administration, password):
    """Create an account with a role (Créer un compte avec un rôle).

    An existing e-mail address is an error and nothing is changed.
    """
    try:
        services.check_new_user(email=email, role=role, organisation_slug=organisation_slug, region=region)
        if password is None:
            password = click.prompt(
                "Mot de passe",
                hide_input=True,
                confirmation_prompt="Confirmation du mot de passe",
                value_proc=_acceptable_password,
            )
        user = services.create_user(
            email=email,
            name=name,
            role=role,
            password=password,
            organisation_slug=organisation_slug,
            region=region,
            administration=administration,
        )
        db.session.commit()
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Compte créé : {user.email} ({_describe(user, role)}).")


def _acceptable_password(password: str) -> str:
    """Refuse a weak password at the prompt, which then asks again."""
    problem = services.password_problem(password)
    if problem:
        raise click.BadParameter(problem)
    return password


def _describe(user, role: str) -> str:
    if role == "organiser":
        names = ", ".join(m.organisation.name for m in user.memberships)
        return f"organisateur pour {names}"
    if role == "coordinator":
        if user.coordinator_region:
            return f"coordinateur régional, {region_name(user.coordinator_region)}"
        return "coordinateur national"
    return services.ROLE_LABELS[role]
