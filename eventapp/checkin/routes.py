"""Pages of reception: the desk, the live board, badges and device tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from .. import vntime
from ..access import ORGANIZERS, RECEPTION, public, roles
from ..forms import EmptyForm
from ..models import CheckInMethod, Delegate, Device, new_token
from ..qr import qr_svg
from ..ratelimit import wrong_secret
from ..web import done, failed, form_page, is_fragment_request, on_refusal, render, submitted
from ..workspace import in_conference, tab
from . import badges as badge_service
from . import board as board_service
from . import bp, scanning
from . import desk as desk_service
from . import devices as device_service
from .forms import (
    CheckinWindowForm,
    DeskNameForm,
    DeviceForm,
    EnrolThisDeskForm,
    ScanForm,
    SubstituteForm,
    UndoForm,
    WalkInForm,
)


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
@tab("Đón tiếp", order=50)
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
@tab("Theo dõi", order=55)
def board():
    """The live board for the wall: arrivals against expected, by group and agency, and who is missing, for one
    day (``?ngay=YYYY-MM-DD``; today by default)."""
    day = board_service.board_day(g.conference, request.args.get("ngay"))
    data = board_service.figures(g.conference, day)
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


def _window_form(conference) -> CheckinWindowForm:
    """The window form with what organizers set; an end left empty keeps its default (the page says the window
    in force), so the default follows the conference's dates when they change."""
    values = {}
    for end, moment in (("opens", conference.checkin_opens_at), ("closes", conference.checkin_closes_at)):
        if moment is not None:
            local = vntime.to_local(moment)
            values |= {f"{end}_date": local.date(), f"{end}_time": local.time()}
    return CheckinWindowForm(formdata=None, **values)


def _devices_page(form: DeviceForm | None = None, status: int = 200, token: str | None = None,
                  window_form: CheckinWindowForm | None = None, **enrolment):
    conference = g.conference
    return render("checkin/devices.html", form=form or DeviceForm(formdata=None), token=token,
                  devices=device_service.devices_of(conference), status=status,
                  window_form=window_form or _window_form(conference),
                  window=scanning.window_text(*scanning.checkin_window(conference)),
                  enrol_form=EmptyForm(), **enrolment)


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def devices():
    """The conference's desks and scanners: add a reception desk by QR, make a token for a scanner app, revoke,
    see when each was last seen; set when the door accepts scans. A new token is shown on the answer to its
    creation, once, never stored nor flashed (a flash travels in the session cookie)."""
    form = DeviceForm()
    if submitted(form, lambda status: _devices_page(form, status)):
        _device, token = device_service.create_device(g.conference, form.name.data, current_user)
        return _devices_page(token=token)
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi/them-ban", methods=["POST"])
@roles(ORGANIZERS)
def new_enrolment():
    """«Thêm bàn đón tiếp»: a one-time enrolment link, shown as a QR and a link on this answer only. Its address
    is the one the organizer's browser uses, which the desk's browser can reach too."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    enrolment, secret = device_service.create_enrolment(g.conference, current_user)
    url = url_for("checkin.enrol", token=secret, _external=True)
    return _devices_page(enrolment_url=url, enrolment_qr=qr_svg(url, label="Mã QR thêm bàn đón tiếp"),
                         enrolment_expires=enrolment.expires_at)


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi/thoi-gian", methods=["POST"])
@roles(ORGANIZERS)
def checkin_window():
    """Set when the door accepts scans (live and offline alike); an empty end keeps its default."""
    form = CheckinWindowForm()
    if submitted(form, lambda status: _devices_page(status=status, window_form=form)):
        values = form.values()
        scanning.set_window(g.conference, _moment(values["opens_date"], values["opens_time"], closing=False),
                            _moment(values["closes_date"], values["closes_time"], closing=True))
        return done("Đã lưu thời gian đón tiếp: " + scanning.window_text(*scanning.checkin_window(g.conference)) + ".",
                    url_for("checkin.devices"))
    return form_page()


def _moment(day, at, closing: bool):
    """A window's end from a date and an optional time (none: the start of the day, or for the closing end the
    end of that day); None without a date (the default)."""
    if day is None:
        return None
    if at is None:
        return vntime.local_to_utc(datetime.combine(day + timedelta(days=1) if closing else day, datetime.min.time()))
    return vntime.local_to_utc(datetime.combine(day, at))


@bp.route("/hoi-nghi/<int:conference_id>/thiet-bi/<int:device_id>/thu-hoi", methods=["POST"])
@roles(ORGANIZERS)
def revoke_device(device_id: int):
    """Revoke a device token at once."""
    device = in_conference(Device, device_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    device_service.revoke_device(device)
    return done(f"Đã thu hồi mã của thiết bị «{device.name}».", url_for("checkin.devices"))


def _desk_shell(device: Device, token: str) -> str:
    """Where an enrolled browser goes: the desk shell (``checkin.desk_shell``, /ban/<conference_id>) with its
    token in the fragment, which the browser keeps and never sends to a server."""
    return url_for("checkin.desk_shell", conference_id=device.conference_id, _anchor=f"token={token}")


def _enrol_page(form: DeskNameForm, enrolment, status: int = 200):
    return render("checkin/enrol.html", form=form, enrolment=enrolment, conference=enrolment.conference,
                  status=status)


@bp.route("/ban/dang-ky/<token>", methods=["GET", "POST"])
@public
def enrol(token: str):
    """An enrolment link opened on the desk's phone or laptop (no sign-in): asks the desk's name, then makes
    the desk and sends the browser to the desk with its token. A link used or expired says so (410); an
    unknown one is the same 404 as any wrong secret, counted as a guess."""
    enrolment = device_service.enrolment_for(token)
    if enrolment is None:
        wait = wrong_secret("device")
        abort(429 if wait else 404)
    form = DeskNameForm(name=device_service.next_desk_name(enrolment.conference))
    refusal = device_service.enrolment_refusal(enrolment)
    if refusal and request.method == "GET":
        return render("checkin/enrol.html", refusal=refusal, enrolment=enrolment, status=410,
                      conference=enrolment.conference, form=form)
    if submitted(form, lambda status: _enrol_page(form, enrolment, status)):
        device, device_token = device_service.enrol_with_link(token, form.name.data)
        return redirect(_desk_shell(device, device_token), 303)
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/ban-nay", methods=["POST"])
@roles(RECEPTION)
def enrol_this_desk():
    """Reception staff make the browser they are signed in on a named desk of this conference (the form of
    ``checkin/_enrol_this_desk.html``), then go to the desk with its token."""
    form = EnrolThisDeskForm()
    if not form.validate_on_submit():
        return failed(form.error_text(), url_for("checkin.desk"))
    on_refusal(url=url_for("checkin.desk"))
    device, token = device_service.enrol_this_desk(g.conference, current_user, form.name.data, form.key.data)
    return redirect(_desk_shell(device, token), 303)


@bp.app_context_processor
def _enrol_this_desk_form():
    """``enrol_this_desk_form(conference)`` for ``checkin/_enrol_this_desk.html``, wherever it is included: a
    fresh form with the next desk name and a one-time key."""
    def make(conference) -> EnrolThisDeskForm:
        return EnrolThisDeskForm(formdata=None, name=device_service.next_desk_name(conference), key=new_token(24))

    return {"enrol_this_desk_form": make}
