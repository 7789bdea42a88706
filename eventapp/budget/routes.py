"""Budget pages: the estimate of a conference (inline editing with htmx), its appendix, the norms."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import ADMINS, ORGANIZERS, roles
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..forms import EmptyForm
from ..models import BudgetLine, Role, SpendingNorm
from ..web import host_agency, render
from . import bp, services
from .forms import BudgetLineForm, NormForm


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _line_form(conference, line: BudgetLine | None = None, norms=None, fresh: bool = False) -> BudgetLineForm:
    """The add form (``fresh``: empty again after a line was added) or a line's edit form."""
    if fresh:
        form = BudgetLineForm(formdata=None, prefix="new")
    else:
        form = BudgetLineForm(obj=line, prefix=f"l{line.id}" if line else "new")
    form.norm_id.choices = services.norm_choices(norms)
    if line is None and (fresh or request.method == "GET"):
        form.funding_source.data = (conference.funding_source or "")[:300]
        form.days.data = 1
    if line is not None and request.method == "GET":
        form.norm_id.data = line.norm_id or 0
    return form


def _page(conference, form=None, edit_form=None, editing: int | None = None, status: int = 200):
    norms = services.list_norms()
    form = form or _line_form(conference, norms=norms, fresh=True)
    return render(
        "budget/index.html",
        block="sheet",
        status=status,
        conference=conference,
        sheet=services.budget_sheet(conference),
        form=form,
        edit_form=edit_form,
        editing=editing,
        confirmed=services.confirmed_delegates(conference.id),
        delete_form=EmptyForm(),
    )


def _back(conference_id: int, anchor: str = "bang-du-toan"):
    return redirect(url_for("budget.index", conference_id=conference_id, _anchor=anchor), 303)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi")
@roles(ORGANIZERS)
def index(conference_id: int):
    """The budget estimate of a conference: lines by category, totals against the approved budget."""
    conference = get_conference_or_404(conference_id)
    return _page(conference)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/them", methods=["POST"])
@roles(ORGANIZERS)
def add_line(conference_id: int):
    """Add a line; htmx gets the sheet back, a plain form a redirect."""
    conference = get_conference_or_404(conference_id)
    form = _line_form(conference)
    if form.validate_on_submit():
        line = services.add_line(conference, form)
        if not _is_htmx():
            flash(f"Đã thêm «{line.content}».", "success")
            return _back(conference_id)
        return _page(conference)
    return _page(conference, form=form, status=422)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/<int:line_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit_line(conference_id: int, line_id: int):
    """Edit a line in place (its actual amount too, after the event)."""
    conference = get_conference_or_404(conference_id)
    line = services.get_line(conference, line_id) or abort(404)
    form = _line_form(conference, line)
    if form.validate_on_submit():
        services.update_line(line, form)
        if not _is_htmx():
            flash(f"Đã lưu «{line.content}».", "success")
            return _back(conference_id, f"dong-{line.id}")
        return _page(conference)
    return _page(conference, edit_form=form, editing=line.id, status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/<int:line_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_line(conference_id: int, line_id: int):
    """Delete a line."""
    conference = get_conference_or_404(conference_id)
    line = services.get_line(conference, line_id) or abort(404)
    if EmptyForm().validate_on_submit():
        content = line.content
        services.delete_line(line)
        if not _is_htmx():
            flash(f"Đã xóa «{content}».", "success")
            return _back(conference_id)
        return _page(conference)
    abort(400)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/phu-luc.xlsx")
@roles(ORGANIZERS)
def appendix_xlsx(conference_id: int):
    """The budget appendix (phụ lục dự toán) as a workbook with formulas."""
    conference = get_conference_or_404(conference_id)
    data = services.appendix_workbook(services.budget_sheet(conference), host_agency())
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{services.appendix_filename(conference)}"'},
    )


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/in")
@roles(ORGANIZERS)
def appendix_print(conference_id: int):
    """The budget appendix as a printable A4 page with the Decree 30 letterhead."""
    conference = get_conference_or_404(conference_id)
    sheet = services.budget_sheet(conference)
    return render("budget/appendix.html", conference=conference, sheet=sheet,
                  words=services.amount_in_words(sheet.total))


# --- norms --------------------------------------------------------------------------------------

@bp.route("/dinh-muc-chi")
@roles(ORGANIZERS)
def norms():
    """The spending norms: organizers read them, the administrator edits them."""
    can_edit = current_user.role == Role.ADMIN
    return render("budget/norms.html", norms=services.list_norms(), can_edit=can_edit,
                  form=NormForm(prefix="new") if can_edit else None, action_form=EmptyForm(), editing=None)


@bp.route("/dinh-muc-chi/them", methods=["POST"])
@roles(ADMINS)
def add_norm():
    """Add a spending norm (admin)."""
    form = NormForm(prefix="new")
    if form.validate_on_submit():
        norm = services.save_norm(None, form)
        flash(f"Đã thêm định mức «{norm.name}».", "success")
        return redirect(url_for("budget.norms"), 303)
    return render("budget/norms.html", norms=services.list_norms(), can_edit=True, form=form,
                  action_form=EmptyForm(), editing=None, status=422)


@bp.route("/dinh-muc-chi/<int:norm_id>/sua", methods=["GET", "POST"])
@roles(ADMINS)
def edit_norm(norm_id: int):
    """Edit a spending norm (admin)."""
    norm = db.session.get(SpendingNorm, norm_id) or abort(404)
    form = NormForm(obj=norm, prefix=f"n{norm.id}")
    if form.validate_on_submit():
        services.save_norm(norm, form)
        flash(f"Đã lưu định mức «{norm.name}».", "success")
        return redirect(url_for("budget.norms"), 303)
    return render("budget/norms.html", norms=services.list_norms(), can_edit=True, form=NormForm(prefix="new"),
                  edit_form=form, editing=norm.id, action_form=EmptyForm(), status=422 if form.errors else 200)


@bp.route("/dinh-muc-chi/<int:norm_id>/xoa", methods=["POST"])
@roles(ADMINS)
def delete_norm(norm_id: int):
    """Delete a spending norm (lines that used it keep their figures)."""
    norm = db.session.get(SpendingNorm, norm_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.delete_norm(norm)
        flash("Đã xóa định mức.", "success")
    return redirect(url_for("budget.norms"), 303)


@bp.route("/dinh-muc-chi/mac-dinh", methods=["POST"])
@roles(ADMINS)
def seed_norms():
    """Add the national caps of Circular 40/2017 (and 12/2025) that are missing."""
    if EmptyForm().validate_on_submit():
        added = services.ensure_default_norms()
        db.session.commit()
        flash(f"Đã nạp {added} định mức mặc định." if added else "Các định mức mặc định đã có đủ.", "success")
    return redirect(url_for("budget.norms"), 303)
