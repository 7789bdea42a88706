"""The verbs of tasks: deadlines relative to the conference, templates, the department board, the digest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    Department,
    OutboxMessage,
    Role,
    Task,
    TaskStatus,
    TaskTemplateItem,
    task_coordinator,
    utcnow,
)
from .templates import DEPARTMENTS, TEMPLATES

OPEN = (TaskStatus.NOT_STARTED.value, TaskStatus.IN_PROGRESS.value)
DIGEST_PURPOSE = "task_digest"


# --- deadlines ----------------------------------------------------------------------------------

_RELATIVE = re.compile(
    r"^(?:(?P<n>[+-]?\d{1,3})\s*(?:ngày)?\s*(?P<dir>trước|sau)?\s*(?:hội nghị|khai mạc|sự kiện)?|"
    r"(?P<same>(?:trong |vào )?ngày (?:hội nghị|khai mạc)))$"
)


def parse_deadline(value: str) -> tuple[date | None, int | None]:
    """"25/03/2021" -> (date, None); "5 ngày trước hội nghị" or "-5" -> (None, -5); "" -> (None, None).

    Raises UserError with a Vietnamese message for anything else.
    """
    value = text.nfc(value or "").strip().lower()
    if not value:
        return None, None
    if "/" in value or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return vntime.parse_date_vn(value), None
        except ValueError as exc:
            raise UserError("Hạn không hợp lệ: nhập ngày dd/mm/yyyy hoặc ví dụ «5 ngày trước hội nghị».") from exc
    match = _RELATIVE.fullmatch(value)
    if not match:
        raise UserError("Hạn không hợp lệ: nhập ngày dd/mm/yyyy hoặc ví dụ «5 ngày trước hội nghị».")
    if match["same"]:
        return None, 0
    n = int(match["n"])
    if match["dir"] == "trước":
        n = -abs(n)
    elif match["dir"] == "sau":
        n = abs(n)
    if not -366 <= n <= 366:
        raise UserError("Hạn tương đối phải trong khoảng 366 ngày trước hoặc sau hội nghị.")
    return None, n


def relative_label(offset: int | None) -> str:
    """-5 -> "5 ngày trước hội nghị", 0 -> "Ngày hội nghị", 2 -> "2 ngày sau hội nghị"."""
    if offset is None:
        return ""
    if offset == 0:
        return "Ngày hội nghị"
    return f"{abs(offset)} ngày {'trước' if offset < 0 else 'sau'} hội nghị"


def first_day(conference: Conference) -> date:
    """The conference's first day in Vietnam's time zone."""
    return vntime.to_local(conference.starts_at).date()


def due_date_for(conference: Conference, offset: int | None, fixed: date | None = None) -> date | None:
    return vntime.add_days(first_day(conference), offset) if offset is not None else fixed


def is_late(task: Task, today: date | None = None) -> bool:
    today = today or vntime.today()
    return task.status in OPEN and task.due_date is not None and task.due_date < today


# --- departments --------------------------------------------------------------------------------

def list_departments() -> list[Department]:
    return db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()


def _department_lookup(departments: list[Department]):
    by_key = {}
    for d in departments:
        by_key[d.abbreviation.lower()] = d
        by_key[text.search_key(d.name)] = d
    return by_key


def _find_or_create_department(ref: str, by_key: dict) -> Department:
    """The department a template names by abbreviation (or name), created from `templates.DEPARTMENTS` if missing."""
    found = by_key.get(ref.lower()) or by_key.get(text.search_key(ref))
    if found:
        return found
    names = {d["abbreviation"]: d["name"] for d in DEPARTMENTS}
    abbreviation, name = (ref, names[ref]) if ref in names else (text.initials_slug(ref, 20).upper() or "PB", ref)
    found = by_key.get(text.search_key(name))
    if found:
        return found
    position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Department.position), 0))) + 1
    department = Department(name=name, abbreviation=abbreviation[:30], position=position)
    db.session.add(department)
    db.session.flush()
    by_key[abbreviation.lower()] = by_key[text.search_key(name)] = department
    return department


# --- templates ----------------------------------------------------------------------------------

def ensure_task_templates() -> int:
    """Load the task templates (one set per conference kind) when a kind has none yet; returns items added."""
    present = set(db.session.scalars(sa.select(TaskTemplateItem.conference_kind).distinct()))
    by_key = _department_lookup(list_departments())
    added = 0
    for kind, items in TEMPLATES.items():
        if kind in present or kind not in {k.value for k in ConferenceKind}:
            continue
        for position, item in enumerate(items, start=1):
            template = TaskTemplateItem(
                conference_kind=kind,
                position=position,
                title=item["title"],
                lead_department=_find_or_create_department(item["lead"], by_key),
                offset_days=item.get("offset_days"),
            )
            template.coordinating_departments = [
                _find_or_create_department(ref, by_key)
                for ref in item.get("coordinating", [])
            ]
            db.session.add(template)
            added += 1
    if added:
        db.session.commit()
    return added


def template_kinds() -> dict[str, int]:
    """How many template items each conference kind has."""
    return dict(db.session.execute(
        sa.select(TaskTemplateItem.conference_kind, sa.func.count()).group_by(TaskTemplateItem.conference_kind)
    ).all())


def apply_template(conference: Conference, kind: str) -> int:
    """Create the template's tasks for the conference in one step; tasks already there (same title and lead)
    are skipped, so applying twice adds nothing."""
    ensure_task_templates()
    items = db.session.scalars(
        sa.select(TaskTemplateItem).where(TaskTemplateItem.conference_kind == kind)
        .options(selectinload(TaskTemplateItem.coordinating_departments))
        .order_by(TaskTemplateItem.position)
    ).all()
    if not items:
        raise UserError("Chưa có mẫu phân công cho loại hội nghị này.")
    existing = set(db.session.execute(
        sa.select(Task.title, Task.lead_department_id).where(Task.conference_id == conference.id)
    ).all())
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Task.position), 0)).where(Task.conference_id == conference.id))
    created = 0
    for item in items:
        if (item.title, item.lead_department_id) in existing:
            continue
        position += 1
        task = Task(
            conference_id=conference.id,
            title=item.title,
            lead_department_id=item.lead_department_id,
            due_offset_days=item.offset_days,
            due_date=due_date_for(conference, item.offset_days),
            status=TaskStatus.NOT_STARTED.value,
            position=position,
        )
        task.coordinating_departments = list(item.coordinating_departments)
        db.session.add(task)
        created += 1
    audit.record("task.apply_template",
                 f"Áp dụng mẫu phân công «{ConferenceKind(kind).label}»: {created} nhiệm vụ",
                 entity=conference, conference_id=conference.id, kind=kind, created=created)
    db.session.commit()
    return created


# --- tasks of a conference ----------------------------------------------------------------------

def load_coordinators(tasks: list[Task], task_ids: sa.Select | None = None) -> list[Task]:
    """Fill each task's coordinating departments with one query, however many tasks there are.

    (selectinload would issue one query per 500 tasks.) ``task_ids`` selects the ids when a subquery is cheaper
    than listing them.
    """
    if not tasks:
        return tasks
    ids = task_ids if task_ids is not None else [t.id for t in tasks]
    rows = db.session.execute(
        sa.select(task_coordinator.c.task_id, Department)
        .join(Department, Department.id == task_coordinator.c.department_id)
        .where(task_coordinator.c.task_id.in_(ids))
        .order_by(Department.position, Department.name)
    ).all()
    by_task: dict[int, list[Department]] = {}
    for task_id, department in rows:
        by_task.setdefault(task_id, []).append(department)
    for task in tasks:
        set_committed_value(task, "coordinating_departments", by_task.get(task.id, []))
    return tasks


def conference_tasks(conference: Conference) -> list[Task]:
    """The conference's tasks with their departments (a constant number of queries)."""
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id == conference.id)
        .options(joinedload(Task.lead_department), joinedload(Task.assignee))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.position, Task.id)
    ).all()
    return load_coordinators(list(tasks), sa.select(Task.id).where(Task.conference_id == conference.id))


def task_counts(tasks: list[Task], today: date | None = None) -> dict[str, int]:
    counts = {s.value: 0 for s in TaskStatus}
    counts["late"] = 0
    for task in tasks:
        counts[task.status] = counts.get(task.status, 0) + 1
        if is_late(task, today):
            counts["late"] += 1
    return counts


def _apply(task: Task, conference: Conference, values: dict) -> None:
    """Copy a task's values (a TaskForm's) into it; the deadline is a date or relative to the conference."""
    fixed, offset = parse_deadline(values["deadline"])
    task.title = values["title"]
    task.description = text.nfc_block(values["description"] or "")
    task.lead_department_id = values["lead_department_id"]
    ids = [i for i in (values["coordinating_ids"] or []) if i != values["lead_department_id"]]
    task.coordinating_departments = (
        db.session.scalars(sa.select(Department).where(Department.id.in_(ids))).all() if ids else [])
    task.assignee_name = values["assignee_name"] or ""
    task.due_offset_days = offset
    task.due_date = due_date_for(conference, offset, fixed)
    _set_status(task, values["status"])
    task.notes = text.nfc_block(values["notes"] or "")


def _set_status(task: Task, status: str) -> None:
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        task.completed_at = utcnow()
    elif status != TaskStatus.DONE:
        task.completed_at = None
    task.status = status


def add_task(conference: Conference, values: dict) -> Task:
    """Add a new task of the conference to the caller's transaction (its id is known; nothing committed)."""
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Task.position), 0)).where(Task.conference_id == conference.id))
    task = Task(conference_id=conference.id, position=position + 1, status=TaskStatus.NOT_STARTED.value)
    _apply(task, conference, values)
    db.session.add(task)
    db.session.flush()
    audit.record("task.create", f"Giao nhiệm vụ «{task.title}»", entity=task, conference_id=conference.id)
    return task


def create_task(conference: Conference, values: dict) -> Task:
    """Assign a new task of the conference."""
    task = add_task(conference, values)
    db.session.commit()
    return task


def change_task(task: Task, values: dict) -> Task:
    """Change a task in the caller's transaction (nothing committed)."""
    _apply(task, task.conference, values)
    audit.record("task.update", f"Sửa nhiệm vụ «{task.title}»", entity=task, conference_id=task.conference_id)
    return task


def update_task(task: Task, values: dict) -> Task:
    """Save an edited task."""
    change_task(task, values)
    db.session.commit()
    return task


def delete_task(task: Task) -> None:
    audit.record("task.delete", f"Xóa nhiệm vụ «{task.title}»", entity=task, conference_id=task.conference_id)
    db.session.delete(task)
    db.session.commit()


def can_update(user, task: Task) -> bool:
    """Organizers update any task; department staff only the tasks their department leads."""
    if user.role in (Role.ORGANIZER, Role.ADMIN):
        return True
    return user.role == Role.DEPARTMENT and user.department_id is not None \
        and task.lead_department_id == user.department_id


def change_status(task: Task, status: str, notes: str | None) -> None:
    """Change a task's status (and notes) in the caller's transaction (nothing committed)."""
    if status not in {s.value for s in TaskStatus}:
        raise UserError("Trạng thái không hợp lệ.")
    old = task.status
    _set_status(task, status)
    if notes is not None:
        task.notes = text.nfc_block(notes)[:5000]
    audit.record("task.status", f"Nhiệm vụ «{task.title}»: {TaskStatus(old).label} → {TaskStatus(status).label}",
                 entity=task, conference_id=task.conference_id, old=old, new=status)


def update_status(task: Task, status: str, notes: str | None) -> None:
    """Change a task's status (and notes), as its department reports progress."""
    change_status(task, status, notes)
    db.session.commit()


# --- the department board -----------------------------------------------------------------------

def board_tasks(department_id: int, include_done_days: int = 30) -> list[Task]:
    """Tasks a department leads or coordinates, across conferences not cancelled (done ones for a month)."""
    coordinated = sa.select(task_coordinator.c.task_id).where(task_coordinator.c.department_id == department_id)
    since = utcnow() - timedelta(days=include_done_days)
    tasks = db.session.scalars(
        sa.select(Task).join(Task.conference)
        .where(sa.or_(Task.lead_department_id == department_id, Task.id.in_(coordinated)),
               Conference.status != ConferenceStatus.CANCELLED,
               Task.status != TaskStatus.CANCELLED,
               sa.or_(Task.status != TaskStatus.DONE, Task.completed_at.is_(None), Task.completed_at >= since))
        .options(joinedload(Task.conference), joinedload(Task.lead_department))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    ).unique().all()
    return load_coordinators(list(tasks))


# --- the daily digest ---------------------------------------------------------------------------

@dataclass
class DigestResult:
    queued: int
    skipped: int
    without_email: list[str]


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = vntime.local_to_utc(datetime.combine(day, time(0, 0)))
    return start, start + timedelta(days=1)


def queue_task_digests(days: int = 3, today: date | None = None) -> DigestResult:
    """Queue one mail per department listing its open tasks due within ``days`` days or late.

    A department already sent its digest today (Vietnam's date) is skipped, so running twice queues nothing.
    """
    today = today or vntime.today()
    horizon = vntime.add_days(today, days)
    tasks = db.session.scalars(
        sa.select(Task).join(Task.conference)
        .where(Task.status.in_(OPEN), Task.due_date.is_not(None), Task.due_date <= horizon,
               Conference.status != ConferenceStatus.CANCELLED)
        .options(joinedload(Task.conference), joinedload(Task.lead_department))
        .order_by(Task.due_date, Task.id)
    ).unique().all()
    load_coordinators(list(tasks))
    per_department: dict[int, tuple[Department, list[tuple[Task, str]]]] = {}
    for task in tasks:
        per_department.setdefault(task.lead_department_id, (task.lead_department, []))[1].append((task, "chủ trì"))
        for department in task.coordinating_departments:
            per_department.setdefault(department.id, (department, []))[1].append((task, "phối hợp"))
    start, end = _local_day_bounds(today)
    already = set(db.session.scalars(
        sa.select(OutboxMessage.to_addr).where(OutboxMessage.purpose == DIGEST_PURPOSE,
                                               OutboxMessage.created_at >= start, OutboxMessage.created_at < end)
    ))
    result = DigestResult(0, 0, [])
    for department, items in per_department.values():
        if not department.email:
            result.without_email.append(department.name)
            continue
        if department.email in already:
            result.skipped += 1
            continue
        late = [(t, r) for t, r in items if t.due_date < today]
        due = [(t, r) for t, r in items if t.due_date >= today]
        lines = [f"Kính gửi {department.name},", "",
                 f"Tổng hợp nhiệm vụ hội nghị ngày {vntime.format_date(today)}: "
                 f"{len(late)} nhiệm vụ quá hạn, {len(due)} nhiệm vụ đến hạn trong {days} ngày tới.", ""]
        for title, group in (("QUÁ HẠN", late), (f"ĐẾN HẠN TRONG {days} NGÀY", due)):
            if not group:
                continue
            lines.append(title)
            for task, role in group:
                lines.append(f"- [{vntime.format_date(task.due_date)}] {task.title} ({role}) — "
                             f"{task.conference.title}; trạng thái: {TaskStatus(task.status).label}")
            lines.append("")
        lines.append("Cập nhật tiến độ tại trang «Nhiệm vụ của phòng».")
        subject = f"[Nhiệm vụ hội nghị] {len(late)} quá hạn, {len(due)} sắp đến hạn — {vntime.format_date(today)}"
        queue_mail(department.email, subject, "\n".join(lines), to_name=department.name, purpose=DIGEST_PURPOSE)
        already.add(department.email)
        result.queued += 1
    db.session.commit()
    return result
