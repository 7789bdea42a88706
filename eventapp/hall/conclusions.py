"""Kết luận hội nghị: the conclusions per agenda item, the tasks they assign, and the notice of conclusions.

Decision 45/2018/QĐ-TTg: the conclusions name the lead unit (chủ trì), the coordinating units (phối hợp) and
the deadline, and a notice of conclusions (thông báo kết luận) follows within 5 working days of the meeting.
A conclusion that assigns work becomes a task of those departments (eventapp.tasks), so it is on their board
and in their daily digest; the lead unit and the deadline live in the task alone. Recording the first
conclusion also gives the conference's lead department the task of issuing the notice by its deadline, so the
reminder reaches it through the same board and digest; recording the notice as issued completes that task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db
from ..issuer import letterhead_for
from ..models import (
    AgendaItem,
    Conclusion,
    ConclusionNotice,
    Conference,
    Department,
    Task,
    TaskStatus,
    utcnow,
)
from ..tasks import services as tasks

#: Decision 45/2018: the notice follows the meeting within this many working days.
NOTICE_WORKING_DAYS = 5
TITLE_MAX = 500


# --- reading -------------------------------------------------------------------------------------

def conclusions_of(conference: Conference) -> list[Conclusion]:
    """The conclusions in the order of the agenda (those on the meeting as a whole first), with their tasks'
    departments (a fixed number of queries)."""
    rows = db.session.scalars(
        sa.select(Conclusion).outerjoin(Conclusion.agenda_item)
        .where(Conclusion.conference_id == conference.id)
        .options(joinedload(Conclusion.agenda_item), joinedload(Conclusion.task).joinedload(Task.lead_department))
        .order_by(AgendaItem.position.is_not(None), AgendaItem.position, Conclusion.position, Conclusion.id)
    ).all()
    tasks.load_coordinators([c.task for c in rows if c.task is not None])
    return list(rows)


@dataclass
class Section:
    """The conclusions on one agenda item (``item`` None: on the meeting as a whole)."""

    item: AgendaItem | None
    conclusions: list[Conclusion]

    @property
    def heading(self) -> str:
        return self.item.title if self.item is not None else "Kết luận chung"


def sections(conclusions: list[Conclusion]) -> list[Section]:
    """The conclusions grouped by agenda item, in order."""
    result: list[Section] = []
    for conclusion in conclusions:
        if not result or result[-1].item is not conclusion.agenda_item:
            result.append(Section(conclusion.agenda_item, []))
        result[-1].conclusions.append(conclusion)
    return result


# --- recording conclusions ------------------------------------------------------------------------

@dataclass
class Assignment:
    """The work a conclusion assigns: a lead department, coordinating ones and a deadline."""

    lead_department_id: int
    coordinating_ids: list[int]
    deadline: date


def assignment_from(values: dict) -> Assignment | None:
    """The assignment a conclusion form asks for, checked: a lead needs a deadline, and coordinating
    departments or a deadline need a lead."""
    lead = values.get("lead_department_id") or 0
    coordinating = [i for i in (values.get("coordinating_ids") or []) if i and i != lead]
    deadline = values.get("deadline")
    if not lead:
        if coordinating or deadline:
            raise UserError("Chọn đơn vị chủ trì cho nhiệm vụ này (hoặc bỏ đơn vị phối hợp và hạn).",
                            field="lead_department_id")
        return None
    if deadline is None:
        raise UserError("Nhiệm vụ cần có thời hạn hoàn thành.", field="deadline")
    known = set(db.session.scalars(sa.select(Department.id).where(Department.id.in_([lead, *coordinating]))))
    if lead not in known or not set(coordinating) <= known:
        raise UserError("Đơn vị không hợp lệ; vui lòng tải lại trang.", field="lead_department_id")
    return Assignment(lead, coordinating, deadline)


def _task_values(conference: Conference, content: str, assignment: Assignment, status: str) -> dict:
    """The values of the task a conclusion assigns, as tasks.services takes them."""
    title = content if len(content) <= TITLE_MAX else content[:TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return {
        "title": title.split("\n")[0][:TITLE_MAX],
        "description": f"{content}\n\n(Theo kết luận tại {conference.title})",
        "lead_department_id": assignment.lead_department_id,
        "coordinating_ids": assignment.coordinating_ids,
        "assignee_name": "",
        "deadline": vntime.format_date(assignment.deadline),
        "status": status,
        "notes": "",
    }


def _item_of(conference: Conference, agenda_item_id: int | None) -> AgendaItem | None:
    if not agenda_item_id:
        return None
    item = db.session.get(AgendaItem, agenda_item_id)
    if item is None or item.conference_id != conference.id:
        raise UserError("Mục chương trình không hợp lệ; vui lòng tải lại trang.", field="agenda_item_id")
    return item


def _content(values: dict) -> str:
    content = text.nfc_block(values.get("content") or "")
    if not content:
        raise UserError("Vui lòng nhập nội dung kết luận.", field="content")
    return content


def add_conclusion(conference: Conference, values: dict, user=None) -> Conclusion:
    """Record a conclusion; when it assigns work, its task for the departments, in the same transaction."""
    content = _content(values)
    item = _item_of(conference, values.get("agenda_item_id"))
    assignment = assignment_from(values)
    position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Conclusion.position), 0))
                                 .where(Conclusion.conference_id == conference.id)) + 1
    conclusion = Conclusion(conference_id=conference.id, agenda_item=item, position=position, content=content,
                            created_by_id=getattr(user, "id", None))
    if assignment is not None:
        conclusion.task = tasks.add_task(conference, _task_values(conference, content, assignment,
                                                                  TaskStatus.NOT_STARTED.value))
    db.session.add(conclusion)
    db.session.flush()
    _remind_notice(conference)
    audit.record("conclusion.add", f"Ghi kết luận: {content[:200]}", entity=conclusion, conference_id=conference.id)
    db.session.commit()
    return conclusion


def update_conclusion(conclusion: Conclusion, values: dict) -> Conclusion:
    """Save an edited conclusion and its task: made, changed or removed with the assignment."""
    conference = db.session.get(Conference, conclusion.conference_id)
    content = _content(values)
    conclusion.agenda_item = _item_of(conference, values.get("agenda_item_id"))
    assignment = assignment_from(values)
    conclusion.content = content
    task = conclusion.task
    if assignment is not None and task is None:
        conclusion.task = tasks.add_task(conference, _task_values(conference, content, assignment,
                                                                  TaskStatus.NOT_STARTED.value))
    elif assignment is not None:
        tasks.change_task(task, _task_values(conference, content, assignment, task.status) | {
            "assignee_name": task.assignee_name, "notes": task.notes})
    elif task is not None:
        _drop_task(conclusion)
    audit.record("conclusion.update", f"Sửa kết luận: {content[:200]}", entity=conclusion,
                 conference_id=conclusion.conference_id)
    db.session.commit()
    return conclusion


def _drop_task(conclusion: Conclusion) -> None:
    """Remove the task of a conclusion that no longer assigns work, unless its department has begun it."""
    task = conclusion.task
    if task.status not in (TaskStatus.NOT_STARTED, TaskStatus.CANCELLED):
        raise UserError(f"Nhiệm vụ «{task.title[:80]}» đã được triển khai ({TaskStatus(task.status).label}); "
                        "không bỏ được phân công. Hãy cập nhật nhiệm vụ ở trang Phân công.",
                        field="lead_department_id")
    conclusion.task = None
    db.session.delete(task)


def delete_conclusion(conclusion: Conclusion) -> None:
    """Delete a conclusion, and its task when the department has not begun it."""
    if conclusion.task is not None:
        _drop_task(conclusion)
    audit.record("conclusion.delete", f"Xóa kết luận: {conclusion.content[:200]}", entity=conclusion,
                 conference_id=conclusion.conference_id)
    db.session.delete(conclusion)
    db.session.commit()


# --- the notice of conclusions ----------------------------------------------------------------------

def last_day(conference: Conference) -> date:
    return vntime.to_local(conference.ends_at).date()


def notice_deadline(conference: Conference) -> date:
    """The day the notice must be issued by: 5 working days after the meeting (holidays skipped)."""
    return vntime.add_working_days(last_day(conference), NOTICE_WORKING_DAYS)


@dataclass
class NoticeState:
    """Where the notice stands: its deadline, whether issued, whether late."""

    notice: ConclusionNotice
    deadline: date
    today: date
    conclusions: int

    @property
    def issued(self) -> bool:
        return self.notice.issued_at is not None

    @property
    def overdue(self) -> bool:
        return not self.issued and self.conclusions > 0 and self.today > self.deadline

    @property
    def working_days_left(self) -> int:
        """Working days left to issue it, today and the deadline counted (0 once the deadline has passed)."""
        if self.today > self.deadline:
            return 0
        ends = int(vntime.is_working_day(self.today)) + int(self.today != self.deadline
                                                             and vntime.is_working_day(self.deadline))
        return vntime.working_days_between(self.today, self.deadline) + ends


def notice_of(conference: Conference) -> ConclusionNotice:
    """The conference's notice; a draft with the host's defaults (not saved) until the clerk changes it."""
    notice = db.session.scalar(sa.select(ConclusionNotice).where(ConclusionNotice.conference_id == conference.id))
    if notice is not None:
        return notice
    letterhead = letterhead_for(conference)
    abbreviation = letterhead.issuer.abbreviation
    return ConclusionNotice(conference_id=conference.id, number_symbol=f"/TB-{abbreviation}" if abbreviation else "",
                            signer_authority=letterhead.signer_authority, signer_title=letterhead.signer_title,
                            signer_name=letterhead.signer_name, recipients="")


def notice_state(conference: Conference, today: date | None = None) -> NoticeState:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Conclusion)
                              .where(Conclusion.conference_id == conference.id))
    return NoticeState(notice_of(conference), notice_deadline(conference), today or vntime.today(), count)


def _saved_notice(conference: Conference) -> ConclusionNotice:
    notice = notice_of(conference)
    if notice.id is None:
        db.session.add(notice)
        db.session.flush()
    return notice


def _remind_notice(conference: Conference) -> None:
    """Give the conference's lead department the task of issuing the notice by its deadline (once)."""
    notice = _saved_notice(conference)
    if notice.task_id is not None or notice.issued_at is not None or conference.lead_department_id is None:
        return
    deadline = notice_deadline(conference)
    notice.task = tasks.add_task(conference, {
        "title": f"Ban hành Thông báo kết luận {conference.title}"[:TITLE_MAX],
        "description": (f"Quyết định 45/2018/QĐ-TTg: thông báo kết luận ban hành trong {NOTICE_WORKING_DAYS} "
                        f"ngày làm việc sau hội nghị, tức trước hết ngày {vntime.format_date(deadline)}."),
        "lead_department_id": conference.lead_department_id,
        "coordinating_ids": [],
        "assignee_name": "",
        "deadline": vntime.format_date(deadline),
        "status": TaskStatus.NOT_STARTED.value,
        "notes": "",
    })


def save_notice(conference: Conference, values: dict) -> ConclusionNotice:
    """Save what the clerk writes on the notice: number and symbol, signing date, signer, recipients."""
    notice = _saved_notice(conference)
    number_symbol = text.nfc(values.get("number_symbol") or "")
    if len(number_symbol) > 60:
        raise UserError("Số, ký hiệu tối đa 60 ký tự.", field="number_symbol")
    issued_on = values.get("issued_on")
    if issued_on is not None and issued_on < last_day(conference):
        raise UserError("Ngày ký thông báo không thể trước ngày hội nghị.", field="issued_on")
    if notice.issued_at is not None and issued_on is None:
        raise UserError("Thông báo đã ban hành phải có ngày ký.", field="issued_on")
    notice.number_symbol = number_symbol
    notice.issued_on = issued_on
    notice.signer_authority = text.nfc(values.get("signer_authority") or "")[:100]
    notice.signer_title = text.nfc(values.get("signer_title") or "")[:100]
    notice.signer_name = text.nfc(values.get("signer_name") or "")[:100]
    notice.recipients = "\n".join(line for line in (text.nfc(x).lstrip("-– ").strip()
                                                    for x in (values.get("recipients") or "").splitlines()) if line)
    audit.record("notice.save", f"Cập nhật Thông báo kết luận {notice.number_symbol}", entity=notice,
                 conference_id=conference.id)
    db.session.commit()
    return notice


def issue_notice(conference: Conference, today: date | None = None) -> ConclusionNotice:
    """Record the notice as issued (signed, numbered, sent); completes the reminder task."""
    notice = _saved_notice(conference)
    if notice.issued_at is not None:
        raise UserError("Thông báo kết luận đã được ghi nhận ban hành.")
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Conclusion)
                             .where(Conclusion.conference_id == conference.id)):
        raise UserError("Chưa có kết luận nào để thông báo.")
    number = notice.number_symbol.split("/", 1)[0].strip()
    if not number.isdigit():
        raise UserError("Nhập số của thông báo (ví dụ 15/TB-SKHCN) trước khi ghi nhận ban hành.",
                        field="number_symbol")
    if notice.issued_on is None:
        raise UserError("Nhập ngày ký thông báo trước khi ghi nhận ban hành.", field="issued_on")
    if notice.issued_on > (today or vntime.today()):
        raise UserError("Ngày ký còn ở tương lai; chỉ ghi nhận ban hành khi thông báo đã được ký.",
                        field="issued_on")
    notice.issued_at = utcnow()
    if notice.task is not None and notice.task.status != TaskStatus.DONE:
        tasks.change_status(notice.task, TaskStatus.DONE.value,
                               f"Đã ban hành Thông báo số {notice.number_symbol} "
                               f"ngày {vntime.format_date(notice.issued_on)}.")
    late = notice.issued_on > notice_deadline(conference)
    audit.record("notice.issue", f"Ban hành Thông báo kết luận số {notice.number_symbol}"
                 + (" (quá hạn 5 ngày làm việc)" if late else ""), entity=notice, conference_id=conference.id,
                 issued_on=notice.issued_on.isoformat(), late=late)
    db.session.commit()
    return notice


def departments_involved(conclusions: list[Conclusion]) -> list[Department]:
    """The departments the conclusions assign work to, lead ones first, each once, in the host's order."""
    seen: dict[int, Department] = {}
    for conclusion in conclusions:
        if conclusion.task is not None:
            for department in [conclusion.task.lead_department, *conclusion.task.coordinating_departments]:
                seen.setdefault(department.id, department)
    return sorted(seen.values(), key=lambda d: (d.position, d.name))
