"""``flask outbox …``: deliver queued e-mails, inspect the queue, retry what was given up."""
from __future__ import annotations

import signal
import socket
import threading
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import OutboxMessage
from ..models.types import utcnow
from .compose import InvalidMessage, envelope_address
from .delivery import DeliveryReport, deliver_pending, held_messages, max_attempts, requeue
from .outbox import queue_email

outbox_cli = AppGroup("outbox", help="Envoyer les e-mails en attente.")

LISTED_FAILURES = 20


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M UTC") if moment else "—"


def print_report(report: DeliveryReport) -> None:
    """The summary of a run: sent, failed, remaining, and what needs a human."""
    failures = report.failures
    if report.connection_error:
        # Same error for every message: say it once, list only those given up.
        click.echo(f"Serveur SMTP injoignable : {report.connection_error}", err=True)
        failures = report.abandoned
    for failure in failures[:LISTED_FAILURES]:
        if failure.next_attempt_at is None:
            outcome = (
                f"abandonné après {failure.attempts} tentative(s), "
                f"à traiter à la main (flask outbox retry {failure.id})"
            )
        else:
            outcome = f"nouvel essai après le {_when(failure.next_attempt_at)}"
        click.echo(f"  échec #{failure.id} → {failure.recipient} : {failure.error} — {outcome}", err=True)
    if len(failures) > LISTED_FAILURES:
        click.echo(f"  … et {len(failures) - LISTED_FAILURES} autre(s) échec(s).", err=True)
    click.echo(
        f"Envoyés : {report.sent} · échecs : {report.failed} · "
        f"restants en file : {report.remaining} · abandonnés : {report.held}"
    )
    if report.held:
        click.echo(
            f"{report.held} message(s) abandonné(s) attendent une intervention : flask outbox status",
            err=True,
        )


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(min=1), help="Nombre maximal de messages par passage.")
@click.option("--watch", is_flag=True, help="Ne pas s'arrêter : un passage toutes les --interval secondes.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Avec --watch : secondes entre deux passages.",
)
@click.option(
    "--max-runs",
    type=click.IntRange(min=0),
    default=0,
    help="Avec --watch : s'arrêter après ce nombre de passages (0 : jamais).",
)
@click.pass_context
def send_command(ctx, limit, watch, interval, max_runs):
    """Envoyer les e-mails en attente (SMTP, ou affichage en console si MAIL_BACKEND=console).

    Sans --watch : un passage, code de sortie 1 si un message a échoué (il reste en
    file et sera réessayé). Avec --watch : un passage toutes les --interval secondes,
    jusqu'à SIGTERM, Ctrl+C ou --max-runs.
    """
    if not watch:
        report = deliver_pending(limit=limit)
        print_report(report)
        ctx.exit(1 if report.failed else 0)
    _watch(limit, interval, max_runs)


def _watch(limit: int | None, interval: float, max_runs: int) -> None:
    stop = threading.Event()
    previous = _on_sigterm(lambda *_: stop.set())
    click.echo(f"Envoi de la file toutes les {interval:g} s (Ctrl+C ou SIGTERM pour arrêter).")
    runs = 0
    try:
        while not stop.is_set():
            try:
                report = deliver_pending(limit=limit)
            except SQLAlchemyError as exc:  # database restarting: try again next time
                db.session.rollback()
                click.echo(f"Base de données indisponible : {exc.__class__.__name__}: {exc}", err=True)
            else:
                if report.sent or report.failed:
                    click.echo(f"[{utcnow():%Y-%m-%d %H:%M:%S} UTC]")
                    print_report(report)
            finally:
                db.session.remove()
            runs += 1
            if max_runs and runs >= max_runs:
                break
            stop.wait(interval)
    except KeyboardInterrupt:
        pass
    finally:
        _on_sigterm(previous)
    click.echo(f"Arrêt après {runs} passage(s).")


def _on_sigterm(handler):
    """Install ``handler`` for SIGTERM when possible (main thread only); return the previous one."""
    try:
        return signal.signal(signal.SIGTERM, handler if handler is not None else signal.SIG_DFL)
    except ValueError:  # not the main thread (e.g. tests): no signal handling
        return None


@outbox_cli.command("status")
def status_command():
    """Afficher l'état de la file et les messages abandonnés."""
    unsent = OutboxMessage.sent_at.is_(None)
    now = utcnow()

    def count(*conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*conditions))

    limit = max_attempts()
    queued = count(unsent, OutboxMessage.attempts < limit)
    waiting = count(unsent, OutboxMessage.attempts < limit, OutboxMessage.next_attempt_at > now)
    sent = count(OutboxMessage.sent_at.is_not(None))
    held = held_messages()
    click.echo(f"En file : {queued} (dont {waiting} en attente d'un nouvel essai)")
    click.echo(f"Envoyés : {sent}")
    click.echo(f"Abandonnés : {count(unsent, OutboxMessage.attempts >= limit)}")
    for message in held:
        click.echo(
            f"  #{message.id} → {message.recipient} « {message.subject} » — "
            f"{message.attempts} tentative(s), dernière le {_when(message.last_attempt_at)} : "
            f"{message.last_error or 'erreur inconnue'}"
        )
    if held:
        click.echo("Pour les remettre en file : flask outbox retry ID… (ou --all)")
    db.session.rollback()


@outbox_cli.command("retry")
@click.argument("ids", nargs=-1, type=click.IntRange(min=1))
@click.option("--all", "retry_all", is_flag=True, help="Remettre en file tous les messages abandonnés.")
def retry_command(ids, retry_all):
    """Remettre en file des messages abandonnés (avec un nouveau jeu de tentatives)."""
    if not ids and not retry_all:
        raise click.UsageError("Indiquez les numéros des messages, ou --all.")
    count = requeue(list(ids) if ids else None)
    db.session.commit()
    click.echo(f"{count} message(s) remis en file : ils partiront au prochain flask outbox send.")


@outbox_cli.command("test")
@click.argument("recipient")
def test_command(recipient):
    """Mettre en file un e-mail d'essai pour vérifier la configuration d'envoi."""
    try:
        address = envelope_address(recipient)
    except InvalidMessage as exc:
        raise click.BadParameter(str(exc), param_hint="RECIPIENT") from exc
    config = current_app.config
    message = queue_email(
        address,
        f"Message d'essai — {config['SITE_NAME']}",
        "outbox_test",
        kind="outbox_test",
        queued_at=f"{utcnow():%d/%m/%Y à %H:%M:%S}",
        host=socket.gethostname(),
    )
    db.session.commit()
    click.echo(f"Message d'essai n° {message.id} mis en file pour {address} : lancez flask outbox send.")
