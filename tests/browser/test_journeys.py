"""Journeys in a real browser, each at desktop and mobile (375 px) width:

1. an organiser proposes an event, the coordination asks for changes, the organiser fixes and
   resubmits, the coordination publishes, the event is in the public programme;
2. an agent finds an event with the programme's filters, registers, finds it in « Mon agenda »,
   downloads its .ics, cancels; the agent on the waiting list gets the seat and sees it;
3. a visitor filters the programme, copies the subscription address, and the feed holds exactly
   the events shown;
4. journey 2 with the keyboard only (see ``people.Keyboard``).
"""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from icalendar import Calendar

from . import support
from .people import Pointer, event_id_in, person
from .scenario import PASSWORD, PROPOSAL_WORDS

pytestmark = pytest.mark.browser
try:
    from playwright.sync_api import expect
except ImportError:
    support.missing_tool("Playwright is not installed (pip install -e '.[dev]')", module_level=True)
VIEWPORTS = ["desktop", "mobile"]


def _log_in(who, page, email: str) -> None:
    """On the log-in page: fill the form and send it."""
    expect(page).to_have_url(re.compile(r"/connexion"))
    who.check_page()
    who.fill(page.get_by_label("Adresse e-mail"), email)
    who.fill(page.get_by_label("Mot de passe"), PASSWORD)
    who.click(page.locator("main").get_by_role("button", name="Se connecter"))
    expect(page).not_to_have_url(re.compile(r"/connexion"))


def _open_log_in(who, page) -> None:
    """From any page: the header's « Se connecter » (behind « Menu » at mobile width)."""
    button = page.locator("#bouton-menu")
    if button.is_visible():
        button.click()
    who.click(page.get_by_role("link", name="Se connecter").locator("visible=true").first)


# -- 1. From a proposal to the public programme ---------------------------------------------------

@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_organiser_proposal_reviewed_and_published(new_page, live_server, viewport):
    scenario = live_server.scenario
    word = PROPOSAL_WORDS[viewport]
    title = f"Rencontre des laboratoires à {word}"
    comment = f"Merci de préciser le déroulé de la rencontre de {word} dans le résumé."

    page = new_page(viewport)
    organiser = Pointer(page, live_server)
    organiser.goto("/")
    _open_log_in(organiser, page)
    _log_in(organiser, page, scenario.organiser)
    organiser.nav("Espace organisateur")
    organiser.click(page.get_by_role("link", name="Proposer un événement"))
    page.locator("#title").fill(title)
    page.locator("#summary").fill("Une rencontre entre laboratoires.")
    page.locator("#format").select_option("table-ronde")
    organiser.check(page.get_by_label("Design de services"))
    organiser.check(page.get_by_label("Agents publics"))
    page.locator("#start_date").fill(f"{scenario.year}-11-25")
    page.locator("#start_time").fill("14:00")
    page.locator("#end_date").fill(f"{scenario.year}-11-25")
    page.locator("#end_time").fill("16:30")
    organiser.check(page.get_by_role("radio", name="Présentiel"))
    page.locator("#venue_name").fill("Maison de l'innovation")
    page.locator("#street_address").fill("12 quai Duguay-Trouin")
    page.locator("#postcode").fill("35000")
    page.locator("#city").fill("Rennes")
    page.locator("#capacity").fill("40")
    organiser.click(page.get_by_role("button", name="Enregistrer et soumettre à la modération"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("En attente de modération")
    event_id = event_id_in(page.url)

    # The coordination asks for changes, with a comment.
    desk = new_page(viewport)
    coordinator = Pointer(desk, live_server)
    coordinator.goto("/")
    _open_log_in(coordinator, desk)
    _log_in(coordinator, desk, scenario.coordinator)
    coordinator.nav("Modération")
    coordinator.click(desk.get_by_role("link", name=title))
    coordinator.check(desk.get_by_label("Demander des modifications à l'organisateur"))
    desk.get_by_label("Commentaire pour l'organisateur").fill(comment)
    coordinator.click(desk.get_by_role("button", name="Enregistrer la décision"))
    expect(desk.locator("main")).to_contain_text("Les modifications sont demandées")

    # The organiser reads the comment, fixes the summary and submits again.
    page.reload()
    expect(page.locator(".fr-alert--warning")).to_contain_text(comment)
    organiser.click(page.locator("main").get_by_role("link", name="Modifier", exact=True))
    page.locator("#summary").fill(f"Une rencontre à {word} : tour de table, ateliers en petits groupes, restitution.")
    organiser.click(page.get_by_role("button", name="Enregistrer et soumettre à la modération"))
    expect(page.locator("main")).to_contain_text("En attente de modération")

    # The coordination sees what changed and publishes.
    coordinator.nav("Modération")
    coordinator.click(desk.get_by_role("link", name=title))
    expect(desk.locator("#changements").locator("xpath=..")).to_contain_text("Résumé")
    coordinator.check(desk.get_by_label("Publier l'événement"))
    coordinator.click(desk.get_by_role("button", name="Enregistrer la décision"))
    expect(desk.locator("main")).to_contain_text("L'événement est publié")

    # Anyone finds it in the public programme.
    public = new_page(viewport)
    visitor = Pointer(public, live_server)
    visitor.goto("/")
    public.get_by_label("Rechercher").fill(word)
    visitor.click(public.get_by_role("button", name="Afficher les événements"))
    expect(public.locator("#resultats")).to_have_text("1 événement")
    visitor.click(public.get_by_role("link", name=title))
    expect(public.get_by_role("heading", level=1)).to_have_text(title)
    assert event_id_in(public.url) == event_id
    expect(public.locator("main")).not_to_contain_text("n'est pas public")


# -- 2 and 4. Registration, waiting list, cancellation -----------------------------------------------

def _registration_journey(new_page, live_server, viewport: str, kind: str) -> None:
    variant = viewport if kind == "pointer" else f"keyboard-{viewport}"
    journey = live_server.scenario.journeys[variant]
    title = journey.event_title
    page = new_page(viewport)
    agent = person(kind, page, live_server)
    main = page.locator("main")

    # Search the programme with filters.
    agent.goto("/")
    agent.fill(page.get_by_label("Rechercher"), journey.word)
    agent.select(page.get_by_label("Région"), "53")
    agent.select(page.get_by_label("Format"), "atelier-collaboratif")
    agent.click(page.get_by_role("button", name="Afficher les événements"))
    expect(page.locator("#resultats")).to_have_text("1 événement")
    assert "region=53" in page.url and "format=atelier-collaboratif" in page.url
    agent.check_page()

    # Open the event; registering asks to log in first, then comes back to the form.
    agent.click(page.get_by_role("link", name=title))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(main).to_contain_text("1 place restante")
    agent.check_page()
    agent.click(page.locator("#inscription").get_by_role("link", name="S'inscrire"))
    _log_in(agent, page, journey.agent)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"S'inscrire à « {title} »")
    agent.check_page()
    agent.fill(page.get_by_role("textbox", name="Fonction", exact=True), "Cheffe de projet innovation")
    agent.check(page.get_by_label(re.compile("J'accepte que l'organisateur")))
    agent.click(page.get_by_role("button", name="Confirmer mon inscription"), **_space(kind))
    expect(main).to_contain_text(f"Votre inscription à « {title} » est confirmée")

    # « Mon agenda » lists it.
    agent.nav("Mon agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    card = main.locator("li", has=page.get_by_role("link", name=title))
    expect(card).to_contain_text("Inscription confirmée")
    agent.check_page()

    # Its calendar file, from the event page.
    agent.click(card.get_by_role("link", name=title))
    download = agent.download(page.get_by_role("link", name="Ajouter à mon agenda"))
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [title]
    assert str(events[0]["URL"]).startswith(live_server(f"/evenements/{journey.event_id}"))
    assert download.suggested_filename.endswith(".ics")

    # Meanwhile the event is full: another agent joins the waiting list.
    other = new_page(viewport)
    waiting = person(kind, other, live_server)
    waiting.goto(f"/evenements/{journey.event_id}")
    expect(other.locator("main")).to_contain_text("Liste d'attente")
    waiting.click(other.locator("#inscription").get_by_role("link", name="S'inscrire"))
    _log_in(waiting, other, journey.waiting_agent)
    waiting.click(other.get_by_role("button", name="Rejoindre la liste d'attente"), **_space(kind))
    waiting_card = other.locator("main li", has=other.get_by_role("link", name=title))
    expect(waiting_card).to_contain_text("Liste d'attente : position 1")

    # The first agent cancels from « Mon agenda ».
    agent.nav("Mon agenda")
    agent.click(page.get_by_role("button", name=f"Annuler mon inscription à « {title} »"), **_space(kind))
    expect(main).to_contain_text(f"Votre inscription à « {title} » est annulée.")
    expect(main.get_by_role("link", name=title)).to_have_count(0)

    # The waiting agent got the seat.
    waiting.nav("Mon agenda")
    expect(waiting_card).to_contain_text("Inscription confirmée")


def _space(kind: str) -> dict:
    """Buttons are pressed with Space by the keyboard person (links take Enter)."""
    return {"key": "Space"} if kind == "keyboard" else {}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_agent_registers_cancels_and_the_waiting_list_moves_up(new_page, live_server, viewport):
    _registration_journey(new_page, live_server, viewport, "pointer")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_keyboard_only_registration_journey(new_page, live_server, viewport):
    """Journey 2 with Tab, Enter and Space: every control reachable, focus visible, no trap."""
    _registration_journey(new_page, live_server, viewport, "keyboard")


# -- 3. The subscription feed of a filtered programme ------------------------------------------------

@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_filtered_programme_feed_holds_the_events_shown(new_page, live_server, viewport):
    page = new_page(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    visitor = Pointer(page, live_server)
    visitor.goto("/")
    page.get_by_label("Région").select_option("53")
    page.get_by_label("Modalité").select_option("presentiel")
    visitor.click(page.get_by_role("button", name="Afficher les événements"))
    expect(page.locator(".fr-pagination")).to_have_count(0)  # the whole selection on one page
    shown = {
        event_id_in(href)
        for href in page.locator("main .fr-card__title a").evaluate_all("links => links.map(a => a.href)")
    }
    count = int(re.match(r"\d+", page.locator("#resultats").inner_text()).group())
    assert len(shown) == count > 1

    # « S'abonner » leads to the address, which the visitor copies.
    page.get_by_role("link", name="S'abonner", exact=True).click()
    address = page.get_by_label("Adresse de l'abonnement")
    expect(address).to_be_in_viewport()
    address.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("ControlOrMeta+c")
    feed_url = page.evaluate("() => navigator.clipboard.readText()")
    assert feed_url == address.input_value()
    assert feed_url.startswith(live_server("/programme.ics?"))
    assert "region=53" in feed_url and "mode=presentiel" in feed_url

    with urllib.request.urlopen(feed_url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.read())
    in_feed = {event_id_in(str(event["URL"])) for event in calendar.walk("VEVENT")}
    assert in_feed == shown
