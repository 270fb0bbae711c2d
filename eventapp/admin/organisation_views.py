"""Organisations in the cockpit: list, create, edit, deactivate, merge, and their members."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Event, Organisation, OrganisationInvitation, User, utcnow
from ..permissions import can, require
from ..text import search_key
from ..vocabulary import REGIONS
from . import bp, members
from . import organisations as service
from .errors import AdminError
from .forms import ActionForm, DecisionForm, InviteForm, MergeForm, OrganisationForm
from .views import viewer_region

PAGE_SIZE = 50


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.get_or_404(Organisation, organisation_id)
    require("organisation.manage", organisation)
    return organisation


def _values(form: OrganisationForm) -> service.OrganisationValues:
    return service.OrganisationValues(
        name=form.name.data, slug=form.slug.data, kind=form.kind.data, region_code=form.region_code.data,
        city=form.city.data, website=form.website.data, description=form.description.data,
    )


def _regions() -> list[str]:
    region = viewer_region()
    return list(REGIONS) if region is None else [region]


def _done(message: str, organisation_id: int):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.organisation", organisation_id=organisation_id))


def _failed(error: AdminError, organisation_id: int):
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url_for("admin.organisation", organisation_id=organisation_id))


@bp.get("/organisations")
def organisations():
    """The organisations of the viewer's scope, searchable, with their members and events counts."""
    region = viewer_region()
    q = (request.args.get("q") or "").strip()[:100]
    conditions = []
    if region is not None:
        conditions.append(Organisation.region_code == region)
    if q:
        like = f"%{q.lower()}%"
        conditions.append(or_(func.lower(Organisation.name).like(like), Organisation.slug.like(f"%{search_key(q)}%")))
    events = select(func.count(Event.id)).where(Event.organisation_id == Organisation.id).correlate(Organisation)
    rows = db.session.execute(
        select(Organisation, events.scalar_subquery())
        .where(*conditions)
        .order_by(Organisation.is_active.desc(), Organisation.name)
        .limit(500)
    ).all()
    return render_template("admin/organisations.html", rows=rows, q=q, region=region)


@bp.route("/organisations/nouvelle", methods=["GET", "POST"])
def new_organisation():
    """Create an organisation (a regional coordinator: in their region)."""
    require("organisation.manage", None)
    form = OrganisationForm(regions=_regions())
    if form.validate_on_submit():
        try:
            organisation = service.create_organisation(current_user, _values(form))
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            return _done(f"L'organisation « {organisation.name} » est créée.", organisation.id)
    return render_template("admin/organisation_new.html", form=form)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int):
    """An organisation: its details (editable), members, invitations and requests to join."""
    organisation = _organisation(organisation_id)
    regions = _regions()
    if organisation.region_code not in regions:
        regions = [organisation.region_code, *regions]
    form = OrganisationForm(obj=organisation, regions=regions)
    if form.validate_on_submit():
        try:
            changed = service.update_organisation(current_user, organisation, _values(form))
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            return _done("Organisation mise à jour." if changed else "Aucune modification.", organisation.id)
    invitations = db.session.scalars(
        select(OrganisationInvitation)
        .where(OrganisationInvitation.organisation_id == organisation.id)
        .order_by(OrganisationInvitation.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "admin/organisation.html", organisation=organisation, form=form, members=members.members(organisation),
        invitations=invitations, requests=members.pending_requests(organisation), now=utcnow(),
        invite_form=InviteForm(),
    )


@bp.post("/organisations/<int:organisation_id>/activation")
def organisation_activation(organisation_id: int):
    organisation = _organisation(organisation_id)
    active = request.form.get("action") == "activate"
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.set_active(current_user, organisation, active)
    except AdminError as error:
        return _failed(error, organisation_id)
    return _done("Organisation réactivée." if active else "Organisation désactivée : elle n'apparaît plus au public.",
                 organisation_id)


@bp.route("/organisations/<int:organisation_id>/fusion", methods=["GET", "POST"])
def organisation_merge(organisation_id: int):
    """Merge this organisation (a duplicate) into another one, which is kept."""
    duplicate = _organisation(organisation_id)
    region = viewer_region()
    candidates = db.session.scalars(
        select(Organisation)
        .where(Organisation.id != duplicate.id, *([Organisation.region_code == region] if region else []))
        .order_by(Organisation.name)
    ).all()
    form = MergeForm()
    form.kept_id.choices = [(o.id, f"{o.name} ({o.slug})") for o in candidates if can("organisation.manage", o)]
    if form.validate_on_submit():
        kept = db.session.get(Organisation, form.kept_id.data)
        if kept is None:
            abort(404)
        try:
            summary = service.merge_organisations(current_user, duplicate, kept)
        except AdminError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            return _done(
                f"« {summary['doublon']} » a été fusionnée dans « {kept.name} » : {summary['evenements']} événement(s) "
                f"et {summary['membres']} membre(s) déplacés.",
                kept.id,
            )
    return render_template("admin/organisation_merge.html", organisation=duplicate, form=form)


@bp.post("/organisations/<int:organisation_id>/invitations")
def organisation_invite(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = InviteForm()
    if not form.validate_on_submit():
        message = next(iter(form.errors.values()), ["Formulaire invalide."])[0]
        return _failed(AdminError(message), organisation_id)
    try:
        invitation = members.invite(current_user, organisation, form.email.data)
    except AdminError as error:
        return _failed(error, organisation_id)
    return _done(f"Invitation envoyée à {invitation.email}.", organisation_id)


@bp.post("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/annuler")
def organisation_revoke_invitation(organisation_id: int, invitation_id: int):
    organisation = _organisation(organisation_id)
    invitation = db.get_or_404(OrganisationInvitation, invitation_id)
    if invitation.organisation_id != organisation.id or not ActionForm().validate_on_submit():
        abort(404)
    try:
        members.revoke_invitation(current_user, invitation)
    except AdminError as error:
        return _failed(error, organisation_id)
    return _done(f"L'invitation de {invitation.email} est annulée.", organisation_id)


@bp.post("/organisations/<int:organisation_id>/membres/<int:user_id>/retirer")
def organisation_remove_member(organisation_id: int, user_id: int):
    organisation = _organisation(organisation_id)
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        members.remove_member(current_user, organisation, user)
    except AdminError as error:
        return _failed(error, organisation_id)
    return _done(f"{user.name} ne fait plus partie de {organisation.name}.", organisation_id)


@bp.post("/demandes/<int:request_id>")
def decide_membership_request(request_id: int):
    """Accept or refuse a request to join."""
    from ..models import MembershipRequest

    membership_request = db.get_or_404(MembershipRequest, request_id)
    require("organisation.manage", membership_request.organisation)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    accept = request.form.get("decision") == "accept"
    back = request.form.get("back") == "list"
    try:
        members.decide_request(current_user, membership_request, accept, form.comment.data)
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        who = membership_request.user.name
        flash(f"{who} est désormais membre." if accept else f"La demande de {who} est refusée.", "success")
    if back:
        return redirect(url_for("admin.membership_requests"))
    return redirect(url_for("admin.organisation", organisation_id=membership_request.organisation_id))
