"""HTTP for papers: the organizer's list and detail, the speaker's page, downloads and the pack."""

from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from .. import vntime
from ..access import ORGANIZERS, public, roles
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..models import Conference, PaperFile, PaperStatus
from ..ratelimit import record_token_miss, token_lookups_blocked
from ..uploads import UploadError, send_stored
from ..web import render
from . import bp, pack, services
from .forms import DeadlineForm, InviteSpeakerForm, ReviewForm, SpeakerUploadForm, WithdrawForm


def _errors_of(form) -> str:
    """The Vietnamese messages of a refused single-purpose form, for a flash."""
    messages = [m for errors in form.errors.values() for m in errors]
    return " ".join(messages) or "Dữ liệu gửi lên không hợp lệ; vui lòng thử lại."


def _paper_or_404(conference_id: int, paper_id: int):
    paper = services.get_paper(conference_id, paper_id)
    if paper is None:
        abort(404)
    return paper


def _invite_form(conference: Conference) -> InviteSpeakerForm:
    form = InviteSpeakerForm()
    form.delegate_id.choices = [(0, "— Người mới (nhập bên dưới) —")] + [
        (d.id, f"{d.full_name}" + (f" — {d.position}" if d.position else "") + (f", {d.agency_name}" if d.agency_name else ""))
        for d in services.attending_delegates(conference.id)
    ]
    return form


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan")
@roles(ORGANIZERS)
def index(conference_id: int):
    """The papers of a conference with their state, speaker, deadline and latest version."""
    conference = get_conference_or_404(conference_id)
    filter_key = request.args.get("loc", "")
    filter_key = filter_key if filter_key in services.FILTERS else ""
    q = request.args.get("q", "")[:200]
    return render(
        "papers/index.html",
        block="results",
        conference=conference,
        papers=services.list_papers(conference.id, filter_key, q),
        counts=services.status_counts(conference.id),
        filters=services.FILTERS,
        filter_key=filter_key,
        q=q,
        now=vntime.utcnow(),
        due_reminders=len(services.papers_to_remind(3, conference.id)),
        services=services,
    )


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/moi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def invite(conference_id: int):
    """Invite a speaker; the mail with their personal link goes through the outbox."""
    conference = get_conference_or_404(conference_id)
    form = _invite_form(conference)
    if form.validate_on_submit():
        data = services.SpeakerData(
            topic=form.topic.data,
            deadline=services.deadline_from(form.deadline_date.data, form.deadline_time.data),
            delegate_id=form.delegate_id.data or None,
            speaker_name=form.speaker_name.data,
            speaker_position=form.speaker_position.data,
            speaker_agency=form.speaker_agency.data,
            speaker_email=form.speaker_email.data,
            speaker_phone=form.speaker_phone.data,
            message=form.message.data or "",
        )
        try:
            paper = services.invite_speaker(conference, data, current_user)
        except services.PaperError as exc:
            db.session.rollback()
            target = form.deadline_date if str(exc).startswith("Hạn") else form.speaker_name
            target.errors.append(str(exc))
        else:
            if paper.speaker_email:
                flash(f"Đã mời {paper.speaker_name}; thư mời đang chờ gửi tới {paper.speaker_email}.", "success")
            else:
                flash(f"Đã mời {paper.speaker_name}. Chưa có email: hãy sao chép đường dẫn nộp bài và gửi cho tác giả.",
                      "warning")
            return redirect(url_for("papers.detail", conference_id=conference.id, paper_id=paper.id), 303)
    return render("papers/invite.html", conference=conference, form=form, status=422 if form.errors else 200)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>")
@roles(ORGANIZERS)
def detail(conference_id: int, paper_id: int):
    """One paper: its versions, its history and the organizer's actions."""
    conference = get_conference_or_404(conference_id)
    paper = _paper_or_404(conference.id, paper_id)
    deadline_form = DeadlineForm()
    local_deadline = vntime.to_local(paper.deadline)
    deadline_form.deadline_date.data, deadline_form.deadline_time.data = local_deadline.date(), local_deadline.time()
    return render("papers/detail.html", conference=conference, paper=paper, form=ReviewForm(),
                  deadline_form=deadline_form, link=services.speaker_link(paper), services=services,
                  actions=services.ACTIONS, now=vntime.utcnow())


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/<any(accept, request_revision, decline, reopen):action>",
          methods=["POST"])
@roles(ORGANIZERS)
def review(conference_id: int, paper_id: int, action: str):
    """Accept, request a revision, decline or reopen a paper."""
    paper = _paper_or_404(conference_id, paper_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_errors_of(form), "error")
    else:
        try:
            services.change_status(paper, action, current_user, form.comment.data or "")
        except services.PaperError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"Tham luận của {paper.speaker_name}: {PaperStatus(paper.status).label.lower()}.", "success")
    return redirect(url_for("papers.detail", conference_id=conference_id, paper_id=paper_id), 303)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/han-nop", methods=["POST"])
@roles(ORGANIZERS)
def deadline(conference_id: int, paper_id: int):
    """Move a paper's deadline."""
    paper = _paper_or_404(conference_id, paper_id)
    form = DeadlineForm()
    if not form.validate_on_submit():
        flash(_errors_of(form), "error")
    else:
        try:
            services.extend_deadline(paper, services.deadline_from(form.deadline_date.data, form.deadline_time.data),
                                     current_user)
        except services.PaperError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"Đã đổi hạn nộp thành {vntime.format_datetime(paper.deadline)}.", "success")
    return redirect(url_for("papers.detail", conference_id=conference_id, paper_id=paper_id), 303)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/nhac", methods=["POST"])
@roles(ORGANIZERS)
def remind(conference_id: int, paper_id: int):
    """Queue a reminder to one speaker."""
    paper = _paper_or_404(conference_id, paper_id)
    try:
        services.remind_one(paper)
    except services.PaperError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"Đã xếp thư nhắc tới {paper.speaker_email}.", "success")
    return redirect(request.form.get("next") or url_for("papers.detail", conference_id=conference_id,
                                                         paper_id=paper_id), 303)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/nhac-han", methods=["POST"])
@roles(ORGANIZERS)
def remind_all(conference_id: int):
    """Remind every speaker whose deadline is within 3 days and who has not sent their paper."""
    conference = get_conference_or_404(conference_id)
    papers = services.send_reminders(3, conference.id)
    if papers:
        flash(f"Đã xếp {len(papers)} thư nhắc hạn nộp tham luận.", "success")
    else:
        flash("Không có tác giả nào cần nhắc lúc này (hạn còn trên 3 ngày, đã nộp, hoặc đã nhắc hôm nay).", "info")
    return redirect(url_for("papers.index", conference_id=conference.id), 303)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/tep/<int:file_id>")
@roles(ORGANIZERS)
def download(conference_id: int, paper_id: int, file_id: int):
    """Download one version of a paper (organizers)."""
    paper = _paper_or_404(conference_id, paper_id)
    return _send_version(paper, file_id)


def _send_version(paper, file_id: int):
    record = db.session.get(PaperFile, file_id)
    if record is None or record.paper_id != paper.id:
        abort(404)
    return send_stored(record.stored_name, record.original_name, record.content_type)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/bo-tai-lieu.zip")
@roles(ORGANIZERS)
def documents_pack(conference_id: int):
    """One ZIP of the accepted papers in agenda order, with an index page."""
    conference = get_conference_or_404(conference_id)
    buffer = pack.build_zip(conference)
    name = f"Tai lieu hoi nghi - {conference.number_symbol or conference.id}.zip".replace("/", "-")
    return _attachment(buffer, name, "application/zip")


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/tong-hop.pdf")
@roles(ORGANIZERS)
def merged_pdf(conference_id: int):
    """The PDF papers merged into one file, in agenda order."""
    conference = get_conference_or_404(conference_id)
    buffer = pack.build_merged_pdf(conference)
    if buffer is None:
        flash("Chưa có tham luận đã duyệt nào ở dạng PDF để ghép.", "warning")
        return redirect(url_for("papers.index", conference_id=conference.id), 303)
    name = f"Tham luan - {conference.number_symbol or conference.id}.pdf".replace("/", "-")
    return _attachment(buffer, name, "application/pdf")


def _attachment(buffer, name: str, mimetype: str):
    response = send_file(buffer, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the speaker's page ---------------------------------------------------------------------------

def _speaker_paper_or_404(token: str):
    """The paper of a speaker link; an address that tries too many wrong links is refused for a while."""
    if token_lookups_blocked(request.remote_addr or "?"):
        abort(429)
    paper = services.paper_by_token(token)
    if paper is None:
        record_token_miss(request.remote_addr or "?")
        abort(render("papers/not_found.html", status=404))
    return paper


@bp.route("/tham-luan/<token>", methods=["GET", "POST"])
@public
def speaker(token: str):
    """The speaker's own page (no account): title, summary, the file, earlier versions, withdraw."""
    paper = _speaker_paper_or_404(token)
    form = SpeakerUploadForm(obj=paper if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            if form.file.data and form.file.data.filename:
                record = services.submit_version(paper, form.file.data, form.title.data, form.summary.data or "")
                flash(f"Đã nhận phiên bản {record.version} ({record.original_name}). Cảm ơn anh/chị!", "success")
            else:
                if not paper.files:
                    raise UploadError("Vui lòng chọn tệp tài liệu để gửi.")
                services.update_details(paper, form.title.data, form.summary.data or "")
                flash("Đã lưu tên và tóm tắt tham luận.", "success")
        except (UploadError, services.PaperError) as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(exc)]
            status = 422
        else:
            return redirect(url_for("papers.speaker", token=token), 303)
    elif form.errors:
        status = 422
    return render("papers/speaker.html", paper=paper, conference=paper.conference, form=form,
                  withdraw_form=WithdrawForm(), open=services.is_open(paper),
                  contact=services.contact_of(paper.conference), now=vntime.utcnow(), status=status)


@bp.route("/tham-luan/<token>/rut", methods=["POST"])
@public
def speaker_withdraw(token: str):
    """The speaker withdraws their paper."""
    paper = _speaker_paper_or_404(token)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw(paper, form.reason.data or "")
        except services.PaperError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash("Đã rút tham luận. Ban tổ chức đã được ghi nhận.", "info")
    else:
        flash(_errors_of(form), "error")
    return redirect(url_for("papers.speaker", token=token), 303)


@bp.route("/tham-luan/<token>/tep/<int:file_id>")
@public
def speaker_download(token: str, file_id: int):
    """The speaker downloads one of their own versions."""
    paper = _speaker_paper_or_404(token)
    return _send_version(paper, file_id)
