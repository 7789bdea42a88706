"""Pages of the hall: the list of speakers (secretary, projector, delegate's phone), attendance, conclusions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, request, url_for
from flask_login import current_user

from .. import text
from ..access import ORGANIZERS, public, roles
from ..extensions import db
from ..forms import EmptyForm, options
from ..models import AgendaItem, Conclusion, Delegate, Speaker, utcnow
from ..rsvp.links import delegate_of_pass
from ..tasks.services import list_departments
from ..web import DOCX, PDF, done, download, failed, form_page, on_refusal, render, submitted
from ..workspace import in_conference, tab
from . import attendance, bp, conclusions, notice, speakers
from .forms import (
    AddSpeakerForm,
    ConclusionForm,
    MarkForm,
    NoticeForm,
    OnlineForm,
    OrderForm,
    RegisterForm,
    SpeakingTimeForm,
)

# --- the list of speakers: the secretary's page --------------------------------------------------------


def _add_form(conference, form: AddSpeakerForm | None = None) -> AddSpeakerForm:
    form = form or AddSpeakerForm()
    form.delegate_id.choices = options(
        [(0, "— Chọn đại biểu —")]
        + [(d.id, " — ".join(p for p in (d.full_name, d.position, d.agency_name) if p)[:160])
           for d in speakers.attending_delegates(conference)])
    return form


def _speakers_page(item_id: int | None = None, status: int = 200, add_form: AddSpeakerForm | None = None):
    conference = g.conference
    hall = speakers.hall_of(conference)
    rows = speakers.item_rows(conference)
    item = next((r.item for r in rows if r.item.id == item_id), None) or speakers.default_item(conference, rows)
    projected = speakers.projected_item(conference, hall)
    return render("hall/speakers.html", block="board", status=status, rows=rows, item=item, hall=hall,
                  view=speakers.list_view(item, hall) if item else None, add_form=_add_form(conference, add_form),
                  time_form=SpeakingTimeForm(speaking_minutes=hall.speaking_minutes), action_form=EmptyForm(),
                  projected=projected, now=utcnow())


def _back_to(item_id: int):
    """A refused action on a list: the board again (htmx) or the page of the item."""
    on_refusal(lambda status: _speakers_page(item_id, status), url_for("hall.speakers_index", muc=item_id))


def _done(message: str, item_id: int):
    return done(message, url_for("hall.speakers_index", muc=item_id), lambda: _speakers_page(item_id))


def _posted() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu")
@roles(ORGANIZERS)
@tab("Phát biểu", order=65)
def speakers_index():
    """The secretary's list of speakers: each agenda item's list, who speaks, who waits (in order), who spoke."""
    return _speakers_page(request.args.get("muc", type=int))


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/<int:item_id>/mo", methods=["POST"])
@roles(ORGANIZERS)
def open_list(item_id: int):
    """Open or close an item's list to registrations from delegates' phones."""
    item = in_conference(AgendaItem, item_id)
    _posted()
    _back_to(item.id)
    is_open = request.form.get("open") == "1"
    speakers.set_open(item, is_open)
    return _done("Đã mở đăng ký phát biểu." if is_open else "Đã khóa đăng ký phát biểu.", item.id)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/<int:item_id>/them", methods=["POST"])
@roles(ORGANIZERS)
def add_speaker(item_id: int):
    """Put a delegate, or a guest by name, at the end of an item's list."""
    item = in_conference(AgendaItem, item_id)
    form = _add_form(g.conference)
    if not submitted(form, lambda status: _speakers_page(item.id, status, add_form=form)):
        return form_page()
    delegate = None
    if form.delegate_id.data:
        delegate = in_conference(Delegate, form.delegate_id.data)
    speaker = speakers.add_speaker(item, delegate=delegate, name=form.name.data, agency_name=form.agency_name.data,
                                   topic=form.topic.data, user=current_user)
    return _done(f"Đã thêm {speaker.display_name} vào danh sách.", item.id)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/<int:item_id>/sap-xep", methods=["POST"])
@roles(ORGANIZERS)
def reorder_speakers(item_id: int):
    """The waiting speakers in a new order (dragged on the secretary's page)."""
    item = in_conference(AgendaItem, item_id)
    _back_to(item.id)
    form = OrderForm()
    if not form.validate_on_submit():
        return failed("Thứ tự không hợp lệ; vui lòng tải lại trang.", url_for("hall.speakers_index", muc=item.id))
    speakers.reorder(item, form.order.data or [])
    return _done("Đã sắp xếp lại danh sách phát biểu.", item.id)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/<int:item_id>/chieu", methods=["POST"])
@roles(ORGANIZERS)
def project_item(item_id: int):
    """Show this item's list on the projector."""
    item = in_conference(AgendaItem, item_id)
    _posted()
    speakers.project_item(g.conference, item)
    return _done("Màn chiếu đang hiển thị danh sách phát biểu của mục này.", item.id)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/thoi-gian", methods=["POST"])
@roles(ORGANIZERS)
def speaking_time():
    """Change the speaking time of each speaker (the projector's countdown)."""
    item_id = request.form.get("muc", type=int)
    form = SpeakingTimeForm()
    if not submitted(form, lambda status: _speakers_page(item_id, status)):
        return failed(form.error_text(), url_for("hall.speakers_index", muc=item_id))
    speakers.set_speaking_minutes(g.conference, form.speaking_minutes.data)
    return done(f"Mỗi lượt phát biểu {form.speaking_minutes.data} phút.", url_for("hall.speakers_index", muc=item_id),
                lambda: _speakers_page(item_id))


def _speaker_action(speaker_id: int, act, message):
    speaker = in_conference(Speaker, speaker_id)
    _posted()
    item_id = speaker.speaker_list.agenda_item_id
    _back_to(item_id)
    name = speaker.display_name
    act(speaker)
    return _done(message.format(name=name), item_id)


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/nguoi/<int:speaker_id>/bat-dau", methods=["POST"])
@roles(ORGANIZERS)
def start_speaker(speaker_id: int):
    """Give the floor to a waiting speaker (whoever speaks on the list ends)."""
    return _speaker_action(speaker_id, speakers.start, "Mời {name} phát biểu.")


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/nguoi/<int:speaker_id>/ket-thuc", methods=["POST"])
@roles(ORGANIZERS)
def finish_speaker(speaker_id: int):
    """End the current speaker's turn."""
    return _speaker_action(speaker_id, speakers.finish, "{name} đã phát biểu xong.")


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/nguoi/<int:speaker_id>/da-phat-bieu", methods=["POST"])
@roles(ORGANIZERS)
def mark_spoken(speaker_id: int):
    """Record that a waiting speaker has spoken."""
    return _speaker_action(speaker_id, speakers.mark_spoken, "Đã ghi nhận {name} đã phát biểu.")


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/nguoi/<int:speaker_id>/chuyen", methods=["POST"])
@roles(ORGANIZERS)
def move_speaker(speaker_id: int):
    """Move a waiting speaker one place up or down (without JavaScript)."""
    direction = "up" if request.form.get("direction") == "up" else "down"
    return _speaker_action(speaker_id, lambda s: speakers.move(s, direction), "Đã chuyển {name}.")


@bp.route("/hoi-nghi/<int:conference_id>/phat-bieu/nguoi/<int:speaker_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def remove_speaker(speaker_id: int):
    """Take an entry off its list."""
    return _speaker_action(speaker_id, speakers.remove, "Đã xóa {name} khỏi danh sách.")


@bp.route("/hoi-nghi/<int:conference_id>/man-chieu")
@roles(ORGANIZERS)
def projector():
    """The projector in the hall: the item, the current speaker with a countdown, the next speakers
    (refreshed every two seconds by htmx)."""
    conference = g.conference
    hall = speakers.hall_of(conference)
    item = speakers.projected_item(conference, hall)
    response = render("hall/projector.html", block="stage", item=item, now=utcnow(),
                      view=speakers.list_view(item, hall) if item else None)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the list of speakers: the delegate's phone ------------------------------------------------------------

def _delegate_page(delegate, form: RegisterForm, status: int = 200):
    items = speakers.lists_for_delegate(delegate)
    form.agenda_item_id.choices = options([(0, "— Chọn nội dung —")] + [(i.item.id, i.item.title) for i in items])
    response = render("hall/delegate.html", block="lists", status=status, delegate=delegate,
                      conference=delegate.conference, items=items, form=form, action_form=EmptyForm())
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/the/<pass_code>/phat-bieu", methods=["GET", "POST"])
@public
def delegate_speak(pass_code: str):
    """A delegate registers to speak on an open agenda item, with a topic line, and sees their place."""
    delegate = delegate_of_pass(pass_code)
    form = RegisterForm()
    if submitted(form, lambda status: _delegate_page(delegate, form, status)):
        item = next((i.item for i in speakers.lists_for_delegate(delegate)
                     if i.item.id == form.agenda_item_id.data), None)
        if item is None:
            return failed("Mục này chưa mở hoặc đã khóa đăng ký phát biểu.",
                          url_for("hall.delegate_speak", pass_code=pass_code))
        speaker, created = speakers.register(delegate, item, form.topic.data)
        rank = speakers.rank_of(speaker)
        place = f"thứ {rank} trong danh sách chờ" if rank else "đang được mời phát biểu"
        message = (f"Đã đăng ký phát biểu: anh/chị ở vị trí {place}." if created
                   else f"Anh/chị đã có tên trong danh sách (vị trí {place}).")
        return done(message, url_for("hall.delegate_speak", pass_code=pass_code))
    return form_page()


@bp.route("/the/<pass_code>/phat-bieu/<int:speaker_id>/rut", methods=["POST"])
@public
def delegate_withdraw(pass_code: str, speaker_id: int):
    """A delegate takes their name off a list they are waiting on."""
    delegate = delegate_of_pass(pass_code)
    back = url_for("hall.delegate_speak", pass_code=pass_code)
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.delegate_id != delegate.id:
        return failed("Không tìm thấy đăng ký phát biểu này.", back)
    if not EmptyForm().validate_on_submit():
        return failed("Biểu mẫu đã hết hạn; vui lòng tải lại trang.", back)
    speakers.withdraw(delegate, speaker)
    return done("Đã rút tên khỏi danh sách phát biểu.", back)


# --- attendance ----------------------------------------------------------------------------------------

def _attendance_page(status: int = 200, form: MarkForm | None = None, day=None):
    conference = g.conference
    day = day or attendance.pick_day(conference, request.args.get("ngay"))
    rows = attendance.lines(conference, day)
    q, wanted = request.args.get("q", "")[:100], request.args.get("trang-thai", "")
    form = form or MarkForm(day=day.isoformat())
    hall = speakers.hall_of(conference)
    return render("hall/attendance.html", block="attendance", status=status, day=day,
                  days=attendance.conference_days(conference), counts=attendance.counts(conference, day, rows),
                  lines=attendance.filter_lines(rows, q, wanted), q=q, wanted=wanted, form=form,
                  online_form=OnlineForm(online_url=hall.online_url), hall=hall, action_form=EmptyForm())


@bp.route("/hoi-nghi/<int:conference_id>/diem-danh")
@roles(ORGANIZERS)
@tab("Điểm danh", order=60)
def attendance_index():
    """Attendance in the hall, per day: in person (the door's check-ins), online, absent with a reason,
    represented by a substitute; marked in bulk, counted."""
    return _attendance_page()


def _posted_day(value: str | None):
    """The day a form was posted for (yyyy-mm-dd), else today or the conference's first day."""
    return attendance.pick_day(g.conference, value)


@bp.route("/hoi-nghi/<int:conference_id>/diem-danh", methods=["POST"])
@roles(ORGANIZERS)
def mark_attendance():
    """Mark the delegates ticked with one status (a reason for the absent, a name for the substitute)."""
    form = MarkForm()
    day = _posted_day(form.day.data)
    if not submitted(form, lambda status: _attendance_page(status, form, day)):
        return form_page()
    result = attendance.mark(g.conference, day, form.delegate_ids.data or [], form.status.data,
                             reason=form.reason.data, substitute_name=form.substitute_name.data, user=current_user)
    message = f"Đã điểm danh {result['marked']} đại biểu."
    if result["mailed"]:
        message += f" Đã gửi đường dẫn họp trực tuyến cho {result['mailed']} đại biểu."
    if result["without_email"]:
        message += f" {result['without_email']} đại biểu chưa có email: hãy gọi điện báo đường dẫn."
    return done(message, url_for("hall.attendance_index", ngay=day.isoformat()),
                lambda: _attendance_page(day=day))


@bp.route("/hoi-nghi/<int:conference_id>/diem-danh/truc-tuyen", methods=["POST"])
@roles(ORGANIZERS)
def online_link():
    """Save the online meeting room's link."""
    form = OnlineForm()
    if not submitted(form, lambda status: _attendance_page(status)):
        return form_page()
    attendance.set_online_url(g.conference, form.online_url.data)
    return done("Đã lưu đường dẫn họp trực tuyến.", url_for("hall.attendance_index"))


@bp.route("/hoi-nghi/<int:conference_id>/diem-danh/gui-duong-dan", methods=["POST"])
@roles(ORGANIZERS)
def send_online_links():
    """Mail the meeting link to the online delegates of the day who have not had it."""
    _posted()
    day = _posted_day(request.form.get("day"))
    result = attendance.send_online_links(g.conference, day)
    message = f"Đã gửi đường dẫn cho {result['mailed']} đại biểu."
    if result["without_email"]:
        message += f" {result['without_email']} đại biểu chưa có email."
    return done(message, url_for("hall.attendance_index", ngay=day.isoformat()))


# --- conclusions and their notice --------------------------------------------------------------------------

def _conclusion_form(conclusion: Conclusion | None = None) -> ConclusionForm:
    form = ConclusionForm(obj=conclusion)
    form.set_choices(_agenda_items(), list_departments())
    if conclusion is not None and request.method == "GET":
        task = conclusion.task
        form.agenda_item_id.data = conclusion.agenda_item_id or 0
        form.lead_department_id.data = task.lead_department_id if task else 0
        form.coordinating_ids.data = [d.id for d in task.coordinating_departments] if task else []
        form.deadline.data = task.due_date if task else None
    return form


def _agenda_items() -> list[AgendaItem]:
    return list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == g.conference.id)
                                   .order_by(AgendaItem.position, AgendaItem.id)))


def _conclusions_page(status: int = 200, form: ConclusionForm | None = None, notice_form: NoticeForm | None = None):
    conference = g.conference
    rows = conclusions.conclusions_of(conference)
    state = conclusions.notice_state(conference)
    if notice_form is None:
        notice_form = NoticeForm(obj=state.notice)
        notice_form.recipients.data = state.notice.recipients
    return render("hall/conclusions.html", status=status, sections=conclusions.sections(rows), count=len(rows),
                  form=form or _conclusion_form(), notice_form=notice_form, state=state, action_form=EmptyForm(),
                  document=notice.build_notice(conference))


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan")
@roles(ORGANIZERS)
@tab("Kết luận", order=80)
def conclusions_index():
    """The conclusions per agenda item, the tasks they assign, and the notice of conclusions with its deadline
    (5 working days after the meeting)."""
    return _conclusions_page()


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/them", methods=["POST"])
@roles(ORGANIZERS)
def add_conclusion():
    """Record a conclusion; one that names a lead department becomes its task."""
    form = _conclusion_form()
    if not submitted(form, lambda status: _conclusions_page(status, form=form)):
        return form_page()
    conclusion = conclusions.add_conclusion(g.conference, form.values(), current_user)
    message = "Đã ghi kết luận" + (f" và giao nhiệm vụ cho {conclusion.task.lead_department.name}."
                                   if conclusion.task else ".")
    return done(message, url_for("hall.conclusions_index"))


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/<int:conclusion_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit_conclusion(conclusion_id: int):
    """Edit a conclusion and the work it assigns."""
    conclusion = in_conference(Conclusion, conclusion_id)
    form = _conclusion_form(conclusion)
    if submitted(form, lambda status: render("hall/conclusion_edit.html", status=status, conclusion=conclusion,
                                             form=form)):
        conclusions.update_conclusion(conclusion, form.values())
        return done("Đã lưu kết luận.", url_for("hall.conclusions_index"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/<int:conclusion_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_conclusion(conclusion_id: int):
    """Delete a conclusion (and its task, when not begun)."""
    conclusion = in_conference(Conclusion, conclusion_id)
    _posted()
    conclusions.delete_conclusion(conclusion)
    return done("Đã xóa kết luận.", url_for("hall.conclusions_index"))


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/thong-bao", methods=["POST"])
@roles(ORGANIZERS)
def save_notice():
    """Save the number, signing date, signer and recipients of the notice."""
    form = NoticeForm()
    if not submitted(form, lambda status: _conclusions_page(status, notice_form=form)):
        return form_page()
    conclusions.save_notice(g.conference, form.values())
    return done("Đã lưu thông tin Thông báo kết luận.", url_for("hall.conclusions_index") + "#thong-bao")


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/thong-bao/ban-hanh", methods=["POST"])
@roles(ORGANIZERS)
def issue_notice():
    """Record the notice as issued (signed and sent): its reminder task is done."""
    _posted()
    on_refusal(url=url_for("hall.conclusions_index") + "#thong-bao")
    issued = conclusions.issue_notice(g.conference)
    return done(f"Đã ghi nhận ban hành Thông báo số {issued.number_symbol}.", url_for("hall.conclusions_index"))


def _notice_name(extension: str) -> str:
    return f"thong-bao-ket-luan-{text.initials_slug(g.conference.title, 30) or g.conference.id}.{extension}"


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/thong-bao.docx")
@roles(ORGANIZERS)
def notice_docx():
    """The notice of conclusions as a Word document (Decree 30 form)."""
    return download(notice.notice_docx(notice.build_notice(g.conference)), _notice_name("docx"), DOCX)


@bp.route("/hoi-nghi/<int:conference_id>/ket-luan/thong-bao.pdf")
@roles(ORGANIZERS)
def notice_pdf():
    """The notice of conclusions as PDF (Decree 30 form)."""
    return download(notice.notice_pdf(notice.build_notice(g.conference)), _notice_name("pdf"), PDF)
