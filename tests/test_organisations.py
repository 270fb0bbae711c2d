"""The organisation directory and pages."""
import pytest

from eventapp.extensions import db
from eventapp.models import EventStatus
from tests.factories import make_edition, make_organisation, make_user
from tests.helpers import page_text, visible_text
from tests.programme_support import at, event_ids_on_page, public_event


@pytest.fixture
def atlas(app, db):
    current = make_edition(2030)
    past = make_edition(2029)
    ti_lab = make_organisation(
        "53", name="Ti Lab", slug="ti-lab", kind="liit", city="Rennes", website="https://tilab.bzh",
        description="Le **laboratoire** d'innovation territoriale de Bretagne.",
    )
    archipel = make_organisation("84", name="Archipel", slug="archipel", kind="liit")
    hospital = make_organisation("84", name="Hôpital de Lyon", slug="hopital-lyon", kind="hopital")
    silent = make_organisation("11", name="Lab sans événement", slug="silencieux")
    drafts_only = make_organisation("11", name="Lab en préparation", slug="brouillons")
    inactive = make_organisation("53", name="Lab fermé", slug="ferme", is_active=False)
    events = {
        "ti_now": public_event(current, ti_lab, title="Atelier 2030", starts_at=at(14)),
        "ti_cancelled": public_event(current, ti_lab, title="Annulé 2030", status=EventStatus.CANCELLED, starts_at=at(15)),
        "ti_past": public_event(past, ti_lab, title="Atelier 2029", starts_at=at(14, year=2029)),
        "archipel": public_event(current, archipel, title="Conférence Archipel"),
        "hospital": public_event(past, hospital, title="Visite de l'hôpital", starts_at=at(14, year=2029)),
        "inactive": public_event(current, inactive, title="Dernier atelier du lab fermé"),
    }
    public_event(current, drafts_only, status=EventStatus.DRAFT, title="Brouillon")
    public_event(make_edition(2031, published=False), silent, title="Édition future")
    db.session.commit()
    return {"ti_lab": ti_lab, "inactive": inactive}, {name: event.id for name, event in events.items()}


def names_listed(response) -> list[str]:
    import re

    return re.findall(r'<h3 class="fr-h6 fr-mb-1v"><a href="/organisations/[^"]+">([^<]+)</a></h3>', page_text(response))


def test_directory_lists_active_organisations_with_public_events(client, atlas):
    response = client.get("/organisations")
    assert response.status_code == 200
    assert names_listed(response) == ["Archipel", "Hôpital de Lyon", "Ti Lab"]
    text = visible_text(response)
    assert "3 organisations" in text
    assert "Laboratoire d'innovation territoriale (LIIT) · Rennes, Bretagne · 2 événements en 2030, 3 au total" in text
    assert 'aria-current="page">Organisations<' in page_text(response)


def test_directory_filters_by_region_and_kind_with_counts(client, atlas):
    assert names_listed(client.get("/organisations?region=84")) == ["Archipel", "Hôpital de Lyon"]
    assert names_listed(client.get("/organisations?kind=liit")) == ["Archipel", "Ti Lab"]
    response = client.get("/organisations?region=84&kind=hopital")
    assert names_listed(response) == ["Hôpital de Lyon"]
    html = page_text(response)
    assert '<option value="84" selected>Auvergne-Rhône-Alpes (1)</option>' in html  # hospitals in 84
    assert '<option value="liit">Laboratoire d\'innovation territoriale (LIIT) (1)</option>' in html  # in 84
    empty = client.get("/organisations?region=11")
    assert names_listed(empty) == []
    assert "Aucune organisation ne correspond à ces filtres." in visible_text(empty)


def test_directory_unknown_filter_values_are_ignored_politely(client, atlas):
    response = client.get("/organisations?region=xx&kind=secte")
    assert response.status_code == 200
    text = visible_text(response)
    assert "La région « xx » n'existe pas ; ce filtre a été ignoré." in text
    assert "Le type d'organisation « secte » n'existe pas ; ce filtre a été ignoré." in text
    assert len(names_listed(response)) == 3


def test_organisation_page(client, atlas):
    _orgs, events = atlas
    response = client.get("/organisations/ti-lab")
    assert response.status_code == 200
    html = page_text(response)
    text = visible_text(response)
    assert "<h1>Ti Lab</h1>" in html
    assert "Laboratoire d'innovation territoriale (LIIT) · Rennes, Bretagne" in text
    assert "Le <strong>laboratoire</strong> d'innovation territoriale de Bretagne." in html
    assert 'href="https://tilab.bzh"' in html
    # Its events of the current and past editions, newest edition first.
    assert event_ids_on_page(response) == [events["ti_now"], events["ti_cancelled"], events["ti_past"]]
    assert text.index("Mois de l'innovation publique 2030 : 2 événements") < text.index("2029 : 1 événement")
    assert 'href="/?organisation=ti-lab"' in html
    assert 'href="/archives/2029?organisation=ti-lab"' in html
    assert "Annulé" in text
    assert "mercredi 14 novembre 2029, 14 h 00 – 16 h 00" in text


def test_organisation_page_is_paginated(client, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "PROGRAMME_PAGE_SIZE", 2)
    edition = make_edition(2030)
    lab = make_organisation(slug="prolifique")
    ids = [public_event(edition, lab, starts_at=at(10 + n)).id for n in range(5)]
    db.session.commit()
    assert event_ids_on_page(client.get("/organisations/prolifique")) == ids[:2]
    assert event_ids_on_page(client.get("/organisations/prolifique?page=3")) == ids[4:]
    assert event_ids_on_page(client.get("/organisations/prolifique?page=99")) == ids[4:]
    assert 'href="/organisations/prolifique?page=2"' in page_text(client.get("/organisations/prolifique"))


def test_organisation_without_events_says_so(client, atlas):
    response = client.get("/organisations/silencieux")
    assert response.status_code == 200
    assert "Aucun événement publié pour l'instant." in visible_text(response)
    assert "Édition future" not in visible_text(response)


def test_unknown_and_inactive_organisations(client, login_as, atlas):
    orgs, _events = atlas
    assert client.get("/organisations/inconnue").status_code == 404
    assert client.get("/organisations/ferme").status_code == 404
    member = make_user(organisations=(orgs["inactive"],))
    db.session.commit()
    login_as(member)
    response = client.get("/organisations/ferme")
    assert response.status_code == 200
    assert "Cette organisation est désactivée" in visible_text(response)


def test_event_page_links_to_its_organisation(client, atlas):
    _orgs, events = atlas
    response = client.get(f"/evenements/{events['ti_now']}", follow_redirects=True)
    assert '<a href="/organisations/ti-lab">Ti Lab</a>' in page_text(response)
    # The inactive organisation's page is not public: its name is shown without a link.
    response = client.get(f"/evenements/{events['inactive']}", follow_redirects=True)
    assert "Lab fermé" in visible_text(response)
    assert 'href="/organisations/ferme"' not in page_text(response).split("application/ld+json")[0].split("</head>")[-1]


def test_organisation_page_offers_to_join_it_except_to_its_members(client, login_as, atlas):
    orgs, _events = atlas
    join = 'href="/organisations/ti-lab/rejoindre"'
    assert join in page_text(client.get("/organisations/ti-lab"))  # visitors are asked to log in there
    login_as(make_user())
    assert join in page_text(client.get("/organisations/ti-lab"))
    member = make_user(organisations=(orgs["ti_lab"],))
    db.session.commit()
    login_as(member)
    assert join not in page_text(client.get("/organisations/ti-lab"))
