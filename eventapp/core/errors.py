"""French error pages in the site's layout."""
from flask import jsonify, redirect, render_template, request, url_for
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from . import bp

TITLES = {
    400: ("Requête incorrecte", "La demande n'a pas pu être comprise. Vérifiez l'adresse ou le formulaire."),
    403: ("Accès refusé", "Vous n'avez pas l'autorisation d'accéder à cette page."),
    404: ("Page non trouvée", "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."),
    405: ("Méthode non autorisée", "Cette action n'est pas possible sur cette page."),
    410: ("Page supprimée", "Cette page n'existe plus."),
    413: ("Envoi trop volumineux", "Les données envoyées dépassent la taille autorisée. Raccourcissez votre texte et réessayez."),
    429: ("Trop de tentatives", "Vous avez fait trop de demandes en peu de temps. Merci de patienter quelques minutes avant de réessayer."),
    500: ("Erreur inattendue", "Une erreur est survenue de notre côté. Merci de réessayer dans un instant."),
    503: ("Service momentanément indisponible", "Le service est temporairement indisponible. Merci de réessayer dans quelques minutes."),
}


def render_error(code: int):
    title, message = TITLES.get(code, TITLES[500])
    return render_template("errors/error.html", code=code, title=title, message=message), code


@bp.app_errorhandler(401)
def unauthorized(_error):
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        # Paths the API's own routes cannot even match (e.g. a newline in an id) still answer JSON.
        return jsonify(code=error.code, status=error.name, message=TITLES.get(error.code, (error.name, error.description))[1]), error.code
    if error.code in TITLES:
        return render_error(error.code)
    return error


@bp.app_errorhandler(500)
def internal_error(_error):
    try:
        db.session.rollback()
    except Exception:  # a dead connection must not stop the error page
        pass
    return render_error(500)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
def database_unavailable(_error):
    """The database is down or unreachable: a French 503, and the next request tries again."""
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the pool recycles it
        pass
    response, code = render_error(503)
    return response, code, {"Retry-After": "30"}
