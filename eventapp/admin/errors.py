"""Domain errors of the coordinators' management services (each with a French message)."""


class AdminError(Exception):
    """A management rule refused the operation; ``message`` is shown to the user."""

    default_message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class NotAllowed(AdminError):
    default_message = "Vous n'avez pas l'autorisation de faire cette opération."


class InvitationError(AdminError):
    """An invitation link that cannot be used (expired, already used, revoked or altered)."""

    default_message = "Ce lien d'invitation n'est pas valide."
