"""Account views (being written)."""
from flask import abort

from . import bp


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    abort(404)


@bp.route("/deconnexion", methods=["GET", "POST"])
def logout():
    abort(404)


@bp.route("/creer-un-compte", methods=["GET", "POST"])
def signup():
    abort(404)
