"""Pages of reception: the desk, the live board, badges and device tokens."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, RECEPTION, roles
from ..errors import UserError
from ..models import CheckInMethod, Conference, Delegate, Device
from ..web import render
from ..workspace import in_conference, tab
from . import badges as badge_service
from . import board as board_service
from . import bp, services
from .forms import DeviceForm, ScanForm, SubstituteForm, UndoForm, WalkInForm


def _outcome(conference: Conference, status: int, body: dict):
    """The answer of a desk action: the result panel for htmx, else a flash and back to the desk."""
    if request.htmx:
        return render("checkin/desk.html", block="result", conference=conference, outcome=body)
    category = {"ok": "success", "already_checked_in": "warning"}.get(body["result"], "error")
    person = body.get("delegate", {}).get("name", "")
    flash(" — ".join(p for p in (body.get("message", ""), person) if p), category)
    return redirect(url_for("checkin.desk", conference_id=conference.id), 303)


def _error(conference: Conference, message: str):
    return _outcome(conference, 422, {"result": "error", "message": message})


def _desk_context(conference: Conference, **extra) -> dict:
    return {
        "conference": conference,
        "scan_form": ScanForm(),
        "walk_in_form": WalkInForm(prefix="walkin"),
        "substitute_form": SubstituteForm(prefix="sub"),
        "undo_form": UndoForm(),
        "outcome": None,
        **extra,
    }


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep")
@roles(RECEPTION)
@tab("Đón tiếp", order=40)
def desk():
    """The reception desk: scan (scanner or camera), find by name, walk-ins, substitutes, undo; works offline."""
    conference = g.conference
    return render("checkin/desk.html", **_desk_context(conference))


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/quet", methods=["POST"])
@roles(RECEPTION)
def scan():
    """A scan posted by the plain form (without JavaScript the desk still works online)."""
    conference = g.conference
    form = ScanForm()
    if not form.validate_on_submit():
        return _error(conference, "Vui lòng quét hoặc nhập mã trên thẻ.")
    status, body = services.record_checkin(conference, form.code.data, user=current_user)
    return _outcome(conference, status, body)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/tim")
@roles(RECEPTION)
def search():
    """Find delegates by name, position or agency without accents (for those who forgot their pass)."""
    conference = g.conference
    q = request.args.get("q", "")[:100]
    results = services.search_delegates(conference, q)
    return render("checkin/desk.html", block="search_results",
                  **_desk_context(conference, q=q, results=results, searched=True))


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/dai-bieu/<int:delegate_id>/check-in", methods=["POST"])
@roles(RECEPTION)
def checkin_found(delegate_id: int):
    """Check in a delegate found by name."""
    conference = g.conference
    delegate = in_conference(Delegate, delegate_id)
    if not UndoForm().validate_on_submit():
        abort(400)
    status, body = services.checkin_delegate(conference, delegate, current_user, CheckInMethod.SEARCH)
    return _outcome(conference, status, body)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/khach-moi", methods=["POST"])
@roles(RECEPTION)
def walk_in():
    """Register a walk-in guest (name, position, agency) and check them in at once."""
    conference = g.conference
    form = WalkInForm(prefix="walkin")
    if not form.validate_on_submit():
        return _error(conference, "Vui lòng nhập họ và tên khách (tối đa 120 ký tự).")
    try:
        _, status, body = services.register_walk_in(conference, current_user, form.full_name.data,
                                                    form.position.data or "", form.agency_name.data or "")
    except UserError as exc:
        return _error(conference, str(exc))
    return _outcome(conference, status, body)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/nguoi-di-thay", methods=["POST"])
@roles(RECEPTION)
def substitute():
    """Someone arrives instead of the invited delegate: record the substitute and check them in."""
    conference = g.conference
    form = SubstituteForm(prefix="sub")
    if not form.validate_on_submit():
        return _error(conference, "Vui lòng chọn đại biểu được mời và nhập họ tên người đi thay.")
    replaced = in_conference(Delegate, form.replaced_id.data)
    try:
        _, status, body = services.register_substitute(conference, current_user, replaced, form.full_name.data,
                                                       form.position.data or "")
    except UserError as exc:
        return _error(conference, str(exc))
    return _outcome(conference, status, body)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/hoan-tac", methods=["POST"])
@roles(RECEPTION)
def undo():
    """Undo the last check-in made at this desk (a wrong person, a mistaken tap)."""
    conference = g.conference
    form = UndoForm()
    if not form.validate_on_submit():
        abort(400)
    checkin_id = int(form.checkin_id.data) if (form.checkin_id.data or "").isdigit() else None
    try:
        checkin = services.undo_checkin(conference, current_user, checkin_id)
    except UserError as exc:
        return _error(conference, str(exc))
    return _outcome(conference, 200, {"result": "undone", "delegate": services.delegate_json(checkin.delegate),
                                      "message": "Đã hoàn tác check-in"})


@bp.route("/hoi-nghi/<int:conference_id>/theo-doi")
@roles(RECEPTION)
@tab("Theo dõi", order=50)
def board():
    """The live board for the wall: arrivals against expected, by group and agency, and who is missing."""
    conference = g.conference
    data = board_service.figures(conference)
    return render("checkin/board.html", block="live", conference=conference, chart=board_service.chart(data["bars"]),
                  **data)


@bp.route("/hoi-nghi/<int:conference_id>/the-dai-bieu")
@roles(RECEPTION)
def badge_sheet():
    """Badges on A4, 8 a page: every attending delegate, or those chosen with ?id=...&id=..."""
    conference = g.conference
    ids = [int(v) for v in request.args.getlist("id") if v.isdigit()]
    items = badge_service.badges(conference, badge_service.badge_delegates(conference, ids or None))
    return render("checkin/badges.html", conference=conference, pages=badge_service.pages(items),
                  count=len(items), single=False)


@bp.route("/hoi-nghi/<int:conference_id>/the-dai-bieu/<int:delegate_id>")
@roles(RECEPTION)
def badge(delegate_id: int):
    """One badge, printed on demand at the desk."""
    conference = g.conference
    delegate = in_conference(Delegate, delegate_id)
    items = badge_service.badges(conference, [delegate])
    return render("checkin/badges.html", conference=conference, pages=[items], count=1, single=True)


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def devices():
    """Device tokens for scanner apps: create (the token is shown once) and revoke."""
    conference = g.conference
    form = DeviceForm()
    token = None
    if form.validate_on_submit():
        device, token = services.create_device(conference, form.name.data, current_user)
        form = DeviceForm(formdata=None)
    return render("checkin/devices.html", conference=conference, form=form, token=token,
                  devices=services.devices_of(conference), status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi/<int:device_id>/thu-hoi", methods=["POST"])
@roles(ORGANIZERS)
def revoke_device(device_id: int):
    """Revoke a device token at once."""
    conference = g.conference
    device = in_conference(Device, device_id)
    if not UndoForm().validate_on_submit():
        abort(400)
    services.revoke_device(device)
    flash(f"Đã thu hồi mã của thiết bị «{device.name}».", "success")
    return redirect(url_for("checkin.devices", conference_id=conference.id), 303)
