"""Budget pages: the estimate of a conference (inline editing with htmx), its appendix, the norms."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_login import current_user

from ..access import ADMINS, ORGANIZERS, roles
from ..documents.docx_writer import document_docx
from ..documents.pdf_writer import document_pdf
from ..extensions import db
from ..forms import EmptyForm
from ..models import BudgetLine, Role, SpendingNorm
from ..web import DOCX, PDF, XLSX, done, download, form_page, render, submitted
from ..workspace import in_conference, menu, tab
from . import bp, documents, services
from .forms import BudgetLineForm, NormForm


def _line_form(line: BudgetLine | None = None, norms=None, fresh: bool = False) -> BudgetLineForm:
    """The add form (``fresh``: empty again after a line was added) or a line's edit form."""
    if fresh:
        form = BudgetLineForm(formdata=None, prefix="new")
    else:
        form = BudgetLineForm(obj=line, prefix=f"l{line.id}" if line else "new")
    form.norm_id.choices = services.norm_choices(norms)
    if line is None and (fresh or request.method == "GET"):
        form.funding_source.data = (g.conference.funding_source or "")[:300]
        form.days.data = 1
    if line is not None and request.method == "GET":
        form.norm_id.data = line.norm_id or 0
    return form


def _page(status: int = 200, form=None, edit_form=None, editing: int | None = None):
    conference = g.conference
    return render(
        "budget/index.html",
        block="sheet",
        status=status,
        sheet=services.budget_sheet(conference),
        form=form or _line_form(norms=services.list_norms(), fresh=True),
        edit_form=edit_form,
        editing=editing,
        confirmed=services.confirmed_delegates(conference.id),
        delete_form=EmptyForm(),
    )


def _sheet_url(anchor: str = "bang-du-toan") -> str:
    return url_for("budget.index", _anchor=anchor)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi")
@roles(ORGANIZERS)
@tab("Kinh phí", order=44)
def index():
    """The budget estimate of a conference: lines by category, totals against the approved budget."""
    return _page()


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/them", methods=["POST"])
@roles(ORGANIZERS)
def add_line():
    """Add a line; htmx gets the sheet back, a plain form a redirect."""
    form = _line_form()
    if not submitted(form, lambda status: _page(status, form=form)):
        return form_page()
    line = services.add_line(g.conference, form.values())
    return done(f"Đã thêm «{line.content}».", _sheet_url(), _page)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/<int:line_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit_line(line_id: int):
    """Edit a line in place (its actual amount too, after the event)."""
    line = in_conference(BudgetLine, line_id)
    form = _line_form(line)
    if submitted(form, lambda status: _page(status, edit_form=form, editing=line.id)):
        services.update_line(line, form.values())
        return done(f"Đã lưu «{line.content}».", _sheet_url(f"dong-{line.id}"), _page)
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/<int:line_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_line(line_id: int):
    """Delete a line."""
    line = in_conference(BudgetLine, line_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    content = line.content
    services.delete_line(line)
    return done(f"Đã xóa «{content}».", _sheet_url(), _page)


def _budget_document():
    """The document a download asks for: the estimate, or the final account with ``?loai=quyet-toan``."""
    kinds = {slug: kind for kind, slug in documents.SLUGS.items()}
    kind = kinds.get(request.args.get("loai", "du-toan"))
    if kind is None:
        abort(404)
    return documents.budget_document(g.conference, kind)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/phu-luc.xlsx")
@roles(ORGANIZERS)
def appendix_xlsx():
    """The estimate (or the final account) as a workbook whose formulas carry their results."""
    doc = _budget_document()
    return download(documents.workbook(doc), f"{doc.filename}.xlsx", XLSX)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/phu-luc.pdf")
@roles(ORGANIZERS)
def appendix_pdf():
    """The estimate (or the final account) as the PDF the finance office signs."""
    doc = _budget_document()
    return download(document_pdf(documents.document(doc)), f"{doc.filename}.pdf", PDF)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/phu-luc.docx")
@roles(ORGANIZERS)
def appendix_docx():
    """The estimate (or the final account) as .docx, to edit before signing."""
    doc = _budget_document()
    return download(document_docx(documents.document(doc)), f"{doc.filename}.docx", DOCX)


@bp.route("/hoi-nghi/<int:conference_id>/kinh-phi/in")
@roles(ORGANIZERS)
def appendix_print():
    """The estimate (or the final account) as a printable A4 landscape page, the same content as the PDF."""
    doc = _budget_document()
    return render("budget/appendix.html", doc=doc, document=documents.document(doc),
                  slug=documents.SLUGS[doc.kind])


# --- norms --------------------------------------------------------------------------------------

def _norms_page(status: int = 200, form=None, edit_form=None, editing: int | None = None):
    can_edit = current_user.role == Role.ADMIN
    return render("budget/norms.html", norms=services.list_norms(), can_edit=can_edit,
                  form=form or (NormForm(prefix="new", formdata=None) if can_edit else None),
                  edit_form=edit_form, editing=editing, action_form=EmptyForm(), status=status)


@bp.route("/dinh-muc-chi")
@roles(ORGANIZERS)
@menu("Định mức chi", order=70)
def norms():
    """The spending norms: organizers read them, the administrator edits them."""
    return _norms_page()


@bp.route("/dinh-muc-chi/them", methods=["POST"])
@roles(ADMINS)
def add_norm():
    """Add a spending norm (admin)."""
    form = NormForm(prefix="new")
    if not submitted(form, lambda status: _norms_page(status, form=form)):
        return form_page()
    norm = services.save_norm(None, form.values())
    return done(f"Đã thêm định mức «{norm.name}».", url_for("budget.norms"))


@bp.route("/dinh-muc-chi/<int:norm_id>/sua", methods=["GET", "POST"])
@roles(ADMINS)
def edit_norm(norm_id: int):
    """Edit a spending norm (admin)."""
    norm = db.get_or_404(SpendingNorm, norm_id)
    form = NormForm(obj=norm, prefix=f"n{norm.id}")
    if submitted(form, lambda status: _norms_page(status, edit_form=form, editing=norm.id)):
        services.save_norm(norm, form.values())
        return done(f"Đã lưu định mức «{norm.name}».", url_for("budget.norms"))
    return form_page()


@bp.route("/dinh-muc-chi/<int:norm_id>/xoa", methods=["POST"])
@roles(ADMINS)
def delete_norm(norm_id: int):
    """Delete a spending norm (lines that used it keep their figures)."""
    norm = db.get_or_404(SpendingNorm, norm_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_norm(norm)
    return done("Đã xóa định mức.", url_for("budget.norms"))


@bp.route("/dinh-muc-chi/mac-dinh", methods=["POST"])
@roles(ADMINS)
def seed_norms():
    """Add the national caps of Circular 40/2017 (and 12/2025) that are missing."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    added = services.ensure_default_norms()
    return done(f"Đã nạp {added} định mức mặc định." if added else "Các định mức mặc định đã có đủ.",
                url_for("budget.norms"))
