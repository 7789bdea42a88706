"""Pages of sending: invitations and reminders by email (each confirmed with its count, once per confirmation),
the progress of the mail, links and QR codes."""

from flask import g, redirect, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, roles
from ..errors import UserError
from ..forms import EmptyForm
from ..invitations.services import SORTS, ListFilters, list_groups_and_agencies, rsvp_url
from ..mail import wording as wording_texts
from ..models import Invitation
from ..qr import qr_response
from ..rsvp import services as rsvp
from ..rsvp.forms import AnswerForm
from ..web import done, form_page, render, submitted
from ..workspace import in_conference, tab
from . import bp, services
from .forms import WordingForm

#: Each button of the page: (purpose, for the selected rows only, what the confirmation calls it).
ACTIONS = {
    "invite_unsent": ("invitation", False, "Gửi giấy mời cho khách mời chưa được gửi"),
    "invite_selected": ("invitation", True, "Gửi (lại) giấy mời cho các khách mời đã chọn"),
    "remind_pending": ("reminder", False, "Nhắc tất cả khách mời chưa trả lời"),
    "remind_selected": ("reminder", True, "Nhắc các khách mời đã chọn (chỉ người chưa trả lời)"),
}


def _page(status: int = 200, form=None, confirm=None):
    """The sending page: its list filtered and sorted as asked, the last batches, or a confirmation."""
    conference = g.conference
    filters = ListFilters.from_args(request.args)
    every = services.invitations(conference)
    rows = services.invitations(conference, filters)
    groups, agencies = list_groups_and_agencies(conference.id)
    return render(
        "sending/index.html",
        block="results" if confirm is None and status == 200 and request.htmx.target == "results" else None,
        status=status,
        rows=rows,
        total=len(every),
        filters=filters,
        sorts=SORTS,
        groups=groups,
        agencies=agencies,
        links={i.id: rsvp_url(i) for i in rows},
        last_mail=services.last_mail_by_invitation(conference),
        unsent=sum(1 for i in every if i.email and i.first_sent_at is None),
        pending=sum(1 for i in every if i.email and i.status == "pending"),
        without_email=sum(1 for i in every if not i.email),
        batches=services.last_batches(conference),
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
    if not ACTIONS[action][1]:
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
    """Send invitations and reminders, follow the mail, copy links for Zalo or SMS; search, filter and sort."""
    return _page()


@bp.route("/tien-do")
@roles(ORGANIZERS)
def progress():
    """The progress fragment, polled every 2 seconds while mail of this conference is on its way."""
    conference = g.conference
    if not request.htmx:
        return redirect(url_for("sending.index"), 303)
    return render("sending/index.html", block="progress", progress=services.progress(conference), oob=True,
                  rows=services.invitations(conference), last_mail=services.last_mail_by_invitation(conference),
                  batches=services.last_batches(conference))


@bp.route("/", methods=["POST"])
@roles(ORGANIZERS)
def send():
    """A sending button asks first, with the count (and the 3-working-day rule, and who was reminded less than a
    day ago); the confirmation queues the mail once, however often it is posted."""
    form = EmptyForm()
    if not submitted(form, lambda status: _page(status, form=form)):
        return form_page()
    action = request.form.get("action", "")
    ids = _chosen(action)
    purpose, _selected, label = ACTIONS[action]
    key = request.form.get("key", "")
    if not key:
        plan = services.plan(g.conference, purpose, ids)
        return _page(confirm={"action": action, "label": label, "ids": ids or [], "plan": plan})
    count = services.send(g.conference, purpose, ids, key, again=request.form.get("again") == "1",
                          user_id=current_user.id)
    what = "giấy mời" if purpose == "invitation" else "thư nhắc"
    return done(f"Đã đưa {count} {what} vào hàng đợi gửi. Tiến độ cập nhật bên dưới.", url_for("sending.index"))


@bp.route("/noi-dung-thu", methods=["GET", "POST"])
@roles(ORGANIZERS)
def wording():
    """The wording of the invitation, reminder and pass mails of this conference: edit from the default, with
    placeholders and a preview for the list's first invitation."""
    kind = request.values.get("thu", "invitation")
    if kind not in wording_texts.KIND_LABELS:
        kind = "invitation"
    current = wording_texts.wording(g.conference.id, kind)
    form = WordingForm(data={"subject": current.subject, "body": current.body})
    preview = None

    def page(status: int):
        return render("sending/wording.html", form=form, kind=kind, current=current, preview=preview,
                      kinds=wording_texts.KIND_LABELS, usable=wording_texts.USABLE[kind][1],
                      placeholders=wording_texts.PLACEHOLDERS, status=status)

    url = url_for("sending.wording", thu=kind)
    if request.method == "POST" and request.form.get("action") == "reset":
        services.reset_wording(g.conference, kind)
        return done("Đã dùng lại nội dung mặc định.", url)
    if submitted(form, page):
        if request.form.get("action") == "preview":
            wording_texts.check(kind, form.subject.data, form.body.data)
            preview = wording_texts.compose(kind, form.subject.data, form.body.data,
                                            services.sample_values(g.conference, kind))
            return page(200)
        services.save_wording(g.conference, kind, form.subject.data, form.body.data)
        return done(f"Đã lưu nội dung «{wording_texts.KIND_LABELS[kind]}».", url)
    return form_page()


def _phone_form(invitation) -> AnswerForm:
    """The answer form as the organizer fills it during a call: the current answer first, a row per seat."""
    form = AnswerForm()
    if request.method == "GET" and invitation.status != "pending":
        current = rsvp.attending_delegates(invitation)
        substitute = next((d for d in current if d.kind == "substitute"), None)
        form.choice.data = ("decline" if invitation.status == "declined" else
                            "substitute" if substitute else "attend")
        form.decline_reason.data = invitation.decline_reason
        if substitute:
            form.substitute.form.process(obj=substitute)
        if invitation.kind == "agency":
            while len(form.people):
                form.people.pop_entry()
            for delegate in current:
                form.people.append_entry(delegate)
    while invitation.kind == "agency" and len(form.people) < min(invitation.seats, 50):
        form.people.append_entry()
    return form


def _phone_answer(form, invitation) -> rsvp.Answer:
    if form.choice.data == "substitute":
        sub = form.substitute.form
        people = [rsvp.Person("substitute", sub.full_name.data, sub.position.data, sub.phone.data, sub.email.data)]
    else:
        people = [rsvp.Person("named", e.form.full_name.data, e.form.position.data, e.form.phone.data,
                              e.form.email.data) for e in form.people]
    return rsvp.Answer(form.choice.data, form.decline_reason.data or "", people)


@bp.route("/<int:invitation_id>/tra-loi-qua-dien-thoai", methods=["GET", "POST"])
@roles(ORGANIZERS)
def phone_answer(invitation_id: int):
    """Record an answer given by phone (attend with names, decline with a reason, a substitute): marked as taken by
    phone with who took it, audited, the passes mailed as for an answer by link; also after the RSVP deadline."""
    invitation = in_conference(Invitation, invitation_id)
    form = _phone_form(invitation)

    def page(status: int):
        return render("sending/phone_answer.html", invitation=invitation, form=form, status=status,
                      delegates=rsvp.attending_delegates(invitation))

    if submitted(form, page):
        services.record_phone_answer(invitation, _phone_answer(form, invitation), current_user)
        return done(f"Đã ghi nhận câu trả lời qua điện thoại của «{invitation.addressee}».",
                    url_for("invitations.call_list"))
    return form_page()


@bp.route("/<int:invitation_id>/qr.png")
@roles(ORGANIZERS)
def invitation_qr(invitation_id: int):
    """The QR code of an invitation's personal link, to send by Zalo or print."""
    invitation = in_conference(Invitation, invitation_id)
    response = qr_response(rsvp_url(invitation), box_size=10, filename=f"giay-moi-{invitation.id}.png")
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="giay-moi-{invitation.id}.png"'
    return response
