"""Creating, editing, duplicating and deleting events (status changes are in ``transitions``).

Edits of a published event keep it published; they are recorded, and when
the date, time, place or mode changes its calendar SEQUENCE rises,
``changed_at`` is set and every active registrant is told what changed.
Coordinators' edits are always recorded and shown to the organisation.
"""
from dataclasses import dataclass, field
from datetime import datetime

from ..editions import current_edition
from ..extensions import db
from ..models import (
    Edition,
    Event,
    EventAudience,
    EventMode,
    EventStatus,
    EventTheme,
    Organisation,
    Registration,
    RegistrationMode,
    User,
    utcnow,
)
from ..permissions import can, is_member
from ..search import refresh_search_text
from ..text import slugify
from . import notifications
from .errors import InvalidTransition, NotAllowed
from .snapshot import EDITABLE_FIELDS, FieldChange, changed_fields, diff_snapshots, practical_changes, snapshot
from .transitions import record

_PLACE_FIELDS = ("venue_name", "street_address", "postcode", "city", "departement_code", "latitude", "longitude")
MAX_TITLE_LENGTH = 200


@dataclass
class EditResult:
    """What an edit did: the changed fields, the practical groups registrants were told about,
    how many were told, and the agents promoted from the waiting list."""

    changes: list[FieldChange] = field(default_factory=list)
    practical: list[str] = field(default_factory=list)
    promoted: list[Registration] = field(default_factory=list)
    #: How many registrants were e-mailed about a practical change.
    notified: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _set_codes(links: list, link_class: type, attribute: str, codes: list[str]) -> None:
    """Make a list of link rows match ``codes`` without deleting and re-adding unchanged ones."""
    wanted = list(dict.fromkeys(codes))
    for link in [link for link in links if getattr(link, attribute) not in wanted]:
        links.remove(link)
    present = {getattr(link, attribute) for link in links}
    for code in wanted:
        if code not in present:
            links.append(link_class(**{attribute: code}))


def apply_values(event: Event, values: dict) -> None:
    """Copy the editable fields of ``values`` onto ``event`` and drop what the mode makes moot.

    An online event has no address (its region stays, it places the event);
    an in-person one no connection link; only internal registration has a
    capacity, a waiting list and a deadline; only external registration a link.
    """
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        if name == "themes":
            _set_codes(event.theme_links, EventTheme, "theme", values[name])
        elif name == "audiences":
            _set_codes(event.audience_links, EventAudience, "audience", values[name])
        else:
            setattr(event, name, values[name])
    if event.mode == EventMode.ONLINE:
        for name in _PLACE_FIELDS:
            setattr(event, name, None)
    if event.mode == EventMode.IN_PERSON:
        event.online_url = None
    if event.registration_mode != RegistrationMode.EXTERNAL:
        event.external_registration_url = None
    if event.registration_mode != RegistrationMode.INTERNAL:
        event.capacity = None
        event.has_waiting_list = False
        event.registration_deadline = None
    event.slug = slugify(event.title)


def create_event(
    actor: User | None,
    organisation: Organisation,
    edition: Edition,
    values: dict,
    *,
    now: datetime | None = None,
) -> Event:
    """A new draft of ``organisation`` in ``edition``; its creation starts the history."""
    if not can("organisation.events", organisation, user=actor):
        raise NotAllowed("Vous ne pouvez pas créer d'événement pour cette organisation.")
    event = Event(edition=edition, organisation=organisation, status=EventStatus.DRAFT, sequence=0)
    apply_values(event, values)
    refresh_search_text(event)
    db.session.add(event)
    record(event, actor, None, EventStatus.DRAFT, now=now)
    db.session.flush()
    return event


def _edit_comment(changes: list[FieldChange]) -> str:
    return "Modification : " + ", ".join(change.label for change in changes)


def update_event(event: Event, actor: User | None, values: dict, *, now: datetime | None = None) -> EditResult:
    """Save ``values`` on ``event`` on behalf of ``actor``; the status never changes here.

    Raises :class:`NotAllowed` when ``actor`` may not edit the event (rejected
    and cancelled events are closed). Returns what changed.
    """
    if not can("event.edit", event, user=actor):
        raise NotAllowed("Vous ne pouvez pas modifier cet événement.")
    now = now or utcnow()
    before = snapshot(event)
    old_capacity = event.capacity
    apply_values(event, values)
    after = snapshot(event)
    if not changed_fields(before, after):
        return EditResult()

    refresh_search_text(event)
    result = EditResult(changes=diff_snapshots(before, after))
    if event.status == EventStatus.PUBLISHED:
        result.practical = practical_changes(before, after)
        if result.practical:
            event.sequence = (event.sequence or 0) + 1
            event.changed_at = now
    by_coordinator = not is_member(actor, event.organisation_id)
    if event.status != EventStatus.DRAFT or by_coordinator:
        record(event, actor, event.status, event.status, _edit_comment(result.changes), now)
    db.session.flush()

    if result.practical:
        result.notified = notifications.event_practical_change(event, actor, before, after, result.practical)
    if by_coordinator:
        notifications.event_edited_by_coordinator(event, actor, result.changes)
    if _seats_added(event, old_capacity):
        # Imported here: the registrations package owns the waiting list and its e-mails.
        from ..registrations.services import promote_from_waiting_list

        result.promoted = promote_from_waiting_list(event, actor=actor, now=now)
    db.session.flush()
    return result


def _seats_added(event: Event, old_capacity: int | None) -> bool:
    if event.status != EventStatus.PUBLISHED or event.registration_mode != RegistrationMode.INTERNAL:
        return False
    if old_capacity is None:
        return False
    return event.capacity is None or event.capacity > old_capacity


def duplicate_event(event: Event, actor: User | None, *, now: datetime | None = None) -> Event:
    """A new draft copying every field of ``event`` (labs run series), in the current edition.

    Nothing of the source's life is copied: no registrations, no history, sequence 0.
    """
    if not can("event.duplicate", event, user=actor):
        raise NotAllowed("Vous ne pouvez pas dupliquer cet événement.")
    edition = current_edition() or event.edition
    copy = Event(edition=edition, organisation=event.organisation, status=EventStatus.DRAFT, sequence=0)
    values = {name: getattr(event, name) for name in EDITABLE_FIELDS}
    values["themes"], values["audiences"] = list(event.themes), list(event.audiences)
    suffix = " (copie)"
    values["title"] = event.title[: MAX_TITLE_LENGTH - len(suffix)] + suffix
    apply_values(copy, values)
    refresh_search_text(copy)
    db.session.add(copy)
    record(copy, actor, None, EventStatus.DRAFT, f"Copie de l'événement n° {event.id} « {event.title} »", now)
    db.session.flush()
    return copy


def delete_event(event: Event, actor: User | None) -> None:
    """Delete a draft. Anything ever submitted stays: it belongs to the history."""
    if event.status != EventStatus.DRAFT:
        raise InvalidTransition("Seuls les brouillons peuvent être supprimés ; un événement publié peut être annulé.")
    if not can("event.delete", event, user=actor):
        raise NotAllowed("Vous ne pouvez pas supprimer cet événement.")
    db.session.delete(event)
    db.session.flush()
