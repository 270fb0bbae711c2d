"""Queue e-mails in the outbox, in the caller's transaction.

Nothing is sent inside a web request: a message becomes a row here, committed
with the change that caused it (or rolled back with it), and ``flask outbox
send`` delivers it later.
"""
from flask import current_app, render_template

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

    ``attachments`` is a list of ``{"filename", "content_type", "content"}`` with text content.
    Subjects are single-line: any CR/LF is replaced so no header can be injected.
    """
    context.setdefault("site_name", current_app.config["SITE_NAME"])
    body_text = render_template(f"mail/{template}.txt", **context)
    body_html = None
    if current_app.jinja_env.loader is not None:
        try:
            body_html = render_template(f"mail/{template}.html", **context)
        except Exception as exc:  # no HTML version of this message
            if exc.__class__.__name__ != "TemplateNotFound":
                raise
    message = OutboxMessage(
        recipient=recipient.replace("\r", "").replace("\n", "").strip(),
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        kind=kind,
    )
    db.session.add(message)
    return message
