"""Pages of sending: invitations and reminders by email, the progress of the mail, links and QR codes."""

from flask import g, redirect, request, url_for

from ..access import ORGANIZERS, roles
from ..errors import UserError
from ..forms import EmptyForm
from ..invitations.services import rsvp_url
from ..models import Invitation
from ..qr import qr_response
from ..web import done, form_page, render, submitted
from ..workspace import in_conference, tab
from . import bp, services

ACTIONS = {
    "invite_unsent": "Gửi giấy mời cho khách mời chưa được gửi",
    "invite_selected": "Gửi giấy mời cho các khách mời đã chọn",
    "remind_pending": "Nhắc tất cả khách mời chưa trả lời",
    "remind_selected": "Nhắc các khách mời đã chọn (chỉ người chưa trả lời)",
}


def _page(status: int = 200, form=None, confirm=None):
    conference = g.conference
    rows = services.invitations(conference)
    return render(
        "sending/index.html",
        block="progress" if confirm is None and status == 200 else None,
        status=status,
        rows=rows,
        links={i.id: rsvp_url(i) for i in rows},
        last_mail=services.last_mail_by_invitation(conference),
        unsent=sum(1 for i in rows if i.email and i.first_sent_at is None),
        pending=sum(1 for i in rows if i.email and i.status == "pending"),
        without_email=sum(1 for i in rows if not i.email),
        progress=services.progress(conference),
        timing=services.timing(conference),
        rule=services.RULE_45,
        confirm=confirm,
        form=form or EmptyForm(),
    )


def _chosen(action: str) -> list[int] | None:
    """The selected invitations of a "…_selected" action (None: every one the action concerns)."""
    if action not in ACTIONS:
        raise UserError("Thao tác không hợp lệ; vui lòng chọn lại nút gửi.")
    if not action.endswith("_selected"):
        return None
    try:
        ids = [int(v) for v in request.form.getlist("ids")]
    except ValueError:
        raise UserError("Danh sách khách mời đã chọn không hợp lệ.") from None
    if not ids:
        raise UserError("Chưa chọn khách mời nào: đánh dấu các dòng cần gửi trong bảng.")
    return ids


@bp.route("/")
@roles(ORGANIZERS)
@tab("Gửi giấy mời", order=20)
def index():
    """Send invitations and reminders, follow the mail, copy links for Zalo or SMS."""
    return _page()


@bp.route("/tien-do")
@roles(ORGANIZERS)
def progress():
    """The progress fragment, polled every 2 seconds while mail of this conference is on its way."""
    conference = g.conference
    if not request.htmx:
        return redirect(url_for("sending.index"), 303)
    return render("sending/index.html", block="progress", progress=services.progress(conference), oob=True,
                  rows=services.invitations(conference), last_mail=services.last_mail_by_invitation(conference))


@bp.route("/", methods=["POST"])
@roles(ORGANIZERS)
def send():
    """Queue invitations or reminders; fewer than 3 working days before the conference asks first."""
    form = EmptyForm()
    if not submitted(form, lambda status: _page(status, form=form)):
        return form_page()
    action = request.form.get("action", "")
    ids = _chosen(action)
    if services.timing(g.conference).too_late and request.form.get("confirm_late") != "1":
        return _page(confirm={"action": action, "label": ACTIONS[action], "ids": ids or []})
    if action.startswith("invite"):
        message = f"Đã đưa {services.send_invitations(g.conference, ids)} giấy mời vào hàng đợi gửi."
    else:
        message = f"Đã đưa {services.send_reminders(g.conference, ids)} thư nhắc vào hàng đợi gửi."
    return done(message + " Tiến độ cập nhật bên dưới.", url_for("sending.index"))


@bp.route("/<int:invitation_id>/qr.png")
@roles(ORGANIZERS)
def invitation_qr(invitation_id: int):
    """The QR code of an invitation's personal link, to send by Zalo or print."""
    invitation = in_conference(Invitation, invitation_id)
    response = qr_response(rsvp_url(invitation), box_size=10, filename=f"giay-moi-{invitation.id}.png")
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="giay-moi-{invitation.id}.png"'
    return response
