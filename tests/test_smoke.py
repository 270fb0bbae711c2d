from tests.factories import make_edition
from tests.helpers import page_text


def test_home_shows_the_current_edition(client, db):
    make_edition(2030)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert "Mois de l'innovation publique 2030" in page_text(response)
    assert 'lang="fr"' in page_text(response)


def test_dsfr_assets_are_served_but_nothing_else_of_node_modules(client):
    assert client.get("/static/dsfr/dsfr.min.css").status_code == 200
    assert client.get("/static/dsfr/fonts/Marianne-Regular.woff2").status_code == 200
    assert client.get("/static/dsfr/package.json").status_code == 404
    assert client.get("/static/dsfr/../../../package.json").status_code == 404


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page non trouvée" in page_text(response)
