"""Ways out for a built message: an SMTP server, or the console in development.

A backend is opened lazily on the first message of a run, reused for the whole
run and closed at the end (``with backend: …``).
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Callable

import click

from .compose import describe


class ConnectionFailed(Exception):
    """The SMTP server could not be reached or refused the session (log-in, TLS)."""


class ConsoleBackend:
    """Development: print each message instead of sending it."""

    def __init__(self, echo: Callable[[str], None] = click.echo):
        self.echo = echo

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        pass

    def send(self, message: EmailMessage, *, from_addr: str, to_addrs: list[str]) -> None:
        rule = "─" * 72
        self.echo(f"{rule}\n{describe(message)}\n{rule}")


class SMTPBackend:
    """One SMTP connection (plain, STARTTLS or implicit TLS), reused for every message of a run."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
        use_ssl: bool = False,
        timeout: float = 10,
    ):
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.use_tls = use_tls
        self.use_ssl = use_ssl
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls, config) -> "SMTPBackend":
        return cls(
            config["MAIL_SERVER"],
            int(config["MAIL_PORT"]),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            timeout=float(config.get("MAIL_TIMEOUT") or 10),
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> None:
        """Connect, upgrade to TLS and log in; :class:`ConnectionFailed` on any failure."""
        if self.connection is not None:
            return
        context = ssl.create_default_context()
        connection = None
        try:
            if self.use_ssl:
                connection = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.use_tls:
                    connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            if connection is not None:
                _close_quietly(connection)
            raise ConnectionFailed(
                f"connexion au serveur SMTP {self.host}:{self.port} impossible : "
                f"{exc.__class__.__name__}: {exc}"
            ) from exc
        self.connection = connection

    def send(self, message: EmailMessage, *, from_addr: str, to_addrs: list[str]) -> None:
        """Send one message; the envelope is given explicitly, never read from the headers."""
        self.open()
        try:
            self.connection.send_message(message, from_addr=from_addr, to_addrs=to_addrs)
        except smtplib.SMTPServerDisconnected:
            self._drop()
            raise
        except smtplib.SMTPException:
            # A refusal of this message (recipient, size…): the session is still usable.
            raise
        except OSError:
            # Timeout, reset… (SMTPException is an OSError too, hence the order above.)
            self._drop()
            raise

    def _drop(self) -> None:
        """Forget a broken connection; the next message reconnects."""
        if self.connection is not None:
            _close_quietly(self.connection)
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                _close_quietly(connection)


def _close_quietly(connection: smtplib.SMTP) -> None:
    try:
        connection.close()
    except OSError:
        pass


def backend_from_config(config):
    """The backend chosen by ``MAIL_BACKEND`` (``"smtp"`` or ``"console"``)."""
    name = (config.get("MAIL_BACKEND") or "smtp").lower()
    if name == "console":
        return ConsoleBackend()
    if name == "smtp":
        return SMTPBackend.from_config(config)
    raise ValueError(f"MAIL_BACKEND inconnu : {name!r} (attendu : 'smtp' ou 'console')")
