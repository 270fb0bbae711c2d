"""The dashboard's figures against a hand-counted edition, nationally and for one region."""
from contextlib import contextmanager
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from eventapp.admin import stats
from eventapp.models import (
    EventMode,
    EventStatus,
    Event,
    EventStatusChange,
    RegistrationMode,
    RegistrationStatus,
)
from tests.factories import make_edition, make_event, make_organisation, make_registration

S = EventStatus
AFTER = datetime(2030, 12, 1, tzinfo=timezone.utc)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def change(db, event, from_status, to_status, at):
    db.session.add(EventStatusChange(event=event, from_status=from_status, to_status=to_status, created_at=at))
    db.session.flush()


@pytest.fixture
def edition(app, db):
    edition = make_edition(2030)
    a = make_organisation("53", slug="org-a")
    b = make_organisation("84", slug="org-b")
    c = make_organisation("04", slug="org-c")
    e1 = make_event(edition, a, starts_at=utc(2030, 11, 14, 13), capacity=10,
                    themes=("simplification", "design-de-services"))
    for attended in (True, True, True, False):
        make_registration(e1, attended=attended)
    make_registration(e1, status=RegistrationStatus.WAITLISTED)
    make_registration(e1, status=RegistrationStatus.CANCELLED)
    e2 = make_event(edition, a, starts_at=utc(2030, 11, 14, 22, 30), mode=EventMode.ONLINE, region_code=None,
                    format="webinaire", themes=("numerique-ia",), capacity=None)
    make_registration(e2)
    make_registration(e2)
    e3 = make_event(edition, b, starts_at=utc(2030, 11, 3, 8), format="conference", capacity=2)
    make_registration(e3, attended=True)
    make_registration(e3)
    for _ in range(3):
        make_registration(e3, status=RegistrationStatus.WAITLISTED)
    make_event(edition, c, starts_at=utc(2030, 11, 5, 21), mode=EventMode.HYBRID, timezone="Indian/Reunion",
               registration_mode=RegistrationMode.EXTERNAL, external_registration_url="https://example.org",
               themes=("inclusion-accessibilite",))
    e5 = make_event(edition, a, status=S.SUBMITTED)
    make_event(edition, b, status=S.CHANGES_REQUESTED)
    make_event(edition, b, status=S.DRAFT)
    e8 = make_event(edition, a, status=S.REJECTED)
    make_event(edition, b, status=S.CANCELLED)
    # Another edition's events never count.
    make_event(make_edition(2029), a)

    change(db, e5, S.DRAFT, S.SUBMITTED, utc(2030, 10, 1, 10))
    change(db, e1, S.DRAFT, S.SUBMITTED, utc(2030, 10, 1, 8))
    change(db, e1, S.SUBMITTED, S.PUBLISHED, utc(2030, 10, 2, 8))  # 24 h
    change(db, e3, S.DRAFT, S.SUBMITTED, utc(2030, 10, 1, 0))
    change(db, e3, S.SUBMITTED, S.CHANGES_REQUESTED, utc(2030, 10, 1, 12))  # 12 h
    change(db, e3, S.CHANGES_REQUESTED, S.SUBMITTED, utc(2030, 10, 3, 0))
    change(db, e3, S.SUBMITTED, S.PUBLISHED, utc(2030, 10, 5, 0))  # 48 h
    change(db, e8, S.DRAFT, S.SUBMITTED, utc(2030, 10, 10, 0))
    change(db, e8, S.SUBMITTED, S.REJECTED, utc(2030, 10, 10, 6))  # 6 h
    return edition


def test_national_figures(edition):
    board = stats.dashboard(edition, None, now=AFTER)
    assert board.statuses == {S.DRAFT: 1, S.SUBMITTED: 1, S.CHANGES_REQUESTED: 1, S.PUBLISHED: 4,
                              S.REJECTED: 1, S.CANCELLED: 1}
    assert {code: (row.published, row.in_review) for code, row in board.regions.items()} == {
        "53": (1, 1), None: (1, 0), "84": (1, 1), "04": (1, 0),
    }
    assert board.formats == {"atelier-collaboratif": 2, "webinaire": 1, "conference": 1}
    assert board.themes == {"simplification": 2, "design-de-services": 1, "numerique-ia": 1,
                            "inclusion-accessibilite": 1}
    assert {day: n for day, n in board.days.items() if n} == {
        date(2030, 11, 3): 1, date(2030, 11, 6): 1, date(2030, 11, 14): 2,
    }
    assert len(board.days) == 30
    assert board.modes == {EventMode.IN_PERSON: 2, EventMode.ONLINE: 1, EventMode.HYBRID: 1}
    assert board.online_share == 0.25


def test_national_registrations_attendance_moderation(edition):
    board = stats.dashboard(edition, None, now=AFTER)
    r = board.registrations
    assert (r.events, r.limited_events, r.capacity, r.confirmed_in_limited) == (3, 2, 12, 6)
    assert (r.confirmed, r.waitlisted, r.full_events, r.events_with_waiting_list) == (8, 4, 1, 2)
    assert r.fill_rate == 0.5
    a = board.attendance
    assert (a.past_events, a.recorded_events, a.recorded, a.no_shows) == (3, 2, 5, 1)
    assert a.no_show_rate == 0.2
    m = board.moderation
    assert m.backlog == 1
    assert m.oldest_waiting_since == utc(2030, 10, 1, 10)
    assert m.decisions == 4 and m.median_hours == 18


def test_no_attendance_before_the_events_end(edition):
    before = stats.attendance(edition, None, now=utc(2030, 11, 1))
    assert before.past_events == 0 and before.no_show_rate is None


def test_regional_scope_is_region_plus_online_events_of_its_organisations(edition):
    board = stats.dashboard(edition, "53", now=AFTER)
    assert board.statuses[S.PUBLISHED] == 2 and board.statuses[S.SUBMITTED] == 1
    assert board.statuses[S.REJECTED] == 1 and board.statuses[S.DRAFT] == 0
    assert {code: (row.published, row.in_review) for code, row in board.regions.items()} == {
        "53": (1, 1), None: (1, 0),
    }
    assert board.modes == {EventMode.IN_PERSON: 1, EventMode.ONLINE: 1, EventMode.HYBRID: 0}
    r = board.registrations
    assert (r.events, r.capacity, r.confirmed, r.waitlisted) == (2, 10, 6, 1)
    assert board.moderation.decisions == 2 and board.moderation.median_hours == 15
    assert stats.dashboard(edition, "94").published == 0


@contextmanager
def count_queries(db):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", before)


def test_one_query_per_block_whatever_the_number_of_events(edition, db):
    db.session.expire_all()
    edition.starts_on  # reload the edition itself outside the count
    with count_queries(db) as small:
        stats.dashboard(edition, None, now=AFTER)
    for _ in range(20):
        make_registration(make_event(edition, starts_at=utc(2030, 11, 20, 9)))
    db.session.expire_all()
    edition.starts_on
    with count_queries(db) as large:
        stats.dashboard(edition, "53", now=AFTER)
    # status, region, format, theme, day, mode, registrations, attendance, backlog, decisions
    assert len(small) == len(large) == 10


def test_edits_during_review_do_not_restart_the_moderation_clock(edition, db):
    """An edit of a submitted event is recorded submitted → submitted: not a new submission."""
    waiting = db.session.scalars(
        select(Event).where(Event.edition_id == edition.id, Event.status == S.SUBMITTED)
    ).one()
    change(db, waiting, S.SUBMITTED, S.SUBMITTED, utc(2030, 10, 20, 0))
    rejected = db.session.scalars(
        select(Event).where(Event.edition_id == edition.id, Event.status == S.REJECTED)
    ).one()
    db.session.add(EventStatusChange(event=rejected, from_status=S.SUBMITTED, to_status=S.SUBMITTED,
                                     created_at=utc(2030, 10, 10, 3)))
    db.session.flush()
    # The rejection must still count 6 h from the real submission, whatever the order of ids.
    m = stats.dashboard(edition, None, now=AFTER).moderation
    assert m.oldest_waiting_since == utc(2030, 10, 1, 10)
    assert m.decisions == 4 and m.median_hours == 18
