"""The verbs of papers: invite a speaker, receive a version, review, withdraw, remind.

Every change of a paper's state happens in one transaction with a PaperEvent (who, when, from → to) and an
audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from .. import audit, text, uploads, vntime
from ..errors import UserError
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Conference,
    Delegate,
    DelegateStatus,
    Paper,
    PaperEvent,
    PaperFile,
    PaperStatus,
    utcnow,
)
from ..uploads import UploadError
from ..web import host_agency, public_url

#: States in which the speaker may still send a version (until the deadline).
OPEN_STATES = {PaperStatus.INVITED, PaperStatus.SUBMITTED, PaperStatus.REVISION_REQUESTED}
#: States in which the speaker has not yet sent what is asked of them.
AWAITING_STATES = {PaperStatus.INVITED, PaperStatus.REVISION_REQUESTED}

#: Organizer actions: name → (allowed from, to, label of the audit entry).
ACTIONS = {
    "accept": ({PaperStatus.SUBMITTED, PaperStatus.REVISION_REQUESTED}, PaperStatus.ACCEPTED, "Duyệt tham luận"),
    "request_revision": ({PaperStatus.SUBMITTED, PaperStatus.ACCEPTED}, PaperStatus.REVISION_REQUESTED,
                         "Yêu cầu chỉnh sửa tham luận"),
    "decline": ({PaperStatus.INVITED, PaperStatus.SUBMITTED, PaperStatus.REVISION_REQUESTED, PaperStatus.ACCEPTED},
                PaperStatus.DECLINED, "Không sử dụng tham luận"),
    "reopen": ({PaperStatus.DECLINED, PaperStatus.WITHDRAWN}, PaperStatus.INVITED, "Mời viết lại tham luận"),
}


@dataclass
class SpeakerData:
    """Who is invited to speak and on what."""

    topic: str
    deadline: datetime
    delegate_id: int | None = None
    speaker_name: str = ""
    speaker_position: str = ""
    speaker_agency: str = ""
    speaker_email: str = ""
    speaker_phone: str = ""
    message: str = ""


# --- reading ----------------------------------------------------------------------------------------

def paper_by_token(token: str) -> Paper | None:
    """The paper of a speaker's link, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(Paper).where(Paper.token == token))


FILTERS = {
    "": "Tất cả",
    "cho-nop": "Chưa nộp",
    "qua-han": "Quá hạn",
    "can-xem": "Cần xem xét",
    "da-duyet": "Đã duyệt",
    "khong-dung": "Không sử dụng / rút",
}


def list_papers(conference_id: int, filter_key: str = "", q: str = "") -> list[Paper]:
    """Papers of a conference, filtered by state and by an accent-insensitive query, by deadline."""
    stmt = (
        sa.select(Paper)
        .where(Paper.conference_id == conference_id)
        .options(selectinload(Paper.files))
        .order_by(Paper.deadline, Paper.id)
    )
    now = utcnow()
    if filter_key == "cho-nop":
        stmt = stmt.where(Paper.status.in_([s.value for s in AWAITING_STATES]))
    elif filter_key == "qua-han":
        stmt = stmt.where(Paper.status.in_([s.value for s in AWAITING_STATES]), Paper.deadline < now)
    elif filter_key == "can-xem":
        stmt = stmt.where(Paper.status == PaperStatus.SUBMITTED.value)
    elif filter_key == "da-duyet":
        stmt = stmt.where(Paper.status == PaperStatus.ACCEPTED.value)
    elif filter_key == "khong-dung":
        stmt = stmt.where(Paper.status.in_([PaperStatus.DECLINED.value, PaperStatus.WITHDRAWN.value]))
    papers = list(db.session.scalars(stmt))
    terms = text.search_terms(q)
    if terms:
        # A conference has a handful of papers: matching in Python keeps the table free of a search column.
        def haystack(p: Paper) -> str:
            return text.search_key(p.speaker_name, p.speaker_agency, p.topic, p.title)

        papers = [p for p in papers if all(term in haystack(p) for term in terms)]
    return papers


def status_counts(conference_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Paper.status, sa.func.count()).where(Paper.conference_id == conference_id).group_by(Paper.status)
    ).all()
    return dict(rows)


def attending_delegates(conference_id: int) -> list[Delegate]:
    """Delegates of the conference who are coming, senior first, for the speaker picker."""
    delegates = db.session.scalars(
        sa.select(Delegate).where(
            Delegate.conference_id == conference_id,
            Delegate.status == DelegateStatus.ATTENDING.value,
            Delegate.erased_at.is_(None),
        )
    ).all()
    return sorted(delegates, key=lambda d: (d.precedence, text.vn_sort_key(d.full_name)))


def is_open(paper: Paper, now: datetime | None = None) -> bool:
    """True while the speaker may send a new version."""
    return paper.status in OPEN_STATES and (now or utcnow()) <= paper.deadline


def is_overdue(paper: Paper, now: datetime | None = None) -> bool:
    return paper.status in AWAITING_STATES and (now or utcnow()) > paper.deadline


def speaker_link(paper: Paper) -> str:
    """The absolute address of the speaker's page, for mails and the copy button."""
    return public_url("papers.speaker", token=paper.token)


def contact_of(conference: Conference) -> dict[str, str]:
    """Whom a speaker calls: the conference's contact point, else the host agency."""
    agency = host_agency()
    return {
        "name": conference.contact_name or (agency.name if agency else ""),
        "phone": conference.contact_phone or (agency.phone if agency else ""),
        "email": conference.contact_email or (agency.email if agency else ""),
    }


def deadline_from(day, at: time | None) -> datetime:
    """A deadline typed as a local date and time (17:00 when no time is given), in UTC."""
    return vntime.local_to_utc(datetime.combine(day, at or time(17, 0)))


# --- changing -------------------------------------------------------------------------------------

def _event(paper: Paper, from_status: str | None, to_status: str, comment: str = "", user=None,
           actor: str | None = None) -> PaperEvent:
    event = PaperEvent(
        paper=paper,
        user_id=user.id if user is not None else None,
        actor=(actor or (user.full_name if user is not None else paper.speaker_name))[:120],
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        at=utcnow(),
    )
    db.session.add(event)
    return event


def invite_speaker(conference: Conference, data: SpeakerData, user) -> Paper:
    """Invite a speaker to contribute a paper and queue the invitation mail, in one transaction."""
    if data.deadline <= utcnow():
        raise UserError("Hạn nộp phải sau thời điểm hiện tại.", field="deadline_date")
    paper = Paper(conference_id=conference.id, topic=text.nfc(data.topic), deadline=data.deadline,
                  status=PaperStatus.INVITED.value)
    if data.delegate_id:
        delegate = db.session.get(Delegate, data.delegate_id)
        if delegate is None or delegate.conference_id != conference.id or delegate.status != DelegateStatus.ATTENDING:
            raise UserError("Đại biểu đã chọn không có trong danh sách tham dự hội nghị này.", field="delegate_id")
        paper.delegate_id = delegate.id
        paper.speaker_name = delegate.full_name
        paper.speaker_position = data.speaker_position or delegate.position
        paper.speaker_agency = data.speaker_agency or delegate.agency_name
        paper.speaker_email = data.speaker_email or delegate.email
        paper.speaker_phone = data.speaker_phone or delegate.phone
    else:
        if not data.speaker_name:
            raise UserError("Vui lòng chọn một đại biểu hoặc nhập họ tên người viết tham luận.", field="speaker_name")
        paper.speaker_name = text.nfc(data.speaker_name)
        paper.speaker_position = text.nfc(data.speaker_position)
        paper.speaker_agency = text.nfc(data.speaker_agency)
        paper.speaker_email = data.speaker_email
        paper.speaker_phone = data.speaker_phone
    db.session.add(paper)
    db.session.flush()
    _event(paper, None, PaperStatus.INVITED.value, data.message, user=user)
    audit.record("paper.invite", f"Mời {paper.speaker_name} viết tham luận «{paper.topic}»", entity=paper,
                 conference_id=conference.id, deadline=vntime.format_datetime(paper.deadline))
    if paper.speaker_email:
        _queue_paper_mail(paper, "invite", note=data.message)
    db.session.commit()
    return paper


def _queue_paper_mail(paper: Paper, kind: str, note: str = "") -> None:
    """Queue the invitation, reminder or revision mail of a paper (purpose "paper")."""
    conference = paper.conference or db.session.get(Conference, paper.conference_id)
    subjects = {
        "invite": "Mời viết tham luận: {topic}",
        "remind": "Nhắc hạn nộp tham luận: {topic}",
        "revision": "Đề nghị chỉnh sửa tham luận: {topic}",
    }
    context = {
        "paper": paper,
        "conference": conference,
        "kind": kind,
        "note": note,
        "link": speaker_link(paper),
        "contact": contact_of(conference),
    }
    queue_mail(
        paper.speaker_email,
        subjects[kind].format(topic=paper.topic)[:300],
        render_template("papers/mail.txt", **context),
        body_html=render_template("papers/mail.html", **context),
        to_name=paper.speaker_name,
        purpose="paper",
        conference_id=paper.conference_id,
        paper_id=paper.id,
    )


def change_status(paper: Paper, action: str, user, comment: str = "") -> None:
    """Accept, request a revision (the comment is shown to the speaker), decline or reopen a paper."""
    allowed, to_status, label = ACTIONS[action]
    if paper.status not in allowed:
        raise UserError(
            f"Không thể «{label.lower()}» khi tham luận đang ở trạng thái «{PaperStatus(paper.status).label}»."
        )
    comment = text.nfc_block(comment or "")
    if action == "request_revision" and not comment:
        raise UserError("Vui lòng ghi rõ nội dung cần chỉnh sửa để tác giả biết.")
    if action == "accept" and not paper.files:
        raise UserError("Tham luận chưa có tệp nào nên chưa thể duyệt.")
    from_status = paper.status
    paper.status = to_status.value
    if action == "request_revision":
        paper.organizer_comment = comment
        if paper.deadline <= utcnow():
            paper.deadline = utcnow() + timedelta(days=3)
    elif action == "reopen" and paper.deadline <= utcnow():
        paper.deadline = utcnow() + timedelta(days=7)
    _event(paper, from_status, to_status.value, comment, user=user)
    audit.record(f"paper.{action}", f"{label} «{paper.title or paper.topic}» của {paper.speaker_name}",
                 entity=paper, from_status=from_status, to_status=to_status.value, comment=comment)
    if action == "request_revision" and paper.speaker_email:
        _queue_paper_mail(paper, "revision", note=comment)
    db.session.commit()


def extend_deadline(paper: Paper, deadline: datetime, user) -> None:
    """Move the deadline (logged as an event that keeps the state)."""
    if deadline <= utcnow():
        raise UserError("Hạn mới phải sau thời điểm hiện tại.", field="deadline_date")
    old = paper.deadline
    paper.deadline = deadline
    _event(paper, paper.status, paper.status, f"Đổi hạn nộp: {vntime.format_datetime(old)} → "
           f"{vntime.format_datetime(deadline)}", user=user)
    audit.record("paper.deadline", f"Đổi hạn nộp tham luận của {paper.speaker_name}", entity=paper,
                 old=vntime.format_datetime(old), new=vntime.format_datetime(deadline))
    db.session.commit()


def submit_version(paper: Paper, file_storage, title: str, summary: str) -> PaperFile:
    """The speaker sends a (new) version: the file is checked and stored, the paper becomes "submitted".

    The file and its row are saved together: if the database refuses, the stored file is removed.
    """
    if not is_open(paper):
        raise UserError(_closed_message(paper))
    stored = uploads.save_upload(file_storage)
    try:
        version = (paper.files[-1].version + 1) if paper.files else 1
        record = PaperFile(paper=paper, version=version, original_name=stored.original_name,
                           stored_name=stored.stored_name, content_type=stored.content_type,
                           size_bytes=stored.size_bytes, sha256=stored.sha256, uploaded_at=utcnow())
        db.session.add(record)
        paper.title = text.nfc(title)[:500]
        paper.summary = text.nfc_block(summary)[:20000]
        from_status = paper.status
        paper.status = PaperStatus.SUBMITTED.value
        paper.submitted_at = utcnow()
        _event(paper, from_status, paper.status, f"Gửi phiên bản {version}: {stored.original_name}",
               actor=paper.speaker_name)
        audit.record("paper.submit", f"{paper.speaker_name} gửi tham luận «{paper.title}» (phiên bản {version})",
                     entity=paper, actor=paper.speaker_name, version=version, sha256=stored.sha256)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        uploads.discard(stored.stored_name)
        raise
    return record


def update_details(paper: Paper, title: str, summary: str) -> None:
    """The speaker corrects the title or summary without a new file (once a file was sent)."""
    if not is_open(paper):
        raise UserError(_closed_message(paper))
    if not paper.files:
        raise UploadError("Vui lòng chọn tệp tài liệu để gửi.")
    paper.title = text.nfc(title)[:500]
    paper.summary = text.nfc_block(summary)[:20000]
    db.session.commit()


def withdraw(paper: Paper, reason: str) -> None:
    """The speaker withdraws their paper (before the conference starts)."""
    if paper.status in {PaperStatus.WITHDRAWN, PaperStatus.DECLINED}:
        raise UserError("Tham luận này đã được rút hoặc không sử dụng.")
    conference = paper.conference
    if conference is not None and utcnow() >= conference.starts_at:
        raise UserError("Hội nghị đã bắt đầu; vui lòng liên hệ ban tổ chức nếu cần rút tham luận.")
    from_status = paper.status
    paper.status = PaperStatus.WITHDRAWN.value
    reason = text.nfc_block(reason or "")[:2000]
    _event(paper, from_status, paper.status, reason, actor=paper.speaker_name)
    audit.record("paper.withdraw", f"{paper.speaker_name} rút tham luận «{paper.title or paper.topic}»",
                 entity=paper, actor=paper.speaker_name, reason=reason)
    db.session.commit()


def _closed_message(paper: Paper) -> str:
    if paper.status == PaperStatus.ACCEPTED:
        return "Tham luận đã được duyệt nên không nhận thêm phiên bản mới."
    if paper.status in {PaperStatus.DECLINED, PaperStatus.WITHDRAWN}:
        return "Tham luận này không còn nhận tệp."
    return "Đã hết hạn nộp tham luận."


# --- reminders ------------------------------------------------------------------------------------

def papers_to_remind(within_days: int = 3, conference_id: int | None = None, now: datetime | None = None) -> list[Paper]:
    """Speakers still owing a paper whose deadline falls within ``within_days`` and who were not reminded today."""
    now = now or utcnow()
    stmt = sa.select(Paper).where(
        Paper.status.in_([s.value for s in AWAITING_STATES]),
        Paper.deadline > now,
        Paper.deadline <= now + timedelta(days=within_days),
        Paper.speaker_email != "",
    )
    if conference_id is not None:
        stmt = stmt.where(Paper.conference_id == conference_id)
    today = vntime.to_local(now).date()
    return [
        p for p in db.session.scalars(stmt.order_by(Paper.deadline, Paper.id))
        if p.last_reminded_at is None or vntime.to_local(p.last_reminded_at).date() < today
    ]


def send_reminders(within_days: int = 3, conference_id: int | None = None, now: datetime | None = None) -> list[Paper]:
    """Queue a reminder to each speaker due one (never twice the same day); one transaction."""
    now = now or utcnow()
    papers = papers_to_remind(within_days, conference_id, now)
    for paper in papers:
        _queue_paper_mail(paper, "remind")
        paper.last_reminded_at = now
        audit.record("paper.remind", f"Nhắc {paper.speaker_name} nộp tham luận «{paper.topic}»", entity=paper,
                     deadline=vntime.format_datetime(paper.deadline))
    db.session.commit()
    return papers


def remind_one(paper: Paper) -> None:
    """The organizer's button: remind one speaker now (once a day)."""
    if paper.status not in AWAITING_STATES:
        raise UserError("Chỉ nhắc được tác giả chưa nộp hoặc đang được yêu cầu chỉnh sửa.")
    if not paper.speaker_email:
        raise UserError("Tác giả chưa có địa chỉ email; hãy sao chép đường dẫn và gửi qua điện thoại.")
    if paper.last_reminded_at and vntime.to_local(paper.last_reminded_at).date() == vntime.today():
        raise UserError("Hôm nay đã nhắc tác giả này rồi.")
    _queue_paper_mail(paper, "remind")
    paper.last_reminded_at = utcnow()
    audit.record("paper.remind", f"Nhắc {paper.speaker_name} nộp tham luận «{paper.topic}»", entity=paper)
    db.session.commit()
