"""Free-text search over events: the stored key and the matching condition."""
from sqlalchemy import and_

from .models import Event
from .text import search_key


def event_search_text(event: Event, organisation_name: str | None = None) -> str:
    """The text the programme search looks in: title, summary, description, organiser, city."""
    organisation_name = organisation_name or (event.organisation.name if event.organisation else "")
    parts = [event.title, event.summary, event.description, organisation_name, event.city]
    return " ".join(search_key(part) for part in parts if part)


def refresh_search_text(event: Event) -> None:
    """Call after any change to a searchable field (the services do)."""
    event.search_text = event_search_text(event)


def search_condition(query: str):
    """Every word of the query must appear in the event's search text (any order)."""
    words = search_key(query).split()
    if not words:
        return None
    return and_(*(Event.search_text.contains(word, autoescape=True) for word in words))
