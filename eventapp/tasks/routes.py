"""Task pages: the assignments of a conference (organizers) and a department's board (department staff)."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_login import current_user

from ..access import DEPARTMENT, ORGANIZERS, require, roles
from ..extensions import db
from ..forms import EmptyForm, options
from ..models import ConferenceKind, Department, Role, Task
from ..vntime import today
from ..web import done, failed, form_page, render, submitted
from ..workspace import in_conference, menu, tab
from . import bp, services
from .forms import StatusForm, TaskForm, TemplateForm


def _task_form(task: Task | None = None, departments=None) -> TaskForm:
    form = TaskForm(obj=task)
    form.set_departments(departments if departments is not None else services.list_departments())
    if task is not None and request.method == "GET":
        form.coordinating_ids.data = [d.id for d in task.coordinating_departments]
        form.deadline.data = (services.relative_label(task.due_offset_days).lower() if task.due_offset_days is not None
                              else (task.due_date.strftime("%d/%m/%Y") if task.due_date else ""))
    return form


def _conference_page(conference, status: int = 200, form=None):
    departments = services.list_departments()
    tasks = services.conference_tasks(conference)
    form = form or _task_form(departments=departments)
    kinds = services.template_kinds()
    template_form = TemplateForm()
    template_form.kind.choices = options([(k.value, k.label) for k in ConferenceKind if k.value in kinds])
    template_form.kind.data = conference.kind if conference.kind in kinds else "tong_ket"
    return render("tasks/conference.html", block="tasks", status=status, conference=conference, tasks=tasks,
                  counts=services.task_counts(tasks), form=form, template_form=template_form,
                  template_kinds=kinds, today=today(), status_form=StatusForm(),
                  relative_label=services.relative_label, is_late=services.is_late, action_form=EmptyForm())


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong")
@roles(ORGANIZERS)
@tab("Phân công", order=47)
def conference_tasks():
    """The assignments of a conference: lead and coordinating departments, deadlines, status."""
    services.ensure_task_templates()
    return _conference_page(g.conference)


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/them", methods=["POST"])
@roles(ORGANIZERS)
def add_task():
    """Assign a new task."""
    form = _task_form()
    if not submitted(form, lambda status: _conference_page(g.conference, status, form=form)):
        return form_page()
    task = services.create_task(g.conference, form.values())
    return done(f"Đã giao nhiệm vụ «{task.title}».", url_for("tasks.conference_tasks"))


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/ap-dung-mau", methods=["POST"])
@roles(ORGANIZERS)
def apply_template():
    """Create the tasks of a conference kind's template in one step."""
    form = TemplateForm()
    if not form.validate_on_submit():
        return failed("Mẫu phân công không hợp lệ.", url_for("tasks.conference_tasks"))
    created = services.apply_template(g.conference, form.kind.data)
    if created:
        return done(f"Đã tạo {created} nhiệm vụ từ mẫu phân công.", url_for("tasks.conference_tasks"))
    return done("Các nhiệm vụ của mẫu đã có sẵn; không thêm gì.", url_for("tasks.conference_tasks"), category="info")


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/<int:task_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit_task(task_id: int):
    """Edit a task."""
    task = in_conference(Task, task_id)
    form = _task_form(task)
    if submitted(form, lambda status: render("tasks/edit.html", task=task, form=form, status=status)):
        services.update_task(task, form.values())
        return done(f"Đã lưu nhiệm vụ «{task.title}».", url_for("tasks.conference_tasks"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/phan-cong/<int:task_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_task(task_id: int):
    """Delete a task."""
    task = in_conference(Task, task_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_task(task)
    return done("Đã xóa nhiệm vụ.", url_for("tasks.conference_tasks"))


# --- the department board -----------------------------------------------------------------------

def _board_department(department_id: int | None = None) -> Department | None:
    """The department whose board is shown: the signed-in staff's own, or the one an organizer picked."""
    if current_user.role == Role.DEPARTMENT:
        return current_user.department
    return db.get_or_404(Department, department_id) if department_id else None


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
@menu("Nhiệm vụ của phòng", order=30)
def board():
    """A department's board across conferences: what it leads or coordinates, late tasks first."""
    return _board(_board_department(request.args.get("phong", type=int)))


@bp.route("/nhiem-vu/<int:task_id>/cap-nhat", methods=["POST"])
@roles(DEPARTMENT)
def update_status(task_id: int):
    """Department staff report progress on a task their department leads; organizers on any task."""
    task = db.get_or_404(Task, task_id)
    require(services.can_update(current_user, task))
    form = StatusForm()
    if request.form.get("back", "") == "conference" and current_user.role != Role.DEPARTMENT:
        page = lambda: _conference_page(task.conference)  # noqa: E731
        back = url_for("tasks.conference_tasks", conference_id=task.conference_id)
    else:
        department_id = request.form.get("phong", type=int)
        page = lambda: _board(_board_department(department_id))  # noqa: E731
        back = url_for("tasks.board", phong=department_id if current_user.role != Role.DEPARTMENT else None)
    if not form.validate_on_submit():
        return failed("Trạng thái không hợp lệ; chưa lưu.", back)
    services.update_status(task, form.status.data, form.notes.data)
    return done(f"Đã cập nhật nhiệm vụ «{task.title}».", back, page)
