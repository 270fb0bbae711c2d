"""The programme page: listing by day, times, seats, filters with counts, tags, pagination, subscription."""
import re

import pytest

from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationMode, RegistrationStatus
from tests.factories import make_edition, make_organisation, make_registration
from tests.helpers import page_text, visible_text
from tests.programme_support import at, event_ids_on_page, public_event


@pytest.fixture
def edition(app, db):
    edition = make_edition(2030)
    db.session.commit()
    return edition


def select_html(response, name: str) -> str:
    """The options of a filter's select, as HTML."""
    html = response.get_data(as_text=True)
    return re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)


def option_text(response, name: str, value: str) -> str:
    """The visible text of one option of a filter's select."""
    select = select_html(response, name)
    match = re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', select)
    return match.group(1).strip() if match else ""


def test_home_and_programme_serve_the_programme(client, edition):
    event = public_event(edition, title="Atelier du lundi")
    db.session.commit()
    for path in ("/", "/programme"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Atelier du lundi" in page_text(response)
        assert event_ids_on_page(response) == [event.id]
        assert 'aria-current="page">Programme<' in page_text(response)


def test_no_published_programme_yet_is_a_clear_page(client, app, db):
    make_edition(2030, published=False)
    public_event(make_edition(2029), title="Ancien atelier")
    make_edition(2031, published=False)
    db.session.commit()
    # 2029 is published: it is the public edition. Unpublish it to see the waiting page.
    from eventapp.models import Edition
    from sqlalchemy import select

    db.session.scalars(select(Edition).where(Edition.year == 2029)).one().programme_published_at = None
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert "Le programme national n'est pas encore publié" in page_text(response)
    assert "Ancien atelier" not in page_text(response)
    assert client.get("/programme.csv").status_code == 404


def test_events_grouped_by_day_with_french_dates(client, edition):
    first = public_event(edition, title="Premier", starts_at=at(14, 8))
    second = public_event(edition, title="Deuxième", starts_at=at(14, 13))
    third = public_event(edition, title="Troisième", starts_at=at(15, 9))
    db.session.commit()
    response = client.get("/")
    text = visible_text(response)
    assert event_ids_on_page(response) == [first.id, second.id, third.id]
    assert text.index("Jeudi 14 novembre 2030") < text.index("Premier") < text.index("Deuxième")
    assert text.index("Deuxième") < text.index("Vendredi 15 novembre 2030") < text.index("Troisième")
    assert "9 h 00 – 11 h 00" in text  # 08:00 UTC is 09:00 in Paris


def test_overseas_event_shows_local_and_paris_time(client, edition):
    reunion = make_organisation("04", name="Lab Réunion")
    # 14:00 in La Réunion (UTC+4) is 10:00 UTC, 11:00 in Paris (UTC+1 in November).
    public_event(edition, reunion, timezone="Indian/Reunion", starts_at=at(14, 10), region_code="04")
    db.session.commit()
    text = visible_text(client.get("/"))
    assert "14 h 00 – 16 h 00 (heure de La Réunion ; 11 h 00 – 13 h 00 heure de Paris)" in text


def test_place_mode_organiser_themes_and_seats(client, edition):
    lab = make_organisation("53", name="Ti Lab", slug="ti-lab")
    full = public_event(edition, lab, title="Complet", capacity=1, has_waiting_list=False, venue_name="Préfecture", city="Rennes")
    waiting = public_event(edition, lab, title="Attente", capacity=1, has_waiting_list=True)
    public_event(edition, lab, title="Ouvert", capacity=10)
    public_event(
        edition, lab, title="En ligne libre", mode=EventMode.ONLINE, registration_mode=RegistrationMode.NONE,
        capacity=None, themes=("numerique-ia",),
    )
    make_registration(full)
    make_registration(waiting)
    make_registration(waiting, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    response = client.get("/")
    text = visible_text(response)
    assert "Complet Présentiel" in text
    assert "Liste d'attente" in text
    assert "10 places restantes" in text
    assert "Sans inscription" in text
    assert "Préfecture, Rennes" in text
    assert "En ligne" in text
    assert "Atelier collaboratif, par Ti Lab" in text
    assert 'href="/organisations/ti-lab"' in page_text(response)
    assert "Numérique et intelligence artificielle" in text
    assert "Simplification" in text


def test_cancelled_events_are_listed_and_marked(client, edition):
    public_event(edition, title="Atelier annulé", status=EventStatus.CANCELLED)
    db.session.commit()
    text = visible_text(client.get("/"))
    assert "Atelier annulé" in text
    assert "Annulé" in text.replace("Atelier annulé", "")


def test_filter_options_show_the_counts_they_lead_to(client, edition):
    bzh = make_organisation("53", name="Ti Lab", slug="ti-lab")
    ara = make_organisation("84", name="Archipel", slug="archipel")
    public_event(edition, bzh, region_code="53", format="conference", starts_at=at(14))
    public_event(edition, bzh, region_code="53", format="atelier-collaboratif", starts_at=at(15))
    public_event(edition, ara, region_code="84", format="conference", mode=EventMode.ONLINE, starts_at=at(15))
    public_event(edition, ara, region_code="84", format="webinaire", status=EventStatus.DRAFT)
    db.session.commit()

    response = client.get("/")
    assert option_text(response, "region", "53") == "Bretagne (2)"
    assert option_text(response, "region", "84") == "Auvergne-Rhône-Alpes (1)"
    assert option_text(response, "region", "en-ligne") == "En ligne (1)"
    assert option_text(response, "region", "11") == "Île-de-France (0)"
    assert option_text(response, "format", "conference") == "Conférence (2)"
    assert option_text(response, "format", "webinaire") == "Webinaire (0)"  # the draft does not count
    assert option_text(response, "mode", "presentiel") == "Présentiel (2)"
    assert option_text(response, "date", "2030-11-15") == "vendredi 15 novembre 2030 (2)"
    assert option_text(response, "organisation", "ti-lab") == "Ti Lab (2)"
    assert option_text(response, "theme", "simplification") == "Simplification (3)"
    assert option_text(response, "audience", "agents-publics") == "Agents publics (3)"
    assert "places disponibles (3)" in visible_text(response)

    # With a region chosen: the other filters count within it; the region's own options do not shrink.
    response = client.get("/?region=53")
    assert option_text(response, "region", "84") == "Auvergne-Rhône-Alpes (1)"
    assert option_text(response, "format", "conference") == "Conférence (1)"
    assert option_text(response, "date", "2030-11-14") == "jeudi 14 novembre 2030 (1)"
    assert 'value="53" selected' in page_text(response)
    # Each count is what choosing the option gives.
    assert len(event_ids_on_page(client.get("/?region=53&format=conference"))) == 1


def _options_with_counts(response, name: str) -> list[tuple[str, int]]:
    """``(value, count)`` of every option of a filter's select that shows a count."""
    return [(value, int(count)) for value, count in
            re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)\s*</option>', select_html(response, name))]


def test_every_count_is_what_choosing_its_option_gives(client, edition):
    """Each filter's options count with every *other* active filter applied: checked option by option,
    from pages with several filters on (all the counts of a page come from one statement)."""
    from urllib.parse import parse_qsl, urlencode

    bzh = make_organisation("53", name="Ti Lab", slug="ti-lab")
    ara = make_organisation("84", name="Archipel", slug="archipel")
    run = make_organisation("04", name="Lab Réunion", slug="lab-reunion")
    full = public_event(edition, bzh, format="conference", capacity=1, starts_at=at(14),
                        themes=("simplification", "design-de-services"))
    make_registration(full)
    public_event(edition, bzh, starts_at=at(14, 22), themes=("design-de-services",), audiences=("managers", "elus"))
    public_event(edition, ara, format="conference", mode=EventMode.ONLINE, starts_at=at(15), audiences=("elus",))
    public_event(edition, run, format="webinaire", mode=EventMode.HYBRID, timezone="Indian/Reunion",
                 starts_at=at(15, 21), capacity=None)  # the 16th in La Réunion
    public_event(edition, ara, status=EventStatus.CANCELLED, starts_at=at(16), cancellation_reason="Reporté")
    public_event(edition, ara, format="webinaire", status=EventStatus.DRAFT)  # never counted
    public_event(edition, run, registration_mode=RegistrationMode.EXTERNAL, capacity=None,
                 external_registration_url="https://example.org/inscription", starts_at=at(17))
    db.session.commit()

    checked = 0
    for query in ("", "region=53&format=conference&places=1", "date=2030-11-16&theme=simplification",
                  "organisation=archipel&region=en-ligne&audience=elus&mode=en-ligne"):
        base = dict(parse_qsl(query))
        response = client.get("/?" + query)
        for name in ("region", "format", "theme", "audience", "mode", "date", "organisation"):
            options = _options_with_counts(response, name)
            # Every option that leads somewhere, and one that leads nowhere (when there is one).
            shown = [o for o in options if o[1]] + [o for o in options if not o[1]][:1]
            for value, count in shown:
                chosen = client.get("/?" + urlencode({**base, name: value}))
                assert len(event_ids_on_page(chosen)) == count, (query, name, value)
                checked += 1
        places = re.search(r"places disponibles \((\d+)\)", visible_text(response)).group(1)
        assert len(event_ids_on_page(client.get("/?" + urlencode({**base, "places": "1"})))) == int(places), query
    assert checked > 40

def test_active_filters_are_removable_tags(client, edition):
    public_event(edition, make_organisation("53"), region_code="53", title="Atelier breton")
    db.session.commit()
    response = client.get("/?region=53&format=atelier-collaboratif&q=atelier")
    html = page_text(response)
    tags = re.findall(r'<a class="fr-tag[^"]*" href="([^"]+)" aria-label="Retirer le filtre ([^"]+)"', html)
    by_label = {label: href for href, label in tags}
    assert set(by_label) == {"Bretagne", "Atelier collaboratif", "« atelier »"}
    assert by_label["Bretagne"] == "/?q=atelier&format=atelier-collaboratif"
    assert by_label["« atelier »"] == "/?region=53&format=atelier-collaboratif"
    assert "Programme 2030 : Bretagne · Atelier collaboratif · « atelier »" in html


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_day_outside_the_editions_years_holds_no_event(client, edition, day):
    """0001-01-01 in Paris is before year 1 in UTC, 9999-12-31 has no next day: both were a 500."""
    public_event(edition)
    db.session.commit()
    for path in ("/", "/programme.ics", "/programme.json", "/programme.csv"):
        response = client.get(f"{path}?date={day}")
        assert response.status_code == 200, path
    assert "Aucun événement ne correspond à votre recherche" in visible_text(client.get(f"/?date={day}"))
    assert b"BEGIN:VEVENT" not in client.get(f"/programme.ics?date={day}").data


def test_empty_result_says_so_and_offers_to_clear(client, edition):
    public_event(edition, title="Atelier")
    db.session.commit()
    response = client.get("/?q=introuvable")
    text = visible_text(response)
    assert response.status_code == 200
    assert "Aucun événement ne correspond à votre recherche" in text
    assert '<a class="fr-btn" href="/">Effacer les filtres</a>' in page_text(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ("region=zz", "La région « zz » n'existe pas dans le programme ; ce filtre a été ignoré."),
        ("theme=%3Cb%3E", "Le thème « <b> » n'existe pas dans le programme"),
        ("date=demain", "La date « demain » n'est pas valide"),
        ("organisation=personne", "L'organisation « personne » n'existe pas ; ce filtre a été ignoré."),
        ("page=abc", "Le numéro de page « abc » n'est pas valide"),
        ("page=40", "La page 40 n'existe pas pour cette recherche ; voici la dernière page (1)."),
    ],
)
def test_unknown_filter_values_get_a_polite_message(client, edition, query, message):
    event = public_event(edition)
    db.session.commit()
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert message in page_text(response)
    assert "<b>" not in response.get_data(as_text=True).split("fr-alert--warning", 1)[1].split("</div>")[0]
    assert event_ids_on_page(response) == [event.id]


def test_pagination(client, app, edition, monkeypatch):
    monkeypatch.setitem(app.config, "PROGRAMME_PAGE_SIZE", 3)
    events = [public_event(edition, starts_at=at(10 + n)) for n in range(8)]
    db.session.commit()
    expected = [event.id for event in events]

    first = client.get("/")
    assert event_ids_on_page(first) == expected[:3]
    assert "Événements 1 à 3, page 1 sur 3" in visible_text(first)
    assert 'href="/?page=2" rel="next"' in page_text(first)
    assert 'aria-current="page" title="Page 1"' in page_text(first)

    second = client.get("/?page=2")
    assert event_ids_on_page(second) == expected[3:6]
    assert 'href="/" rel="prev"' in page_text(second)

    last = client.get("/?page=3")
    assert event_ids_on_page(last) == expected[6:]
    assert "Page suivante" in visible_text(last) and 'rel="next"' not in page_text(last)

    # Filters survive paging.
    filtered = client.get("/?theme=simplification&page=2")
    assert 'href="/?theme=simplification&amp;page=3"' in filtered.get_data(as_text=True)


def test_subscribe_panel_gives_the_feed_of_the_current_filters(client, app, edition):
    if "feeds.programme_ics" not in app.view_functions:
        pytest.skip("the feeds area is not installed")
    public_event(edition, make_organisation("53"), region_code="53")
    db.session.commit()
    html = page_text(client.get("/?region=53&places=1&page=1"))
    assert 'href="webcal://localhost/programme.ics?region=53"' in html
    assert 'value="http://localhost/programme.ics?region=53" readonly' in html
    for words in ("Google Agenda", "Outlook", "Calendrier d'Apple", "n'est pas s'abonner"):
        assert words in html


def test_archives_are_browsable(client, app, db):
    old = make_edition(2029)
    current = make_edition(2030)
    old_event = public_event(old, title="Atelier de 2029", starts_at=at(14, year=2029))
    public_event(current, title="Atelier de 2030")
    public_event(make_edition(2028, published=False), title="Jamais publié", starts_at=at(14, year=2028))
    db.session.commit()

    home = client.get("/")
    assert "Atelier de 2029" not in page_text(home)
    assert 'href="/archives/2029"' in page_text(home)

    index = client.get("/archives")
    assert "Mois de l'innovation publique 2029" in visible_text(index)
    assert "1 événement" in visible_text(index)
    assert "2028" not in visible_text(index)

    archive = client.get("/archives/2029")
    assert archive.status_code == 200
    assert event_ids_on_page(archive) == [old_event.id]
    assert "Cette édition est terminée" in visible_text(archive)
    assert client.get("/archives/2029?q=atelier&region=84").status_code == 200
    assert client.get("/archives/2029?q=rien").status_code == 200
    assert "Aucun événement" in visible_text(client.get("/archives/2029?q=rien"))

    assert client.get("/archives/2028").status_code == 404
    assert client.get("/archives/1999").status_code == 404
    redirect = client.get("/archives/2030?region=84")
    assert redirect.status_code == 302 and redirect.headers["Location"] == "/?region=84"


def test_archive_redirect_carries_only_known_filters(client, app, db):
    make_edition(2030)
    db.session.commit()
    response = client.get("/archives/2030?region=53&_scheme=javascript&_external=1&year=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?region=53"
