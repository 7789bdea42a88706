"""Pages of reception: the desk, the live board, badges and device tokens."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, RECEPTION, roles
from ..forms import EmptyForm
from ..models import CheckInMethod, Delegate, Device
from ..web import done, failed, form_page, is_fragment_request, on_refusal, render, submitted
from ..workspace import in_conference, tab
from . import badges as badge_service
from . import board as board_service
from . import bp, scanning
from . import desk as desk_service
from . import devices as device_service
from .forms import DeviceForm, ScanForm, SubstituteForm, UndoForm, WalkInForm


def _desk_page(**extra):
    return render("checkin/desk.html", scan_form=ScanForm(), walk_in_form=WalkInForm(prefix="walkin"),
                  substitute_form=SubstituteForm(prefix="sub"), undo_form=UndoForm(), outcome=None, **extra)


def _answer(outcome: dict):
    """A desk action's answer (a check-in's, good or bad, or an undo's): the result panel for htmx, where the desk
    shows every answer, otherwise the message flashed and back to the desk."""
    if is_fragment_request():
        return render("checkin/desk.html", block="result", outcome=outcome)
    person = outcome.get("delegate", {}).get("name", "")
    message = " — ".join(p for p in (outcome.get("message", ""), person) if p)
    if outcome["result"] in ("ok", "already_checked_in", "undone"):
        category = "warning" if outcome["result"] == "already_checked_in" else "success"
        return done(message, url_for("checkin.desk"), category=category)
    return failed(message, url_for("checkin.desk"))


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep")
@roles(RECEPTION)
@tab("Đón tiếp", order=40)
def desk():
    """The reception desk: scan (scanner or camera), find by name, walk-ins, substitutes, undo; works offline."""
    return _desk_page()


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/quet", methods=["POST"])
@roles(RECEPTION)
def scan():
    """A scan posted by the plain form (without JavaScript the desk still works online)."""
    form = ScanForm()
    if not form.validate_on_submit():
        return failed("Vui lòng quét hoặc nhập mã trên thẻ.", url_for("checkin.desk"))
    _status, outcome = scanning.record_checkin(g.conference, form.code.data, user=current_user)
    return _answer(outcome)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/tim")
@roles(RECEPTION)
def search():
    """Find delegates by name, position or agency without accents (for those who forgot their pass)."""
    q = request.args.get("q", "")[:100]
    return _desk_page(block="search_results", q=q, results=desk_service.search_delegates(g.conference, q),
                      searched=True)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/dai-bieu/<int:delegate_id>/check-in", methods=["POST"])
@roles(RECEPTION)
def checkin_found(delegate_id: int):
    """Check in a delegate found by name."""
    delegate = in_conference(Delegate, delegate_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    _status, outcome = desk_service.checkin_delegate(delegate, current_user, CheckInMethod.SEARCH)
    return _answer(outcome)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/khach-moi", methods=["POST"])
@roles(RECEPTION)
def walk_in():
    """Register a walk-in guest (name, position, agency) and check them in at once."""
    form = WalkInForm(prefix="walkin")
    if not form.validate_on_submit():
        return failed("Vui lòng nhập họ và tên khách (tối đa 120 ký tự).", url_for("checkin.desk"))
    on_refusal(url=url_for("checkin.desk"))  # a refusal: its message in the flash area, or back at the desk
    _status, outcome = desk_service.register_walk_in(g.conference, current_user, form.full_name.data,
                                                     form.position.data or "", form.agency_name.data or "")
    return _answer(outcome)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/nguoi-di-thay", methods=["POST"])
@roles(RECEPTION)
def substitute():
    """Someone arrives instead of the invited delegate: record the substitute and check them in."""
    form = SubstituteForm(prefix="sub")
    if not form.validate_on_submit():
        return failed("Vui lòng chọn đại biểu được mời và nhập họ tên người đi thay.", url_for("checkin.desk"))
    replaced = in_conference(Delegate, form.replaced_id.data)
    on_refusal(url=url_for("checkin.desk"))
    _status, outcome = desk_service.register_substitute(g.conference, current_user, replaced,
                                                        form.full_name.data, form.position.data or "")
    return _answer(outcome)


@bp.route("/hoi-nghi/<int:conference_id>/don-tiep/hoan-tac", methods=["POST"])
@roles(RECEPTION)
def undo():
    """Undo the last check-in made at this desk (a wrong person, a mistaken tap)."""
    form = UndoForm()
    if not form.validate_on_submit():
        abort(400)
    checkin_id = int(form.checkin_id.data) if (form.checkin_id.data or "").isdigit() else None
    on_refusal(url=url_for("checkin.desk"))
    checkin = desk_service.undo_checkin(g.conference, current_user, checkin_id)
    return _answer({"result": "undone", "delegate": scanning.delegate_json(checkin.delegate),
                    "message": "Đã hoàn tác check-in"})


@bp.route("/hoi-nghi/<int:conference_id>/theo-doi")
@roles(RECEPTION)
@tab("Theo dõi", order=50)
def board():
    """The live board for the wall: arrivals against expected, by group and agency, and who is missing."""
    data = board_service.figures(g.conference)
    return render("checkin/board.html", block="live", chart=board_service.chart(data["bars"]), **data)


@bp.route("/hoi-nghi/<int:conference_id>/the-dai-bieu")
@roles(RECEPTION)
def badge_sheet():
    """Badges on A4, 8 a page: every attending delegate, or those chosen with ?id=...&id=..."""
    conference = g.conference
    ids = [int(v) for v in request.args.getlist("id") if v.isdigit()]
    order = request.args.get("thu-tu", "nhom")
    items = badge_service.badges(conference, badge_service.badge_delegates(conference, ids or None, order))
    return render("checkin/badges.html", pages=badge_service.pages(items), count=len(items), single=False,
                  orders=badge_service.ORDERS, order=order)


@bp.route("/hoi-nghi/<int:conference_id>/the-dai-bieu/<int:delegate_id>")
@roles(RECEPTION)
def badge(delegate_id: int):
    """One badge, printed on demand at the desk."""
    items = badge_service.badges(g.conference, [in_conference(Delegate, delegate_id)])
    return render("checkin/badges.html", pages=[items], count=1, single=True)


def _devices_page(form: DeviceForm, status: int = 200, token: str | None = None):
    return render("checkin/devices.html", form=form, token=token, devices=device_service.devices_of(g.conference),
                  status=status)


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def devices():
    """Device tokens for scanner apps: create and revoke. A new token is shown on the answer to its creation,
    once, never stored nor flashed (a flash travels in the session cookie)."""
    form = DeviceForm()
    if submitted(form, lambda status: _devices_page(form, status)):
        _device, token = device_service.create_device(g.conference, form.name.data, current_user)
        return _devices_page(DeviceForm(formdata=None), token=token)
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi/<int:device_id>/thu-hoi", methods=["POST"])
@roles(ORGANIZERS)
def revoke_device(device_id: int):
    """Revoke a device token at once."""
    device = in_conference(Device, device_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    device_service.revoke_device(device)
    return done(f"Đã thu hồi mã của thiết bị «{device.name}».", url_for("checkin.devices"))
