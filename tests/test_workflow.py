"""The event workflow services, without HTTP: the state machine as a table, history rows,
e-mails, edits of published events, duplication, deletion and programme publication."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from eventapp.models import (
    EditionChange,
    EventMode,
    EventStatus,
    EventStatusChange,
    OutboxMessage,
    RegistrationStatus,
)
from eventapp.workflow import (
    CommentRequired,
    InvalidTransition,
    NotAllowed,
    SubmissionClosed,
    changes_since_last_review,
    create_event,
    delete_event,
    duplicate_event,
    publish_programme,
    transition,
    unpublish_programme,
    update_event,
)
from eventapp.workflow import editing
from tests.factories import make_event, make_organisation, make_registration, make_user
from tests.worlds import two_organisations

S = EventStatus
ROLES = ["agent", "organiser_a", "organiser_b", "coord_84", "coord_53", "national", "admin"]
MEMBERS_AND_COORDINATORS = ["organiser_a", "coord_84", "national", "admin"]
COORDINATORS = ["coord_84", "national", "admin"]

#: Every step of the machine and the roles allowed to take it on an event of organisation A (84).
ALLOWED_STEPS = {
    (S.DRAFT, S.SUBMITTED): MEMBERS_AND_COORDINATORS,
    (S.CHANGES_REQUESTED, S.SUBMITTED): MEMBERS_AND_COORDINATORS,
    (S.SUBMITTED, S.PUBLISHED): COORDINATORS,
    (S.SUBMITTED, S.CHANGES_REQUESTED): COORDINATORS,
    (S.SUBMITTED, S.REJECTED): COORDINATORS,
    (S.PUBLISHED, S.CANCELLED): MEMBERS_AND_COORDINATORS,
}
STEP_CASES = [(source, target, role, role in allowed) for (source, target), allowed in ALLOWED_STEPS.items() for role in ROLES]
NOT_STEPS = [
    (source, target)
    for source in S
    for target in S
    if source != target and (source, target) not in ALLOWED_STEPS
]


@pytest.fixture
def world(app, db):
    world = two_organisations(published=False)
    db.session.commit()
    return world


def _event(world, status=S.DRAFT, **fields):
    return make_event(world["edition"], world["org_a"], status=status, **fields)


def _rows(db, model, **where):
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def _outbox(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


# --- The state machine ---------------------------------------------------------------------


@pytest.mark.parametrize("source,target,role,allowed", STEP_CASES)
def test_each_step_by_each_role(world, db, source, target, role, allowed):
    event = _event(world, status=source)
    db.session.commit()
    changes_before = _rows(db, EventStatusChange, event_id=event.id)
    actor = world[role]
    comment = "Merci de préciser le lieu." if target in (S.CHANGES_REQUESTED, S.REJECTED, S.CANCELLED) else None

    if allowed:
        change = transition(event, target, actor, comment)
        db.session.commit()
        assert event.status == target
        assert change.from_status == source and change.to_status == target
        assert change.actor_id == actor.id and change.comment == comment
        assert change.snapshot["title"] == event.title and change.snapshot["status"] == target.value
        assert _rows(db, EventStatusChange, event_id=event.id) == changes_before + 1
    else:
        with pytest.raises(NotAllowed):
            transition(event, target, actor, comment)
        db.session.rollback()
        db.session.refresh(event)
        assert event.status == source
        assert _rows(db, EventStatusChange, event_id=event.id) == changes_before
        assert _outbox(db) == []


@pytest.mark.parametrize("source,target", NOT_STEPS)
@pytest.mark.parametrize("role", ["organiser_a", "national"])
def test_every_other_move_is_an_invalid_transition(world, db, source, target, role):
    event = _event(world, status=source)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        transition(event, target, world[role], "Un commentaire")
    db.session.rollback()
    db.session.refresh(event)
    assert event.status == source
    assert _rows(db, EventStatusChange, event_id=event.id) == 0
    assert _outbox(db) == []


@pytest.mark.parametrize("target", [S.CHANGES_REQUESTED, S.REJECTED])
def test_decisions_other_than_publishing_need_a_comment(world, db, target):
    event = _event(world, status=S.SUBMITTED)
    db.session.commit()
    with pytest.raises(CommentRequired) as error:
        transition(event, target, world["coord_84"], "   ")
    assert "Expliquez" in error.value.message
    assert event.status == S.SUBMITTED
    assert _outbox(db) == []


def test_cancelling_needs_a_reason(world, db):
    event = _event(world, status=S.PUBLISHED)
    db.session.commit()
    with pytest.raises(CommentRequired):
        transition(event, S.CANCELLED, world["organiser_a"], "")
    assert event.status == S.PUBLISHED and event.sequence == 0


def test_organisers_submit_only_while_the_window_is_open(world, db):
    edition = world["edition"]
    edition.submissions_close_at = datetime.now(timezone.utc) - timedelta(days=1)
    event = _event(world, status=S.DRAFT)
    late = _event(world, status=S.DRAFT)
    db.session.commit()
    with pytest.raises(SubmissionClosed) as error:
        transition(event, S.SUBMITTED, world["organiser_a"])
    assert "fermé" in error.value.message
    assert event.status == S.DRAFT
    assert _outbox(db) == []
    # Coordinators may still add events after the deadline.
    transition(late, S.SUBMITTED, world["coord_84"])
    assert late.status == S.SUBMITTED


# --- History and e-mails per transition ----------------------------------------------------


def test_submission_emails_the_regional_coordinators_in_scope(world, db):
    event = _event(world)
    db.session.commit()
    transition(event, S.SUBMITTED, world["organiser_a"], "Première participation !")
    db.session.commit()
    messages = _outbox(db, "event_submitted")
    assert [m.recipient for m in messages] == [world["coord_84"].email]
    assert event.title in messages[0].subject
    assert "Première participation !" in messages[0].body_text
    assert f"/moderation/evenements/{event.id}" in messages[0].body_text


def test_submission_without_regional_coordinator_goes_to_national_ones(world, db):
    org = make_organisation(region_code="28")
    organiser = make_user(organisations=(org,))
    event = make_event(world["edition"], org, status=S.DRAFT)
    db.session.commit()
    transition(event, S.SUBMITTED, organiser)
    assert [m.recipient for m in _outbox(db, "event_submitted")] == [world["national"].email]


def test_online_event_of_a_regional_organisation_goes_to_its_region(world, db):
    event = _event(world, mode=EventMode.ONLINE, region_code=None, online_url="https://visio.example.fr/a")
    db.session.commit()
    transition(event, S.SUBMITTED, world["organiser_a"])
    assert [m.recipient for m in _outbox(db, "event_submitted")] == [world["coord_84"].email]


@pytest.mark.parametrize(
    "target,kind,words",
    [
        (S.PUBLISHED, "event_published", "publié"),
        (S.CHANGES_REQUESTED, "event_changes_requested", "Précisez le lieu, merci."),
        (S.REJECTED, "event_rejected", "Précisez le lieu, merci."),
    ],
)
def test_decisions_email_the_organisation_members(world, db, target, kind, words):
    event = _event(world, status=S.SUBMITTED)
    db.session.commit()
    comment = None if target == S.PUBLISHED else "Précisez le lieu, merci."
    transition(event, target, world["coord_84"], comment)
    db.session.commit()
    messages = _outbox(db, kind)
    assert sorted(m.recipient for m in messages) == sorted(
        [world["organiser_a"].email, world["colleague_a"].email]
    )
    assert all(words in m.body_text for m in messages)
    assert len(_outbox(db)) == 2  # nobody else


def test_publication_stamps_published_at_once(world, db):
    event = _event(world, status=S.SUBMITTED, published_at=None)
    db.session.commit()
    transition(event, S.PUBLISHED, world["national"])
    assert event.published_at is not None
    assert event.sequence == 0


def test_cancellation_bumps_sequence_and_tells_registrants_and_coordinators(world, db):
    event = _event(world, status=S.PUBLISHED)
    confirmed = make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    gone = make_registration(event, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    transition(event, S.CANCELLED, world["organiser_a"], "Intervenant indisponible")
    db.session.commit()
    assert event.status == S.CANCELLED
    assert event.sequence == 1 and event.cancelled_at is not None
    assert event.cancellation_reason == "Intervenant indisponible"
    to_registrants = _outbox(db, "event_cancelled")
    assert sorted(m.recipient for m in to_registrants) == sorted([confirmed.user.email, waiting.user.email])
    assert gone.user.email not in [m.recipient for m in _outbox(db)]
    assert all("Intervenant indisponible" in m.body_text for m in to_registrants)
    assert [m.recipient for m in _outbox(db, "event_cancelled_notice")] == [world["coord_84"].email]


def test_cancellation_by_a_coordinator_tells_the_organisation(world, db):
    event = _event(world, status=S.PUBLISHED)
    db.session.commit()
    transition(event, S.CANCELLED, world["coord_84"], "Salle indisponible")
    assert sorted(m.recipient for m in _outbox(db, "event_cancelled_notice")) == sorted(
        [world["organiser_a"].email, world["colleague_a"].email]
    )


def test_resubmission_shows_what_changed_since_the_last_review(world, db):
    event = _event(world, status=S.SUBMITTED, title="Atelier simplification")
    db.session.commit()
    transition(event, S.CHANGES_REQUESTED, world["coord_84"], "Ajoutez l'accessibilité.")
    update_event(event, world["organiser_a"], {"title": "Atelier de simplification", "accessibility_info": "Accès PMR"})
    transition(event, S.SUBMITTED, world["organiser_a"])
    db.session.commit()
    diff = changes_since_last_review(event)
    assert diff.review.to_status == S.CHANGES_REQUESTED
    assert [(c.label, c.before, c.after) for c in diff.changes] == [
        ("Titre", "Atelier simplification", "Atelier de simplification"),
        ("Accessibilité", "—", "Accès PMR"),
    ]
    resubmitted = _outbox(db, "event_submitted")[-1]
    assert resubmitted.subject.startswith("Événement modifié à modérer")


def test_history_records_creation_and_each_step(world, db):
    values = _values(world)
    event = create_event(world["organiser_a"], world["org_a"], world["edition"], values)
    transition(event, S.SUBMITTED, world["organiser_a"])
    transition(event, S.PUBLISHED, world["coord_84"])
    db.session.commit()
    steps = [(c.from_status, c.to_status, c.actor_id) for c in event.status_changes]
    assert steps == [
        (None, S.DRAFT, world["organiser_a"].id),
        (S.DRAFT, S.SUBMITTED, world["organiser_a"].id),
        (S.SUBMITTED, S.PUBLISHED, world["coord_84"].id),
    ]


# --- Creating and editing ------------------------------------------------------------------


def _values(world, **overrides):
    start = datetime(world["edition"].year, 11, 20, 9, 0, tzinfo=timezone.utc)
    values = dict(
        title="Simplificathon des démarches",
        summary="Une journée pour simplifier.",
        description="Venez **nombreux**.",
        format="simplificathon",
        themes=["simplification", "design-de-services"],
        audiences=["agents-publics"],
        language="fr",
        mode=EventMode.IN_PERSON,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        timezone="Europe/Paris",
        venue_name="Hôtel de région",
        street_address="1 esplanade François Mitterrand",
        postcode="69002",
        city="Lyon",
        departement_code="69",
        region_code="84",
        online_url="https://ignored.example.fr",
        registration_mode=editing.RegistrationMode.INTERNAL,
        capacity=30,
        has_waiting_list=True,
    )
    values.update(overrides)
    return values


def test_create_event_makes_a_searchable_draft_with_a_slug(world, db):
    event = create_event(world["organiser_a"], world["org_a"], world["edition"], _values(world))
    db.session.commit()
    assert event.status == S.DRAFT and event.sequence == 0
    assert event.slug == "simplificathon-des-demarches"
    assert "simplificathon" in event.search_text and "archipel" in event.search_text
    assert sorted(event.themes) == ["design-de-services", "simplification"]
    assert event.online_url is None  # an in-person event has no connection link


def test_create_event_for_another_organisation_is_refused(world, db):
    with pytest.raises(NotAllowed):
        create_event(world["organiser_b"], world["org_a"], world["edition"], _values(world))


def test_editing_a_published_event_title_is_recorded_without_telling_registrants(world, db):
    event = _event(world, status=S.PUBLISHED)
    make_registration(event)
    db.session.commit()
    result = update_event(event, world["organiser_a"], {"title": "Nouveau titre"})
    db.session.commit()
    assert event.status == S.PUBLISHED
    assert event.sequence == 0 and event.changed_at is None
    assert result.practical == [] and result.notified == 0
    assert event.status_changes[-1].comment == "Modification : Titre"
    assert event.status_changes[-1].from_status == event.status_changes[-1].to_status == S.PUBLISHED
    assert _outbox(db, "event_changed") == []
    assert event.slug == "nouveau-titre"
    assert "nouveau titre" in event.search_text


@pytest.mark.parametrize(
    "change,label,after",
    [
        ({"starts_at": datetime(2030, 11, 14, 14, 0, tzinfo=timezone.utc),
          "ends_at": datetime(2030, 11, 14, 16, 0, tzinfo=timezone.utc)},
         "Date et horaires", "jeudi 14 novembre 2030, de 15 h 00 à 17 h 00 (heure de Paris)"),
        ({"venue_name": "Hôtel de ville", "street_address": "1 place de la Comédie"},
         "Lieu", "Hôtel de ville, 1 place de la Comédie, 69001 Lyon"),
        ({"mode": EventMode.HYBRID, "online_url": "https://visio.example.fr/salle"}, "Modalité", "Hybride"),
    ],
)
def test_practical_change_of_a_published_event_bumps_sequence_and_tells_registrants(world, db, change, label, after):
    event = _event(world, status=S.PUBLISHED)
    confirmed = make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    result = update_event(event, world["organiser_a"], change)
    db.session.commit()
    assert event.sequence == 1 and event.changed_at is not None
    assert result.notified == 2
    messages = _outbox(db, "event_changed")
    assert sorted(m.recipient for m in messages) == sorted([confirmed.user.email, waiting.user.email])
    body = messages[0].body_text
    assert label in body and after in body and "Avant :" in body


def test_practical_change_of_a_draft_neither_bumps_nor_notifies(world, db):
    event = _event(world, status=S.DRAFT)
    db.session.commit()
    update_event(event, world["organiser_a"], {"city": "Villeurbanne"})
    assert event.sequence == 0 and event.changed_at is None
    assert event.status_changes == []  # organisers' own drafts are work in progress
    assert _outbox(db) == []


def test_coordinator_edit_is_recorded_and_shown_to_the_organisation(world, db):
    event = _event(world, status=S.SUBMITTED)
    db.session.commit()
    update_event(event, world["coord_84"], {"summary": "Un résumé plus clair."})
    db.session.commit()
    assert event.status_changes[-1].actor_id == world["coord_84"].id
    assert event.status_changes[-1].comment == "Modification : Résumé"
    messages = _outbox(db, "event_edited")
    assert sorted(m.recipient for m in messages) == sorted([world["organiser_a"].email, world["colleague_a"].email])
    assert "Un résumé plus clair." in messages[0].body_text


def test_nothing_changed_records_nothing(world, db):
    event = _event(world, status=S.PUBLISHED)
    db.session.commit()
    result = update_event(event, world["organiser_a"], {"title": event.title})
    assert not result.changed
    assert event.status_changes == []


@pytest.mark.parametrize("status", [S.REJECTED, S.CANCELLED])
def test_closed_events_cannot_be_edited(world, db, status):
    event = _event(world, status=status)
    db.session.commit()
    with pytest.raises(NotAllowed):
        update_event(event, world["organiser_a"], {"title": "Autre"})
    assert event.title != "Autre"


def test_other_organisations_and_other_regions_cannot_edit(world, db):
    event = _event(world, status=S.PUBLISHED)
    db.session.commit()
    for role in ("organiser_b", "coord_53", "agent"):
        with pytest.raises(NotAllowed):
            update_event(event, world[role], {"title": "Piraté"})
    assert event.title != "Piraté"


def test_raising_capacity_promotes_from_the_waiting_list(world, db):
    event = _event(world, status=S.PUBLISHED, capacity=1, starts_at=datetime.now(timezone.utc) + timedelta(days=3))
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    result = update_event(event, world["organiser_a"], {"capacity": 2})
    db.session.commit()
    assert [r.id for r in result.promoted] == [waiting.id]
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.recipient for m in _outbox(db, "registration_promoted")] == [waiting.user.email]
    assert event.sequence == 0  # capacity is not a practical change


# --- Duplicate and delete ------------------------------------------------------------------


def test_duplicate_makes_a_fresh_draft_copy(world, db):
    event = _event(world, status=S.PUBLISHED, themes=("simplification", "numerique-ia"))
    make_registration(event)
    event.sequence = 3
    db.session.commit()
    copy = duplicate_event(event, world["organiser_a"])
    db.session.commit()
    assert copy.id != event.id
    assert copy.status == S.DRAFT and copy.sequence == 0 and copy.published_at is None
    assert copy.title == f"{event.title} (copie)"
    assert sorted(copy.themes) == ["numerique-ia", "simplification"]
    assert (copy.starts_at, copy.city, copy.capacity) == (event.starts_at, event.city, event.capacity)
    assert copy.organisation_id == event.organisation_id
    assert [c.comment for c in copy.status_changes] == [f"Copie de l'événement n° {event.id} « {event.title} »"]
    assert _rows(db, EventStatusChange, event_id=event.id) == 0


def test_duplicate_is_refused_to_other_organisations(world, db):
    event = _event(world)
    db.session.commit()
    with pytest.raises(NotAllowed):
        duplicate_event(event, world["organiser_b"])


def test_only_drafts_are_deleted(world, db):
    draft = _event(world, status=S.DRAFT)
    submitted = _event(world, status=S.SUBMITTED)
    db.session.commit()
    draft_id = draft.id
    with pytest.raises(NotAllowed):
        delete_event(draft, world["organiser_b"])
    with pytest.raises(InvalidTransition):
        delete_event(submitted, world["organiser_a"])
    delete_event(draft, world["organiser_a"])
    db.session.commit()
    assert db.session.get(type(draft), draft_id) is None
    assert db.session.get(type(submitted), submitted.id) is not None


# --- Programme publication -----------------------------------------------------------------


def test_programme_publication_switches_public_visibility(world, db):
    edition = world["edition"]
    event = _event(world, status=S.PUBLISHED)
    db.session.commit()
    assert not event.is_publicly_visible
    publish_programme(edition, world["national"])
    db.session.commit()
    assert event.is_publicly_visible
    with pytest.raises(InvalidTransition):
        publish_programme(edition, world["national"])
    unpublish_programme(edition, world["admin"], "Erreur de date")
    db.session.commit()
    assert not event.is_publicly_visible
    rows = list(db.session.scalars(select(EditionChange).order_by(EditionChange.id)))
    assert [(r.action, r.actor_id, r.comment) for r in rows] == [
        ("programme_published", world["national"].id, None),
        ("programme_unpublished", world["admin"].id, "Erreur de date"),
    ]


@pytest.mark.parametrize("role", ["coord_84", "organiser_a", "agent"])
def test_only_national_coordinators_publish_the_programme(world, db, role):
    with pytest.raises(NotAllowed):
        publish_programme(world["edition"], world[role])
    assert world["edition"].programme_published_at is None
    assert _rows(db, EditionChange) == 0
