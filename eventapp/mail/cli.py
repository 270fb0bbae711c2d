"""``flask outbox …``: deliver queued e-mails."""
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Envoyer les e-mails en attente.")
