"""``flask users create``: one account per role, and clear errors that change nothing."""
import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from eventapp.models import Membership, User
from tests.factories import make_organisation, make_user

PASSWORD = "phrase de passe du terminal"


def create(runner, *args, input=None):
    return runner.invoke(args=["users", "create", *args], input=input)


def user_by_email(db, email):
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).first()


def count_users(db):
    return db.session.scalar(select(func.count(User.id)))


def test_create_an_agent(runner, db):
    result = create(runner, "--email", " Agent.Un@Exemple.gouv.fr", "--name", "Agent Un", "--role", "agent",
                    "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Compte créé : agent.un@exemple.gouv.fr (agent)" in result.output
    user = user_by_email(db, "agent.un@exemple.gouv.fr")
    assert user.name == "Agent Un"
    assert check_password_hash(user.password_hash, PASSWORD)
    assert user.email_verified_at is not None
    assert not (user.is_coordinator or user.is_admin or user.memberships)


def test_create_an_organiser_of_an_organisation(runner, db):
    organisation = make_organisation(name="Ti Lab", slug="ti-lab", region_code="53")
    db.session.commit()
    result = create(runner, "--email", "orga@exemple.gouv.fr", "--name", "Orga", "--role", "organiser",
                    "--organisation", "ti-lab", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "organisateur pour Ti Lab" in result.output
    user = user_by_email(db, "orga@exemple.gouv.fr")
    assert [m.organisation_id for m in user.memberships] == [organisation.id]
    assert user.administration == "Ti Lab"
    assert user.is_organiser and not user.is_coordinator


def test_create_a_national_and_a_regional_coordinator(runner, db):
    national = create(runner, "--email", "nat@exemple.gouv.fr", "--name", "Nat", "--role", "coordinator",
                      "--password", PASSWORD)
    regional = create(runner, "--email", "reg@exemple.gouv.fr", "--name", "Reg", "--role", "coordinator",
                      "--region", "04", "--password", PASSWORD)
    assert national.exit_code == 0 and regional.exit_code == 0, national.output + regional.output
    assert "coordinateur national" in national.output
    assert "coordinateur régional, La Réunion" in regional.output
    nat = user_by_email(db, "nat@exemple.gouv.fr")
    reg = user_by_email(db, "reg@exemple.gouv.fr")
    assert nat.is_national_coordinator
    assert reg.is_coordinator and reg.coordinator_region == "04" and not reg.is_national_coordinator


def test_create_an_admin(runner, db):
    result = create(runner, "--email", "admin@exemple.gouv.fr", "--name", "Admin", "--role", "admin",
                    "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    user = user_by_email(db, "admin@exemple.gouv.fr")
    assert user.is_admin and not user.is_coordinator


def test_password_is_prompted_with_confirmation(runner, db):
    result = create(runner, "--email", "a@exemple.fr", "--name", "A", "--role", "agent",
                    input=f"{PASSWORD}\nautre chose tapée\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Mot de passe" in result.output and "Confirmation du mot de passe" in result.output
    assert PASSWORD not in result.output
    assert check_password_hash(user_by_email(db, "a@exemple.fr").password_hash, PASSWORD)


def test_a_weak_prompted_password_is_asked_again(runner, db):
    result = create(runner, "--email", "a@exemple.fr", "--name", "A", "--role", "agent",
                    input=f"court\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "au moins 12 caractères" in result.output
    assert check_password_hash(user_by_email(db, "a@exemple.fr").password_hash, PASSWORD)


def test_the_account_created_can_log_in(runner, client, db):
    create(runner, "--email", "a@exemple.fr", "--name", "A", "--role", "agent", "--password", PASSWORD)
    response = client.post("/connexion", data={"email": "a@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302


def test_an_existing_address_is_an_error_and_changes_nothing(runner, db):
    make_user("deja@exemple.gouv.fr", name="Déjà Là")
    db.session.commit()
    result = create(runner, "--email", "DEJA@exemple.gouv.fr", "--name", "Autre", "--role", "admin",
                    "--password", PASSWORD)
    assert result.exit_code == 1
    assert "Un compte existe déjà avec l'adresse deja@exemple.gouv.fr" in result.output
    assert count_users(db) == 1
    user = user_by_email(db, "deja@exemple.gouv.fr")
    assert user.name == "Déjà Là" and not user.is_admin


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "organiser"], "Un organisateur doit être rattaché à une organisation"),
        (["--role", "organiser", "--organisation", "inconnue"], "Aucune organisation n'a l'identifiant « inconnue »"),
        (["--role", "agent", "--organisation", "ti-lab"], "--organisation ne s'utilise qu'avec --role organiser"),
        (["--role", "agent", "--region", "53"], "--region ne s'utilise qu'avec --role coordinator"),
        (["--role", "coordinator", "--region", "99"], "Code de région inconnu « 99 »"),
        (["--role", "agent", "--password", "court"], "au moins 12 caractères"),
        (["--role", "agent", "--email", "pas-une-adresse"], "Adresse e-mail invalide"),
        (["--role", "agent", "--name", "  "], "Le nom ne peut pas être vide"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(runner, db, args, message):
    make_organisation(slug="ti-lab")
    db.session.commit()
    base = {"--email": "nouveau@exemple.gouv.fr", "--name": "Nouveau", "--password": PASSWORD}
    for index in range(0, len(args), 2):
        base[args[index]] = args[index + 1]
    result = create(runner, *[part for pair in base.items() for part in pair])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert count_users(db) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_an_unknown_role_is_refused_by_the_option_itself(runner, db):
    result = create(runner, "--email", "a@exemple.fr", "--name", "A", "--role", "chef", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "agent" in result.output and "organiser" in result.output
    assert count_users(db) == 0


def test_errors_come_before_the_password_prompt(runner, db):
    result = create(runner, "--email", "a@exemple.fr", "--name", "A", "--role", "organiser", input="")
    assert result.exit_code == 1
    assert "Mot de passe" not in result.output
    assert "Un organisateur doit être rattaché" in result.output


def test_help_lists_the_options(runner):
    result = runner.invoke(args=["users", "create", "--help"])
    assert result.exit_code == 0
    for option in ("--email", "--name", "--role", "--organisation", "--region", "--password"):
        assert option in result.output
