from flask import abort, flash, redirect, request, url_for

from ..access import ORGANIZERS, roles
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..forms import EmptyForm
from ..models import Invitation
from ..qr import qr_response
from ..rsvp.services import rsvp_link
from ..web import render
from . import bp, services

ACTIONS = {
    "invite_unsent": "Gửi giấy mời cho khách mời chưa được gửi",
    "invite_selected": "Gửi giấy mời cho các khách mời đã chọn",
    "remind_pending": "Nhắc tất cả khách mời chưa trả lời",
    "remind_selected": "Nhắc các khách mời đã chọn (chỉ người chưa trả lời)",
}


def _page(conference, status=200, confirm=None, error=None):
    rows = services.invitations(conference)
    return render(
        "sending/index.html",
        block="progress" if confirm is None and error is None else None,
        status=status,
        conference=conference,
        rows=rows,
        links={i.id: rsvp_link(i) for i in rows},
        last_mail=services.last_mail_by_invitation(conference),
        unsent=sum(1 for i in rows if i.email and i.first_sent_at is None),
        pending=sum(1 for i in rows if i.email and i.status == "pending"),
        without_email=sum(1 for i in rows if not i.email),
        progress=services.progress(conference),
        timing=services.timing(conference),
        rule=services.RULE_45,
        confirm=confirm,
        error=error,
        form=EmptyForm(),
    )


@bp.route("/")
@roles(ORGANIZERS)
def index(conference_id: int):
    """Send invitations and reminders, follow the mail, copy links for Zalo or SMS."""
    return _page(get_conference_or_404(conference_id))


@bp.route("/tien-do")
@roles(ORGANIZERS)
def progress(conference_id: int):
    """The progress fragment, polled every 2 seconds while mail of this conference is on its way."""
    conference = get_conference_or_404(conference_id)
    if request.headers.get("HX-Request") != "true":
        return redirect(url_for("sending.index", conference_id=conference.id), 303)
    return render("sending/index.html", block="progress", conference=conference,
                  progress=services.progress(conference), oob=True, rows=services.invitations(conference),
                  last_mail=services.last_mail_by_invitation(conference))


@bp.route("/", methods=["POST"])
@roles(ORGANIZERS)
def send(conference_id: int):
    """Queue invitations or reminders; fewer than 3 working days before the conference asks first."""
    conference = get_conference_or_404(conference_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _page(conference, status=400, error="Phiên biểu mẫu đã hết hạn; vui lòng tải lại trang rồi gửi lại.")
    action = request.form.get("action", "")
    if action not in ACTIONS:
        return _page(conference, status=422, error="Thao tác không hợp lệ; vui lòng chọn lại nút gửi.")
    try:
        ids = [int(v) for v in request.form.getlist("ids")] if action.endswith("_selected") else None
    except ValueError:
        return _page(conference, status=422, error="Danh sách khách mời đã chọn không hợp lệ.")
    if ids is not None and not ids:
        return _page(conference, status=422, error="Chưa chọn khách mời nào: đánh dấu các dòng cần gửi trong bảng.")
    timing = services.timing(conference)
    if timing.too_late and request.form.get("confirm_late") != "1":
        return _page(conference, confirm={"action": action, "label": ACTIONS[action], "ids": ids or []})
    try:
        if action.startswith("invite"):
            count = services.send_invitations(conference, ids)
            message = f"Đã đưa {count} giấy mời vào hàng đợi gửi."
        else:
            count = services.send_reminders(conference, ids)
            message = f"Đã đưa {count} thư nhắc vào hàng đợi gửi."
        db.session.commit()
    except services.SendingError as exc:
        db.session.rollback()
        return _page(conference, status=422, error=str(exc))
    flash(message + " Tiến độ cập nhật bên dưới.", "success")
    return redirect(url_for("sending.index", conference_id=conference.id), 303)


@bp.route("/<int:invitation_id>/qr.png")
@roles(ORGANIZERS)
def invitation_qr(conference_id: int, invitation_id: int):
    """The QR code of an invitation's personal link, to send by Zalo or print."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.conference_id != conference_id:
        abort(404)
    response = qr_response(rsvp_link(invitation), box_size=10, filename=f"giay-moi-{invitation.id}.png")
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="giay-moi-{invitation.id}.png"'
    return response
