"""Editions: list, create the next one, edit the current one, submissions and programme switches."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..editions import current_edition
from ..extensions import db
from ..models import Edition
from ..permissions import can, require
from ..workflow import programme_history
from . import bp
from . import editions as service
from .errors import AdminError
from .forms import ActionForm, EditionForm, paris_to_utc, utc_to_paris_naive


def _values(form: EditionForm) -> service.EditionValues:
    return service.EditionValues(
        title=form.title.data,
        theme=form.theme.data,
        description=form.description.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        submissions_open_at=paris_to_utc(form.submissions_open_at.data),
        submissions_close_at=paris_to_utc(form.submissions_close_at.data),
    )


def _edition_or_404(year: int) -> Edition:
    edition = db.session.scalars(select(Edition).where(Edition.year == year)).first()
    if edition is None:
        from flask import abort

        abort(404)
    return edition


@bp.get("/editions")
def editions():
    """Every edition, newest first; the current one is editable, the others are archives."""
    require("edition.manage")
    rows = list(db.session.scalars(select(Edition).order_by(Edition.year.desc())))
    return render_template("admin/editions.html", editions=rows, current=current_edition())


@bp.route("/editions/nouvelle", methods=["GET", "POST"])
def new_edition():
    """Create the next edition (the current one becomes an archive)."""
    require("edition.manage")
    form = EditionForm()
    if request.method == "GET":
        year = service.next_year()
        form.year.data = year
        form.title.data = f"Mois de l'innovation publique {year}"
        form.starts_on.data = date(year, 11, 1)
        form.ends_on.data = date(year, 11, 30)
    if form.validate_on_submit():
        try:
            edition = service.create_edition(current_user, form.year.data, _values(form))
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"L'édition {edition.year} est créée : c'est désormais l'édition en cours.", "success")
            return redirect(url_for("admin.edition", year=edition.year))
    return render_template("admin/edition_form.html", form=form, edition=None)


@bp.route("/editions/<int:year>", methods=["GET", "POST"])
def edition(year: int):
    """An edition: its settings (editable while current), submissions and programme switches."""
    require("edition.manage")
    edition = _edition_or_404(year)
    editable = can("edition.edit", edition)
    form = EditionForm(obj=edition)
    if request.method == "GET":
        form.submissions_open_at.data = utc_to_paris_naive(edition.submissions_open_at)
        form.submissions_close_at.data = utc_to_paris_naive(edition.submissions_close_at)
    if request.method == "POST":
        require("edition.edit", edition)
        form.year.data = edition.year
        if form.validate_on_submit():
            try:
                changed = service.update_edition(current_user, edition, _values(form))
            except AdminError as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash("Édition mise à jour." if changed else "Aucune modification.", "success" if changed else "info")
                return redirect(url_for("admin.edition", year=year))
    return render_template(
        "admin/edition_form.html", form=form, edition=edition, editable=editable,
        archived=service.is_archived(edition), history=programme_history(edition),
    )


@bp.post("/editions/<int:year>/depot")
def edition_submissions(year: int):
    """Open or close the submission window now."""
    edition = _edition_or_404(year)
    require("edition.edit", edition)
    if not ActionForm().validate_on_submit():
        flash("La session a expiré : merci de réessayer.", "error")
        return redirect(url_for("admin.edition", year=year))
    opening = request.form.get("action") == "open"
    try:
        (service.open_submissions if opening else service.close_submissions)(current_user, edition)
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Le dépôt des événements est ouvert." if opening else "Le dépôt des événements est fermé.", "success")
    return redirect(url_for("admin.edition", year=year))


@bp.post("/editions/<int:year>/programme")
def edition_programme(year: int):
    """Publish or unpublish the edition's national programme (the workflow's service)."""
    edition = _edition_or_404(year)
    require("edition.edit", edition)
    if not ActionForm().validate_on_submit():
        flash("La session a expiré : merci de réessayer.", "error")
        return redirect(url_for("admin.edition", year=year))
    publish = request.form.get("action") == "publish"
    try:
        service.set_programme_published(current_user, edition, publish, request.form.get("comment"))
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            "Le programme est publié : les événements publiés sont visibles de tous."
            if publish else "Le programme n'est plus public.",
            "success",
        )
    return redirect(url_for("admin.edition", year=year))
