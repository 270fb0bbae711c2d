"""``flask reminders send`` and ``flask personal-data purge``: cron jobs on registrations."""
from datetime import date

import click
from flask.cli import AppGroup

from ..extensions import db
from .jobs import purge_personal_data, send_reminders

reminders_cli = AppGroup("reminders", help="Rappels envoyés aux inscrits.")
personal_data_cli = AppGroup("personal-data", help="Données personnelles des inscrits.")


@reminders_cli.command("send")
def send_reminders_command():
    """Queue a reminder for every confirmed registrant of tomorrow's events (once each)."""
    count = send_reminders()
    db.session.commit()
    click.echo(f"{count} rappel(s) mis en file d'envoi.")


@personal_data_cli.command("purge")
@click.option(
    "--before",
    "before",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Anonymiser les inscriptions des événements terminés avant cette date (AAAA-MM-JJ).",
)
def purge_command(before):
    """Anonymise the registrations of events that ended before --before (status and attendance kept)."""
    day: date = before.date()
    count = purge_personal_data(day)
    db.session.commit()
    click.echo(f"{count} inscription(s) anonymisée(s) (événements terminés avant le {day:%d/%m/%Y}).")
