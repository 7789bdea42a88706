"""The report of a conference (on screen, printable, as a workbook) and the documents it files."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_login import current_user

from .. import text
from ..access import ORGANIZERS, roles
from ..documents.docx_writer import document_docx
from ..documents.pdf_writer import document_pdf
from ..hall import attendance
from ..issuer import issued_document, letterhead_for, save_issued_document
from ..models import DOCUMENT_KINDS
from ..web import DOCX, PDF, XLSX, done, download, failed, form_page, render, submitted
from ..workspace import tab
from . import bp, filed, services
from .forms import NumberForm

#: The numbered documents of the page, each with its own Số / ngày ký form.
NUMBERED = {"ke_hoach": "Kế hoạch tổ chức", "du_toan": "Dự toán kinh phí", "quyet_toan": "Quyết toán kinh phí", "bao_cao": "Báo cáo kết quả"}
FORMATS = {"pdf": (document_pdf, PDF), "docx": (document_docx, DOCX)}


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao")
@roles(ORGANIZERS)
@tab("Báo cáo", order=90)
def conference():
    """After the event: attendance by group and agency, absentees, substitutes, walk-ins, papers, budget, tasks."""
    report = services.conference_report(g.conference)
    return render("reports/conference.html", report=report, chart=services.budget_chart(report.budget),
                  attendance=attendance.counts_by_day(g.conference))


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao.xlsx")
@roles(ORGANIZERS)
def conference_xlsx():
    """The report as a workbook, one sheet per part."""
    data = services.report_workbook(services.conference_report(g.conference))
    return download(data, f"bao-cao-{text.initials_slug(g.conference.title, 40) or g.conference.id}.xlsx", XLSX)


def _number_form(kind: str, formdata=None) -> NumberForm:
    issued = issued_document(g.conference, kind)
    form = NumberForm(prefix=kind, formdata=formdata)
    abbreviation = letterhead_for(g.conference).issuer.abbreviation
    form.number.description = f"Ví dụ: 12/{DOCUMENT_KINDS[kind]}-{abbreviation}" if abbreviation else ""
    if formdata is None and issued is not None:
        form.number.data, form.signed_on.data = issued.number, issued.signed_on
    return form


def _documents_page(status: int = 200, posted: NumberForm | None = None, posted_kind: str = ""):
    forms = {kind: posted if kind == posted_kind else _number_form(kind) for kind in NUMBERED}
    return render("reports/documents.html", status=status, forms=forms, numbered=NUMBERED,
                  days=attendance.conference_days(g.conference))


@bp.route("/hoi-nghi/<int:conference_id>/van-ban")
@roles(ORGANIZERS)
@tab("Văn bản", order=105)
def documents():
    """The documents the Sở files for this conference, with their numbers, signing dates and downloads."""
    return _documents_page()


@bp.route("/hoi-nghi/<int:conference_id>/van-ban/so", methods=["POST"])
@roles(ORGANIZERS)
def save_number():
    """Keep the clerk's number and signing date of one document (``?loai=bao_cao``)."""
    kind = request.args.get("loai", "")
    if kind not in NUMBERED:
        return failed("Không rõ văn bản cần ghi số.", url_for("reports.documents"))
    form = _number_form(kind, request.form)
    if not submitted(form, lambda status: _documents_page(status, form, kind)):
        return form_page()
    save_issued_document(g.conference, kind, form.number.data, form.signed_on.data, current_user.id)
    return done(f"Đã lưu số và ngày ký của {NUMBERED[kind].lower()}.", url_for("reports.documents", _anchor=kind))


def _document():
    """The document a download asks for: ``loai`` (ke-hoach, ky-nhan, bang-ke, bao-cao), ``ngay`` and ``cach`` for a
    sign-in sheet (da-den: those checked in that day; de-trong: everyone expected, to sign at the door)."""
    kind = request.args.get("loai", "ky-nhan")
    if kind == "ky-nhan":
        day = attendance.pick_day(g.conference, request.args.get("ngay"))
        return filed.sign_in_sheet(g.conference, day, arrived_only=request.args.get("cach", "da-den") == "da-den")
    if kind == "bang-ke":
        return filed.support_list(g.conference)
    if kind == "bao-cao":
        return filed.report_document(services.conference_report(g.conference))
    if kind == "ke-hoach":
        return filed.plan_document(g.conference)
    abort(404)


@bp.route("/hoi-nghi/<int:conference_id>/van-ban/tai")
@roles(ORGANIZERS)
def document_file():
    """A filed document as PDF (``dinh-dang=pdf``, the default) or .docx."""
    fmt = request.args.get("dinh-dang", "pdf")
    if fmt not in FORMATS:
        abort(404)
    writer, mimetype = FORMATS[fmt]
    document = _document()
    return download(writer(document), f"{document.filename}.{fmt}", mimetype)
