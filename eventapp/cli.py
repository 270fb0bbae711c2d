"""Command-line groups: ``flask seed``, ``flask users``, ``flask outbox``…"""
from flask import Flask


def register(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .dataversion import cache_cli
    from .mail.cli import outbox_cli
    from .registrations.cli import personal_data_cli, reminders_cli
    from .seed.cli import seed_cli

    for group in (seed_cli, users_cli, outbox_cli, reminders_cli, personal_data_cli, cache_cli):
        app.cli.add_command(group)
