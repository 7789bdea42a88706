"""Pages of the invitation list: the list and its tools (htmx, with a plain-form fallback), the import, the
answers, the delegate list and the printed letters."""

from flask import g, redirect, request, url_for
from flask_login import current_user

from .. import spreadsheets, text
from ..access import ORGANIZERS, roles
from ..agencies.services import list_groups
from ..errors import UserError
from ..extensions import db
from ..forms import EmptyForm
from ..models import Invitation, InvitationStatus
from ..qr import qr_response
from ..web import DOCX, PDF, XLSX, done, download, failed, form_page, on_refusal, render, submitted
from ..workspace import in_conference, tab
from . import bp, importing, letters, services
from .forms import (
    EditInvitationForm,
    ImportForm,
    InviteAgencyForm,
    LetterNumberForm,
    comrade_groups_form,
    group_form,
    import_row_form,
    person_form,
)

ANSWERS_PER_PAGE = 50


def _workspace(status: int = 200, agency_form=None, group_form_=None, person_form_=None):
    """The invitation page, or only its workspace for htmx (the list, the totals and the tools); the list searched,
    filtered and sorted as the query string asks."""
    conference = g.conference
    tim = request.values.get("tim", "")[:200]
    block = "picker" if request.htmx.target == "picker-results" else "workspace"
    filters = services.ListFilters.from_args(request.args)
    groups, agencies = services.list_groups_and_agencies(conference.id)
    return render(
        "invitations/index.html",
        block=block,
        status=status,
        listing=services.invitation_list(conference, request.values.get("nhom_mo", type=int), filters),
        filters=filters,
        sorts=services.SORTS,
        groups=groups,
        agencies=agencies,
        picker=services.uninvited_agencies(conference.id, tim) if tim or block == "picker" else [],
        tim=tim,
        agency_form=agency_form or InviteAgencyForm(prefix="agency", formdata=None),
        group_form=group_form_ or group_form(conference.id, formdata=None),
        person_form=person_form_ or person_form(formdata=None),
        import_form=ImportForm(prefix="import", formdata=None),
        action_form=EmptyForm(),
        roles_suggested=services.ROLE_SUGGESTIONS,
        removal_warning=services.removal_warning,
    )


def _list_url() -> str:
    return url_for("invitations.index", tim=request.values.get("tim") or None)


def _ids() -> list[int]:
    """The invitations ticked in a list."""
    try:
        ids = [int(v) for v in request.form.getlist("ids")]
    except ValueError:
        raise UserError("Danh sách khách mời đã chọn không hợp lệ.") from None
    if not ids:
        raise UserError("Chưa chọn khách mời nào: đánh dấu các dòng trong bảng.")
    return ids


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi")
@roles(ORGANIZERS)
@tab("Khách mời", order=10)
def index():
    """The invitation list by agency group and agency, with totals and the tools to add to it; search, filters,
    sorting and actions on a selection."""
    return _workspace()


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/danh-sach.xlsx")
@roles(ORGANIZERS)
def export_list():
    """The invitation list as Excel, with the filters and order of the page it was asked from."""
    conference = g.conference
    return download(services.list_xlsx(conference, services.ListFilters.from_args(request.args)),
                    f"danh-sach-khach-moi-{text.initials_slug(conference.title, 40)}.xlsx", XLSX)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/can-goi-dien")
@roles(ORGANIZERS)
def call_list():
    """Danh sách cần gọi điện: who has not answered, with the numbers to call, on screen (a phone in hand)."""
    return render("invitations/call_list.html", rows=services.call_rows(g.conference.id))


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/can-goi-dien.xlsx")
@roles(ORGANIZERS)
def call_list_xlsx():
    """The follow-up call list as Excel, with a column for the result of each call."""
    conference = g.conference
    return download(services.call_list_xlsx(conference),
                    f"danh-sach-can-goi-dien-{text.initials_slug(conference.title, 40)}.xlsx", XLSX)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/chon", methods=["POST"])
@roles(ORGANIZERS)
def bulk():
    """Remove the ticked lines: asked first, with what they hold (answers, delegates)."""
    form = EmptyForm()
    on_refusal(url=_list_url())
    if not form.validate_on_submit():
        raise UserError(form.error_text())
    ids = _ids()
    chosen = [in_conference(Invitation, i) for i in ids]
    if request.form.get("confirmed") != "1":
        return render("invitations/remove.html", chosen=chosen, form=form,
                      answered=sum(1 for i in chosen if i.status != InvitationStatus.PENDING),
                      delegates=sum(services.answered_delegates(i) for i in chosen))
    count = services.remove_invitations(g.conference, ids)
    return done(f"Đã xóa {count} lời mời khỏi danh sách; có thể khôi phục trong 30 ngày.", _list_url())


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/da-xoa", methods=["GET", "POST"])
@roles(ORGANIZERS)
def removed():
    """Đã xóa: the invitations removed in the last 30 days, each restorable with its link and passes."""
    form = EmptyForm()

    def page(status: int):
        return render("invitations/removed.html", removed=services.removed_invitations(g.conference), form=form,
                      status=status)

    if submitted(form, page):
        invitation = services.restore_invitation(g.conference, request.form.get("removed_id", 0, type=int))
        return done(f"Đã khôi phục «{invitation.addressee}».",
                    url_for("invitations.index", _anchor=f"inv-{invitation.id}"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-co-quan", methods=["POST"])
@roles(ORGANIZERS)
def invite_agency():
    """Invite one agency of the directory."""
    form = InviteAgencyForm(prefix="agency")
    if not submitted(form, lambda status: _workspace(status, agency_form=form)):
        return form_page()
    agency = services.directory_agency(form.agency_id.data)
    services.invite_agency(g.conference, agency, form.seats.data, form.role_text.data)
    return done(f"Đã mời «{agency.name}».", _list_url(), _workspace)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-nhom", methods=["POST"])
@roles(ORGANIZERS)
def invite_group():
    """Invite a whole group of agencies in one step."""
    form = group_form(g.conference.id)
    if not submitted(form, lambda status: _workspace(status, group_form_=form)):
        return form_page()
    group, count = services.invite_group(g.conference, form.group_id.data, form.seats.data, form.role_text.data)
    return done(f"Đã mời {count} cơ quan của nhóm «{group.name}».", _list_url(), _workspace)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/moi-ca-nhan", methods=["POST"])
@roles(ORGANIZERS)
def invite_person():
    """Invite a named person."""
    form = person_form()
    if not submitted(form, lambda status: _workspace(status, person_form_=form)):
        return form_page()
    values = form.values()
    invitation = services.invite_person(g.conference, values["invitee_name"], values["invitee_position"],
                                        services.directory_agency(values["agency_id"]) if values["agency_id"] else None,
                                        values["email"], values["phone"])
    return done(f"Đã mời {invitation.invitee_name}.", _list_url(), _workspace)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(invitation_id: int):
    """Change the seats, role or contact of one invitation."""
    invitation = in_conference(Invitation, invitation_id)
    form = EditInvitationForm(obj=invitation)
    if submitted(form, lambda status: render("invitations/edit.html", invitation=invitation, form=form, status=status)):
        services.update_invitation(invitation, **form.values())
        return done("Đã lưu thay đổi.", url_for("invitations.index", _anchor=f"inv-{invitation.id}"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/xoa", methods=["GET", "POST"])
@roles(ORGANIZERS)
def remove(invitation_id: int):
    """Remove a line after confirmation (a page without JavaScript, the browser's dialog with it; both say what
    the invitation holds); it can be restored for 30 days."""
    invitation = in_conference(Invitation, invitation_id)
    form = EmptyForm()

    def page(status: int):
        return render("invitations/remove.html", chosen=[invitation], form=form, status=status,
                      answered=int(invitation.status != InvitationStatus.PENDING),
                      delegates=services.answered_delegates(invitation))

    if submitted(form, page) and request.form.get("confirmed") == "1":
        name = invitation.addressee
        services.remove_invitation(invitation)
        return done(f"Đã xóa «{name}» khỏi danh sách; có thể khôi phục trong 30 ngày (mục «Đã xóa»).", _list_url(),
                    _workspace)
    return page(200)


# --- import ----------------------------------------------------------------------------------------

@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/mau-nhap.xlsx")
@roles(ORGANIZERS)
def import_template():
    """The .xlsx template with the Vietnamese headings."""
    return download(importing.template_xlsx(), "mau-danh-sach-khach-moi.xlsx", XLSX)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/nhap", methods=["GET", "POST"])
@roles(ORGANIZERS)
def import_upload():
    """Upload a file: read and check it, keep the preview server-side, show it."""
    form = ImportForm(prefix="import")
    if submitted(form, lambda status: render("invitations/import.html", form=form, status=status)):
        upload = form.file.data
        preview = importing.preview_import(g.conference.id, upload.read(), upload.filename or "")
        preview_id = importing.store_preview(preview, current_user.id)
        return redirect(url_for("invitations.import_preview", preview_id=preview_id), 303)
    return form_page()


def _preview_page(preview, preview_id: str, form, status: int = 200):
    """The preview of an upload, or only its checked part for htmx (after a fix)."""
    return render("invitations/import_preview.html", block="preview", preview=preview, form=form,
                  preview_id=preview_id, groups=list_groups(), legacy_changes=preview.legacy_changes(),
                  legacy_label=spreadsheets.LEGACY_ENCODINGS.get(preview.legacy, ""), status=status)


def _stored_preview(preview_id: str):
    """The preview of this conference and user, or the answer that it is gone or already imported."""
    preview = importing.load_preview(preview_id, g.conference.id, current_user.id)
    if preview is None:
        return None, done("Bản xem trước đã hết hạn hoặc không tồn tại. Vui lòng tải tệp lên lại.",
                          url_for("invitations.import_upload"), category="warning")
    if preview.imported_at is not None:
        return None, done(importing.already_imported_message(preview_id), url_for("invitations.index"),
                          category="info")
    return preview, None


def _fix(preview, action: str, values) -> str:
    """Apply the fix a preview's button asks for; returns what to tell the clerk."""
    if action == "recheck":
        importing.recheck(preview)
        return "Đã kiểm tra lại mọi dòng với danh mục và danh sách hiện tại."
    if action == "convert_legacy":
        return f"Đã chuyển {importing.convert_legacy(preview)} ô sang Unicode và kiểm tra lại."
    if action == "dismiss_legacy":
        importing.dismiss_legacy(preview)
        return "Đã giữ nguyên chữ như trong tệp."
    if action in ("group_all", "groups"):
        agencies = preview.ungrouped_agencies
        chosen = ({a: values.get("nhom_chung", "") for a in agencies} if action == "group_all"
                  else {a: values.get(f"nhom-{i}", "") for i, a in enumerate(agencies)})
        return f"Đã chọn nhóm cho {importing.set_groups(preview, chosen)} dòng và kiểm tra lại."
    if action in ("join_all", "join"):
        lines = None if action == "join_all" else [values.get("line", 0, type=int)]
        return f"Đã thêm {importing.join_agencies(preview, lines)} người làm chỗ đích danh của lời mời cơ quan."
    if action == "separate":
        importing.separate_agency(preview, values.get("line", 0, type=int))
        return "Dòng này sẽ có lời mời và giấy mời riêng."
    raise UserError("Thao tác không hợp lệ; vui lòng chọn lại.")


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/nhap/<preview_id>", methods=["GET", "POST"])
@roles(ORGANIZERS)
def import_preview(preview_id: str):
    """The preview of an upload, with its fixes (a group for new agencies, text typed in a legacy font, persons of
    an agency invited as a whole) and a check again; confirming imports every valid row in one transaction, once."""
    preview, gone = _stored_preview(preview_id)
    if gone:
        return gone
    form = EmptyForm()
    if not submitted(form, lambda status: _preview_page(preview, preview_id, form, status)):
        return form_page()
    action = request.form.get("action", "")
    if action == "cancel":
        importing.discard_preview(preview_id)
        return done("Đã hủy nhập tệp; chưa có gì được lưu.", url_for("invitations.index"), category="info")
    if action == "confirm":
        count = importing.confirm_import(g.conference, preview, preview_id)
        return done(f"Đã nhập {count} khách mời từ tệp «{preview.filename}».", url_for("invitations.index"))
    message = _fix(preview, action, request.form)
    importing.save_preview(preview_id, preview)
    return done(message, url_for("invitations.import_preview", preview_id=preview_id),
                lambda: _preview_page(preview, preview_id, EmptyForm(formdata=None)))


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/nhap/<preview_id>/dong/<int:line>", methods=["GET", "POST"])
@roles(ORGANIZERS)
def import_row(preview_id: str, line: int):
    """Correct the cells of one row of a preview; the whole preview is checked again, without a new upload."""
    preview, gone = _stored_preview(preview_id)
    if gone:
        return gone
    row = preview.row(line)
    form = import_row_form(row.cells)
    page = lambda status: render("invitations/import_row.html", block="editor", preview=preview,  # noqa: E731
                                 preview_id=preview_id, row=row, form=form, status=status)
    if submitted(form, page):
        importing.correct_row(preview, line, form.values())
        importing.save_preview(preview_id, preview)
        row = preview.row(line)
        message = f"Đã sửa dòng {line}: " + ("hợp lệ." if row.ok else "vẫn còn lỗi, xem bên dưới.")
        return done(message, url_for("invitations.import_preview", preview_id=preview_id, _anchor=f"dong-{line}"),
                    lambda: _preview_page(preview, preview_id, EmptyForm(formdata=None)))
    return form_page()


# --- answers ---------------------------------------------------------------------------------------

@bp.route("/hoi-nghi/<int:conference_id>/tra-loi")
@roles(ORGANIZERS)
@tab("Trả lời", order=30)
def answers():
    """Every answer, filtered by group, agency, status, substitute and an accent-free search."""
    conference = g.conference
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
    return render("invitations/answers.html", block="results", filters=filters, pagination=pagination,
                  groups=list_groups(), agencies=services.invited_agencies(conference.id),
                  counts=services.answer_counts(conference.id), statuses=InvitationStatus)


@bp.route("/hoi-nghi/<int:conference_id>/tra-loi/danh-sach-dai-bieu.xlsx")
@roles(ORGANIZERS)
def export_delegates():
    """The danh sách đại biểu as Excel, sorted by agency group then given name."""
    conference = g.conference
    return download(services.delegate_list_xlsx(conference),
                    f"danh-sach-dai-bieu-{text.initials_slug(conference.title, 40)}.xlsx", XLSX)


# --- printed letters -------------------------------------------------------------------------------

def _batch() -> list:
    """Every letter of the list; an empty list is refused (there is nothing to print)."""
    items = letters.letters_for(g.conference)
    if not items:
        raise UserError("Danh sách chưa có khách mời nào để in giấy mời.")
    return items


HOST_SIDE = "Đây là người hoặc đơn vị của cơ quan chủ trì: không gửi giấy mời (giao nhiệm vụ ở Phân công)."


def _single(invitation_id: int) -> list:
    """The letter of one invitation; the host's own people get none (refused with the reason)."""
    in_conference(Invitation, invitation_id)
    items = letters.letters_for(g.conference, [invitation_id])
    if not items:
        raise UserError(HOST_SIDE)
    return items


def _letters_page(batch, single=None, status: int = 200, number_form=None, comrade_form=None):
    """The print page with the clerk's forms (number and signing day, "Đồng chí" groups) above the letters."""
    issued = batch.issued
    if number_form is None:
        number_form = LetterNumberForm(formdata=None, number=issued.number if issued else "",
                                       signed_on=issued.signed_on if issued else None)
    return render("invitations/letters.html", status=status, letters=batch.letters, single=single,
                  withheld=batch.withheld, warnings=batch.warnings, number_form=number_form,
                  comrade_form=comrade_form or comrade_groups_form())


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi")
@roles(ORGANIZERS)
def letter(invitation_id: int):
    """The giấy mời of one invitation, ready to print (A4); the host's own people get none."""
    in_conference(Invitation, invitation_id)
    batch = letters.letter_batch(g.conference, [invitation_id])
    if not batch.letters:
        return failed(HOST_SIDE, url_for("invitations.index"))
    return _letters_page(batch, single=batch.letters[0])


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi", endpoint="letters")
@roles(ORGANIZERS)
def letters_print():
    """Every giấy mời of the list, one per page, to print as a batch."""
    return _letters_page(letters.letter_batch(g.conference))


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi/so-ngay", methods=["POST"])
@roles(ORGANIZERS)
def letter_number():
    """Save the clerk's number and signing day of the giấy mời; every letter prints them."""
    form = LetterNumberForm()
    if submitted(form, lambda status: _letters_page(letters.letter_batch(g.conference), status=status,
                                                    number_form=form)):
        letters.save_letter_number(g.conference, form.number.data, form.signed_on.data, current_user.id)
        batch = letters.letter_batch(g.conference)
        message = "Đã lưu số và ngày ký của giấy mời."
        late = [w for w in batch.warnings if w.startswith("Ngày ký")]
        return done(" ".join([message, *late]), url_for("invitations.letters"),
                    category="warning" if late else "success")
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi/xung-ho", methods=["POST"])
@roles(ORGANIZERS)
def letter_salutation():
    """Choose the agency groups whose people the letters address as "Đồng chí"."""
    form = comrade_groups_form()
    if submitted(form, lambda status: _letters_page(letters.letter_batch(g.conference), status=status,
                                                    comrade_form=form)):
        letters.save_comrade_groups(form.group_ids.data or [])
        return done("Đã lưu cách xưng hô trên giấy mời.", url_for("invitations.letters"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi.docx")
@roles(ORGANIZERS)
def letter_docx(invitation_id: int):
    """One giấy mời as a Word document."""
    items = _single(invitation_id)
    return download(letters.letters_docx(items), f"giay-moi-{text.initials_slug(items[0].whom, 50)}.docx", DOCX)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/giay-moi.pdf")
@roles(ORGANIZERS)
def letter_pdf(invitation_id: int):
    """One giấy mời as PDF."""
    items = _single(invitation_id)
    return download(letters.letters_pdf(items), f"giay-moi-{text.initials_slug(items[0].whom, 50)}.pdf", PDF)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi.docx")
@roles(ORGANIZERS)
def letters_docx():
    """Every giấy mời of the list in one Word document."""
    return download(letters.letters_docx(_batch()), f"giay-moi-hoi-nghi-{g.conference.id}.docx", DOCX)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/giay-moi.pdf")
@roles(ORGANIZERS)
def letters_pdf():
    """Every giấy mời of the list in one PDF."""
    return download(letters.letters_pdf(_batch()), f"giay-moi-hoi-nghi-{g.conference.id}.pdf", PDF)


@bp.route("/hoi-nghi/<int:conference_id>/khach-moi/<int:invitation_id>/qr.png")
@roles(ORGANIZERS)
def rsvp_qr(invitation_id: int):
    """The QR image of an invitation's RSVP link (for letters, and to send by Zalo or SMS)."""
    invitation = in_conference(Invitation, invitation_id)
    return qr_response(services.rsvp_url(invitation), box_size=6, filename=f"qr-moi-{invitation.id}.png")
