"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), recording what it receives."""
from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bench.server import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


class Recorder:
    """aiosmtpd handler: keeps every accepted message; can refuse recipients or go slow."""

    def __init__(self):
        self.received: list[Received] = []
        self.sessions = 0
        self.refuse: dict[str, str] = {}  # recipient -> SMTP reply, e.g. "550 5.1.1 Unknown user"
        self.delay = 0.0
        self.port: int | None = None
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content))
            )
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]


class Authenticator:
    """Accepts one login/password pair."""

    def __init__(self, login: str, password: str):
        self.login = login.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.login
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(port: int | None = None, **controller_options):
    """Run an SMTP server on 127.0.0.1 for the duration of the block; yields (recorder, port)."""
    recorder = Recorder()
    port = port or free_port()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, ready_timeout=5, **controller_options
    )
    controller.start()
    recorder.port = port
    try:
        yield recorder, port
    finally:
        controller.stop()

