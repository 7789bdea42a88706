"""Personal data (Decree 13/2023/NĐ-CP): a delegate's data exported or erased on request, secrets regenerated,
and personal data of old conferences removed after the host agency's retention period."""

from __future__ import annotations

import calendar
from datetime import datetime

import sqlalchemy as sa

from . import audit, vntime
from .extensions import db
from .models import (
    Attendance,
    AuditEntry,
    CheckIn,
    Conference,
    Delegate,
    HostAgency,
    Invitation,
    InvitationKind,
    MailStatus,
    OutboxMessage,
    Paper,
    Scan,
    Speaker,
    new_token,
    utcnow,
)
from .passes import new_pass_code

ERASED = "Đã xóa theo yêu cầu"
PURGED = "Đã xóa (hết thời hạn lưu trữ)"


#: Mail whose recipient was erased is never sent; what was sent stays "sent".
_UNSENDABLE = sa.case((OutboxMessage.status == MailStatus.SENT.value, MailStatus.SENT.value),
                      else_=MailStatus.FAILED.value)


def export_delegate(delegate: Delegate) -> dict:
    """Everything eventapp holds about one delegate, as a JSON-ready dict (the data subject's copy)."""
    invitation = delegate.invitation
    checkins = db.session.scalars(sa.select(CheckIn).where(CheckIn.delegate_id == delegate.id)).all()
    papers = db.session.scalars(sa.select(Paper).where(Paper.delegate_id == delegate.id)).all()
    conference = delegate.conference
    return {
        "exported_at": utcnow().isoformat(),
        "conference": {"id": conference.id, "title": conference.title, "starts_at": conference.starts_at.isoformat()},
        "delegate": {
            "id": delegate.id,
            "kind": delegate.kind,
            "full_name": delegate.full_name,
            "position": delegate.position,
            "agency_name": delegate.agency_name,
            "email": delegate.email,
            "phone": delegate.phone,
            "replaces_name": delegate.replaces_name,
            "status": delegate.status,
            "created_at": delegate.created_at.isoformat() if delegate.created_at else None,
            "erased_at": delegate.erased_at.isoformat() if delegate.erased_at else None,
        },
        "invitation": None
        if invitation is None
        else {
            "id": invitation.id,
            "addressee": invitation.addressee,
            "invitee_name": invitation.invitee_name,
            "invitee_position": invitation.invitee_position,
            "email": invitation.email,
            "phone": invitation.phone,
            "status": invitation.status,
            "decline_reason": invitation.decline_reason,
            "responded_at": invitation.responded_at.isoformat() if invitation.responded_at else None,
        },
        "checkins": [
            {"checked_in_at": c.checked_in_at.isoformat(), "method": c.method,
             "undone_at": c.undone_at.isoformat() if c.undone_at else None}
            for c in checkins
        ],
        "papers": [
            {"id": p.id, "topic": p.topic, "title": p.title, "status": p.status, "speaker_name": p.speaker_name,
             "speaker_email": p.speaker_email, "speaker_phone": p.speaker_phone}
            for p in papers
        ],
        "speaking": [
            {"topic": s.topic, "requested_at": s.requested_at.isoformat(),
             "started_at": s.started_at.isoformat() if s.started_at else None}
            for s in db.session.scalars(sa.select(Speaker).where(Speaker.delegate_id == delegate.id))
        ],
        "attendance": [
            {"day": a.day.isoformat(), "status": a.status, "reason": a.reason, "substitute_name": a.substitute_name}
            for a in db.session.scalars(sa.select(Attendance).where(Attendance.delegate_id == delegate.id))
        ],
    }


def export_on_request(delegate: Delegate) -> dict:
    """The delegate's personal data, handed over at their request: the export is logged."""
    data = export_delegate(delegate)
    audit.record("privacy.export", f"Xuất dữ liệu cá nhân của đại biểu #{delegate.id}.", entity=delegate)
    db.session.commit()
    return data


def _scrub_audit(conference_id: int, names: list[str], marker: str) -> None:
    """Replace a person's name in the audit entries of their conference (the entries themselves stay)."""
    names = [n for n in names if n and len(n) >= 3 and n not in (ERASED, PURGED)]
    if not names:
        return
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.conference_id == conference_id)).all()
    for entry in entries:
        for name in names:
            if name in entry.summary:
                entry.summary = entry.summary.replace(name, marker)
            if name in entry.details_json:
                entry.details_json = entry.details_json.replace(name, marker)


def _erase_delegate_fields(delegate: Delegate, marker: str, now: datetime) -> list[str]:
    """Blank one delegate's personal fields; returns the names removed. The row stays as a count."""
    names = [delegate.full_name, delegate.replaces_name]
    contacts = [delegate.email, delegate.phone]
    delegate.full_name = marker
    delegate.position = ""
    delegate.email = ""
    delegate.phone = ""
    delegate.replaces_name = ""
    delegate.search_text = ""
    delegate.erased_at = now
    # The printed pass would otherwise still open a page or a desk lookup for this row.
    delegate.pass_code = new_pass_code()
    db.session.execute(sa.update(Scan).where(Scan.delegate_id == delegate.id).values(code=""))
    db.session.execute(sa.update(Speaker).where(Speaker.delegate_id == delegate.id).values(topic=""))
    db.session.execute(sa.update(Attendance).where(Attendance.delegate_id == delegate.id)
                       .values(reason=sa.case((Attendance.reason != "", marker), else_=""),
                               substitute_name=sa.case((Attendance.substitute_name != "", marker), else_="")))
    for paper in db.session.scalars(sa.select(Paper).where(Paper.delegate_id == delegate.id)):
        names.append(paper.speaker_name)
        paper.speaker_name = marker
        paper.speaker_email = ""
        paper.speaker_phone = ""
    invitation = delegate.invitation
    if invitation is not None and invitation.kind == InvitationKind.PERSON and invitation.invitee_name in names:
        names.append(invitation.invitee_name)
        contacts += [invitation.email, invitation.phone]
        invitation.invitee_name = marker
        invitation.invitee_position = ""
        invitation.email = ""
        invitation.phone = ""
        invitation.search_text = ""
    addresses = [c for c in contacts if c and "@" in c]
    if addresses:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.to_addr.in_(addresses), OutboxMessage.conference_id == delegate.conference_id)
            .values(to_addr="", to_name="", body_text="", body_html=None, status=_UNSENDABLE)
        )
    return names


def erase_delegate(delegate: Delegate, reason: str = "") -> None:
    """Erase a delegate's personal data on request; the row (and the invitation's answer) stays as a count."""
    if delegate.erased_at is not None:
        return
    names = _erase_delegate_fields(delegate, ERASED, utcnow())
    _scrub_audit(delegate.conference_id, names, ERASED)
    audit.record(
        "privacy.erase",
        f"Xóa dữ liệu cá nhân của một đại biểu theo yêu cầu (mã đại biểu {delegate.id}).",
        entity=delegate,
        reason=reason[:500],
    )
    db.session.commit()


def regenerate_rsvp_token(invitation: Invitation) -> str:
    """A new secret for the invitation's RSVP link; the old link stops working at once. Logged."""
    invitation.rsvp_token = new_token()
    audit.record(
        "invitation.regenerate_link",
        f"Cấp lại đường liên kết xác nhận của thư mời #{invitation.id}; liên kết cũ hết hiệu lực.",
        entity=invitation,
    )
    db.session.commit()
    return invitation.rsvp_token


def regenerate_pass_code(delegate: Delegate) -> str:
    """A new pass code (QR) for the delegate; the old pass is refused at the desk from now on. Logged."""
    delegate.pass_code = new_pass_code()
    audit.record(
        "delegate.regenerate_pass",
        f"Cấp lại thẻ đại biểu (mã QR) cho đại biểu #{delegate.id}; thẻ cũ hết hiệu lực.",
        entity=delegate,
    )
    db.session.commit()
    return delegate.pass_code


def regenerate_paper_token(paper: Paper) -> str:
    """A new secret for a speaker's upload link; the old link stops working at once. Logged."""
    paper.token = new_token()
    audit.record(
        "paper.regenerate_link",
        f"Cấp lại đường liên kết nộp tham luận #{paper.id}; liên kết cũ hết hiệu lực.",
        entity=paper,
    )
    db.session.commit()
    return paper.token


def subtract_months(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months (the day clipped to the target month's length)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge_personal_data(months: int | None = None, now: datetime | None = None) -> dict:
    """Remove personal data of conferences that ended more than ``months`` ago (default: the host agency's
    retention setting). Counts of delegates, answers and check-ins stay. Returns what was done."""
    now = now or utcnow()
    if months is None:
        host = db.session.scalar(sa.select(HostAgency).limit(1))
        months = host.retention_months if host else None
    if not months or months <= 0:
        return {"months": None, "cutoff": None, "conferences": 0, "delegates": 0, "invitations": 0, "papers": 0,
                "scans": 0}
    cutoff = subtract_months(now, months)
    conference_ids = db.session.scalars(sa.select(Conference.id).where(Conference.ends_at < cutoff)).all()
    counts = {"months": months, "cutoff": vntime.format_date(cutoff), "conferences": 0, "delegates": 0,
              "invitations": 0, "papers": 0, "scans": 0}
    for conference_id in conference_ids:
        names: list[str] = []
        delegates = db.session.scalars(
            sa.select(Delegate).where(Delegate.conference_id == conference_id, Delegate.erased_at.is_(None))
        ).all()
        for delegate in delegates:
            names += _erase_delegate_fields(delegate, PURGED, now)
        invitations = db.session.scalars(
            sa.select(Invitation).where(
                Invitation.conference_id == conference_id,
                sa.or_(Invitation.email != "", Invitation.phone != "",
                       sa.and_(Invitation.kind == InvitationKind.PERSON.value, Invitation.invitee_name != PURGED)),
            )
        ).all()
        for invitation in invitations:
            invitation.email = ""
            invitation.phone = ""
            if invitation.kind == InvitationKind.PERSON:
                names.append(invitation.invitee_name)
                invitation.invitee_name = PURGED
                invitation.invitee_position = ""
                invitation.search_text = ""
        papers = db.session.scalars(
            sa.select(Paper).where(
                Paper.conference_id == conference_id,
                sa.or_(Paper.speaker_email != "", Paper.speaker_phone != ""),
            )
        ).all()
        for paper in papers:
            paper.speaker_email = ""
            paper.speaker_phone = ""
        scans = db.session.execute(
            sa.update(Scan).where(Scan.conference_id == conference_id, Scan.code != "").values(code="")
        ).rowcount
        names += db.session.scalars(sa.select(Speaker.name).where(Speaker.conference_id == conference_id,
                                                                 Speaker.name != "")).all()
        db.session.execute(sa.update(Speaker).where(Speaker.conference_id == conference_id, Speaker.name != "")
                           .values(name=PURGED, agency_name=""))
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.conference_id == conference_id, OutboxMessage.to_addr != "")
            .values(to_addr="", to_name="", body_text="", body_html=None, status=_UNSENDABLE)
        )
        _scrub_audit(conference_id, names, PURGED)
        if delegates or invitations or papers or scans:
            counts["conferences"] += 1
        counts["delegates"] += len(delegates)
        counts["invitations"] += len(invitations)
        counts["papers"] += len(papers)
        counts["scans"] += scans or 0
    audit.record(
        "privacy.purge",
        f"Xóa dữ liệu cá nhân của {counts['conferences']} hội nghị kết thúc trước {counts['cutoff']} "
        f"(thời hạn lưu trữ {months} tháng): {counts['delegates']} đại biểu, {counts['invitations']} thư mời, "
        f"{counts['papers']} tham luận, {counts['scans']} lượt quét.",
        **counts,
    )
    return counts
