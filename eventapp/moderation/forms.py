"""Coordinators' forms: a moderation decision, and the programme's publication."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..organiser.fields import FrenchMeta, choice_list, strip

DECISIONS = {
    "publish": "Publier l'événement",
    "request_changes": "Demander des modifications à l'organisateur",
    "reject": "Refuser l'événement",
}
COMMENT_REQUIRED = {
    "request_changes": "Expliquez à l'organisateur les modifications à apporter.",
    "reject": "Expliquez à l'organisateur pourquoi l'événement n'est pas retenu.",
}


class DecisionForm(FlaskForm):
    """Publish, request changes or reject; a comment is required unless publishing."""

    class Meta(FrenchMeta):
        pass

    decision = RadioField(
        "Décision",
        choices=choice_list(DECISIONS.items()),
        validate_choice=False,
        validators=[DataRequired("Choisissez une décision.")],
    )
    comment = TextAreaField(
        "Commentaire pour l'organisateur",
        validators=[Length(max=5000, message="Le commentaire ne doit pas dépasser 5000 caractères.")],
        filters=[strip],
        description="Obligatoire pour demander des modifications ou refuser ; envoyé par e-mail "
                    "aux membres de l'organisation et conservé dans l'historique.",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        decision = self.decision.data
        if decision and decision not in DECISIONS:
            self.decision.errors.append("Choisissez une décision dans la liste.")
            return False
        if decision in COMMENT_REQUIRED and not self.comment.data:
            self.comment.errors.append(COMMENT_REQUIRED[decision])
            return False
        return valid


class ProgrammeForm(FlaskForm):
    """Publish or unpublish the programme, with an optional note for the history."""

    class Meta(FrenchMeta):
        pass

    comment = TextAreaField(
        "Note pour l'historique (facultatif)",
        validators=[Length(max=2000, message="La note ne doit pas dépasser 2000 caractères.")],
        filters=[strip],
    )
