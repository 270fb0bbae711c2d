"""The organisers' space over HTTP: dashboard, the event form and its French errors, submission,
edits of published events, duplication, deletion, cancellation and scope rules."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from eventapp.models import (
    Event,
    EventMode,
    EventStatus,
    EventStatusChange,
    OutboxMessage,
    RegistrationStatus,
)
from eventapp.workflow import transition
from tests.factories import make_event, make_organisation, make_registration, make_user
from tests.helpers import page_text, visible_text
from tests.worlds import two_organisations

S = EventStatus


@pytest.fixture
def world(app, db):
    world = two_organisations()
    db.session.commit()
    return world


def form_data(**overrides):
    data = dict(
        title="Atelier : simplifier la demande de bourse",
        summary="Un atelier pour simplifier une démarche.",
        description="Nous travaillerons **ensemble**.",
        format="atelier-collaboratif",
        themes=["simplification", "design-de-services"],
        audiences=["agents-publics"],
        language="fr",
        start_date="2030-11-14",
        start_time="14:00",
        end_date="2030-11-14",
        end_time="16:30",
        timezone="",
        mode="presentiel",
        venue_name="Hôtel de région",
        street_address="1 esplanade François Mitterrand",
        postcode="69002",
        city="Lyon",
        region_code="84",
        departement_code="",
        latitude="",
        longitude="",
        online_url="",
        registration_mode="internal",
        capacity="30",
        has_waiting_list="y",
        external_registration_url="",
        deadline_date="",
        deadline_time="",
        accessibility_info="Salle accessible en fauteuil roulant.",
        save="",
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def outbox(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def field_errors(response, field_id: str) -> str:
    """The text of the error messages shown next to a field (tied to it by id)."""
    html = page_text(response)
    match = re.search(rf'id="{field_id}-errors"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


# --- Access -------------------------------------------------------------------------------


def test_visitors_are_sent_to_the_login_page(client, world):
    response = client.get("/espace-organisateur")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_agents_without_organisation_are_refused(client, world, login_as):
    login_as(world["agent"])
    assert client.get("/espace-organisateur").status_code == 403
    assert client.get("/espace-organisateur/evenements/nouveau").status_code == 403


# --- Dashboard ----------------------------------------------------------------------------


def test_dashboard_lists_the_organisation_events_by_what_they_need(client, db, world, login_as):
    a, edition = world["org_a"], world["edition"]
    make_event(edition, a, status=S.DRAFT, title="Brouillon en cours")
    make_event(edition, a, status=S.SUBMITTED, title="Atelier soumis")
    asked = make_event(edition, a, status=S.SUBMITTED, title="Atelier à reprendre")
    make_event(edition, a, status=S.PUBLISHED, title="Conférence publiée")
    make_event(edition, a, status=S.CANCELLED, title="Visite annulée")
    refused = make_event(edition, a, status=S.SUBMITTED, title="Hackathon refusé")
    make_event(edition, world["org_b"], status=S.DRAFT, title="Brouillon d'un autre labo")
    db.session.commit()
    transition(asked, S.CHANGES_REQUESTED, world["coord_84"], "Précisez l'adresse de la salle.")
    transition(refused, S.REJECTED, world["coord_84"], "Hors du périmètre du Mois.")
    db.session.commit()

    login_as(world["organiser_a"])
    response = client.get("/espace-organisateur")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Brouillon en cours" in text and "À compléter" in text
    assert "Atelier soumis" in text and "En attente de modération" in text
    assert "Modifications demandées : Précisez l'adresse de la salle." in text
    assert "Conférence publiée" in text and "Publié" in text
    assert "Visite annulée" in text and "Annulé" in text
    assert "Hackathon refusé" in text and "Refusé" in text and "Hors du périmètre du Mois." in text
    assert "Brouillon d'un autre labo" not in text
    # What needs acting on comes first.
    assert text.index("Atelier à reprendre") < text.index("Brouillon en cours") < text.index("Atelier soumis")


def test_coordinator_may_open_an_organisation_of_their_region_only(client, db, world, login_as):
    make_event(world["edition"], world["org_a"], status=S.DRAFT, title="Brouillon d'Archipel")
    db.session.commit()
    login_as(world["coord_84"])
    response = client.get("/espace-organisateur?organisation=org-a")
    assert response.status_code == 200
    assert "Brouillon d'Archipel" in visible_text(response)
    assert client.get("/espace-organisateur?organisation=org-b").status_code == 403
    assert client.get("/espace-organisateur?organisation=inconnue").status_code == 404


# --- Creating -----------------------------------------------------------------------------


def test_create_a_draft_in_local_time(client, db, world, login_as):
    login_as(world["organiser_a"])
    page = client.get("/espace-organisateur/evenements/nouveau")
    assert page.status_code == 200
    for legend in ("L'événement", "Quand", "Où", "Inscription", "Accessibilité"):
        assert f">{legend}" in page_text(page)

    response = client.post("/espace-organisateur/evenements/nouveau", data=form_data())
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert response.headers["Location"].endswith(f"/espace-organisateur/evenements/{event.id}")
    assert event.status == S.DRAFT and event.organisation_id == world["org_a"].id
    assert event.timezone == "Europe/Paris"
    assert event.starts_at == datetime(2030, 11, 14, 13, 0, tzinfo=timezone.utc)  # 14:00 in Paris (UTC+1)
    assert event.ends_at == datetime(2030, 11, 14, 15, 30, tzinfo=timezone.utc)
    assert event.departement_code == "69"  # from the postcode
    assert event.slug == "atelier-simplifier-la-demande-de-bourse"
    assert sorted(event.themes) == ["design-de-services", "simplification"]
    assert event.capacity == 30 and event.has_waiting_list
    assert "bourse" in event.search_text
    assert [(c.from_status, c.to_status) for c in event.status_changes] == [(None, S.DRAFT)]
    assert outbox(db) == []
    followed = client.get(response.headers["Location"])
    assert "Le brouillon est enregistré" in visible_text(followed)


def test_overseas_times_are_typed_in_the_region_zone(client, db, world, login_as):
    reunion = make_organisation(region_code="04", slug="lab-reunion", name="Lab de La Réunion")
    organiser = make_user(organisations=(reunion,))
    db.session.commit()
    login_as(organiser)
    data = form_data(region_code="04", postcode="97400", city="Saint-Denis", start_time="09:00", end_time="11:00")
    assert client.post("/espace-organisateur/evenements/nouveau", data=data).status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.timezone == "Indian/Reunion"
    assert event.starts_at == datetime(2030, 11, 14, 5, 0, tzinfo=timezone.utc)  # UTC+4
    assert event.departement_code == "974"


def test_online_event_without_region_takes_the_organisation_zone(client, db, world, login_as):
    guadeloupe = make_organisation(region_code="01", slug="lab-an-nou", name="Lab' An nou")
    organiser = make_user(organisations=(guadeloupe,))
    db.session.commit()
    login_as(organiser)
    data = form_data(mode="en-ligne", region_code="", street_address="", postcode="", city="",
                     venue_name="", online_url="https://visio.example.fr/atelier")
    assert client.post("/espace-organisateur/evenements/nouveau", data=data).status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.mode == EventMode.ONLINE and event.region_code is None
    assert event.timezone == "America/Guadeloupe"
    assert event.starts_at == datetime(2030, 11, 14, 18, 0, tzinfo=timezone.utc)  # UTC-4


def test_save_and_submit_in_one_go(client, db, world, login_as):
    login_as(world["organiser_a"])
    response = client.post(
        "/espace-organisateur/evenements/nouveau", data=form_data(save=None, submit_for_review="")
    )
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.status == S.SUBMITTED
    assert [m.recipient for m in outbox(db, "event_submitted")] == [world["coord_84"].email]


# Every rule: (form overrides, the field that shows the error, the French message).
INVALID = [
    ({"title": ""}, "title", "Indiquez le titre de l'événement."),
    ({"title": "x" * 201}, "title", "« Titre » ne doit pas dépasser 200 caractères."),
    ({"summary": "x" * 401}, "summary", "« Résumé » ne doit pas dépasser 400 caractères."),
    ({"description": "x" * 20001}, "description", "« Description » ne doit pas dépasser 20000 caractères."),
    ({"format": ""}, "format", "Choisissez le format de l'événement."),
    ({"format": "karaoke"}, "format", "Choisissez un format dans la liste."),
    ({"themes": []}, "themes", "Choisissez au moins un thème."),
    ({"themes": ["astrologie"]}, "themes", "Choisissez uniquement des valeurs de la liste."),
    ({"audiences": ["martiens"]}, "audiences", "Choisissez uniquement des valeurs de la liste."),
    ({"start_date": "32/13/2030"}, "start_date", "Saisissez une date valide"),
    # 01/01/0001 at midnight in Paris is before year 1 in UTC: it used to be a 500.
    ({"start_date": "01/01/0001", "start_time": "00:00"}, "start_date",
     "Saisissez une date comprise entre 2000 et 2100."),
    ({"end_date": "9999-12-31"}, "end_date", "Saisissez une date comprise entre 2000 et 2100."),
    ({"deadline_date": "0001-01-01", "deadline_time": "00:00"}, "deadline_date",
     "Saisissez une date comprise entre 2000 et 2100."),
    ({"start_time": ""}, "start_time", "Indiquez l'heure de début."),
    ({"end_time": "13:00"}, "end_time", "La fin doit être postérieure au début de l'événement."),
    ({"start_date": "2030-10-31"}, "start_date", "L'événement doit se dérouler pendant l'édition 2030"),
    ({"end_date": "2030-12-01"}, "end_date", "entre le vendredi 1 novembre 2030 et le samedi 30 novembre 2030"),
    ({"street_address": ""}, "street_address", "Indiquez l'adresse du lieu (numéro et voie)."),
    ({"postcode": ""}, "postcode", "Indiquez le code postal du lieu."),
    ({"postcode": "6900"}, "postcode", "Le code postal doit comporter exactement 5 chiffres"),
    ({"city": ""}, "city", "Indiquez la ville du lieu."),
    ({"region_code": ""}, "region_code", "Choisissez la région du lieu."),
    ({"mode": "hybride", "street_address": ""}, "street_address", "Indiquez l'adresse du lieu"),
    ({"departement_code": "35"}, "departement_code",
     "Le département 35 – Ille-et-Vilaine n'est pas dans la région Auvergne-Rhône-Alpes."),
    ({"latitude": "nord"}, "latitude", "« Latitude » doit être un nombre entre -90 et 90"),
    ({"mode": "hybride"}, "online_url", "Indiquez le lien de connexion (une adresse commençant par https://)."),
    ({"mode": "en-ligne", "online_url": "http://visio.example.fr"}, "online_url",
     "Le lien de connexion doit être une adresse web sécurisée commençant par https://."),
    ({"capacity": "0"}, "capacity", "Le nombre de places doit être un nombre entier positif"),
    ({"capacity": "-5"}, "capacity", "Le nombre de places doit être un nombre entier positif"),
    ({"capacity": "douze"}, "capacity", "Le nombre de places doit être un nombre entier positif"),
    ({"capacity": "2.5"}, "capacity", "Le nombre de places doit être un nombre entier positif"),
    ({"registration_mode": "external"}, "external_registration_url",
     "Indiquez le lien d'inscription externe (une adresse commençant par https://)."),
    ({"registration_mode": "external", "external_registration_url": "javascript:alert(1)"},
     "external_registration_url", "Le lien d'inscription doit être une adresse web sécurisée commençant par https://."),
    ({"deadline_date": "2030-11-14", "deadline_time": "15:00"}, "deadline_date",
     "La date limite d'inscription doit précéder le début de l'événement."),
    ({"deadline_date": "2030-11-10"}, "deadline_time", "Indiquez aussi l'heure limite d'inscription."),
    ({"accessibility_info": "x" * 2001}, "accessibility_info",
     "« Informations d'accessibilité » ne doit pas dépasser 2000 caractères."),
]


@pytest.mark.parametrize("overrides,field,message", INVALID)
def test_invalid_new_event_shows_a_french_error_next_to_the_field_and_saves_nothing(
    client, db, world, login_as, overrides, field, message
):
    login_as(world["organiser_a"])
    response = client.post("/espace-organisateur/evenements/nouveau", data=form_data(**overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Le formulaire contient" in visible_text(response)
    assert count(db, Event) == 0
    assert count(db, EventStatusChange) == 0
    assert outbox(db) == []


@pytest.mark.parametrize("overrides,field,message", INVALID[:12:3])
def test_invalid_edit_changes_nothing(client, db, world, login_as, overrides, field, message):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED, title="Titre d'origine")
    db.session.commit()
    login_as(world["organiser_a"])
    response = client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=form_data(**overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    db.session.refresh(event)
    assert event.title == "Titre d'origine" and event.sequence == 0
    assert count(db, EventStatusChange) == 0


def test_valid_forms_accept_edge_values(client, db, world, login_as):
    login_as(world["organiser_a"])
    data = form_data(capacity="", has_waiting_list=None, start_date="01/11/2030", end_date="30/11/2030",
                     end_time="18:00", departement_code="69", latitude="45,76", longitude="4.84")
    assert client.post("/espace-organisateur/evenements/nouveau", data=data).status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.capacity is None and not event.has_waiting_list
    assert event.latitude == 45.76 and event.longitude == 4.84


def test_the_form_carries_a_csrf_token(app, client, db, world, login_as):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        login_as(world["organiser_a"])
        page = page_text(client.get("/espace-organisateur/evenements/nouveau"))
        assert 'name="csrf_token"' in page
        response = client.post("/espace-organisateur/evenements/nouveau", data=form_data())
        assert response.status_code == 400
        assert count(db, Event) == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- Editing ------------------------------------------------------------------------------


def test_edit_form_shows_local_times_and_saves(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.DRAFT)  # 13:00 UTC = 14:00 Paris
    db.session.commit()
    login_as(world["organiser_a"])
    page = page_text(client.get(f"/espace-organisateur/evenements/{event.id}/modifier"))
    assert 'value="14:00"' in page and 'value="2030-11-14"' in page
    response = client.post(f"/espace-organisateur/evenements/{event.id}/modifier",
                           data=form_data(title="Nouveau titre"))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Nouveau titre" and event.status == S.DRAFT


def test_editing_a_published_event_date_tells_registrants(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED)
    confirmed = make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    login_as(world["organiser_a"])
    data = form_data(**{**_event_form(event), "start_time": "15:00", "end_time": "17:00"})
    response = client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=data, follow_redirects=True)
    assert "2 inscrits ont été prévenus par e-mail" in visible_text(response)
    db.session.refresh(event)
    assert event.status == S.PUBLISHED
    assert event.sequence == 1 and event.changed_at is not None
    assert event.status_changes[-1].comment == "Modification : Début, Fin"
    messages = outbox(db, "event_changed")
    assert sorted(m.recipient for m in messages) == sorted([confirmed.user.email, waiting.user.email])
    assert "jeudi 14 novembre 2030, de 14 h 00 à 16 h 00 (heure de Paris)" in messages[0].body_text
    assert "jeudi 14 novembre 2030, de 15 h 00 à 17 h 00 (heure de Paris)" in messages[0].body_text


def test_editing_a_published_event_summary_tells_nobody(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED)
    make_registration(event)
    db.session.commit()
    login_as(world["organiser_a"])
    data = form_data(**{**_event_form(event), "summary": "Un résumé réécrit."})
    assert client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=data).status_code == 302
    db.session.refresh(event)
    assert event.summary == "Un résumé réécrit."
    assert event.sequence == 0 and event.changed_at is None
    assert event.status_changes[-1].comment == "Modification : Résumé"
    assert outbox(db) == []


def test_raising_capacity_promotes_the_waiting_list(client, db, world, login_as):
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    edition = world["edition"]
    edition.starts_on, edition.ends_on = start.date() - timedelta(days=5), start.date() + timedelta(days=5)
    event = make_event(edition, world["org_a"], status=S.PUBLISHED, capacity=1, starts_at=start)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    login_as(world["organiser_a"])
    data = form_data(**{**_event_form(event), "capacity": "2"})
    response = client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=data, follow_redirects=True)
    assert "1 personne de la liste d'attente a obtenu une place" in visible_text(response)
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.recipient for m in outbox(db, "registration_promoted")] == [waiting.user.email]


def test_capacity_cannot_drop_below_confirmed_registrations(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED, capacity=5)
    make_registration(event)
    make_registration(event)
    db.session.commit()
    login_as(world["organiser_a"])
    data = form_data(**{**_event_form(event), "capacity": "1"})
    response = client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=data)
    assert "ne peut pas être inférieur au nombre d'inscrits confirmés (2)" in field_errors(response, "capacity")
    db.session.refresh(event)
    assert event.capacity == 5


def _event_form(event: Event) -> dict:
    """The form values of an event as the edit page would post them back."""
    local_start, local_end = event.local_starts_at, event.local_ends_at
    return dict(
        title=event.title, summary=event.summary, description=event.description,
        start_date=local_start.date().isoformat(), start_time=local_start.strftime("%H:%M"),
        end_date=local_end.date().isoformat(), end_time=local_end.strftime("%H:%M"),
        timezone=event.timezone, venue_name=event.venue_name, street_address=event.street_address,
        postcode=event.postcode, city=event.city, region_code=event.region_code,
        departement_code=event.departement_code or "", capacity=str(event.capacity or ""),
        themes=list(event.themes), audiences=list(event.audiences), accessibility_info="",
        has_waiting_list="y" if event.has_waiting_list else None,
    )


# --- Submitting ---------------------------------------------------------------------------


def test_submit_a_draft(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.DRAFT)
    db.session.commit()
    login_as(world["organiser_a"])
    page = visible_text(client.get(f"/espace-organisateur/evenements/{event.id}"))
    assert "Soumettre à la modération" in page
    response = client.post(f"/espace-organisateur/evenements/{event.id}/soumettre",
                           data={"comment": "Notre premier atelier !"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == S.SUBMITTED
    assert event.status_changes[-1].comment == "Notre premier atelier !"
    assert [m.recipient for m in outbox(db, "event_submitted")] == [world["coord_84"].email]


def test_submission_window_closed_refuses_organisers_but_not_coordinators(client, db, world, login_as):
    world["edition"].submissions_close_at = datetime.now(timezone.utc) - timedelta(hours=1)
    event = make_event(world["edition"], world["org_a"], status=S.DRAFT)
    db.session.commit()
    login_as(world["organiser_a"])
    page = visible_text(client.get(f"/espace-organisateur/evenements/{event.id}"))
    assert "Le dépôt des événements est fermé" in page
    response = client.post(f"/espace-organisateur/evenements/{event.id}/soumettre")
    assert response.status_code == 403
    assert "Le dépôt des événements est fermé" in visible_text(response)
    db.session.refresh(event)
    assert event.status == S.DRAFT and outbox(db) == []

    login_as(world["coord_84"])
    assert client.post(f"/espace-organisateur/evenements/{event.id}/soumettre").status_code == 302
    db.session.refresh(event)
    assert event.status == S.SUBMITTED


def test_submitting_twice_is_refused(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.SUBMITTED)
    db.session.commit()
    login_as(world["organiser_a"])
    assert client.post(f"/espace-organisateur/evenements/{event.id}/soumettre").status_code == 403
    assert count(db, EventStatusChange) == 0 and outbox(db) == []


# --- Duplicate, delete, cancel ------------------------------------------------------------


def test_duplicate_opens_the_copy_for_editing(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED, title="Sprint créatif")
    make_registration(event)
    db.session.commit()
    login_as(world["organiser_a"])
    response = client.post(f"/espace-organisateur/evenements/{event.id}/dupliquer")
    copy = db.session.scalars(select(Event).where(Event.id != event.id)).one()
    assert response.headers["Location"].endswith(f"/espace-organisateur/evenements/{copy.id}/modifier")
    assert copy.status == S.DRAFT and copy.title == "Sprint créatif (copie)"
    assert count(db, EventStatusChange, EventStatusChange.event_id == event.id) == 0


def test_delete_a_draft_after_confirmation(client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.DRAFT, title="À jeter")
    db.session.commit()
    event_id = event.id
    login_as(world["organiser_a"])
    assert "Supprimer le brouillon « À jeter » ?" in visible_text(
        client.get(f"/espace-organisateur/evenements/{event_id}/supprimer")
    )
    response = client.post(f"/espace-organisateur/evenements/{event_id}/supprimer", follow_redirects=True)
    assert "Le brouillon « À jeter » est supprimé." in visible_text(response)
    db.session.expire_all()
    assert db.session.get(Event, event_id) is None


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.CANCELLED, S.REJECTED])
def test_only_drafts_may_be_deleted(client, db, world, login_as, status):
    event = make_event(world["edition"], world["org_a"], status=status)
    db.session.commit()
    login_as(world["organiser_a"])
    assert client.post(f"/espace-organisateur/evenements/{event.id}/supprimer").status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, event.id) is not None


def test_cancel_a_published_event_with_a_reason(app, client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED)
    registration = make_registration(event)
    db.session.commit()
    login_as(world["organiser_a"])
    refused = client.post(f"/espace-organisateur/evenements/{event.id}/annuler", data={"reason": "  "})
    assert refused.status_code == 200
    assert "Indiquez le motif de l'annulation" in field_errors(refused, "reason")
    db.session.refresh(event)
    assert event.status == S.PUBLISHED and outbox(db) == []

    response = client.post(f"/espace-organisateur/evenements/{event.id}/annuler",
                           data={"reason": "L'intervenante est malade."}, follow_redirects=True)
    assert "L'événement est annulé" in visible_text(response)
    db.session.refresh(event)
    assert event.status == S.CANCELLED and event.sequence == 1
    assert event.cancellation_reason == "L'intervenante est malade."
    assert [m.recipient for m in outbox(db, "event_cancelled")] == [registration.user.email]
    # Still visible to the public, as cancelled.
    public = app.test_client().get(f"/evenements/{event.id}-{event.slug}")
    assert public.status_code == 200 and "annulé" in visible_text(public)


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CANCELLED])
def test_only_published_events_may_be_cancelled(client, db, world, login_as, status):
    event = make_event(world["edition"], world["org_a"], status=status)
    db.session.commit()
    login_as(world["organiser_a"])
    response = client.post(f"/espace-organisateur/evenements/{event.id}/annuler", data={"reason": "Motif"})
    assert response.status_code == 403
    db.session.refresh(event)
    assert event.status == status and outbox(db) == []


# --- Scope: other organisations -------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path,status",
    [
        ("get", "/espace-organisateur/evenements/{id}", S.DRAFT),
        ("get", "/espace-organisateur/evenements/{id}/modifier", S.DRAFT),
        ("post", "/espace-organisateur/evenements/{id}/modifier", S.SUBMITTED),
        ("post", "/espace-organisateur/evenements/{id}/soumettre", S.DRAFT),
        ("post", "/espace-organisateur/evenements/{id}/dupliquer", S.DRAFT),
        ("post", "/espace-organisateur/evenements/{id}/supprimer", S.DRAFT),
    ],
)
def test_hidden_events_of_other_organisations_are_not_found(client, db, world, login_as, method, path, status):
    event = make_event(world["edition"], world["org_a"], status=status, title="Secret d'Archipel")
    db.session.commit()
    login_as(world["organiser_b"])
    response = getattr(client, method)(path.format(id=event.id), data=form_data(title="Piraté"))
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Secret d'Archipel"
    assert count(db, Event) == 1 and count(db, EventStatusChange) == 0 and outbox(db) == []


@pytest.mark.parametrize(
    "path",
    [
        "/espace-organisateur/evenements/{id}",
        "/espace-organisateur/evenements/{id}/modifier",
        "/espace-organisateur/evenements/{id}/annuler",
    ],
)
def test_public_events_of_other_organisations_are_forbidden(client, db, world, login_as, path):
    event = make_event(world["edition"], world["org_a"], status=S.PUBLISHED, title="Public d'Archipel")
    db.session.commit()
    login_as(world["organiser_b"])
    assert client.get(path.format(id=event.id)).status_code == 403
    response = client.post(path.format(id=event.id), data=form_data(title="Piraté", reason="Piraté"))
    assert response.status_code in (403, 405)
    db.session.refresh(event)
    assert event.title == "Public d'Archipel" and event.status == S.PUBLISHED
    assert outbox(db) == []


# --- Preview ------------------------------------------------------------------------------


def test_preview_is_the_public_page_seen_by_the_organiser(app, client, db, world, login_as):
    event = make_event(world["edition"], world["org_a"], status=S.DRAFT, title="Atelier en préparation",
                       description="Voir [le site](https://exemple.gouv.fr) <script>alert(1)</script>")
    db.session.commit()
    login_as(world["organiser_a"])
    page = page_text(client.get(f"/espace-organisateur/evenements/{event.id}"))
    preview = f"/evenements/{event.id}-{event.slug}"
    assert f'href="{preview}"' in page
    response = client.get(preview)
    assert response.status_code == 200
    html = page_text(response)
    assert "Atelier en préparation" in html and "Cet événement n'est pas public" in html
    raw = response.get_data(as_text=True)
    assert 'rel="noopener' in raw and "<script>alert(1)" not in raw and "&lt;script&gt;" in raw
    assert app.test_client().get(preview).status_code == 404
