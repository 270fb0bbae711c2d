"""The outbox: queue_email, and ``flask outbox send`` against a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import icalendar
import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventapp import create_app
from eventapp.extensions import db as _db
from eventapp.mail.delivery import deliver_pending, retry_delay
from eventapp.mail.outbox import queue_email
from eventapp.models import OutboxMessage, User
from tests import factories
from tests.conftest import make_config
from tests.mailserver import Authenticator, free_port, smtp_server

SENDER_ADDRESS = "ne-pas-repondre@innovation.example.gouv.fr"
SENDER = f"Mois de l'innovation publique <{SENDER_ADDRESS}>"
ICS_TYPE = "text/calendar; method=PUBLISH; charset=utf-8"


@pytest.fixture
def mail_templates(app, monkeypatch):
    """Make the test templates of ``tests/templates/mail`` available to queue_email."""
    loader = ChoiceLoader(
        [FileSystemLoader(str(Path(__file__).parent / "templates")), app.jinja_env.loader]
    )
    monkeypatch.setattr(app.jinja_env, "loader", loader)


@pytest.fixture
def smtp(app, monkeypatch):
    """A running SMTP server; the app is configured to deliver to it."""
    with smtp_server() as (recorder, port):
        use_smtp(app, monkeypatch, port)
        yield recorder


def use_smtp(app, monkeypatch, port: int, **settings) -> None:
    values = dict(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_TIMEOUT=5,
        MAIL_DEFAULT_SENDER=SENDER,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
    )
    values.update(settings)
    for key, value in values.items():
        monkeypatch.setitem(app.config, key, value)


def event_ics(summary: str) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//eventapp tests//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", "event/42@innovation.example.gouv.fr")
    event.add("summary", summary)
    event.add("dtstamp", datetime(2030, 10, 1, tzinfo=timezone.utc))
    event.add("dtstart", datetime(2030, 11, 14, 13, tzinfo=timezone.utc))
    event.add("dtend", datetime(2030, 11, 14, 15, tzinfo=timezone.utc))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def queue_rows(count: int, **fields) -> list[OutboxMessage]:
    """``count`` plain messages, committed."""
    rows = []
    for n in range(count):
        values = dict(
            recipient=f"agent{n}@example.gouv.fr",
            subject=f"Message {n}",
            body_text=f"Corps du message {n}",
            attachments=[],
        )
        values.update(fields)
        rows.append(OutboxMessage(**values))
    _db.session.add_all(rows)
    _db.session.commit()
    return rows


def outbox_ids(recorder) -> list[int]:
    """The outbox ids of the received messages, from their Message-ID."""
    return [int(message["Message-ID"].split(".")[1]) for message in recorder.messages]


def rows() -> list[OutboxMessage]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def send(runner, *args):
    return runner.invoke(args=["outbox", "send", *args])


# --- queue_email -------------------------------------------------------------------------------


def test_queue_email_renders_text_and_html_templates(app, db, mail_templates):
    message = queue_email(
        "zoe@example.gouv.fr",
        "Inscription confirmée",
        "test_sample",
        kind="registration_confirmed",
        name="Zoé <Admin>",
        title="Atelier & co",
    )
    db.session.commit()

    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.id == message.id and stored.kind == "registration_confirmed"
    assert stored.sent_at is None and stored.attempts == 0
    # Text is not HTML-escaped; HTML is.
    assert "Bonjour Zoé <Admin>," in stored.body_text
    assert "« Atelier & co »" in stored.body_text
    assert app.config["SITE_NAME"] in stored.body_text
    assert "Bonjour Zoé &lt;Admin&gt;," in stored.body_html
    assert "<strong>Atelier &amp; co</strong>" in stored.body_html


def test_queue_email_without_html_template(app, db, mail_templates):
    message = queue_email("zoe@example.gouv.fr", "Sans HTML", "test_text_only", name="Zoé")
    assert message.body_text.startswith("Bonjour Zoé, ceci est un message sans version HTML.")
    assert message.body_html is None


def test_queued_message_is_rolled_back_with_the_callers_transaction(app, db, mail_templates):
    factories.make_user("deja@example.gouv.fr")
    db.session.commit()

    # A service queues its e-mail, then its own write fails: both disappear together.
    queue_email("deja@example.gouv.fr", "Bienvenue", "test_text_only", name="Zoé")
    db.session.add(User(email="deja@example.gouv.fr", name="Doublon", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_queue_email_keeps_subjects_on_one_line_and_within_the_column(app, db, mail_templates):
    message = queue_email(
        "zoe@example.gouv.fr", "Bonjour\r\nBcc: pirate@example.org", "test_text_only", name="Zoé"
    )
    assert message.subject == "Bonjour Bcc: pirate@example.org"

    long_title = "Atelier " * 60
    message = queue_email("zoe@example.gouv.fr", long_title, "test_text_only", name="Zoé")
    db.session.commit()
    assert len(message.subject) == 300 and message.subject.endswith("…")


# --- delivery over SMTP ------------------------------------------------------------------------


def test_send_delivers_text_html_and_ics_attachment(app, db, runner, smtp, mail_templates):
    ics = event_ics("Atelier « Été » à Besançon")
    message = queue_email(
        "zoe@example.gouv.fr",
        "Inscription confirmée : Atelier « Été »",
        "test_sample",
        kind="registration_confirmed",
        attachments=[{"filename": "evenement-42.ics", "content_type": ICS_TYPE, "content": ics}],
        name="Zoé",
        title="Atelier « Été »",
    )
    db.session.commit()
    before = datetime.now(timezone.utc)

    result = send(runner)

    assert result.exit_code == 0, result.output
    assert "Envoyés : 1 · échecs : 0 · restants en file : 0" in result.output
    [received] = smtp.received
    assert received.mail_from == SENDER_ADDRESS
    assert received.rcpt_tos == ["zoe@example.gouv.fr"]
    mail = received.message
    assert mail["Subject"] == "Inscription confirmée : Atelier « Été »"
    assert mail["From"].addresses[0].addr_spec == SENDER_ADDRESS
    assert mail["From"].addresses[0].display_name == "Mois de l'innovation publique"
    assert mail["To"] == "zoe@example.gouv.fr"
    assert mail["Message-ID"].startswith(f"<outbox.{message.id}.")
    assert mail["Message-ID"].endswith("@innovation.example.gouv.fr>")
    assert abs(parsedate_to_datetime(mail["Date"]) - before) < timedelta(minutes=1)
    assert mail["Auto-Submitted"] == "auto-generated"

    text = mail.get_body(preferencelist=("plain",))
    assert "Votre inscription à « Atelier « Été » » est confirmée." in text.get_content()
    html = mail.get_body(preferencelist=("html",))
    assert "<strong>Atelier « Été »</strong>" in html.get_content()

    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "evenement-42.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_payload(decode=True) == ics.encode("utf-8")  # CRLF endings intact
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Atelier « Été » à Besançon"

    [row] = rows()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
    assert row.next_attempt_at is None


def test_non_ascii_subject_is_encoded_and_arrives_intact(app, db, runner, smtp):
    subject = "Événement annulé : « Données & société » — 🎉 à Nouméa"
    queue_rows(1, subject=subject, body_text="Désolés, l'événement est annulé.")

    assert send(runner).exit_code == 0

    [received] = smtp.received
    raw_headers = received.data.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # RFC 2047 encoded words, not raw UTF-8
    assert received.message["Subject"] == subject
    assert "Désolés" in received.message.get_body().get_content()


def test_server_down_keeps_messages_queued_and_the_next_run_after_backoff_sends_them(
    app, db, runner, smtp, monkeypatch
):
    queue_rows(3)
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    start = datetime.now(timezone.utc)

    result = send(runner)

    assert result.exit_code == 1
    assert "Serveur SMTP injoignable" in result.output
    assert "Envoyés : 0 · échecs : 3 · restants en file : 3" in result.output
    for row in rows():
        assert row.sent_at is None
        assert row.attempts == 1
        assert "connexion au serveur SMTP 127.0.0.1" in row.last_error
        assert row.last_attempt_at >= start
        delay = row.next_attempt_at - row.last_attempt_at
        assert timedelta(seconds=55) <= delay <= timedelta(seconds=65)

    # The server is back, but the backoff has not elapsed: nothing is sent yet.
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    result = send(runner)
    assert result.exit_code == 0
    assert "Envoyés : 0" in result.output and "restants en file : 3" in result.output
    assert smtp.received == []

    # Once the next attempt is due, the next run delivers them all.
    for row in rows():
        row.next_attempt_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    result = send(runner)
    assert result.exit_code == 0
    assert "Envoyés : 3 · échecs : 0 · restants en file : 0" in result.output
    assert sorted(item.rcpt_tos[0] for item in smtp.received) == [
        "agent0@example.gouv.fr",
        "agent1@example.gouv.fr",
        "agent2@example.gouv.fr",
    ]
    assert all(row.sent_at is not None and row.attempts == 2 for row in rows())


def test_each_message_is_delivered_once_across_runs(app, db, runner, smtp):
    queue_rows(5)

    first, second = send(runner), send(runner)

    assert "Envoyés : 5" in first.output
    assert "Envoyés : 0" in second.output
    assert sorted(outbox_ids(smtp)) == [row.id for row in rows()]
    assert all(row.sent_at is not None for row in rows())


def test_one_connection_serves_the_whole_run(app, db, runner, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 2)
    queue_rows(5)

    assert send(runner).exit_code == 0

    assert len(smtp.received) == 5
    assert smtp.sessions == 1


def test_a_refused_message_does_not_stop_the_others(app, db, runner, smtp):
    smtp.refuse = {
        "inconnu@example.gouv.fr": "550 5.1.1 Utilisateur inconnu",
        "plein@example.gouv.fr": "452 4.2.2 Boîte pleine",
    }
    queue_rows(1, recipient="avant@example.gouv.fr")
    queue_rows(1, recipient="inconnu@example.gouv.fr")
    queue_rows(1, recipient="plein@example.gouv.fr")
    queue_rows(1, recipient="apres@example.gouv.fr")

    result = send(runner)

    assert result.exit_code == 1
    assert "Envoyés : 2 · échecs : 2 · restants en file : 1 · abandonnés : 1" in result.output
    assert [item.rcpt_tos for item in smtp.received] == [
        ["avant@example.gouv.fr"],
        ["apres@example.gouv.fr"],
    ]
    before, unknown, full, after = rows()
    assert before.sent_at and after.sent_at
    # A permanent refusal (5xx) is left for a human at once; a temporary one is retried.
    assert unknown.sent_at is None and unknown.next_attempt_at is None
    assert unknown.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
    assert "550" in unknown.last_error and "Utilisateur inconnu" in unknown.last_error
    assert full.sent_at is None and full.attempts == 1 and full.next_attempt_at is not None
    assert "452" in full.last_error
    assert "flask outbox retry" in result.output


def test_max_attempts_are_respected_and_a_human_can_retry(app, db, runner, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    [row] = queue_rows(1, attempts=2)
    queue_rows(1, recipient="epuise@example.gouv.fr", attempts=3)  # already given up
    port = smtp.port
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())

    result = send(runner)

    assert "Envoyés : 0 · échecs : 1 · restants en file : 0 · abandonnés : 2" in result.output
    assert "Serveur SMTP injoignable" in result.output
    assert f"échec #{row.id} → agent0@example.gouv.fr" in result.output
    assert "abandonné après 3 tentative(s)" in result.output
    given_up, exhausted = rows()
    assert given_up.attempts == 3 and given_up.next_attempt_at is None and given_up.sent_at is None
    assert exhausted.attempts == 3 and exhausted.last_attempt_at is None  # never tried again

    # Server back: messages that reached the maximum stay where they are…
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    assert "Envoyés : 0" in send(runner).output
    assert smtp.received == []
    status = runner.invoke(args=["outbox", "status"])
    assert "Abandonnés : 2" in status.output
    assert f"#{row.id} → agent0@example.gouv.fr « Message 0 » — 3 tentative(s)" in status.output

    # …until a human puts them back in the queue.
    retried = runner.invoke(args=["outbox", "retry", str(row.id)])
    assert "1 message(s) remis en file" in retried.output
    assert "Envoyés : 1" in send(runner).output
    assert [item.rcpt_tos for item in smtp.received] == [["agent0@example.gouv.fr"]]
    assert "1 message(s) remis en file" in runner.invoke(args=["outbox", "retry", "--all"]).output
    assert "Envoyés : 1 · échecs : 0 · restants en file : 0 · abandonnés : 0" in send(runner).output
    assert runner.invoke(args=["outbox", "retry"]).exit_code == 2


def test_retry_delay_doubles_and_is_capped(app):
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(7) == timedelta(hours=1)
    assert retry_delay(30) == timedelta(hours=1)


def test_smtp_login_and_refused_login(app, db, runner, monkeypatch):
    queue_rows(2)
    auth = Authenticator("eventapp", "secret-smtp")
    with smtp_server(authenticator=auth, auth_require_tls=False) as (recorder, port):
        use_smtp(app, monkeypatch, port, MAIL_USERNAME="eventapp", MAIL_PASSWORD="mauvais")
        result = send(runner)
        assert result.exit_code == 1 and "Serveur SMTP injoignable" in result.output
        assert all("SMTPAuthenticationError" in row.last_error for row in rows())
        assert recorder.received == []

        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "secret-smtp")
        for row in rows():
            row.next_attempt_at = None
        db.session.commit()
        assert "Envoyés : 2" in send(runner).output
        assert len(recorder.received) == 2


# --- header injection ------------------------------------------------------------------------


def test_crlf_in_subject_cannot_inject_headers(app, db, runner, smtp, mail_templates):
    queue_email("zoe@example.gouv.fr", "Bonjour\r\nBcc: pirate@example.org", "test_text_only", name="Z")
    # A row written without queue_email (e.g. by a future bug) is made safe by the sender too.
    queue_rows(1, recipient="zoe@example.gouv.fr", subject="Salut\nBcc: pirate@example.org\r\nX-A: 1")
    db.session.commit()

    assert send(runner).exit_code == 0

    assert len(smtp.received) == 2
    for received in smtp.received:
        assert received.rcpt_tos == ["zoe@example.gouv.fr"]
        assert received.message["Bcc"] is None and received.message["X-A"] is None
        assert "\n" not in received.message["Subject"]
    assert [m["Subject"] for m in smtp.messages] == [
        "Bonjour Bcc: pirate@example.org",
        "Salut Bcc: pirate@example.org X-A: 1",
    ]


@pytest.mark.parametrize(
    "recipient",
    [
        "zoe@example.gouv.fr\r\nBcc: pirate@example.org",
        "zoe@example.gouv.fr\nBcc: pirate@example.org",
        "zoe@example.gouv.fr, pirate@example.org",
        "Zoé <zoe@example.gouv.fr>",
        "pas-une-adresse",
    ],
)
def test_a_malformed_recipient_is_never_sent_and_left_for_a_human(app, db, runner, smtp, recipient):
    queue_rows(1, recipient=recipient)

    result = send(runner)

    assert smtp.received == []
    [row] = rows()
    assert row.sent_at is None and row.next_attempt_at is None
    assert row.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
    assert "adresse du destinataire invalide" in row.last_error
    assert "abandonnés : 1" in result.output


# --- options, modes, guards ------------------------------------------------------------------


def test_limit_sends_at_most_n_messages(app, db, runner, smtp):
    queue_rows(5)

    result = send(runner, "--limit", "2")

    assert "Envoyés : 2 · échecs : 0 · restants en file : 3" in result.output
    assert outbox_ids(smtp) == [row.id for row in rows()[:2]]
    assert [row.sent_at is not None for row in rows()] == [True, True, False, False, False]


def test_console_backend_prints_messages_and_marks_them_sent(app, db, runner, mail_templates):
    assert app.config["MAIL_BACKEND"] == "console"
    queue_email(
        "zoe@example.gouv.fr",
        "Inscription confirmée : Atelier « Été »",
        "test_sample",
        attachments=[{"filename": "evenement.ics", "content_type": ICS_TYPE, "content": event_ics("A")}],
        name="Zoé",
        title="Atelier « Été »",
    )
    db.session.commit()

    result = send(runner)

    assert result.exit_code == 0
    assert "À : zoe@example.gouv.fr" in result.output
    assert "Objet : Inscription confirmée : Atelier « Été »" in result.output
    assert "Votre inscription à « Atelier « Été » » est confirmée." in result.output
    assert "[version HTML incluse]" in result.output
    assert "[pièce jointe : evenement.ics (text/calendar" in result.output
    assert "Envoyés : 1" in result.output
    [row] = rows()
    assert row.sent_at is not None


def test_watch_mode_runs_until_max_runs(app, db, runner):
    queue_rows(2)

    result = send(runner, "--watch", "--interval", "0", "--max-runs", "2")

    assert result.exit_code == 0, result.output
    assert "Envoyés : 2" in result.output
    assert "Arrêt après 2 passage(s)." in result.output
    assert all(row.sent_at is not None for row in rows())


def test_mail_is_never_delivered_inside_a_web_request(app, db):
    queue_rows(1)
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError, match="never delivered inside a web request"):
            deliver_pending()
    assert rows()[0].sent_at is None


def test_outbox_test_command_queues_a_test_message(app, db, runner):
    result = runner.invoke(args=["outbox", "test", "admin@example.gouv.fr"])
    assert result.exit_code == 0, result.output
    [row] = rows()
    assert row.kind == "outbox_test" and row.recipient == "admin@example.gouv.fr"
    assert "Message d'essai" in row.subject
    assert "flask outbox test" in row.body_text and "<code>flask outbox test</code>" in row.body_html

    refused = runner.invoke(args=["outbox", "test", "pas-une-adresse"])
    assert refused.exit_code == 2 and "adresse du destinataire invalide" in refused.output


# --- several senders at once -------------------------------------------------------------------


def test_concurrent_senders_deliver_each_message_exactly_once(
    database_url, is_postgres, app, tmp_path, monkeypatch
):
    """Four senders run at the same time on a real database: no message is sent twice."""
    url = database_url if is_postgres else f"sqlite:///{tmp_path / 'outbox.db'}"
    other = app if is_postgres else create_app(make_config(url))
    with smtp_server() as (recorder, port):
        recorder.delay = 0.01  # slow enough for the two runs to overlap
        for key, value in dict(
            MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, OUTBOX_BATCH_SIZE=2
        ).items():
            monkeypatch.setitem(other.config, key, value)
        with other.app_context():
            if not is_postgres:
                _db.create_all()
            queue_rows(40)

        reports, errors = [], []

        def run():
            try:
                with other.app_context():
                    reports.append(deliver_pending())
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert errors == []
        ids = outbox_ids(recorder)
        assert len(ids) == 40 and len(set(ids)) == 40
        assert sum(report.sent for report in reports) == 40
        assert sum(report.sent > 0 for report in reports) >= 2  # the senders did run side by side
        with other.app_context():
            assert all(row.sent_at is not None and row.attempts == 1 for row in rows())
