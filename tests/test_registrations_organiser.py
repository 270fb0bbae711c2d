"""Organisers: registrant lists, CSV export, attendance sheet, messages; who may see them."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from eventapp.models import EventMode, OutboxMessage, Registration, RegistrationStatus
from tests import factories
from tests.helpers import page_text, visible_text


def soon(days: float = 10) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)


@pytest.fixture
def setup(app, db):
    """An event of a lab in Auvergne-Rhône-Alpes (4 seats) with registrations of every kind."""
    lab = factories.make_organisation(region_code="84", name="Archipel")
    event = factories.make_event(organisation=lab, starts_at=soon(), capacity=4, title="Atelier design")
    organiser = factories.make_user(organisations=(lab,), name="Olga Organisatrice")
    alice = factories.make_user(name="Alice Martin", email="alice@example.gouv.fr", administration="DDT du Rhône")
    bruno = factories.make_user(name="Bruno Élégant", email="bruno@example.gouv.fr")
    chloe = factories.make_user(name="Chloé Dupont", email="chloe@example.gouv.fr")
    denis = factories.make_user(name="=HYPERLINK(\"http://evil\")", email="denis@example.gouv.fr")
    eve = factories.make_user(name="Ève Waiting", email="eve@example.gouv.fr")
    fred = factories.make_user(name="Fred Cancel", email="fred@example.gouv.fr")
    regs = dict(
        alice=factories.make_registration(
            event, alice, administration="DDT du Rhône", job_title="Cheffe", accessibility_needs="Fauteuil roulant"
        ),
        bruno=factories.make_registration(
            event, bruno, administration="Secret administration", job_title="Secret job", shares_answers=False
        ),
        chloe=factories.make_registration(event, chloe, job_title="+33 6 00 00 00 00", administration="@rectorat"),
        denis=factories.make_registration(event, denis, administration="-1+1"),
        eve=factories.make_registration(event, eve, status=RegistrationStatus.WAITLISTED),
        fred=factories.make_registration(
            event, fred, status=RegistrationStatus.CANCELLED, cancelled_at=datetime.now(timezone.utc)
        ),
    )
    db.session.commit()
    return dict(event=event, lab=lab, organiser=organiser, regs=regs)


def url(event, suffix=""):
    return f"/espace-organisateur/evenements/{event.id}/{suffix}"


def test_organiser_sees_lists_with_answers_totals_and_fill_rate(client, login_as, setup):
    login_as(setup["organiser"])
    response = client.get(url(setup["event"], "inscriptions"))
    assert response.status_code == 200
    text = visible_text(response)
    confirmed, rest = text.split("Liste d'attente (")
    waiting, cancelled = rest.split("Inscriptions annulées (")
    assert "Inscrits confirmés (4)" in confirmed
    for name in ("Alice Martin", "Bruno Élégant", "Chloé Dupont"):
        assert name in confirmed
    assert "DDT du Rhône" in confirmed and "Fauteuil roulant" in confirmed
    # Bruno did not agree to share his answers.
    assert "Secret administration" not in text and "Secret job" not in text
    assert "Réponses non partagées par l'agent" in confirmed
    assert "Ève Waiting" in waiting
    assert "Fred Cancel" in cancelled
    assert "100 % Taux de remplissage" in text
    assert "1 Liste d'attente" in text and "1 Annulations" in text
    # Names are escaped, never run.
    assert '=HYPERLINK("http://evil")' in page_text(response)


@pytest.mark.parametrize("suffix", ["inscriptions", "inscriptions.csv", "emargement", "message"])
def test_organiser_of_another_organisation_gets_403(client, login_as, setup, db, suffix):
    other = factories.make_user(organisations=(factories.make_organisation(region_code="84"),))
    agent = factories.make_user()
    db.session.commit()
    login_as(other)
    assert client.get(url(setup["event"], suffix)).status_code == 403
    login_as(agent)
    assert client.get(url(setup["event"], suffix)).status_code == 403


@pytest.mark.parametrize("suffix", ["inscriptions", "inscriptions.csv", "emargement"])
def test_visitor_is_sent_to_log_in(client, setup, suffix):
    response = client.get(url(setup["event"], suffix))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_coordinators_in_scope_see_registrants_others_do_not(client, login_as, setup, db):
    regional = factories.make_user(coordinator_region="84")
    elsewhere = factories.make_user(coordinator_region="53")
    national = factories.make_user(is_coordinator=True)
    db.session.commit()
    for user, status in ((regional, 200), (national, 200), (elsewhere, 403)):
        login_as(user)
        assert client.get(url(setup["event"], "inscriptions")).status_code == status
        assert client.get(url(setup["event"], "inscriptions.csv")).status_code == status


def test_csv_export_opens_in_french_excel_and_neutralises_formulas(client, login_as, setup):
    login_as(setup["organiser"])
    response = client.get(url(setup["event"], "inscriptions.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    by_email = {row["E-mail"]: row for row in rows}
    assert set(by_email) == {
        "alice@example.gouv.fr", "bruno@example.gouv.fr", "chloe@example.gouv.fr",
        "denis@example.gouv.fr", "eve@example.gouv.fr", "fred@example.gouv.fr",
    }
    alice = by_email["alice@example.gouv.fr"]
    assert alice["Nom"] == "Alice Martin"
    assert alice["Statut"] == "Confirmé"
    assert alice["Administration"] == "DDT du Rhône"
    assert alice["Besoins d'accessibilité"] == "Fauteuil roulant"
    assert alice["Réponses partagées"] == "Oui"
    bruno = by_email["bruno@example.gouv.fr"]
    assert bruno["Administration"] == "" and bruno["Fonction"] == "" and bruno["Réponses partagées"] == "Non"
    assert by_email["eve@example.gouv.fr"]["Statut"] == "Liste d'attente"
    assert by_email["eve@example.gouv.fr"]["Position en liste d'attente"] == "1"
    assert by_email["fred@example.gouv.fr"]["Statut"] == "Annulé"
    # Formula injection: every cell a spreadsheet would evaluate starts with an apostrophe.
    assert by_email["denis@example.gouv.fr"]["Nom"] == "'=HYPERLINK(\"http://evil\")"
    assert by_email["denis@example.gouv.fr"]["Administration"] == "'-1+1"
    assert by_email["chloe@example.gouv.fr"]["Fonction"] == "'+33 6 00 00 00 00"
    assert by_email["chloe@example.gouv.fr"]["Administration"] == "'@rectorat"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise_covers_tab_and_carriage_return():
    from eventapp.registrations.exports import neutralise

    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("Atelier") == "Atelier"
    assert neutralise(None) == ""


def test_attendance_sheet_marks_present_and_absent_and_searches(client, login_as, setup, db):
    login_as(setup["organiser"])
    event, regs = setup["event"], setup["regs"]
    response = client.get(url(setup["event"], "emargement"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "0 présent sur 4 inscrits confirmés" in text
    assert "Alice Martin" in text and "Ève Waiting" not in text and "Fred Cancel" not in text
    assert 'name="viewport"' in page_text(response)

    response = client.post(
        url(event, f"emargement/{regs['alice'].id}"), data={"attended": "present", "q": "alice"}
    )
    assert response.status_code == 303
    assert "q=alice" in response.headers["Location"]
    client.post(url(event, f"emargement/{regs['bruno'].id}"), data={"attended": "absent"})
    db.session.expire_all()
    assert db.session.get(Registration, regs["alice"].id).attended is True
    assert db.session.get(Registration, regs["bruno"].id).attended is False
    text = visible_text(client.get(url(event, "emargement")))
    assert "1 présent sur 4 inscrits confirmés" in text

    # Search by name, accents and case ignored.
    text = visible_text(client.get(url(event, "emargement") + "?q=ELEGANT"))
    assert "Bruno Élégant" in text and "Alice Martin" not in text
    assert "1 résultat pour « ELEGANT »" in text
    text = visible_text(client.get(url(event, "emargement") + "?q=zorro"))
    assert "Aucun inscrit ne correspond à cette recherche." in text


def test_attendance_only_for_confirmed_registrations_of_this_event(client, login_as, setup, db):
    login_as(setup["organiser"])
    event, regs = setup["event"], setup["regs"]
    response = client.post(url(event, f"emargement/{regs['eve'].id}"), data={"attended": "present"}, follow_redirects=True)
    assert "La présence ne peut être enregistrée que pour une inscription confirmée." in visible_text(response)
    other_event = factories.make_event(edition=event.edition, organisation=setup["lab"], starts_at=soon())
    elsewhere = factories.make_registration(other_event)
    db.session.commit()
    assert client.post(url(event, f"emargement/{elsewhere.id}"), data={"attended": "present"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, regs["eve"].id).attended is None
    assert db.session.get(Registration, elsewhere.id).attended is None


def test_attendance_refused_to_other_organisers(client, login_as, setup, db):
    other = factories.make_user(organisations=(factories.make_organisation(),))
    db.session.commit()
    login_as(other)
    response = client.post(url(setup["event"], f"emargement/{setup['regs']['alice'].id}"), data={"attended": "present"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, setup["regs"]["alice"].id).attended is None


def test_attendance_forms_carry_csrf(app, client, login_as, setup):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        login_as(setup["organiser"])
        html = page_text(client.get(url(setup["event"], "emargement")))
        forms = re.findall(r'<form method="post" action="[^"]*/emargement/\d+">(.*?)</form>', html, re.S)
        assert len(forms) == 8  # two buttons for each of the four confirmed
        assert all('name="csrf_token"' in form for form in forms)
        response = client.post(url(setup["event"], f"emargement/{setup['regs']['alice'].id}"), data={"attended": "present"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_write_to_confirmed_registrants_queues_one_message_each(client, login_as, setup, db):
    login_as(setup["organiser"])
    event = setup["event"]
    assert "Écrire aux inscrits" in visible_text(client.get(url(event, "message")))
    response = client.post(
        url(event, "message"),
        data={"audience": "confirmed", "subject": "Salle changée", "message": "Rendez-vous en salle 4.\nMerci !"},
        follow_redirects=True,
    )
    assert "mis en file d'envoi pour 4 destinataires" in visible_text(response)
    messages = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "registration_message")))
    assert sorted(m.recipient for m in messages) == sorted(
        ["alice@example.gouv.fr", "bruno@example.gouv.fr", "chloe@example.gouv.fr", "denis@example.gouv.fr"]
    )
    assert all(m.subject == "[Atelier design] Salle changée" for m in messages)
    assert all("Rendez-vous en salle 4." in m.body_text and "Archipel" in m.body_text for m in messages)

    client.post(url(event, "message"), data={"audience": "waitlisted", "subject": "Liste", "message": "Patience"})
    waiting = list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "registration_message", OutboxMessage.subject.like("%Liste"))
        )
    )
    assert [m.recipient for m in waiting] == ["eve@example.gouv.fr"]


def test_write_needs_subject_and_message(client, login_as, setup, db):
    login_as(setup["organiser"])
    response = client.post(url(setup["event"], "message"), data={"audience": "confirmed", "subject": "", "message": ""})
    assert response.status_code == 400
    assert "Indiquez l'objet du message." in visible_text(response)
    assert db.session.scalars(select(OutboxMessage)).first() is None


def test_online_event_registrants_page_is_reachable(client, login_as, setup, db):
    event = factories.make_event(
        edition=setup["event"].edition, organisation=setup["lab"], starts_at=soon(), mode=EventMode.ONLINE,
        capacity=None, online_url="https://visio.example.gouv.fr/salle",
    )
    db.session.commit()
    login_as(setup["organiser"])
    text = visible_text(client.get(url(event, "inscriptions")))
    assert "illimitées" in text and "Inscrits confirmés (0)" in text
