"""The data version and what is keyed on it: the programme pages' cache and 304s, the feeds' validators."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from eventapp import dataversion
from eventapp.extensions import db
from eventapp.models import DataVersion, Event, OutboxMessage, RegistrationStatus
from eventapp.programme import caching
from tests import factories as f
from tests.helpers import page_text
from tests.programme_support import count_queries, public_event


@pytest.fixture
def programme(app):
    edition = f.make_edition(2030)
    organisation = f.make_organisation("53", name="Ti Lab", slug="ti-lab")
    event = public_event(edition, organisation, title="Atelier des usagers", capacity=3, has_waiting_list=False)
    db.session.commit()
    caching.page_cache.clear()
    return {"edition": edition, "organisation": organisation, "event": event}


def version():
    found = dataversion.current()
    db.session.commit()  # end the read transaction
    return found


def refuse_to_render(monkeypatch):
    from eventapp.programme import views

    def fail(*args, **kwargs):
        raise AssertionError("the page was rendered")

    monkeypatch.setattr(views, "render_template", fail)


# --- The data version -----------------------------------------------------------------------------


def test_no_version_before_anything_is_written(app):
    assert version() is None


def test_every_committed_write_raises_the_version(app, programme):
    first = version()
    assert first is not None
    programme["event"].title = "Atelier des agents"
    db.session.commit()
    second = version()
    assert second.token != first.token

    # Statements through the session count too (bulk updates, inserts), and so does raw SQL.
    db.session.execute(update(Event).values(capacity=10))
    db.session.commit()
    third = version()
    assert third.token != second.token
    db.session.execute(text("UPDATE event SET capacity = 12"))
    db.session.commit()
    assert version().token != third.token


def test_reads_rollbacks_and_untracked_tables_leave_the_version(app, programme):
    first = version()
    db.session.scalars(select(Event)).all()
    db.session.commit()
    assert version() == first

    programme["event"].title = "Jamais enregistré"
    db.session.flush()
    db.session.rollback()
    assert version() == first

    # The outbox changes nothing a page shows (the sender writes to it all day long).
    db.session.execute(insert(OutboxMessage).values(
        recipient="a@example.org", subject="Objet", body_text="Texte", kind="test",
        created_at=datetime.now(timezone.utc), next_attempt_at=datetime.now(timezone.utc),
    ))
    db.session.commit()
    assert version() == first


def test_savepoints_leave_the_bump_to_the_real_commit(app, programme):
    first = version()
    programme["event"].title = "Écrit avant le point de sauvegarde"
    db.session.flush()
    try:
        with db.session.begin_nested():
            programme["event"].capacity = 99
            db.session.flush()
            raise RuntimeError("rolled back to the savepoint")
    except RuntimeError:
        pass
    with db.session.begin_nested():
        db.session.flush()
    db.session.commit()
    assert version().token != first.token  # what was written before the savepoint still counts


def test_another_session_writing_is_seen(app, programme):
    """Another process is another session: its commit raises the version every process reads."""
    first = version()
    with Session(db.engine) as other:
        other.execute(update(Event).values(title="Changé ailleurs"))
        other.commit()
    assert version().token != first.token


def test_emptied_tables_never_repeat_a_version(app, programme):
    first = version()
    db.session.execute(DataVersion.__table__.delete())
    db.session.commit()
    assert version() is None or version().token != first.token
    programme["event"].title = "Encore"
    db.session.commit()
    again = version()
    assert again is not None and again.token != first.token


def test_cache_bump_command(app, programme, runner):
    first = version()
    result = runner.invoke(args=["cache", "bump"])
    assert result.exit_code == 0, result.output
    assert "relevée" in result.output
    assert version().token != first.token


def test_versioned_cache_never_returns_a_value_of_another_version():
    cache = dataversion.VersionedCache(max_entries=2)
    v1 = dataversion.Version("one")
    v2 = dataversion.Version("two")
    assert cache.get_or_compute(v1, "page", lambda: "first") == "first"
    assert cache.get_or_compute(v1, "page", lambda: "recomputed") == "first"
    assert cache.get_or_compute(v2, "page", lambda: "second") == "second"
    assert cache.get_or_compute(None, "page", lambda: "uncached") == "uncached"
    assert cache.get_or_compute(v1, "other", lambda: None) is None  # nothing kept
    cache.get_or_compute(v2, "third", lambda: "x")
    assert len(cache) == 2  # least recently used dropped


# --- The programme page ---------------------------------------------------------------------------


def test_programme_page_revalidates_with_a_304_without_rendering(client, programme, monkeypatch):
    first = client.get("/programme")
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in first.headers["Vary"]

    refuse_to_render(monkeypatch)
    with count_queries() as statements:
        again = client.get("/programme", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert len(statements) == 1, statements  # the data version, nothing else

    # A repeat without validators comes from the cache: same bytes, no rendering.
    with count_queries() as statements:
        cached = client.get("/programme")
    assert cached.status_code == 200 and cached.data == first.data
    assert len(statements) == 1, statements


def test_a_registration_changes_the_page_and_its_etag(client, programme):
    first = client.get("/programme")
    assert "3 places restantes" in page_text(first)
    f.make_registration(programme["event"])
    db.session.commit()
    second = client.get("/programme", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "2 places restantes" in page_text(second)


def test_a_change_by_another_process_reaches_the_cached_page(client, programme):
    assert "Atelier des usagers" in page_text(client.get("/programme"))
    db.session.commit()  # (in-memory SQLite: one connection, free it for the other session)
    with Session(db.engine) as other:
        other.execute(update(Event).values(title="Atelier renommé", search_text="atelier renomme"))
        other.commit()
    assert "Atelier renommé" in page_text(client.get("/programme"))


def test_each_address_has_its_page(client, programme):
    everything = client.get("/programme")
    elsewhere = client.get("/programme?region=84")
    assert elsewhere.headers["ETag"] != everything.headers["ETag"]
    assert "Atelier des usagers" in page_text(everything)
    assert "Atelier des usagers" not in page_text(elsewhere)
    assert client.get("/").headers["ETag"] != everything.headers["ETag"]
    # Behind a proxy that serves both schemes, each gets its own absolute links.
    secure = client.get("/programme", base_url="https://localhost")
    assert '<link rel="canonical" href="https://localhost/">' in page_text(secure)
    assert '<link rel="canonical" href="http://localhost/">' in page_text(client.get("/programme"))


def test_signed_in_users_get_their_own_page_every_time(client, login_as, programme):
    anonymous = client.get("/programme")
    agent = f.make_user(name="Camille Martin")
    db.session.commit()
    login_as(agent)
    response = client.get("/programme", headers={"If-None-Match": anonymous.headers["ETag"]})
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert "Camille Martin" in page_text(response)
    assert "Camille Martin" not in page_text(anonymous)



def test_a_remembered_user_whose_session_ended_gets_their_own_page(app, client, programme):
    """The browser was closed: only the "remember me" cookie is left, and it still signs the user in."""
    f.make_user("camille@exemple.gouv.fr", name="Camille Martin")
    db.session.commit()
    anonymous = client.get("/programme")
    client.post("/connexion", data={"email": "camille@exemple.gouv.fr", "password": f.PASSWORD, "remember": "y"})
    cookie_name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    later = app.test_client()
    later.set_cookie(cookie_name, client.get_cookie(cookie_name).value)
    response = later.get("/programme", headers={"If-None-Match": anonymous.headers["ETag"]})
    assert response.status_code == 200 and "ETag" not in response.headers
    assert "Camille Martin" in page_text(response)


def test_a_visitor_s_revalidation_never_loads_an_account(client, programme, monkeypatch):
    """No session naming an account, no "remember me" cookie: Flask-Login is not asked at all."""
    from eventapp.extensions import login_manager

    etag = client.get("/programme").headers["ETag"]

    def fail(*args, **kwargs):
        raise AssertionError("the account was loaded")

    monkeypatch.setattr(login_manager, "_load_user", fail)
    assert client.get("/programme", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/programme").status_code == 200

def test_a_pending_message_is_shown_not_the_cached_page(client, programme):
    client.get("/programme")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Vous êtes déconnecté·e.")]
    response = client.get("/programme")
    assert "Vous êtes déconnecté·e." in page_text(response)
    assert "ETag" not in response.headers
    assert "Vous êtes déconnecté·e." not in page_text(client.get("/programme"))


def test_archives_are_cached_too(client, programme):
    past = f.make_edition(2029)
    public_event(past, programme["organisation"], title="Atelier d'antan",
                 starts_at=datetime(2029, 11, 5, 10, tzinfo=timezone.utc))
    db.session.commit()
    first = client.get("/archives/2029")
    assert "Atelier d'antan" in page_text(first)
    assert client.get("/archives/2029", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_redirects_and_errors_are_not_cached(client, programme):
    assert client.get("/archives/1999").status_code == 404
    assert client.get("/archives/1999").status_code == 404
    assert client.get("/archives/2030").status_code == 302  # the public edition is no archive


# --- Feeds ----------------------------------------------------------------------------------------


def test_feed_revalidation_reads_only_the_data_version(client, programme):
    first = client.get("/programme.ics")
    assert first.status_code == 200
    with count_queries() as statements:
        again = client.get("/programme.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert len(statements) == 1, statements  # the data version: the public edition is known at this version

    # A write moves the feed's validators at once.
    registration = f.make_registration(programme["event"], status=RegistrationStatus.CONFIRMED)
    programme["event"].title = "Atelier renommé"
    db.session.commit()
    moved = client.get("/programme.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and b"Atelier renomm" in moved.data
    assert registration.id


def test_personal_feed_revalidation_is_cheap(client, programme):
    agent = f.make_user()
    f.make_registration(programme["event"], agent)
    db.session.commit()
    url = f"/agenda/{agent.feed_token}.ics"
    first = client.get(url)
    assert first.status_code == 200
    with count_queries() as statements:
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(statements) == 1, statements  # the data version: the token's owner is known at this version

    # A renewed link stops working at once, in every process (the renewal raises the data version).
    agent.renew_feed_token()
    db.session.commit()
    assert client.get(url).status_code == 404
