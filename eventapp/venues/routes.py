"""Venue pages: the list, add, edit, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import Venue
from ..web import render
from . import bp, services
from .forms import VenueForm


@bp.route("/")
@roles(ORGANIZERS)
def index():
    """The venues used by the host agency, with their capacity and equipment."""
    q = request.args.get("q", "")[:200]
    return render("venues/index.html", block="results", venues=services.venue_list(q), q=q,
                  action_form=EmptyForm())


@bp.route("/moi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def new():
    """Add a venue."""
    form = VenueForm()
    if form.validate_on_submit():
        try:
            venue = services.save_venue(None, form)
        except services.VenueError as exc:
            form.room.errors.append(str(exc))
        else:
            flash(f"Đã thêm địa điểm «{venue.full_name}».", "success")
            return redirect(url_for("venues.index"), 303)
    return render("venues/form.html", form=form, venue=None, status=422 if form.errors else 200)


@bp.route("/<int:venue_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(venue_id: int):
    """Edit a venue."""
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            services.save_venue(venue, form)
        except services.VenueError as exc:
            db.session.rollback()
            form.room.errors.append(str(exc))
        else:
            flash(f"Đã lưu địa điểm «{venue.full_name}».", "success")
            return redirect(url_for("venues.index"), 303)
    return render("venues/form.html", form=form, venue=venue, status=422 if form.errors else 200)


@bp.route("/<int:venue_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(venue_id: int):
    """Delete a venue."""
    venue = db.session.get(Venue, venue_id) or abort(404)
    if EmptyForm().validate_on_submit():
        name = venue.full_name
        services.delete_venue(venue)
        flash(f"Đã xóa địa điểm «{name}».", "success")
    return redirect(url_for("venues.index"), 303)
