"""Domain errors of the event workflow; each carries a French message for the user."""


class WorkflowError(Exception):
    """A workflow rule refused the operation; ``message`` is shown to the user (French)."""

    default_message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidTransition(WorkflowError):
    """The event's current status does not allow this step (e.g. publishing a draft)."""

    default_message = "Cette action n'est pas possible dans l'état actuel de l'événement."


class NotAllowed(WorkflowError):
    """The acting user may not do this to this object."""

    default_message = "Vous n'avez pas l'autorisation de faire cette opération."


class SubmissionClosed(NotAllowed):
    """Organisers submit only while the edition's submission window is open."""

    default_message = (
        "Le dépôt des événements est fermé pour cette édition : "
        "contactez la coordination pour soumettre votre événement."
    )


class CommentRequired(WorkflowError):
    """Requesting changes, rejecting and cancelling need a comment for the other side."""

    default_message = "Un commentaire est obligatoire pour cette décision."
