"""HTTP for papers: the organizer's list and detail, the speaker's page, downloads and the pack."""

from __future__ import annotations

from flask import abort, g, request, send_file, url_for
from flask_login import current_user

from .. import vntime
from ..access import ORGANIZERS, public, roles
from ..errors import UserError
from ..models import Paper, PaperStatus
from ..ratelimit import wrong_secret
from ..uploads import send_stored
from ..web import ERROR_MESSAGES, done, failed, form_page, render, submitted
from ..workspace import in_conference, tab
from . import bp, pack, services
from .forms import DeadlineForm, InviteSpeakerForm, ReviewForm, SpeakerUploadForm, WithdrawForm


def _invite_form() -> InviteSpeakerForm:
    form = InviteSpeakerForm()
    form.delegate_id.choices = [(0, "— Người mới (nhập bên dưới) —")] + [
        (d.id, f"{d.full_name}" + (f" — {d.position}" if d.position else "") + (f", {d.agency_name}" if d.agency_name else ""))
        for d in services.attending_delegates(g.conference.id)
    ]
    return form


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan")
@roles(ORGANIZERS)
@tab("Tham luận", order=35)
def index():
    """The papers of a conference with their state, speaker, deadline and latest version."""
    conference = g.conference
    filter_key = request.args.get("loc", "")
    filter_key = filter_key if filter_key in services.FILTERS else ""
    q = request.args.get("q", "")[:200]
    return render(
        "papers/index.html",
        block="results",
        papers=services.list_papers(conference.id, filter_key, q),
        counts=services.status_counts(conference.id),
        filters=services.FILTERS,
        filter_key=filter_key,
        q=q,
        now=vntime.utcnow(),
        due_reminders=len(services.papers_to_remind(3, conference.id)),
        services=services,
        pack=pack.pack_summary(conference),
    )


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/moi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def invite():
    """Invite a speaker; the mail with their personal link goes through the outbox."""
    form = _invite_form()
    if submitted(form, lambda status: render("papers/invite.html", form=form, status=status)):
        values = form.values()
        data = services.SpeakerData(
            topic=values["topic"],
            deadline=services.deadline_from(values["deadline_date"], values["deadline_time"]),
            delegate_id=values["delegate_id"] or None,
            speaker_name=values["speaker_name"],
            speaker_position=values["speaker_position"],
            speaker_agency=values["speaker_agency"],
            speaker_email=values["speaker_email"],
            speaker_phone=values["speaker_phone"],
            message=values["message"] or "",
        )
        paper = services.invite_speaker(g.conference, data, current_user)
        url = url_for("papers.detail", paper_id=paper.id)
        if paper.speaker_email:
            return done(f"Đã mời {paper.speaker_name}; thư mời đang chờ gửi tới {paper.speaker_email}.", url)
        return done(f"Đã mời {paper.speaker_name}. Chưa có email: hãy sao chép đường dẫn nộp bài và gửi cho tác giả.",
                    url, category="warning")
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>")
@roles(ORGANIZERS)
def detail(paper_id: int):
    """One paper: its versions, its history and the organizer's actions."""
    paper = in_conference(Paper, paper_id)
    deadline_form = DeadlineForm()
    local_deadline = vntime.to_local(paper.deadline)
    deadline_form.deadline_date.data, deadline_form.deadline_time.data = local_deadline.date(), local_deadline.time()
    return render("papers/detail.html", paper=paper, form=ReviewForm(), deadline_form=deadline_form,
                  link=services.speaker_link(paper), services=services, actions=services.ACTIONS,
                  now=vntime.utcnow())


def _detail_url(paper: Paper) -> str:
    return url_for("papers.detail", paper_id=paper.id)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/<any(accept, request_revision, decline, reopen):action>",
          methods=["POST"])
@roles(ORGANIZERS)
def review(paper_id: int, action: str):
    """Accept, request a revision, decline or reopen a paper."""
    paper = in_conference(Paper, paper_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return failed(form.error_text(), _detail_url(paper))
    services.change_status(paper, action, current_user, form.comment.data or "")
    return done(f"Tham luận của {paper.speaker_name}: {PaperStatus(paper.status).label.lower()}.", _detail_url(paper))


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/han-nop", methods=["POST"])
@roles(ORGANIZERS)
def deadline(paper_id: int):
    """Move a paper's deadline."""
    paper = in_conference(Paper, paper_id)
    form = DeadlineForm()
    if not form.validate_on_submit():
        return failed(form.error_text(), _detail_url(paper))
    services.extend_deadline(paper, services.deadline_from(form.deadline_date.data, form.deadline_time.data),
                             current_user)
    return done(f"Đã đổi hạn nộp thành {vntime.format_datetime(paper.deadline)}.", _detail_url(paper))


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/nhac", methods=["POST"])
@roles(ORGANIZERS)
def remind(paper_id: int):
    """Queue a reminder to one speaker."""
    paper = in_conference(Paper, paper_id)
    services.remind_one(paper)
    back = request.form.get("next", "")
    return done(f"Đã xếp thư nhắc tới {paper.speaker_email}.",
                back if back.startswith("/") and not back.startswith("//") else _detail_url(paper))


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/nhac-han", methods=["POST"])
@roles(ORGANIZERS)
def remind_all():
    """Remind every speaker whose deadline is within 3 days and who has not sent their paper."""
    papers = services.send_reminders(3, g.conference.id)
    if papers:
        return done(f"Đã xếp {len(papers)} thư nhắc hạn nộp tham luận.", url_for("papers.index"))
    return done("Không có tác giả nào cần nhắc lúc này (hạn còn trên 3 ngày, đã nộp, hoặc đã nhắc hôm nay).",
                url_for("papers.index"), category="info")


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/<int:paper_id>/tep/<int:file_id>")
@roles(ORGANIZERS)
def download(paper_id: int, file_id: int):
    """Download one version of a paper (organizers)."""
    return _send_version(in_conference(Paper, paper_id), file_id)


def _send_version(paper: Paper, file_id: int):
    record = next((f for f in paper.files if f.id == file_id), None)
    if record is None:
        abort(404)
    return send_stored(record.stored_name, record.original_name, record.content_type)


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/bo-tai-lieu.zip")
@roles(ORGANIZERS)
def documents_pack():
    """One ZIP of the accepted papers in agenda order, with an index page."""
    conference = g.conference
    name = f"Tai lieu hoi nghi - {conference.number_symbol or conference.id}.zip".replace("/", "-")
    return _attachment(pack.build_zip(conference), name, "application/zip")


@bp.route("/hoi-nghi/<int:conference_id>/tham-luan/tong-hop.pdf")
@roles(ORGANIZERS)
def merged_pdf():
    """The PDF papers merged into one file, in agenda order."""
    conference = g.conference
    buffer = pack.build_merged_pdf(conference)
    if buffer is None:
        raise UserError("Chưa có tham luận đã duyệt nào ở dạng PDF để ghép.")
    name = f"Tham luan - {conference.number_symbol or conference.id}.pdf".replace("/", "-")
    return _attachment(buffer, name, "application/pdf")


def _attachment(buffer, name: str, mimetype: str):
    response = send_file(buffer, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the speaker's page ---------------------------------------------------------------------------

def _speaker_paper_or_404(token: str) -> Paper:
    """The paper of a speaker link (never refused when it exists); a wrong one is a 404, counted, and a 429 for an
    address guessing too fast."""
    paper = services.paper_by_token(token)
    if paper is None:
        wait = wrong_secret("paper")
        if wait:
            abort(_retry_after(wait))
        abort(render("papers/not_found.html", status=404))
    return paper


def _retry_after(seconds: int):
    """The 429 page, saying when to try again."""
    response = render("errors/error.html", code=429, title=ERROR_MESSAGES[429][0], message=ERROR_MESSAGES[429][1],
                      status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/tham-luan/<token>", methods=["GET", "POST"])
@public
def speaker(token: str):
    """The speaker's own page (no account): title, summary, the file, earlier versions, withdraw."""
    paper = _speaker_paper_or_404(token)
    form = SpeakerUploadForm(obj=paper if request.method == "GET" else None)
    page = lambda status: render("papers/speaker.html", paper=paper, conference=paper.conference, form=form,  # noqa: E731
                                 withdraw_form=WithdrawForm(), open=services.is_open(paper),
                                 contact=services.contact_of(paper.conference), now=vntime.utcnow(), status=status)
    if not submitted(form, page):
        return form_page()
    if form.file.data and form.file.data.filename:
        record = services.submit_version(paper, form.file.data, form.title.data, form.summary.data or "")
        message = f"Đã nhận phiên bản {record.version} ({record.original_name}). Cảm ơn anh/chị!"
    else:
        services.update_details(paper, form.title.data, form.summary.data or "")
        message = "Đã lưu tên và tóm tắt tham luận."
    return done(message, url_for("papers.speaker", token=token))


@bp.route("/tham-luan/<token>/rut", methods=["POST"])
@public
def speaker_withdraw(token: str):
    """The speaker withdraws their paper."""
    paper = _speaker_paper_or_404(token)
    form = WithdrawForm()
    back = url_for("papers.speaker", token=token)
    if not form.validate_on_submit():
        return failed(form.error_text(), back)
    services.withdraw(paper, form.reason.data or "")
    return done("Đã rút tham luận. Ban tổ chức đã được ghi nhận.", back, category="info")


@bp.route("/tham-luan/<token>/tep/<int:file_id>")
@public
def speaker_download(token: str, file_id: int):
    """The speaker downloads one of their own versions."""
    return _send_version(_speaker_paper_or_404(token), file_id)
