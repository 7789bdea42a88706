from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, roles
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..forms import EmptyForm
from ..models import Agency, AgencyGroup, Invitation, InvitationStatus
from ..web import render
from . import bp, importing, services
from .forms import EditInvitationForm, ImportForm, InviteAgencyForm, InviteGroupForm, InvitePersonForm

ANSWERS_PER_PAGE = 50


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _invitation_or_404(conference_id: int, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.conference_id != conference_id:
        abort(404)
    return invitation


def _person_form() -> InvitePersonForm:
    form = InvitePersonForm(prefix="person")
    agencies = db.session.execute(db.select(Agency.id, Agency.name)).all()
    agencies.sort(key=lambda a: services.collate_key(a.name))
    form.agency_id.choices = [(0, "— Không thuộc cơ quan trong danh mục —")] + [(a.id, a.name) for a in agencies]
    return form


def _group_form(conference_id: int) -> InviteGroupForm:
    form = InviteGroupForm(prefix="group")
    from ..agencies.services import ensure_default_groups

    ensure_default_groups()
    form.group_id.choices = [(0, "— Chọn nhóm —")] + [
        (g.id, f"{g.name} ({free} cơ quan chưa mời)") for g, _total, free in services.groups_with_counts(conference_id)
    ]
    return form


def _workspace(conference, status=200, notice=None, agency_form=None, group_form=None, person_form=None,
               error=None):
    """The invitation page, or only its workspace for htmx (the list, the totals and the tools)."""
    tim = request.values.get("tim", "")[:200]
    block = "picker" if request.headers.get("HX-Target") == "picker-results" else "workspace"
    return render(
        "invitations/index.html",
        block=block,
        status=status,
        conference=conference,
        listing=services.invitation_list(conference, request.values.get("nhom", type=int)),
        picker=services.uninvited_agencies(conference.id, tim) if tim or block == "picker" else [],
        tim=tim,
        agency_form=agency_form or InviteAgencyForm(prefix="agency", formdata=None),
        group_form=group_form or _group_form(conference.id),
        person_form=person_form or _person_form(),
        import_form=ImportForm(prefix="import", formdata=None),
        action_form=EmptyForm(),
        roles_suggested=services.ROLE_SUGGESTIONS,
        notice=notice,
        error=error,
    )


def _done(conference, message: str):
    """Success: the workspace for htmx, a 303 back to the list otherwise."""
    if _is_htmx():
        return _workspace(conference, notice=message)
    flash(message, "success")
    return redirect(url_for("invitations.index", conference_id=conference.id, tim=request.values.get("tim") or None),
                    303)


def _failed(conference, message: str, **forms):
    if _is_htmx():
        return _workspace(conference, status=422, error=message, **forms)
    flash(message, "error")
    return redirect(url_for("invitations.index", conference_id=conference.id), 303)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi")
@roles(ORGANIZERS)
def index(conference_id: int):
    """The invitation list by agency group and agency, with totals and the tools to add to it."""
    conference = get_conference_or_404(conference_id)
    return _workspace(conference)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-co-quan", methods=["POST"])
@roles(ORGANIZERS)
def invite_agency(conference_id: int):
    """Invite one agency of the directory."""
    conference = get_conference_or_404(conference_id)
    form = InviteAgencyForm(prefix="agency")
    if not form.validate_on_submit():
        return _failed(conference, " ".join(e for errors in form.errors.values() for e in errors))
    agency = db.session.get(Agency, int(form.agency_id.data)) if str(form.agency_id.data).isdigit() else None
    if agency is None:
        return _failed(conference, "Không tìm thấy cơ quan đã chọn trong danh mục.")
    try:
        services.invite_agency(conference, agency, form.seats.data, form.role_text.data)
    except services.InvitationError as exc:
        db.session.rollback()
        return _failed(conference, str(exc))
    return _done(conference, f"Đã mời «{agency.name}».")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-nhom", methods=["POST"])
@roles(ORGANIZERS)
def invite_group(conference_id: int):
    """Invite a whole group of agencies in one step."""
    conference = get_conference_or_404(conference_id)
    form = _group_form(conference.id)
    if not form.validate_on_submit():
        return _workspace(conference, status=422, group_form=form) if _is_htmx() else _failed(
            conference, " ".join(e for errors in form.errors.values() for e in errors))
    group = db.session.get(AgencyGroup, form.group_id.data)
    if group is None:
        return _failed(conference, "Không tìm thấy nhóm đã chọn.")
    try:
        count = services.invite_group(conference, group, form.seats.data, form.role_text.data)
    except services.InvitationError as exc:
        db.session.rollback()
        return _failed(conference, str(exc))
    if not count:
        return _failed(conference, f"Mọi cơ quan của nhóm «{group.name}» đều đã được mời (hoặc nhóm chưa có cơ quan).")
    return _done(conference, f"Đã mời {count} cơ quan của nhóm «{group.name}».")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-ca-nhan", methods=["POST"])
@roles(ORGANIZERS)
def invite_person(conference_id: int):
    """Invite a named person."""
    conference = get_conference_or_404(conference_id)
    form = _person_form()
    if not form.validate_on_submit():
        if _is_htmx():
            return _workspace(conference, status=422, person_form=form,
                              error="Chưa mời được: kiểm tra các ô được đánh dấu đỏ.")
        return render("invitations/person_form.html", conference=conference, form=form, status=422)
    agency = db.session.get(Agency, form.agency_id.data) if form.agency_id.data else None
    try:
        invitation = services.invite_person(conference, form.invitee_name.data, form.invitee_position.data, agency,
                                            form.email.data, form.phone.data)
    except services.InvitationError as exc:
        db.session.rollback()
        return _failed(conference, str(exc))
    return _done(conference, f"Đã mời {invitation.invitee_name}.")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(conference_id: int, invitation_id: int):
    """Change the seats, role or contact of one invitation."""
    conference = get_conference_or_404(conference_id)
    invitation = _invitation_or_404(conference_id, invitation_id)
    form = EditInvitationForm(obj=invitation)
    if form.validate_on_submit():
        try:
            services.update_invitation(invitation, form.seats.data, form.role_text.data, form.invitee_name.data,
                                       form.invitee_position.data, form.email.data, form.phone.data, form.note.data)
        except services.InvitationError as exc:
            db.session.rollback()
            form.seats.errors.append(str(exc))
        else:
            flash("Đã lưu thay đổi.", "success")
            return redirect(url_for("invitations.index", conference_id=conference_id) + f"#inv-{invitation.id}", 303)
    return render("invitations/edit.html", conference=conference, invitation=invitation, form=form,
                  status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/xoa", methods=["GET", "POST"])
@roles(ORGANIZERS)
def remove(conference_id: int, invitation_id: int):
    """Remove a line after confirmation (a page without JavaScript, the browser's dialog with it)."""
    conference = get_conference_or_404(conference_id)
    invitation = _invitation_or_404(conference_id, invitation_id)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit() and request.form.get("confirmed") == "1":
        name = invitation.addressee
        try:
            services.remove_invitation(invitation)
        except services.InvitationError as exc:
            db.session.rollback()
            return _failed(conference, str(exc))
        return _done(conference, f"Đã xóa «{name}» khỏi danh sách.")
    return render("invitations/remove.html", conference=conference, invitation=invitation, form=form)


# --- import ----------------------------------------------------------------------------------------

@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/mau-nhap.xlsx")
@roles(ORGANIZERS)
def import_template(conference_id: int):
    """The .xlsx template with the Vietnamese headings."""
    get_conference_or_404(conference_id)
    from flask import Response

    return Response(importing.template_xlsx(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-danh-sach-khach-moi.xlsx"'})


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/nhap", methods=["GET", "POST"])
@roles(ORGANIZERS)
def import_upload(conference_id: int):
    """Upload a file: read and check it, keep the preview server-side, show it."""
    conference = get_conference_or_404(conference_id)
    form = ImportForm(prefix="import")
    if form.validate_on_submit():
        upload = form.file.data
        try:
            preview = importing.preview_import(conference.id, upload.read(), upload.filename or "")
        except importing.ImportError_ as exc:
            form.file.errors.append(str(exc))
        else:
            preview_id = importing.store_preview(preview, current_user.id)
            return redirect(url_for("invitations.import_preview", conference_id=conference.id,
                                    preview_id=preview_id), 303)
    return render("invitations/import.html", conference=conference, form=form, status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/nhap/<preview_id>", methods=["GET", "POST"])
@roles(ORGANIZERS)
def import_preview(conference_id: int, preview_id: str):
    """The preview of an upload; confirming imports every valid row in one transaction."""
    conference = get_conference_or_404(conference_id)
    preview = importing.load_preview(preview_id, conference.id, current_user.id)
    if preview is None:
        flash("Bản xem trước đã hết hạn hoặc không tồn tại. Vui lòng tải tệp lên lại.", "warning")
        return redirect(url_for("invitations.import_upload", conference_id=conference.id), 303)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "cancel":
            importing.discard_preview(preview_id)
            flash("Đã hủy nhập tệp; chưa có gì được lưu.", "info")
            return redirect(url_for("invitations.index", conference_id=conference.id), 303)
        try:
            count = importing.confirm_import(conference, preview)
        except services.InvitationError as exc:
            flash(str(exc), "error")
            return redirect(url_for("invitations.import_upload", conference_id=conference.id), 303)
        importing.discard_preview(preview_id)
        flash(f"Đã nhập {count} khách mời từ tệp «{preview.filename}».", "success")
        return redirect(url_for("invitations.index", conference_id=conference.id), 303)
    return render("invitations/import_preview.html", conference=conference, preview=preview, form=form,
                  preview_id=preview_id)


# --- answers ---------------------------------------------------------------------------------------

@bp.route("/hoi-nghi/<int:conference_id>/tra-loi")
@roles(ORGANIZERS)
def answers(conference_id: int):
    """Every answer, filtered by group, agency, status, substitute and an accent-free search."""
    conference = get_conference_or_404(conference_id)
    filters = services.AnswerFilters(
        group_id=request.args.get("nhom", 0, type=int),
        agency_id=request.args.get("co_quan", 0, type=int),
        status=request.args.get("trang_thai", ""),
        substitute=request.args.get("di_thay", ""),
        q=request.args.get("q", "")[:200],
    )
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(services.answers_query(conference.id, filters), page=page, per_page=ANSWERS_PER_PAGE,
                             error_out=False)
    from ..agencies.services import list_groups

    return render("invitations/answers.html", block="results", conference=conference, filters=filters,
                  pagination=pagination, groups=list_groups(), agencies=services.invited_agencies(conference.id),
                  counts=services.answer_counts(conference.id), statuses=InvitationStatus)


@bp.route("/hoi-nghi/<int:conference_id>/tra-loi/danh-sach-dai-bieu.xlsx")
@roles(ORGANIZERS)
def export_delegates(conference_id: int):
    """The danh sách đại biểu as Excel, sorted by agency group then given name."""
    conference = get_conference_or_404(conference_id)
    from flask import Response

    from .. import text

    filename = f"danh-sach-dai-bieu-{text.initials_slug(conference.title, 40)}.xlsx"
    return Response(services.delegate_list_xlsx(conference),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- printed letters -------------------------------------------------------------------------------

def _download(data: bytes, mimetype: str, filename: str):
    from flask import Response

    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi")
@roles(ORGANIZERS)
def letter(conference_id: int, invitation_id: int):
    """The giấy mời of one invitation, ready to print (A4)."""
    conference = get_conference_or_404(conference_id)
    _invitation_or_404(conference_id, invitation_id)
    from . import letters as letters_module

    items = letters_module.letters_for(conference, [invitation_id])
    return render("invitations/letters.html", conference=conference, letters=items, single=items[0])


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi")
@roles(ORGANIZERS)
def letters(conference_id: int):
    """Every giấy mời of the list, one per page, to print as a batch."""
    conference = get_conference_or_404(conference_id)
    from . import letters as letters_module

    return render("invitations/letters.html", conference=conference,
                  letters=letters_module.letters_for(conference), single=None)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi.docx")
@roles(ORGANIZERS)
def letter_docx(conference_id: int, invitation_id: int):
    """One giấy mời as a Word document."""
    conference = get_conference_or_404(conference_id)
    invitation = _invitation_or_404(conference_id, invitation_id)
    from .. import text
    from . import letters as letters_module

    data = letters_module.letters_docx(letters_module.letters_for(conference, [invitation_id]))
    return _download(data, DOCX, f"giay-moi-{text.initials_slug(invitation.addressee, 50)}.docx")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi.pdf")
@roles(ORGANIZERS)
def letter_pdf(conference_id: int, invitation_id: int):
    """One giấy mời as PDF."""
    conference = get_conference_or_404(conference_id)
    invitation = _invitation_or_404(conference_id, invitation_id)
    from .. import text
    from . import letters as letters_module

    data = letters_module.letters_pdf(letters_module.letters_for(conference, [invitation_id]))
    return _download(data, "application/pdf", f"giay-moi-{text.initials_slug(invitation.addressee, 50)}.pdf")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi.docx")
@roles(ORGANIZERS)
def letters_docx(conference_id: int):
    """Every giấy mời of the list in one Word document."""
    conference = get_conference_or_404(conference_id)
    from . import letters as letters_module

    items = letters_module.letters_for(conference)
    if not items:
        flash("Danh sách chưa có khách mời nào để in giấy mời.", "warning")
        return redirect(url_for("invitations.index", conference_id=conference_id), 303)
    return _download(letters_module.letters_docx(items), DOCX, f"giay-moi-hoi-nghi-{conference.id}.docx")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi.pdf")
@roles(ORGANIZERS)
def letters_pdf(conference_id: int):
    """Every giấy mời of the list in one PDF."""
    conference = get_conference_or_404(conference_id)
    from . import letters as letters_module

    items = letters_module.letters_for(conference)
    if not items:
        flash("Danh sách chưa có khách mời nào để in giấy mời.", "warning")
        return redirect(url_for("invitations.index", conference_id=conference_id), 303)
    return _download(letters_module.letters_pdf(items), "application/pdf", f"giay-moi-hoi-nghi-{conference.id}.pdf")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/qr.png")
@roles(ORGANIZERS)
def rsvp_qr(conference_id: int, invitation_id: int):
    """The QR image of an invitation's RSVP link (for letters, and to send by Zalo or SMS)."""
    invitation = _invitation_or_404(conference_id, invitation_id)
    from ..qr import qr_response

    return qr_response(services.rsvp_url(invitation), box_size=6, filename=f"qr-moi-{invitation.id}.png")
