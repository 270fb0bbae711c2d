"""``flask users …``: manage accounts from the command line."""
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Gérer les comptes.")
