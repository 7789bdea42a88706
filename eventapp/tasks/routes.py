"""Task pages: the assignments of a conference (organizers) and a department's board (department staff)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import DEPARTMENT, ORGANIZERS, require, roles
from ..budget.choices import options
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..forms import EmptyForm
from ..models import ConferenceKind, Department, Role, Task
from ..vntime import today
from ..web import render
from . import bp, services
from .forms import StatusForm, TaskForm, TemplateForm


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _task_form(task: Task | None = None, departments=None) -> TaskForm:
    form = TaskForm(obj=task)
    form.set_departments(departments if departments is not None else services.list_departments())
    if task is not None and request.method == "GET":
        form.coordinating_ids.data = [d.id for d in task.coordinating_departments]
        form.deadline.data = (services.relative_label(task.due_offset_days).lower() if task.due_offset_days is not None
                              else (task.due_date.strftime("%d/%m/%Y") if task.due_date else ""))
    return form


def _conference_page(conference, form=None, template_form=None, status: int = 200):
    departments = services.list_departments()
    tasks = services.conference_tasks(conference)
    form = form or _task_form(departments=departments)
    kinds = services.template_kinds()
    template_form = template_form or TemplateForm()
    template_form.kind.choices = options([(k.value, k.label) for k in ConferenceKind if k.value in kinds])
    template_form.kind.data = conference.kind if conference.kind in kinds else "tong_ket"
    return render("tasks/conference.html", block="tasks", status=status, conference=conference, tasks=tasks,
                  counts=services.task_counts(tasks), form=form, template_form=template_form,
                  template_kinds=kinds, today=today(), status_form=StatusForm(),
                  relative_label=services.relative_label, is_late=services.is_late, action_form=EmptyForm())


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong")
@roles(ORGANIZERS)
def conference_tasks(conference_id: int):
    """The assignments of a conference: lead and coordinating departments, deadlines, status."""
    conference = get_conference_or_404(conference_id)
    if not services.template_kinds():
        services.ensure_task_templates()
        db.session.commit()
    return _conference_page(conference)


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/them", methods=["POST"])
@roles(ORGANIZERS)
def add_task(conference_id: int):
    """Assign a new task."""
    conference = get_conference_or_404(conference_id)
    form = _task_form()
    if form.validate_on_submit():
        task = services.create_task(conference, form)
        flash(f"Đã giao nhiệm vụ «{task.title}».", "success")
        return redirect(url_for("tasks.conference_tasks", conference_id=conference.id), 303)
    return _conference_page(conference, form=form, status=422)


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/ap-dung-mau", methods=["POST"])
@roles(ORGANIZERS)
def apply_template(conference_id: int):
    """Create the tasks of a conference kind's template in one step."""
    conference = get_conference_or_404(conference_id)
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            created = services.apply_template(conference, form.kind.data)
        except services.TaskError as exc:
            flash(str(exc), "error")
        else:
            flash(f"Đã tạo {created} nhiệm vụ từ mẫu phân công." if created
                  else "Các nhiệm vụ của mẫu đã có sẵn; không thêm gì.", "success" if created else "info")
    else:
        flash("Mẫu phân công không hợp lệ.", "error")
    return redirect(url_for("tasks.conference_tasks", conference_id=conference.id), 303)


def _get_task(conference_id: int, task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or task.conference_id != conference_id:
        abort(404)
    return task


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/<int:task_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit_task(conference_id: int, task_id: int):
    """Edit a task."""
    conference = get_conference_or_404(conference_id)
    task = _get_task(conference_id, task_id)
    form = _task_form(task)
    if form.validate_on_submit():
        services.update_task(task, form)
        flash(f"Đã lưu nhiệm vụ «{task.title}».", "success")
        return redirect(url_for("tasks.conference_tasks", conference_id=conference.id), 303)
    return render("tasks/edit.html", conference=conference, task=task, form=form,
                  status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/<int:task_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_task(conference_id: int, task_id: int):
    """Delete a task."""
    task = _get_task(conference_id, task_id)
    if EmptyForm().validate_on_submit():
        services.delete_task(task)
        flash("Đã xóa nhiệm vụ.", "success")
    return redirect(url_for("tasks.conference_tasks", conference_id=conference_id), 303)


# --- the department board -----------------------------------------------------------------------

def _board_department() -> Department | None:
    if current_user.role == Role.DEPARTMENT:
        return current_user.department
    department_id = request.args.get("phong", type=int)
    if department_id:
        return db.session.get(Department, department_id) or abort(404)
    return None


def _board(department: Department | None, status: int = 200):
    tasks = services.board_tasks(department.id) if department else []
    columns = {"todo": [], "in_progress": [], "done": []}
    for task in tasks:
        columns.setdefault(task.status, []).append(task)
    late = sum(1 for t in tasks if services.is_late(t))
    return render("tasks/board.html", block="board", status=status, department=department,
                  departments=services.list_departments() if current_user.role != Role.DEPARTMENT else [],
                  columns=columns, late=late, today=today(), relative_label=services.relative_label,
                  is_late=services.is_late, can_update=lambda t: services.can_update(current_user, t),
                  status_form=StatusForm())


@bp.route("/phong-ban/nhiem-vu")
@roles(DEPARTMENT)
def board():
    """A department's board across conferences: what it leads or coordinates, late tasks first."""
    return _board(_board_department())


@bp.route("/nhiem-vu/<int:task_id>/cap-nhat", methods=["POST"])
@roles(DEPARTMENT)
def update_status(task_id: int):
    """Department staff report progress on a task their department leads; organizers on any task."""
    task = db.session.get(Task, task_id) or abort(404)
    require(services.can_update(current_user, task))
    form = StatusForm()
    back = request.form.get("back", "")
    if not form.validate_on_submit():
        flash("Trạng thái không hợp lệ; chưa lưu.", "error")
    else:
        services.update_status(task, form.status.data, form.notes.data)
        if not _is_htmx():
            flash(f"Đã cập nhật nhiệm vụ «{task.title}».", "success")
    if back == "conference" and current_user.role != Role.DEPARTMENT:
        if _is_htmx():
            return _conference_page(task.conference)
        return redirect(url_for("tasks.conference_tasks", conference_id=task.conference_id), 303)
    if _is_htmx():
        department_id = request.form.get("phong", type=int)
        department = (current_user.department if current_user.role == Role.DEPARTMENT
                      else db.session.get(Department, department_id) if department_id else None)
        return _board(department)
    args = {"phong": request.form.get("phong")} if current_user.role != Role.DEPARTMENT else {}
    return redirect(url_for("tasks.board", **{k: v for k, v in args.items() if v}), 303)
