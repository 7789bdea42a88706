"""Venue pages: the list, add, edit, delete."""

from __future__ import annotations

from flask import abort, request, url_for

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import Venue
from ..web import done, form_page, render, submitted
from ..workspace import menu
from . import bp, services
from .forms import VenueForm


@bp.route("/")
@roles(ORGANIZERS)
@menu("Địa điểm", order=50)
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
    if submitted(form, lambda status: render("venues/form.html", form=form, venue=None, status=status)):
        venue = services.save_venue(None, form.values())
        return done(f"Đã thêm địa điểm «{venue.full_name}».", url_for("venues.index"))
    return form_page()


@bp.route("/<int:venue_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(venue_id: int):
    """Edit a venue."""
    venue = db.get_or_404(Venue, venue_id)
    form = VenueForm(obj=venue)
    if submitted(form, lambda status: render("venues/form.html", form=form, venue=venue, status=status)):
        services.save_venue(venue, form.values())
        return done(f"Đã lưu địa điểm «{venue.full_name}».", url_for("venues.index"))
    return form_page()


@bp.route("/<int:venue_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(venue_id: int):
    """Delete a venue."""
    venue = db.get_or_404(Venue, venue_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = venue.full_name
    services.delete_venue(venue)
    return done(f"Đã xóa địa điểm «{name}».", url_for("venues.index"))
