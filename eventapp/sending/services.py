"""Sending invitations and reminders by email, and following what the mail worker did with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import render_template

from .. import audit, vntime
from ..errors import UserError
from ..extensions import db
from ..invitations.services import rsvp_url
from ..mail.outbox import queue_mail
from ..models import Conference, Invitation, InvitationStatus, MailStatus, OutboxMessage, utcnow
from ..rsvp.services import answer_deadline, contact_line

#: What Decision 45/2018/QĐ-TTg says about the time an invitation needs.
RULE_45 = ("Quyết định số 45/2018/QĐ-TTg: giấy mời phải được gửi đến người được mời ít nhất 03 ngày làm việc "
           "trước ngày tổ chức cuộc họp (trừ cuộc họp đột xuất, khẩn cấp).")
MIN_WORKING_DAYS = 3
PURPOSES = ("invitation", "reminder")


# --- the 3-working-day rule -------------------------------------------------------------------------------

@dataclass
class Timing:
    """How many working days remain before the conference, and whether sending now needs confirmation."""

    working_days: int
    conference_date: date

    @property
    def too_late(self) -> bool:
        return self.working_days < MIN_WORKING_DAYS

    @property
    def explanation(self) -> str:
        when = vntime.format_date(self.conference_date)
        if self.working_days <= 0:
            return f"Hội nghị họp ngày {when}: không còn ngày làm việc nào trước ngày họp."
        return f"Hội nghị họp ngày {when}: từ hôm nay chỉ còn {self.working_days} ngày làm việc trước ngày họp."


def timing(conference: Conference, today: date | None = None) -> Timing:
    """Working days between today and the conference date (Decision 45/2018: at least 3)."""
    today = today or vntime.today()
    conference_date = vntime.to_local(conference.starts_at).date()
    if conference_date <= today:
        return Timing(0, conference_date)
    return Timing(vntime.working_days_between(today, conference_date), conference_date)


# --- what can be sent -------------------------------------------------------------------------------------

def invitations(conference: Conference) -> list[Invitation]:
    """Every invitation of the conference, in the order of the list."""
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.conference_id == conference.id)
        .order_by(Invitation.position, Invitation.id)
    ))


def _selected(conference: Conference, ids: list[int] | None) -> list[Invitation]:
    query = sa.select(Invitation).where(Invitation.conference_id == conference.id)
    if ids is not None:
        if not ids:
            raise UserError("Chưa chọn giấy mời nào.")
        query = query.where(Invitation.id.in_(ids))
    return list(db.session.scalars(query.order_by(Invitation.position, Invitation.id)))


def unsent(conference: Conference) -> list[Invitation]:
    """Invitations with an email address that were never sent."""
    return [i for i in _selected(conference, None) if i.email and i.first_sent_at is None]


def pending_with_email(conference: Conference) -> list[Invitation]:
    """Invitations with an email address whose invitee has not answered."""
    return [i for i in _selected(conference, None) if i.email and i.status == InvitationStatus.PENDING]


# --- the mail -------------------------------------------------------------------------------------------

def _mail(invitation: Invitation, reminder: bool) -> tuple[str, str, str]:
    conference = invitation.conference
    context = {
        "invitation": invitation,
        "conference": conference,
        "link": rsvp_url(invitation),
        "deadline": answer_deadline(conference),
        "contact": contact_line(conference),
        "reminder": reminder,
    }
    prefix = "Nhắc xác nhận tham dự" if reminder else "Giấy mời"
    subject = f"{prefix}: {conference.title}"[:300]
    return (subject, render_template("sending/mail_invitation.txt", **context),
            render_template("sending/mail_invitation.html", **context))


def _queue(invitation: Invitation, purpose: str) -> OutboxMessage:
    subject, body_text, body_html = _mail(invitation, reminder=purpose == "reminder")
    return queue_mail(
        invitation.email, subject, body_text, body_html=body_html,
        to_name=invitation.invitee_name or (invitation.agency.name if invitation.agency else ""),
        purpose=purpose, conference_id=invitation.conference_id, invitation_id=invitation.id,
    )


def send_invitations(conference: Conference, ids: list[int] | None = None) -> int:
    """Queue the invitation mail: to every invitation with an address not yet sent, or to the selected ones
    (which may be sent again). One transaction with its audit entry; returns how many were queued."""
    if conference.is_cancelled:
        raise UserError("Hội nghị đã hủy; không gửi giấy mời.")
    chosen = unsent(conference) if ids is None else [i for i in _selected(conference, ids) if i.email]
    if not chosen:
        raise UserError("Không có giấy mời nào cần gửi: các khách mời có email đều đã được gửi."
                           if ids is None else "Các giấy mời đã chọn không có địa chỉ email.")
    now = utcnow()
    for invitation in chosen:
        _queue(invitation, "invitation")
        invitation.first_sent_at = invitation.first_sent_at or now
    audit.record("invitation.send", f"Gửi giấy mời qua email tới {len(chosen)} khách mời", conference_id=conference.id,
                 invitation_ids=[i.id for i in chosen])
    db.session.commit()
    return len(chosen)


def send_reminders(conference: Conference, ids: list[int] | None = None) -> int:
    """Queue a reminder to the invitees who have not answered (all of them, or those selected)."""
    if conference.is_cancelled:
        raise UserError("Hội nghị đã hủy; không gửi nhắc.")
    pool = pending_with_email(conference) if ids is None else _selected(conference, ids)
    chosen = [i for i in pool if i.email and i.status == InvitationStatus.PENDING]
    if not chosen:
        raise UserError("Không có khách mời nào cần nhắc: mọi khách mời có email đều đã trả lời.")
    now = utcnow()
    for invitation in chosen:
        _queue(invitation, "reminder")
        invitation.last_reminded_at = now
        invitation.reminder_count = (invitation.reminder_count or 0) + 1
        invitation.first_sent_at = invitation.first_sent_at or now
    audit.record("invitation.remind", f"Gửi nhắc trả lời tới {len(chosen)} khách mời chưa trả lời",
                 conference_id=conference.id, invitation_ids=[i.id for i in chosen])
    db.session.commit()
    return len(chosen)


# --- progress -------------------------------------------------------------------------------------------

@dataclass
class Progress:
    """The state of this conference's invitation and reminder mail."""

    counts: dict[str, int]
    failures: list[OutboxMessage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def in_flight(self) -> int:
        return self.counts[MailStatus.QUEUED.value] + self.counts[MailStatus.SENDING.value]

    @property
    def done(self) -> int:
        return self.counts[MailStatus.SENT.value] + self.counts[MailStatus.FAILED.value]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(conference: Conference) -> Progress:
    """Counts by status of the conference's invitation and reminder mail, and the failures with reasons."""
    scope = (OutboxMessage.conference_id == conference.id, OutboxMessage.purpose.in_(PURPOSES))
    counts = {s.value: 0 for s in MailStatus}
    counts.update(dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).where(*scope).group_by(OutboxMessage.status)
    ).all()))
    failures = list(db.session.scalars(
        sa.select(OutboxMessage).where(*scope, sa.or_(OutboxMessage.status == MailStatus.FAILED.value,
                                                      OutboxMessage.last_error != ""),
                                       OutboxMessage.status != MailStatus.SENT.value)
        .order_by(OutboxMessage.id.desc()).limit(20)
    ))
    return Progress(counts, failures)


def last_mail_by_invitation(conference: Conference) -> dict[int, sa.Row]:
    """The latest invitation or reminder mail of each invitation: (purpose, status, last_error, sent_at)."""
    rows = db.session.execute(
        sa.select(OutboxMessage.invitation_id, OutboxMessage.purpose, OutboxMessage.status,
                  OutboxMessage.last_error, OutboxMessage.sent_at)
        .where(OutboxMessage.conference_id == conference.id, OutboxMessage.invitation_id.is_not(None),
               OutboxMessage.purpose.in_(PURPOSES))
        .order_by(OutboxMessage.id)
    )
    return {row.invitation_id: row for row in rows}
