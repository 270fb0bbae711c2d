"""Forms of the organisers' space: the event form, and the small forms of its actions."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .event_form import EventForm
from .fields import FrenchMeta, strip

__all__ = ["CancelForm", "CommentForm", "EmptyForm", "EventForm"]


class CommentForm(FlaskForm):
    """A comment or a reason (cancellation, submission message)."""

    class Meta(FrenchMeta):
        pass

    comment = TextAreaField(
        "Commentaire",
        validators=[Length(max=5000, message="Le commentaire ne doit pas dépasser 5000 caractères.")],
        filters=[strip],
    )


class CancelForm(FlaskForm):
    """Cancel a published event: the reason is required and sent to the registrants."""

    class Meta(FrenchMeta):
        pass

    reason = TextAreaField(
        "Motif de l'annulation",
        validators=[
            DataRequired("Indiquez le motif de l'annulation : il sera communiqué aux inscrits."),
            Length(max=5000, message="Le motif ne doit pas dépasser 5000 caractères."),
        ],
        filters=[strip],
        description="Il sera envoyé aux inscrits et affiché sur la page de l'événement.",
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for POST-only buttons."""
