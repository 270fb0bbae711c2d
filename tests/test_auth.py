"""Accounts: sign-up, e-mail verification, log-in/out, rate limits, password reset and change."""
import re
import time

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from eventapp.models import OutboxMessage, User
from tests.factories import PASSWORD, make_organisation, make_user
from tests.helpers import page_text, visible_text

NEW_PASSWORD = "une nouvelle phrase secrète"
LOGIN_FAILED = "Adresse e-mail ou mot de passe incorrect."


# --- helpers ---------------------------------------------------------------------------

def outbox(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def link_path(message: OutboxMessage, prefix: str) -> str:
    """The path of the first link in the message's text that starts with ``prefix``."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", message.body_text)
    assert match, f"no {prefix} link in: {message.body_text}"
    return match.group(1)


def user_by_email(db, email):
    return db.session.scalars(select(User).where(User.email == email)).first()


def sign_up(client, email="Claire.Martin@Exemple.gouv.fr", password="une phrase de passe", headers=None, **fields):
    data = dict(
        name="Claire Martin",
        email=email,
        administration="Préfecture de la région Bretagne",
        job_title="Cheffe de projet",
        password=password,
        password_confirm=password,
    )
    data.update(fields)
    return client.post("/creer-un-compte", data=data, headers=headers or {})


def log_in(client, email, password=PASSWORD, remember=False, address="127.0.0.1", url="/connexion"):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def is_logged_in(client) -> bool:
    return client.get("/mon-compte").status_code == 200


@pytest.fixture
def issued_ago(monkeypatch):
    """``with issued_ago(seconds):`` makes the signed links created inside the block that old."""
    from contextlib import contextmanager

    from itsdangerous.timed import TimestampSigner

    @contextmanager
    def ago(seconds):
        with monkeypatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() - seconds))
            yield

    return ago


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", page_text(response), re.S).group(1).strip()


# --- sign-up ---------------------------------------------------------------------------

def test_signup_form_is_in_french_with_every_field(client):
    response = client.get("/creer-un-compte")
    assert response.status_code == 200
    text = page_text(response)
    assert title_of(response).startswith("Créer un compte")
    for label in ("Prénom et nom", "Adresse e-mail", "Administration ou employeur", "Fonction (facultatif)",
                  "Mot de passe", "Confirmation du mot de passe"):
        assert label in text
    assert "12 caractères au minimum" in text


def test_signup_creates_an_unverified_account_and_queues_a_working_link(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Vérifiez votre messagerie" in page_text(page)
    assert "claire.martin@exemple.gouv.fr" in page_text(page)

    user = user_by_email(db, "claire.martin@exemple.gouv.fr")
    assert user is not None
    assert user.email_verified_at is None
    assert user.administration == "Préfecture de la région Bretagne"
    assert user.job_title == "Cheffe de projet"
    assert check_password_hash(user.password_hash, "une phrase de passe")
    assert not is_logged_in(client)

    [message] = outbox(db)
    assert message.kind == "verify_email"
    assert message.recipient == "claire.martin@exemple.gouv.fr"
    assert "Confirmez votre adresse" in message.subject
    path = link_path(message, "/verifier-email/")

    verified = client.get(path)
    assert verified.status_code == 200
    assert "Adresse e-mail vérifiée" in page_text(verified)
    db.session.expire_all()
    assert user_by_email(db, "claire.martin@exemple.gouv.fr").email_verified_at is not None


def test_e_mail_links_use_the_configured_host_not_the_request_host(client, db, app):
    sign_up(client, headers={"Host": "evil.example"})
    [message] = outbox(db)
    assert "evil.example" not in message.body_text
    assert f"//{app.config['SITE_HOST']}/verifier-email/" in message.body_text


def test_signup_with_an_existing_address_looks_the_same_and_mails_the_owner(client, db):
    make_user("claire.martin@exemple.gouv.fr", name="Claire Martin")
    db.session.commit()
    other = client.application.test_client()

    existing = sign_up(client, email="CLAIRE.MARTIN@exemple.gouv.fr", name="Quelqu'un d'autre")
    new = sign_up(other, email="paul.durand@exemple.gouv.fr")
    assert existing.status_code == new.status_code == 302
    assert existing.headers["Location"] == new.headers["Location"]
    existing_page = visible_text(client.get(existing.headers["Location"]))
    new_page = visible_text(other.get(new.headers["Location"]))
    assert existing_page.replace("claire.martin", "X") == new_page.replace("paul.durand", "X")

    assert db.session.scalar(select(func.count(User.id))) == 2
    assert user_by_email(db, "claire.martin@exemple.gouv.fr").name == "Claire Martin"
    exists = outbox(db, "account_exists")
    assert [m.recipient for m in exists] == ["claire.martin@exemple.gouv.fr"]
    assert [m.recipient for m in outbox(db, "verify_email")] == ["paul.durand@exemple.gouv.fr"]
    # The message carries a reset link that works.
    reset = client.get(link_path(exists[0], "/reinitialiser-mot-de-passe/"))
    assert reset.status_code == 200
    assert "Choisir un nouveau mot de passe" in page_text(reset)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"password": "court", "password_confirm": "court"}, "au moins 12 caractères"),
        ({"password_confirm": "une autre phrase"}, "Les deux mots de passe ne sont pas identiques."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
        ({"name": ""}, "Indiquez votre nom."),
        ({"administration": ""}, "Indiquez votre administration ou votre employeur."),
    ],
)
def test_signup_refuses_bad_input_in_french_and_creates_nothing(client, db, fields, message):
    response = sign_up(client, **fields)
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Le formulaire contient" in page_text(response)
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert outbox(db) == []


def test_signed_in_user_visiting_signup_goes_to_their_account(client, db, login_as):
    user = make_user()
    db.session.commit()
    login_as(user)
    response = client.get("/creer-un-compte")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mon-compte")


# --- e-mail verification ---------------------------------------------------------------

def _verification_link(client, db):
    sign_up(client)
    return link_path(outbox(db, "verify_email")[-1], "/verifier-email/")


def test_verification_link_works_until_it_expires(client, db, app, issued_ago):
    with issued_ago(app.config["EMAIL_VERIFICATION_MAX_AGE"] - 60):
        path = _verification_link(client, db)
    assert client.get(path).status_code == 200


def test_expired_verification_link_is_refused_with_a_way_to_get_a_new_one(client, db, app, issued_ago):
    with issued_ago(app.config["EMAIL_VERIFICATION_MAX_AGE"] + 60):
        path = _verification_link(client, db)
    response = client.get(path)
    assert response.status_code == 400
    text = page_text(response)
    assert "Lien de vérification expiré" in text
    assert "Obtenir un nouveau lien" in text
    assert "/connexion?next=/mon-compte" in text
    assert user_by_email(db, "claire.martin@exemple.gouv.fr").email_verified_at is None


def test_tampered_verification_link_is_refused(client, db):
    path = _verification_link(client, db)
    token = path.rsplit("/", 1)[1]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(f"/verifier-email/{tampered}")
    assert response.status_code == 400
    assert "Lien de vérification invalide" in page_text(response)
    assert client.get("/verifier-email/n-importe-quoi").status_code == 400
    assert user_by_email(db, "claire.martin@exemple.gouv.fr").email_verified_at is None


def test_a_reset_token_is_not_a_verification_token(client, db, app):
    user = make_user("a@exemple.fr", verified=False)
    db.session.commit()
    client.post("/mot-de-passe-oublie", data={"email": "a@exemple.fr"})
    token = link_path(outbox(db, "password_reset")[0], "/reinitialiser-mot-de-passe/").rsplit("/", 1)[1]
    assert client.get(f"/verifier-email/{token}").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is None


def test_unverified_user_sees_the_notice_and_can_ask_for_a_new_link(client, db, login_as):
    user = make_user("a@exemple.fr", verified=False)
    db.session.commit()
    login_as(user)
    page = page_text(client.get("/mon-compte"))
    assert "Adresse non vérifiée" in page
    assert 'action="/verifier-email"' in page

    response = client.post("/verifier-email", follow_redirects=True)
    assert "Un nouveau lien de vérification a été envoyé à a@exemple.fr." in page_text(response)
    [message] = outbox(db, "verify_email")
    assert client.get(link_path(message, "/verifier-email/")).status_code == 200
    assert "Adresse non vérifiée" not in page_text(client.get("/mon-compte"))


def test_verified_user_sees_no_notice_and_resending_sends_nothing(client, db, login_as):
    login_as(make_user("a@exemple.fr"))
    db.session.commit()
    assert "Adresse non vérifiée" not in page_text(client.get("/mon-compte"))
    response = client.post("/verifier-email", follow_redirects=True)
    assert "déjà vérifiée" in page_text(response)
    assert outbox(db) == []


def test_resending_needs_an_account(client):
    response = client.post("/verifier-email")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


# --- log-in and log-out ----------------------------------------------------------------

def test_login_page(client):
    response = client.get("/connexion")
    assert response.status_code == 200
    text = page_text(response)
    assert title_of(response).startswith("Se connecter")
    assert "Se souvenir de moi" in text
    assert 'href="/mot-de-passe-oublie"' in text


def test_login_with_the_right_password_opens_a_session_and_records_it(client, db):
    user = make_user("claire@exemple.gouv.fr")
    db.session.commit()
    assert not is_logged_in(client)
    response = log_in(client, " Claire@Exemple.gouv.fr ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Vous êtes connecté(e) en tant que Agent" in page_text(client.get("/"))
    assert is_logged_in(client)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None


def test_bad_password_and_unknown_address_get_the_same_answer(client, db):
    make_user("claire@exemple.gouv.fr")
    make_user("ancien@exemple.gouv.fr", is_active=False)
    db.session.commit()
    answers = [
        log_in(client, "claire@exemple.gouv.fr", password="pas le bon mot de passe"),
        log_in(client, "inconnu@exemple.gouv.fr"),
        log_in(client, "ancien@exemple.gouv.fr"),  # right password, disabled account
    ]
    for response in answers:
        assert response.status_code == 200
        assert LOGIN_FAILED in page_text(response)
    texts = {visible_text(response) for response in answers}
    assert len(texts) == 1
    assert not is_logged_in(client)


def test_remember_me_sets_a_lasting_cookie_that_logs_in_a_new_browser(client, db, app):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    cookie_name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")

    without = app.test_client()
    log_in(without, "claire@exemple.gouv.fr")
    assert without.get_cookie(cookie_name) is None

    log_in(client, "claire@exemple.gouv.fr", remember=True)
    cookie = client.get_cookie(cookie_name)
    assert cookie is not None
    assert cookie.expires is not None

    later = app.test_client()  # the browser was closed: only the lasting cookie is left
    later.set_cookie(cookie_name, cookie.value)
    assert is_logged_in(later)


@pytest.mark.parametrize("target", ["/mon-compte", "/programme?q=design&page=2"])
def test_login_goes_back_to_a_local_next_page(client, db, target):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    response = client.post("/connexion", query_string={"next": target},
                           data={"email": "claire@exemple.gouv.fr", "password": PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/", "http:evil.example", "/\\evil.example", "\\\\evil.example",
     "javascript:alert(1)", "evil.example", "/\t/evil.example", "///evil.example"],
)
def test_login_refuses_to_redirect_elsewhere(client, db, target):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    page = client.get("/connexion", query_string={"next": target})
    assert page.status_code == 200
    response = client.post("/connexion", query_string={"next": target},
                           data={"email": "claire@exemple.gouv.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_protected_page_sends_visitors_to_login_and_back(client, db):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    response = client.get("/mon-compte")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/connexion?next=")
    back = client.post(login_url, data={"email": "claire@exemple.gouv.fr", "password": PASSWORD})
    assert back.headers["Location"] == "/mon-compte"


def test_logout_asks_for_confirmation_then_logs_out_on_post(client, db, login_as):
    user = make_user()
    db.session.commit()
    login_as(user)
    page = client.get("/deconnexion")
    assert page.status_code == 200
    assert title_of(page).startswith("Se déconnecter")
    assert re.search(r'<form method="post" action="/deconnexion">', page_text(page))
    assert is_logged_in(client)  # GET alone changes nothing

    response = client.post("/deconnexion")
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert client.get("/deconnexion").status_code == 302


def test_header_offers_login_and_signup_to_visitors_and_logout_to_users(client, db, login_as):
    text = page_text(client.get("/"))
    assert 'href="/connexion' in text and 'href="/creer-un-compte"' in text
    login_as(make_user(name="Claire Martin"))
    db.session.commit()
    text = page_text(client.get("/"))
    assert 'action="/deconnexion"' in text
    assert re.search(r'<a [^>]*href="/mon-compte"><span class="fr-sr-only">Mon compte : </span>Claire Martin</a>', text)


# --- rate limits -----------------------------------------------------------------------

def test_failed_logins_are_limited_per_account(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    make_user("claire@exemple.gouv.fr")
    make_user("paul@exemple.gouv.fr")
    db.session.commit()
    for n in range(3):  # from three different addresses
        response = log_in(client, "claire@exemple.gouv.fr", password="mauvais", address=f"10.0.0.{n}")
        assert response.status_code == 200
    # Even the right password is refused now, from anywhere, with the French page.
    blocked = log_in(client, "CLAIRE@exemple.gouv.fr", address="10.0.0.99")
    assert blocked.status_code == 429
    assert "Trop de tentatives" in page_text(blocked)
    assert title_of(blocked).startswith("Trop de tentatives")
    assert not is_logged_in(client)
    # Other accounts are not affected.
    assert log_in(client, "paul@exemple.gouv.fr", address="10.0.0.1").status_code == 302


def test_failed_logins_are_limited_per_address(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "4 per 15 minutes")
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    for n in range(4):
        assert log_in(client, f"inconnu{n}@exemple.gouv.fr", address="192.0.2.7").status_code == 200
    blocked = log_in(client, "claire@exemple.gouv.fr", address="192.0.2.7")
    assert blocked.status_code == 429
    assert "Trop de tentatives" in page_text(blocked)
    # Another address may still log in.
    assert log_in(client, "claire@exemple.gouv.fr", address="192.0.2.8").status_code == 302


def test_successful_logins_do_not_count(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 15 minutes")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "2 per 15 minutes")
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    for _ in range(5):
        assert log_in(app.test_client(), "claire@exemple.gouv.fr").status_code == 302


def test_signups_are_limited_per_address(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_LIMIT_PER_ADDRESS", "2 per hour")
    for n in range(2):
        assert sign_up(client, email=f"personne{n}@exemple.fr").status_code == 302
    blocked = sign_up(client, email="personne9@exemple.fr")
    assert blocked.status_code == 429
    assert "Trop de tentatives" in page_text(blocked)
    assert user_by_email(db, "personne9@exemple.fr") is None


def test_reset_requests_are_limited_per_account(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "2 per hour")
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    for n in range(2):
        response = client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"},
                               environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})
        assert response.status_code == 302
    blocked = client.post("/mot-de-passe-oublie", data={"email": "Claire@exemple.gouv.fr"},
                          environ_base={"REMOTE_ADDR": "10.1.0.9"})
    assert blocked.status_code == 429
    assert len(outbox(db, "password_reset")) == 2


# --- password reset --------------------------------------------------------------------

def test_reset_request_answers_the_same_for_known_and_unknown_addresses(client, db):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    page = client.get("/mot-de-passe-oublie")
    assert title_of(page).startswith("Mot de passe oublié")

    other = client.application.test_client()
    known = client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"})
    unknown = other.post("/mot-de-passe-oublie", data={"email": "inconnu@exemple.gouv.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    known_page = visible_text(client.get(known.headers["Location"]))
    unknown_page = visible_text(other.get(unknown.headers["Location"]))
    assert known_page.replace("claire", "X") == unknown_page.replace("inconnu", "X")
    assert "Si un compte existe" in known_page

    assert [m.recipient for m in outbox(db)] == ["claire@exemple.gouv.fr"]
    assert outbox(db)[0].kind == "password_reset"


def test_reset_link_sets_a_new_password_once_and_ends_every_session(client, db, app, login_as):
    user = make_user("claire@exemple.gouv.fr", verified=False)
    db.session.commit()
    elsewhere = app.test_client()
    log_in(elsewhere, "claire@exemple.gouv.fr")
    assert is_logged_in(elsewhere)

    client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"})
    path = link_path(outbox(db, "password_reset")[0], "/reinitialiser-mot-de-passe/")
    form = client.get(path)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"

    too_short = client.post(path, data={"password": "court", "password_confirm": "court"})
    assert "au moins 12 caractères" in page_text(too_short)

    done = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"] == "/connexion"
    assert "Votre mot de passe a été modifié" in page_text(client.get("/connexion"))

    assert not is_logged_in(elsewhere)
    assert log_in(client, "claire@exemple.gouv.fr").status_code == 200  # old password
    assert log_in(client, "claire@exemple.gouv.fr", password=NEW_PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None  # the link proved the address
    assert [m.kind for m in outbox(db)][-1] == "password_changed"

    # The link works only once.
    again = client.get(path)
    assert again.status_code == 400
    assert "Lien de réinitialisation invalide" in page_text(again)
    replay = client.post(path, data={"password": "encore une autre phrase", "password_confirm": "encore une autre phrase"})
    assert replay.status_code == 400
    assert log_in(app.test_client(), "claire@exemple.gouv.fr", password=NEW_PASSWORD).status_code == 302


def test_expired_reset_link_is_refused(client, db, app, issued_ago):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    with issued_ago(app.config["PASSWORD_RESET_MAX_AGE"] + 1):
        client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"})
    path = link_path(outbox(db, "password_reset")[0], "/reinitialiser-mot-de-passe/")
    response = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 400
    text = page_text(response)
    assert "Lien de réinitialisation expiré" in text
    assert 'href="/mot-de-passe-oublie"' in text
    assert log_in(client, "claire@exemple.gouv.fr").status_code == 302  # password unchanged


def test_tampered_reset_link_is_refused(client, db):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"})
    path = link_path(outbox(db, "password_reset")[0], "/reinitialiser-mot-de-passe/")
    assert client.get(path[:-2] + "xx").status_code == 400


# --- my account --------------------------------------------------------------------------

def test_account_page_shows_and_updates_the_profile(client, db, login_as):
    organisation = make_organisation(name="Ti Lab")
    user = make_user("claire@exemple.gouv.fr", organisations=(organisation,), coordinator_region="53")
    db.session.commit()
    login_as(user)
    page = client.get("/mon-compte")
    text = page_text(page)
    assert title_of(page).startswith("Mon compte")
    assert "claire@exemple.gouv.fr" in text
    assert "Organisateur pour : Ti Lab" in text
    assert "Coordinateur régional : Bretagne" in text
    assert 'href="/mon-compte/mot-de-passe"' in text and 'href="/mon-compte/supprimer"' in text

    response = client.post("/mon-compte", data={"name": "Claire Martin-Durand", "administration": "DITP",
                                               "job_title": ""})
    assert response.status_code == 302
    assert "Vos informations ont été enregistrées." in page_text(client.get("/mon-compte"))
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.administration, user.job_title) == ("Claire Martin-Durand", "DITP", None)
    assert user.email == "claire@exemple.gouv.fr"

    refused = client.post("/mon-compte", data={"name": "", "administration": "DITP"})
    assert "Indiquez votre nom." in page_text(refused)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Claire Martin-Durand"


def test_change_password_needs_the_current_one(client, db, login_as):
    user = make_user("claire@exemple.gouv.fr")
    db.session.commit()
    login_as(user)
    page = client.get("/mon-compte/mot-de-passe")
    assert title_of(page).startswith("Changer de mot de passe")
    response = client.post("/mon-compte/mot-de-passe", data={
        "current_password": "pas le bon", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert "Le mot de passe actuel est incorrect." in page_text(response)
    db.session.expire_all()
    assert check_password_hash(db.session.get(User, user.id).password_hash, PASSWORD)


def test_change_password_ends_the_other_sessions_only(client, db, app):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    other = app.test_client()
    log_in(client, "claire@exemple.gouv.fr", remember=True)
    log_in(other, "claire@exemple.gouv.fr", remember=True)
    assert is_logged_in(client) and is_logged_in(other)

    response = client.post("/mon-compte/mot-de-passe", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Vos autres sessions ont été fermées" in page_text(client.get("/mon-compte"))
    assert is_logged_in(client)
    assert not is_logged_in(other)  # neither its session nor its remember-me cookie works

    # This browser's remember-me cookie was renewed: it survives the end of the session.
    cookie_name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    reopened = app.test_client()
    reopened.set_cookie(cookie_name, client.get_cookie(cookie_name).value)
    assert is_logged_in(reopened)
    assert [m.kind for m in outbox(db)] == ["password_changed"]


def test_wrong_current_passwords_are_rate_limited(client, db, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 15 minutes")
    login_as(make_user())
    db.session.commit()
    data = {"current_password": "mauvais", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    for _ in range(2):
        assert client.post("/mon-compte/mot-de-passe", data=data).status_code == 200
    assert client.post("/mon-compte/mot-de-passe", data=data).status_code == 429


# --- CSRF and pages ------------------------------------------------------------------------

ANONYMOUS_FORMS = ["/creer-un-compte", "/connexion", "/mot-de-passe-oublie"]
ACCOUNT_FORMS = ["/mon-compte", "/mon-compte/mot-de-passe", "/deconnexion", "/verifier-email"]


@pytest.mark.parametrize("path", ANONYMOUS_FORMS + ACCOUNT_FORMS)
def test_forms_refuse_a_post_without_csrf_token(client, db, app, login_as, monkeypatch, path):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user("claire@exemple.gouv.fr", verified=False)
    db.session.commit()
    if path in ACCOUNT_FORMS:
        login_as(user)
        if path != "/verifier-email":
            assert 'name="csrf_token"' in page_text(client.get(path))
    else:
        assert 'name="csrf_token"' in page_text(client.get(path))
    data = {"email": "claire@exemple.gouv.fr", "password": PASSWORD, "name": "X", "administration": "Y",
            "current_password": PASSWORD, "password_confirm": PASSWORD}
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Requête incorrecte" in page_text(response)
    assert outbox(db) == []
    db.session.expire_all()
    assert user_by_email(db, "claire@exemple.gouv.fr").last_login_at is None


def test_login_works_with_csrf_enabled(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text(client.get("/connexion")))
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page_text(client.get("/connexion")))
    response = client.post("/connexion", data={"email": "claire@exemple.gouv.fr", "password": PASSWORD,
                                               "csrf_token": token.group(1)})
    assert response.status_code == 302


def test_every_account_page_has_its_own_title(client, db, login_as, app):
    make_user("claire@exemple.gouv.fr")
    db.session.commit()
    client.post("/mot-de-passe-oublie", data={"email": "claire@exemple.gouv.fr"})
    reset_path = link_path(outbox(db)[0], "/reinitialiser-mot-de-passe/")
    anonymous = ["/creer-un-compte", "/creer-un-compte/confirmation", "/connexion", "/mot-de-passe-oublie",
                 "/mot-de-passe-oublie/confirmation", reset_path, "/verifier-email/invalide"]
    titles = [title_of(client.get(path)) for path in anonymous]
    user = make_user()
    db.session.commit()
    login_as(user)
    titles += [title_of(client.get(path)) for path in ("/mon-compte", "/mon-compte/mot-de-passe", "/deconnexion")]
    assert len(set(titles)) == len(titles), titles
