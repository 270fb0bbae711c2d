"""How Flask-Login finds the user of a session."""
from ..extensions import db, login_manager
from ..models import User

login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Sessions hold ``<id>:<nonce>``; a changed nonce (new password) ends the session."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user
