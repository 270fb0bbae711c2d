"""``flask cache bump``: after writes made outside the application."""
import click
from flask.cli import AppGroup

from .writing import bump

cache_cli = AppGroup("cache", help="Caches des pages et des flux.")


@cache_cli.command("bump")
def bump_command():
    """Raise the data version, after writes made outside the application (caches then miss)."""
    from ..extensions import db

    bump(db.session())
    db.session.commit()
    click.echo("Version des données relevée : les pages et les flux en cache seront reconstruits.")
