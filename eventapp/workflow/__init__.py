"""The life of an event: every status transition goes through this package.

Services take the acting user, raise :class:`WorkflowError` subclasses with a
French message, flush and never commit: the view (or CLI command) commits once.
"""
from .editing import EditResult, apply_values, create_event, delete_event, duplicate_event, update_event
from .history import change_label, changes_since_last_review, last_decision
from .errors import CommentRequired, InvalidTransition, NotAllowed, SubmissionClosed, WorkflowError
from .programme import programme_history, publish_programme, unpublish_programme
from .transitions import (
    STATUS_LABELS,
    STEPS,
    allowed_targets,
    cancel_event,
    may_submit_now,
    publish_event,
    reject_event,
    request_changes,
    submit_event,
    transition,
)

__all__ = [
    "STATUS_LABELS",
    "STEPS",
    "CommentRequired",
    "EditResult",
    "InvalidTransition",
    "NotAllowed",
    "SubmissionClosed",
    "WorkflowError",
    "allowed_targets",
    "apply_values",
    "change_label",
    "changes_since_last_review",
    "cancel_event",
    "create_event",
    "delete_event",
    "duplicate_event",
    "last_decision",
    "may_submit_now",
    "programme_history",
    "publish_event",
    "publish_programme",
    "reject_event",
    "request_changes",
    "submit_event",
    "transition",
    "unpublish_programme",
    "update_event",
]
