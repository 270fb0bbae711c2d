"""``flask seed …``: build demo data."""
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Créer des données de démonstration.")
