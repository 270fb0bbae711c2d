"""Queue e-mails in the outbox, in the caller's transaction.

Nothing is sent inside a web request: a message becomes a row here, committed
with the change that caused it (or rolled back with it), and ``flask outbox
send`` delivers it later.
"""
from flask import current_app, render_template
from jinja2 import TemplateNotFound

from ..extensions import db
from ..models import OutboxMessage


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    *,
    kind: str | None = None,
    attachments: list[dict] | None = None,
    **context,
) -> OutboxMessage:
    """Render ``templates/mail/<template>.txt`` (and ``.html`` when it exists) into an outbox row.

    ``attachments`` is a list of ``{"filename", "content_type", "content"}`` with text
    content (or base64 content with ``"encoding": "base64"``), e.g. an ``.ics`` as
    ``text/calendar; method=PUBLISH; charset=utf-8``.
    Subjects are single-line: any CR/LF is replaced so no header can be injected.
    """
    context.setdefault("site_name", current_app.config["SITE_NAME"])
    body_text = render_template(f"mail/{template}.txt", **context)
    html_name = f"mail/{template}.html"
    try:
        body_html = render_template(html_name, **context)
    except TemplateNotFound as exc:
        if exc.name != html_name:  # the HTML version exists but includes a missing template
            raise
        body_html = None
    message = OutboxMessage(
        recipient=recipient.replace("\r", "").replace("\n", "").strip(),
        subject=_subject(subject),
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        kind=kind,
    )
    db.session.add(message)
    return message


SUBJECT_MAX_LENGTH = OutboxMessage.__table__.c.subject.type.length


def _subject(subject: str) -> str:
    """One line (no header injection), shortened to fit the column (long event titles)."""
    line = " ".join(subject.split())
    if len(line) > SUBJECT_MAX_LENGTH:
        line = line[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return line
