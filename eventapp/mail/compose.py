"""Turn an outbox row into a standard MIME message (``email.message.EmailMessage``).

Pure functions, no database and no network: the sender reads the rows it has
claimed into :class:`Outgoing` snapshots, then builds and sends them without
touching the database (so no lock is held while talking to the SMTP server).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import format_datetime, parseaddr


class InvalidMessage(ValueError):
    """The row cannot become a valid e-mail (bad address…): retrying will not help."""


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of an outbox row, copied before the claim is committed."""

    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    created_at: datetime
    attempts: int
    attachments: list[dict] = field(default_factory=list)

    @classmethod
    def from_row(cls, row) -> "Outgoing":
        return cls(
            id=row.id,
            recipient=row.recipient,
            subject=row.subject,
            body_text=row.body_text or "",
            body_html=row.body_html,
            created_at=row.created_at,
            attempts=row.attempts,
            attachments=list(row.attachments or []),
        )


def one_line(value: str) -> str:
    """Collapse every run of whitespace (CR and LF included) into one space."""
    return " ".join((value or "").split())


def envelope_address(value: str) -> str:
    """The bare address of a recipient, or :class:`InvalidMessage`.

    Exactly one plain ``local@domain`` is accepted: a value carrying CR/LF, a
    second address or a display name is refused rather than "cleaned", so no
    header or extra recipient can ever be smuggled in. International domains
    are converted to their ASCII (IDNA) form.
    """
    if any(char in value for char in "\r\n\0"):
        raise InvalidMessage("adresse du destinataire invalide : elle contient un retour à la ligne")
    candidate = value.strip()
    try:
        address = Address(addr_spec=candidate)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise InvalidMessage(f"adresse du destinataire invalide : {candidate!r}") from exc
    if not address.username or not address.domain:
        raise InvalidMessage(f"adresse du destinataire invalide : {candidate!r}")
    domain = address.domain
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InvalidMessage(f"domaine du destinataire invalide : {domain!r}") from exc
    return f"{address.username}@{domain}"


def sender_address(sender: str) -> str:
    """The bare address of ``MAIL_DEFAULT_SENDER`` (``"Name <addr>"`` or ``"addr"``)."""
    return parseaddr(sender)[1] or sender


def message_id(item: Outgoing, sender: str) -> str:
    """A Message-ID stable across retries, so a rare double delivery stays recognisable."""
    domain = sender_address(sender).rpartition("@")[2] or "localhost"
    stamp = item.created_at.strftime("%Y%m%d%H%M%S") if item.created_at else "0"
    return f"<outbox.{item.id}.{stamp}@{domain}>"


def _text_cte(text: str) -> str | None:
    # Quoted-printable for non-ASCII text: safe through any relay, readable enough in the raw.
    return None if text.isascii() else "quoted-printable"


def _attach(message: EmailMessage, attachment: dict) -> None:
    """Add one ``{"filename", "content_type", "content"}`` attachment, base64-encoded."""
    header = Message()
    header["Content-Type"] = one_line(attachment.get("content_type") or "application/octet-stream")
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    params = dict((header.get_params() or [])[1:])
    filename = one_line(attachment.get("filename") or "piece-jointe").replace('"', "'")
    content = attachment.get("content") or ""
    if attachment.get("encoding") == "base64":
        data = base64.b64decode(content)
    else:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if maintype == "text" and not any(key.lower() == "charset" for key in params):
        params["charset"] = "utf-8"
    # Bytes, base64: the content travels untouched (an .ics keeps its CRLF line endings).
    message.add_attachment(
        data, maintype=maintype, subtype=subtype, filename=filename, params=params
    )


def build_email(item: Outgoing, *, sender: str, now: datetime) -> EmailMessage:
    """The MIME message of an outbox row.

    ``multipart/alternative`` (text, then HTML) when there is an HTML body,
    wrapped in ``multipart/mixed`` when there are attachments. Subjects are
    collapsed to one line and RFC 2047-encoded when not ASCII.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = envelope_address(item.recipient)
    message["Subject"] = one_line(item.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(item, sender)
    # RFC 3834: no out-of-office replies to automatic notifications.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(item.body_text, cte=_text_cte(item.body_text))
    if item.body_html:
        message.add_alternative(item.body_html, subtype="html", cte=_text_cte(item.body_html))
    for attachment in item.attachments:
        _attach(message, attachment)
    return message


def describe(message: EmailMessage) -> str:
    """A readable rendering of a message, for the console backend."""
    lines = [
        f"De : {message['From']}",
        f"À : {message['To']}",
        f"Objet : {message['Subject']}",
        f"Date : {message['Date']}",
        f"Message-ID : {message['Message-ID']}",
        "",
    ]
    text = message.get_body(preferencelist=("plain",))
    lines.append(text.get_content().rstrip() if text is not None else "(pas de texte)")
    if message.get_body(preferencelist=("html",)) is not None:
        lines.append("")
        lines.append("[version HTML incluse]")
    for part in message.iter_attachments():
        size = len(part.get_payload(decode=True) or b"")
        lines.append(f"[pièce jointe : {part.get_filename()} ({part['Content-Type']}), {size} octets]")
    return "\n".join(lines)
