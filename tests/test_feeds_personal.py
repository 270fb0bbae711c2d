"""The personal feed ``/agenda/<token>.ics``: one agent's registrations, behind a secret, renewable token."""
from datetime import datetime, timedelta, timezone

import pytest

from eventapp.models import EventMode, EventStatus, RegistrationStatus
from tests import factories as f
from tests.feeds_support import QueryCounter, age_everything, parse_all

UTC = timezone.utc
START = datetime(2030, 11, 14, 13, 0, tzinfo=UTC)


@pytest.fixture
def agenda(db):
    """Agent ``alice`` confirmed for a webinar, second on a waiting list, cancelled for a third event;
    ``bob`` has registrations of his own."""
    edition = f.make_edition(2030)
    lab = f.make_organisation("84", name="Archipel", slug="archipel")
    webinar = f.make_event(
        edition, lab, title="Webinaire", mode=EventMode.HYBRID, online_url="https://visio.example/salle-42",
        starts_at=START,
    )
    full = f.make_event(edition, lab, title="Atelier complet", capacity=1, starts_at=START + timedelta(days=1))
    dropped = f.make_event(edition, lab, title="Atelier quitté", starts_at=START + timedelta(days=2))
    other = f.make_event(edition, lab, title="Réservé à Bob", starts_at=START + timedelta(days=3))
    alice, bob, carol = f.make_user(name="Alice"), f.make_user(name="Bob"), f.make_user(name="Carol")
    regs = dict(
        webinar=f.make_registration(webinar, alice),
        full_carol=f.make_registration(full, carol),
        full_bob=f.make_registration(full, bob, status=RegistrationStatus.WAITLISTED,
                                     waitlisted_at=datetime.now(UTC) - timedelta(minutes=10)),
        full=f.make_registration(full, alice, status=RegistrationStatus.WAITLISTED),
        dropped=f.make_registration(dropped, alice, status=RegistrationStatus.CANCELLED,
                                    cancelled_at=datetime.now(UTC)),
        other=f.make_registration(other, bob),
    )
    db.session.commit()
    return dict(alice=alice, bob=bob, carol=carol, webinar=webinar, full=full, dropped=dropped,
                other=other, regs=regs)


def feed(client, user, **headers):
    response = client.get(f"/agenda/{user.feed_token}.ics", headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def test_personal_feed_shows_the_agents_registrations_only(client, agenda):
    response = feed(client, agenda["alice"])
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert "attachment" not in response.headers["Content-Disposition"]
    parsed = parse_all(response.data)
    assert len(parsed.events) == 3
    with pytest.raises(KeyError):
        parsed.by_id(agenda["other"].id)
    assert "Alice" not in parsed.raw.decode() and agenda["alice"].email not in parsed.raw.decode()
    assert agenda["alice"].feed_token not in parsed.raw.decode()

    confirmed = parsed.by_id(agenda["webinar"].id)
    assert confirmed.status == "CONFIRMED" and confirmed.summary == "Webinaire"
    assert "https://visio.example/salle-42" in confirmed.description

    waiting = parsed.by_id(agenda["full"].id)
    assert waiting.status == "TENTATIVE"
    assert waiting.summary == "Atelier complet (liste d'attente, position 2)"
    assert "visio" not in waiting.description

    dropped = parsed.by_id(agenda["dropped"].id)
    assert dropped.status == "CANCELLED"
    assert dropped.summary == "INSCRIPTION ANNULÉE – Atelier quitté"
    assert dropped.sequence >= 1

    bob = parse_all(feed(client, agenda["bob"]).data)
    assert bob.by_id(agenda["full"].id).summary.endswith("(liste d'attente, position 1)")
    assert set(bob.events) & set(parsed.events) == {f"event-{agenda['full'].id}@127.0.0.1:5000"}


def test_online_link_only_for_confirmed_registrants(db, client, agenda):
    webinar_full = f.make_event(
        agenda["webinar"].edition, agenda["webinar"].organisation, title="Visio complète",
        mode=EventMode.ONLINE, online_url="https://visio.example/complet", venue_name=None,
        street_address=None, postcode=None, city=None,
    )
    f.make_registration(webinar_full, agenda["alice"], status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    data = feed(client, agenda["alice"]).data.decode()
    assert "https://visio.example/salle-42" in data
    assert "visio.example/complet" not in data


def test_same_uid_as_the_public_feeds(client, agenda):
    personal = parse_all(feed(client, agenda["alice"]).data)
    public = parse_all(client.get("/programme.ics").data)
    assert set(personal.events) <= set(public.events)


def test_cancelling_and_promotion_update_the_feed(db, client, agenda):
    from eventapp.registrations.services import cancel_registration

    age_everything()
    alice, bob = agenda["alice"], agenda["bob"]
    first = feed(client, alice)
    before = parse_all(first.data)

    # Carol leaves: Bob is promoted, Alice moves up to first place.
    cancel_registration(agenda["regs"]["full_carol"], agenda["carol"], notify=False)
    db.session.commit()
    second = feed(client, alice, **{"If-None-Match": first.headers["ETag"]})
    assert second.headers["ETag"] != first.headers["ETag"]
    moved_up = parse_all(second.data).by_id(agenda["full"].id)
    assert moved_up.summary.endswith("(liste d'attente, position 1)")
    bob_feed = parse_all(feed(client, bob).data).by_id(agenda["full"].id)
    assert bob_feed.status == "CONFIRMED"
    assert bob_feed.sequence > before.by_id(agenda["full"].id).sequence

    # Alice cancels her confirmed seat at the webinar.
    cancel_registration(agenda["regs"]["webinar"], alice, notify=False)
    db.session.commit()
    after = parse_all(feed(client, alice).data).by_id(agenda["webinar"].id)
    assert after.status == "CANCELLED"
    assert after.sequence > before.by_id(agenda["webinar"].id).sequence
    assert "visio.example" not in after.description


def test_event_cancellation_reaches_the_personal_feed(db, client, agenda):
    from eventapp.workflow.transitions import cancel_event

    organiser = f.make_user(organisations=(agenda["webinar"].organisation,))
    before = parse_all(feed(client, agenda["alice"]).data).by_id(agenda["webinar"].id)
    cancel_event(agenda["webinar"], organiser, "Intervenant malade")
    db.session.commit()
    after = parse_all(feed(client, agenda["alice"]).data).by_id(agenda["webinar"].id)
    assert after.status == "CANCELLED" and after.summary == "ANNULÉ – Webinaire"
    assert after.sequence > before.sequence
    assert "visio.example" not in after.description


def test_personal_feed_revalidation(client, agenda):
    age_everything()
    first = feed(client, agenda["alice"])
    assert first.headers["X-Robots-Tag"] == "noindex, nofollow"
    url = f"/agenda/{agenda['alice'].feed_token}.ics"
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.headers["Cache-Control"] == "private, max-age=3600"


def test_a_repeat_without_validators_is_not_rebuilt(client, agenda):
    """Calendar clients that poll without validators get the kept bytes: only the data version is read."""
    from tests.programme_support import count_queries

    first = feed(client, agenda["alice"])
    with count_queries() as again:
        second = feed(client, agenda["alice"])
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    reads = [s for s in again if not s.lstrip().upper().startswith("BEGIN")]
    assert len(reads) == 1 and "data_version" in reads[0], again
    # Each agent gets their own calendar, kept or not.
    bob = parse_all(feed(client, agenda["bob"]).data)
    assert bob.by_id(agenda["other"].id) and parse_all(feed(client, agenda["bob"]).data).raw == bob.raw
    with pytest.raises(KeyError):
        parse_all(second.data).by_id(agenda["other"].id)

def test_renewed_token_kills_the_old_url(db, client, agenda):
    alice = agenda["alice"]
    old_url = f"/agenda/{alice.feed_token}.ics"
    assert client.get(old_url).status_code == 200
    alice.renew_feed_token()
    db.session.commit()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/agenda/{alice.feed_token}.ics").status_code == 200


@pytest.mark.parametrize(
    "token",
    ["inconnu", "inconnu.inconnu", ".", "", "x" * 300, "selector-only.", "{selector}", "{selector}.wrong",
     "{selector}.{secret}x", "{secret}.{selector}"],
)
def test_unknown_or_malformed_tokens_answer_404(client, agenda, token):
    alice = agenda["alice"]
    token = token.format(selector=alice.feed_token_selector, secret=alice.feed_token_secret)
    assert client.get(f"/agenda/{token}.ics").status_code == 404


def test_inactive_account_feed_answers_404(db, client, agenda):
    agenda["alice"].is_active = False
    db.session.commit()
    assert client.get(f"/agenda/{agenda['alice'].feed_token}.ics").status_code == 404


def test_personal_feed_takes_a_bounded_number_of_queries(db, client, agenda):
    alice = agenda["alice"]
    url = f"/agenda/{alice.feed_token}.ics"
    db.session.expunge_all()
    with QueryCounter() as small:
        assert client.get(url).status_code == 200
    alice = db.session.merge(alice)
    for n in range(25):
        event = f.make_event(db.session.merge(agenda["webinar"]).edition, db.session.merge(agenda["webinar"]).organisation,
                             starts_at=START + timedelta(hours=n), capacity=1)
        if n % 3 == 0:
            f.make_registration(event, alice)
        else:
            f.make_registration(event)
            f.make_registration(event, alice, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    db.session.expunge_all()
    with QueryCounter() as large:
        parsed = parse_all(client.get(url).data)
    assert len(parsed.events) == 28
    assert large.count == small.count, (small.statements, large.statements)


def test_events_no_longer_public_leave_the_personal_feed(db, client, agenda):
    agenda["dropped"].status = EventStatus.CHANGES_REQUESTED
    db.session.commit()
    parsed = parse_all(feed(client, agenda["alice"]).data)
    assert len(parsed.events) == 2
