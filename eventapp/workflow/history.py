"""Reading an event's history: labels of its steps and what changed since the last review."""
from dataclasses import dataclass

from ..models import Event, EventStatus, EventStatusChange
from .snapshot import FieldChange, diff_snapshots, snapshot

S = EventStatus

_STEP_LABELS = {
    S.SUBMITTED: "Soumis à la modération",
    S.PUBLISHED: "Publié",
    S.CHANGES_REQUESTED: "Modifications demandées",
    S.REJECTED: "Refusé",
    S.CANCELLED: "Annulé",
    S.DRAFT: "Brouillon",
}


def change_label(change: EventStatusChange) -> str:
    """« Création du brouillon », « Soumis de nouveau », « Modification »…"""
    if change.from_status is None:
        return "Création du brouillon"
    if change.from_status == change.to_status:
        return "Modification"
    if change.to_status == S.SUBMITTED and change.from_status == S.CHANGES_REQUESTED:
        return "Soumis de nouveau à la modération"
    return _STEP_LABELS[change.to_status]


def is_review(change: EventStatusChange) -> bool:
    """A coordinator's decision on a submitted event."""
    return change.from_status == S.SUBMITTED and change.to_status != S.SUBMITTED


@dataclass
class ReviewDiff:
    """What changed between the last review and now."""

    review: EventStatusChange
    changes: list[FieldChange]


def changes_since_last_review(event: Event) -> ReviewDiff | None:
    """On a resubmission, the fields changed since the last decision (``None`` if never reviewed)."""
    reviews = [change for change in event.status_changes if is_review(change)]
    if not reviews or reviews[-1].snapshot is None:
        return None
    last = reviews[-1]
    return ReviewDiff(review=last, changes=diff_snapshots(last.snapshot, snapshot(event)))


def last_decision(event: Event) -> EventStatusChange | None:
    """The latest decision or cancellation, whose comment the organisers must read."""
    for change in reversed(event.status_changes):
        if change.from_status != change.to_status and change.to_status in (
            S.CHANGES_REQUESTED, S.REJECTED, S.CANCELLED, S.PUBLISHED
        ):
            return change
    return None
