"""``flask seed …``: build demo data."""
import click
from flask.cli import AppGroup

from ..dates import FIRST_YEAR, LAST_YEAR
from ..extensions import db

seed_cli = AppGroup("seed", help="Créer des données de démonstration.")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


@seed_cli.command("demo")
@click.option("--events", default=400, show_default=True, type=click.IntRange(min=1),
              help="Nombre d'événements de l'édition à venir.")
@click.option("--organisations", default=130, show_default=True, type=click.IntRange(18, 1000),
              help="Nombre d'organisations (de 18, une par région, à 1 000).")
@click.option("--agents", default=2000, show_default=True, type=click.IntRange(min=1),
              help="Nombre d'agents inscrits.")
@click.option("--seed", default=42, show_default=True, type=int,
              help="Graine du générateur : même graine, mêmes données.")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), default=None,
              help="Année de l'édition (par défaut, le prochain mois de novembre non commencé).")
@click.option("--if-empty", is_flag=True,
              help="Ne rien faire, sans message, si la base contient déjà des données.")
def demo_command(events, organisations, agents, seed, year, if_empty):
    """Créer une édition de démonstration réaliste et l'édition précédente en archive.

    L'édition est celle du prochain mois de novembre non commencé, programme publié :
    organisations des 18 régions, événements dans tous les statuts, une coordination nationale
    et une régionale, un organisateur par organisation, un administrateur, des agents et leurs
    inscriptions ; l'archive a ses présences enregistrées. Affiche ensuite les comptes de
    démonstration. Même graine et même année, mêmes données. Ne fait rien sur une base qui
    contient déjà des données.
    """
    from .demo import DatabaseNotEmpty, DemoOptions, build_demo

    options = DemoOptions(events=events, organisations=organisations, agents=agents, seed=seed, year=year)
    try:
        summary = build_demo(options)
    except DatabaseNotEmpty:
        db.session.rollback()
        if not if_empty:
            click.echo("La base contient déjà des données : rien n'a été modifié. "
                       "Les données de démonstration ne sont créées que dans une base vide.")
        return
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()

    click.echo(
        f"Édition {summary.year} créée : {_number(summary.events)} événements "
        f"({_number(summary.published)} publiés), {_number(summary.organisations)} organisations, "
        f"{_number(summary.users)} comptes, {_number(summary.registrations)} inscriptions."
    )
    click.echo(
        f"Archive {summary.archive_year} : {_number(summary.archive_events)} événements, "
        f"{_number(summary.archive_registrations)} inscriptions, présences enregistrées."
    )
    click.echo(f"Durée : {summary.seconds:.1f} s.".replace(".", ",", 1))
    click.echo("")
    click.echo(f"Comptes de démonstration (mot de passe pour tous : {summary.password}) :")
    width = max(len(role) for role, _ in summary.logins)
    for role, email in summary.logins:
        click.echo(f"  {role.ljust(width)}  {email}")
