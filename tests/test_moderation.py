"""The coordinators' area over HTTP: the guarded blueprint, the queue and its scope, the review
page and its diff, decisions, coordinators' edits and the publication of the programme."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from eventapp.models import EditionChange, EventMode, EventStatus, EventStatusChange, OutboxMessage
from eventapp.workflow import transition, update_event
from tests.factories import make_edition, make_event, make_organisation, make_user
from tests.helpers import page_text, visible_text

S = EventStatus


@pytest.fixture
def world(app, db):
    edition = make_edition(published=False)
    org_a = make_organisation(region_code="84", slug="archipel", name="Archipel")
    org_b = make_organisation(region_code="53", slug="ti-lab", name="Ti Lab")
    people = dict(
        agent=make_user(),
        organiser_a=make_user(organisations=(org_a,)),
        organiser_b=make_user(organisations=(org_b,)),
        coord_84=make_user(coordinator_region="84"),
        coord_53=make_user(coordinator_region="53"),
        national=make_user(is_coordinator=True),
    )
    db.session.commit()
    return dict(edition=edition, org_a=org_a, org_b=org_b, **people)


def submitted(world, organisation, title, at, **fields):
    """An event submitted by its organisation at ``at``."""
    event = make_event(world["edition"], organisation, status=S.DRAFT, title=title, **fields)
    organiser = world["organiser_a"] if organisation is world["org_a"] else world["organiser_b"]
    transition(event, S.SUBMITTED, organiser, now=at)
    return event


def outbox(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def history_count(db):
    return db.session.scalar(select(func.count()).select_from(EventStatusChange))


# --- The guard ----------------------------------------------------------------------------

PATHS = ["/moderation", "/moderation/evenements/{id}", "/moderation/programme"]


@pytest.mark.parametrize("path", PATHS)
def test_visitors_are_sent_to_login(client, db, world, path):
    event = make_event(world["edition"], world["org_a"], status=S.SUBMITTED)
    db.session.commit()
    response = client.get(path.format(id=event.id))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ["agent", "organiser_a"])
def test_the_whole_area_is_for_coordinators(client, db, world, login_as, path, role):
    event = make_event(world["edition"], world["org_a"], status=S.SUBMITTED)
    db.session.commit()
    login_as(world[role])
    assert client.get(path.format(id=event.id)).status_code == 403


@pytest.mark.parametrize("role", ["agent", "organiser_a"])
def test_organisers_cannot_decide(client, db, world, login_as, role):
    event = make_event(world["edition"], world["org_a"], status=S.SUBMITTED)
    db.session.commit()
    login_as(world[role])
    response = client.post(f"/moderation/evenements/{event.id}/decision", data={"decision": "publish"})
    assert response.status_code == 403
    db.session.refresh(event)
    assert event.status == S.SUBMITTED and outbox(db) == []


# --- The queue ----------------------------------------------------------------------------


def test_queue_shows_the_scope_oldest_submission_first(client, db, world, login_as):
    t0 = datetime.now(timezone.utc) - timedelta(days=10)
    submitted(world, world["org_a"], "Lyon récent", t0 + timedelta(days=3))
    submitted(world, world["org_a"], "Lyon ancien", t0)
    submitted(world, world["org_a"], "Webinaire d'Archipel", t0 + timedelta(days=1),
              mode=EventMode.ONLINE, region_code=None, online_url="https://visio.example.fr")
    submitted(world, world["org_b"], "Rennes", t0 + timedelta(days=2))
    make_event(world["edition"], world["org_a"], status=S.DRAFT, title="Brouillon lyonnais")
    db.session.commit()

    login_as(world["coord_84"])
    text = visible_text(client.get("/moderation"))
    assert "Rennes" not in text and "Brouillon lyonnais" not in text
    assert text.index("Lyon ancien") < text.index("Webinaire d'Archipel") < text.index("Lyon récent")
    assert "En attente de modération : 3 événements" in text

    login_as(world["national"])
    text = visible_text(client.get("/moderation"))
    assert text.index("Lyon ancien") < text.index("Webinaire d'Archipel") < text.index("Rennes") < text.index("Lyon récent")


def test_queue_filters(client, db, world, login_as):
    now = datetime.now(timezone.utc)
    submitted(world, world["org_a"], "Atelier lyonnais", now)
    submitted(world, world["org_a"], "Conférence lyonnaise", now, format="conference")
    submitted(world, world["org_a"], "Webinaire d'Archipel", now, mode=EventMode.ONLINE, region_code=None,
              online_url="https://visio.example.fr", format="webinaire")
    submitted(world, world["org_b"], "Atelier rennais", now, region_code="53", city="Rennes")
    db.session.commit()
    login_as(world["national"])

    def titles(query):
        text = visible_text(client.get(f"/moderation?{query}"))
        return {t for t in ("Atelier lyonnais", "Conférence lyonnaise", "Webinaire d'Archipel", "Atelier rennais") if t in text}

    assert titles("region=53") == {"Atelier rennais"}
    assert titles("region=en-ligne") == {"Webinaire d'Archipel"}
    assert titles("format=conference") == {"Conférence lyonnaise"}
    assert titles("organisation=ti-lab") == {"Atelier rennais"}
    assert titles("organisation=archipel&format=atelier-collaboratif") == {"Atelier lyonnais"}
    assert titles("statut=published") == set()


def test_queue_tabs_list_other_statuses(client, db, world, login_as):
    make_event(world["edition"], world["org_a"], status=S.PUBLISHED, title="Déjà publié")
    db.session.commit()
    login_as(world["coord_84"])
    assert "Déjà publié" not in visible_text(client.get("/moderation"))
    assert "Déjà publié" in visible_text(client.get("/moderation?statut=published"))


# --- Review -------------------------------------------------------------------------------


def test_review_page_shows_everything_and_the_history(client, db, world, login_as):
    event = submitted(world, world["org_a"], "Atelier complet", datetime.now(timezone.utc),
                      accessibility_info="Boucle magnétique", description="Un [lien](https://exemple.fr)")
    db.session.commit()
    login_as(world["coord_84"])
    response = client.get(f"/moderation/evenements/{event.id}")
    assert response.status_code == 200
    text = visible_text(response)
    for expected in ("Atelier complet", "Atelier collaboratif", "Simplification", "Agents publics",
                     "jeudi 14 novembre 2030 à 14 h 00 (heure de Paris)", "1 rue de la République",
                     "69 – Rhône", "Auvergne-Rhône-Alpes", "Boucle magnétique", "Inscription sur la plateforme",
                     "Soumis à la modération", world["organiser_a"].name, "Publier l'événement"):
        assert expected in text
    assert 'rel="noopener' in page_text(response)
    assert "Ce qui a changé depuis la dernière relecture" not in text


def test_resubmission_shows_the_changes_since_the_last_review(client, db, world, login_as):
    event = submitted(world, world["org_a"], "Atelier v1", datetime.now(timezone.utc))
    transition(event, S.CHANGES_REQUESTED, world["coord_84"], "Ajoutez une adresse précise.")
    update_event(event, world["organiser_a"], {"title": "Atelier v2", "street_address": "3 rue Mercière"})
    transition(event, S.SUBMITTED, world["organiser_a"])
    db.session.commit()
    login_as(world["coord_84"])
    text = visible_text(client.get(f"/moderation/evenements/{event.id}"))
    assert "Ce qui a changé depuis la dernière relecture" in text
    assert "Ajoutez une adresse précise." in text
    assert "Titre Atelier v1 Atelier v2" in text
    assert "Adresse 1 rue de la République 3 rue Mercière" in text
    assert "Soumis de nouveau à la modération" in text
    assert "Nouvelle soumission" in visible_text(client.get("/moderation"))


def test_out_of_scope_coordinator_gets_404_for_hidden_and_403_for_public_events(client, db, world, login_as):
    hidden = submitted(world, world["org_a"], "Caché", datetime.now(timezone.utc))
    public_edition = make_edition(year=2029, published=True)
    public = make_event(public_edition, world["org_a"], status=S.PUBLISHED)
    db.session.commit()
    login_as(world["coord_53"])
    assert client.get(f"/moderation/evenements/{hidden.id}").status_code == 404
    assert client.post(f"/moderation/evenements/{hidden.id}/decision", data={"decision": "publish"}).status_code == 404
    assert client.get(f"/moderation/evenements/{public.id}").status_code == 403
    assert client.get(f"/espace-organisateur/evenements/{hidden.id}/modifier").status_code == 404
    db.session.refresh(hidden)
    assert hidden.status == S.SUBMITTED
    assert [m.kind for m in outbox(db)] == ["event_submitted"]


# --- Decisions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision,comment,status,kind,flash",
    [
        ("publish", "", S.PUBLISHED, "event_published", "L'événement est publié."),
        ("request_changes", "Précisez le public.", S.CHANGES_REQUESTED, "event_changes_requested",
         "Les modifications sont demandées."),
        ("reject", "Hors sujet.", S.REJECTED, "event_rejected", "L'événement est refusé."),
    ],
)
def test_decisions_are_recorded_and_emailed(client, db, world, login_as, decision, comment, status, kind, flash):
    event = submitted(world, world["org_a"], "À décider", datetime.now(timezone.utc))
    db.session.commit()
    login_as(world["coord_84"])
    response = client.post(f"/moderation/evenements/{event.id}/decision",
                           data={"decision": decision, "comment": comment}, follow_redirects=True)
    assert flash in visible_text(response)
    db.session.refresh(event)
    assert event.status == status
    last = event.status_changes[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (S.SUBMITTED, status, world["coord_84"].id)
    assert last.comment == (comment or None)
    messages = outbox(db, kind)
    assert [m.recipient for m in messages] == [world["organiser_a"].email]
    if comment:
        assert comment in messages[0].body_text


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"decision": "request_changes", "comment": ""}, "comment",
         "Expliquez à l'organisateur les modifications à apporter."),
        ({"decision": "reject", "comment": "  "}, "comment",
         "Expliquez à l'organisateur pourquoi l'événement n'est pas retenu."),
        ({"comment": "Bien"}, "decision", "Choisissez une décision."),
        ({"decision": "archive"}, "decision", "Choisissez une décision dans la liste."),
    ],
)
def test_invalid_decision_changes_nothing(client, db, world, login_as, data, field, message):
    event = submitted(world, world["org_a"], "À décider", datetime.now(timezone.utc))
    db.session.commit()
    before = history_count(db)
    login_as(world["coord_84"])
    response = client.post(f"/moderation/evenements/{event.id}/decision", data=data)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert f'id="{field}-errors"' in page_text(response)
    db.session.refresh(event)
    assert event.status == S.SUBMITTED
    assert history_count(db) == before
    assert [m.kind for m in outbox(db)] == ["event_submitted"]


@pytest.mark.parametrize("status", [S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED, S.REJECTED, S.CANCELLED])
def test_deciding_on_an_event_that_is_not_submitted_is_refused(client, db, world, login_as, status):
    event = make_event(world["edition"], world["org_a"], status=status)
    db.session.commit()
    login_as(world["coord_84"])
    response = client.post(f"/moderation/evenements/{event.id}/decision",
                           data={"decision": "publish", "comment": "ok"})
    assert response.status_code == 403
    db.session.refresh(event)
    assert event.status == status and history_count(db) == 0 and outbox(db) == []


def test_coordinator_edits_an_event_in_scope_and_it_is_recorded(client, db, world, login_as):
    event = submitted(world, world["org_a"], "Atelier à corriger", datetime.now(timezone.utc))
    db.session.commit()
    login_as(world["coord_84"])
    page = client.get(f"/espace-organisateur/evenements/{event.id}/modifier")
    assert page.status_code == 200
    from tests.test_organiser import _event_form, form_data

    data = form_data(**{**_event_form(event), "title": "Atelier corrigé"})
    assert client.post(f"/espace-organisateur/evenements/{event.id}/modifier", data=data).status_code == 302
    db.session.refresh(event)
    assert event.title == "Atelier corrigé" and event.status == S.SUBMITTED
    last = event.status_changes[-1]
    assert last.actor_id == world["coord_84"].id and last.comment == "Modification : Titre"
    assert [m.recipient for m in outbox(db, "event_edited")] == [world["organiser_a"].email]


# --- Programme publication ----------------------------------------------------------------


def test_national_coordinator_publishes_and_unpublishes_the_programme(app, client, db, world, login_as):
    event = submitted(world, world["org_a"], "Événement du programme", datetime.now(timezone.utc))
    transition(event, S.PUBLISHED, world["coord_84"])
    db.session.commit()
    public = app.test_client()
    page = f"/evenements/{event.id}-{event.slug}"
    assert public.get(page).status_code == 404
    assert "Événement du programme" not in visible_text(public.get("/programme"))

    login_as(world["national"])
    assert "Le programme n'est pas encore public" in visible_text(client.get("/moderation/programme"))
    response = client.post("/moderation/programme/publier", data={"comment": "Lancement !"}, follow_redirects=True)
    assert "Le programme est publié" in visible_text(response)
    db.session.refresh(event)
    assert event.is_publicly_visible
    assert public.get(page).status_code == 200
    assert "Événement du programme" in visible_text(public.get("/programme"))

    # Once the programme is out, an event published later is public at once.
    later = submitted(world, world["org_a"], "Publié après coup", datetime.now(timezone.utc))
    db.session.commit()
    client.post(f"/moderation/evenements/{later.id}/decision", data={"decision": "publish"})
    assert public.get(f"/evenements/{later.id}-{later.slug}").status_code == 200

    response = client.post("/moderation/programme/retirer", data={"comment": ""}, follow_redirects=True)
    assert "Le programme n'est plus public" in visible_text(response)
    assert public.get(page).status_code == 404
    rows = list(db.session.scalars(select(EditionChange).order_by(EditionChange.id)))
    assert [(r.action, r.actor_id, r.comment) for r in rows] == [
        ("programme_published", world["national"].id, "Lancement !"),
        ("programme_unpublished", world["national"].id, None),
    ]
    history = visible_text(client.get("/moderation/programme"))
    assert "Programme publié" in history and "Programme retiré de la publication" in history


def test_regional_coordinators_cannot_publish_the_programme(client, db, world, login_as):
    login_as(world["coord_84"])
    page = visible_text(client.get("/moderation/programme"))
    assert "Seule la coordination nationale peut publier" in page
    assert client.post("/moderation/programme/publier").status_code == 403
    db.session.refresh(world["edition"])
    assert world["edition"].programme_published_at is None
    assert db.session.scalar(select(func.count()).select_from(EditionChange)) == 0


def test_publishing_twice_is_refused(client, db, world, login_as):
    world["edition"].programme_published_at = datetime.now(timezone.utc)
    db.session.commit()
    login_as(world["national"])
    response = client.post("/moderation/programme/publier")
    assert response.status_code == 403
    assert "déjà publié" in visible_text(response)
    assert db.session.scalar(select(func.count()).select_from(EditionChange)) == 0
