"""Sending invitations and reminders by email, and following what the mail worker did with them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db, take_write_lock
from ..invitations.services import ListFilters, filtered_invitations, rsvp_url
from ..mail import wording
from ..mail.outbox import queue_mail
from ..models import (
    Agency,
    Conference,
    Invitation,
    InvitationStatus,
    MailStatus,
    MailWording,
    OutboxMessage,
    SendBatch,
    User,
    utcnow,
)
from ..rsvp.services import Answer, answer_deadline, contact_line, submit_answer
from ..web import public_url

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
    today: date

    @property
    def past(self) -> bool:
        """The conference has already taken place."""
        return self.conference_date < self.today

    @property
    def too_late(self) -> bool:
        return self.working_days < MIN_WORKING_DAYS

    @property
    def explanation(self) -> str:
        when = vntime.format_date(self.conference_date)
        if self.past:
            return f"Hội nghị đã diễn ra ngày {when}."
        if self.conference_date == self.today:
            return f"Hội nghị họp hôm nay, ngày {when}."
        if self.working_days <= 0:
            return f"Hội nghị họp ngày {when}: không còn ngày làm việc nào trước ngày họp."
        return f"Hội nghị họp ngày {when}: từ hôm nay chỉ còn {self.working_days} ngày làm việc trước ngày họp."


def timing(conference: Conference, today: date | None = None) -> Timing:
    """Working days between today and the conference date (Decision 45/2018: at least 3)."""
    today = today or vntime.today()
    conference_date = vntime.to_local(conference.starts_at).date()
    if conference_date <= today:
        return Timing(0, conference_date, today)
    return Timing(vntime.working_days_between(today, conference_date), conference_date, today)


# --- what can be sent -------------------------------------------------------------------------------------

def invitations(conference: Conference, filters: ListFilters | None = None) -> list[Invitation]:
    """The invitations of the conference in the order of the list, or those ``filters`` pick in their order."""
    if filters is not None:
        return filtered_invitations(conference.id, filters)
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


# --- the mail -------------------------------------------------------------------------------------------

def mail_values(invitation: Invitation) -> dict[str, str]:
    """The placeholders of an invitation's mail (eventapp.mail.wording)."""
    conference = invitation.conference
    if invitation.kind == "agency":
        whom = invitation.role_text or "đại diện lãnh đạo"
        if invitation.invitee_name:
            whom = ", ".join(p for p in (f"đồng chí {invitation.invitee_name}", invitation.invitee_position) if p)
        whom += " quý cơ quan" + (f" ({invitation.seats:02d} người)" if invitation.seats > 1 else "")
        answer = "xác nhận tham dự và cho biết họ tên người dự"
    else:
        whom, answer = invitation.invitee_name, "xác nhận tham dự, hoặc cho biết người đi thay,"
    return wording.conference_values(conference, contact_line(conference)) | {
        "kinh_gui": invitation.addressee,
        "moi_ai": whom,
        "quy_vi": "quý cơ quan" if invitation.kind == "agency" else "anh/chị",
        "xac_nhan": answer,
        "han_tra_loi": wording.deadline_phrase(answer_deadline(conference)),
        "lien_ket": rsvp_url(invitation),
    }


def _queue(invitation: Invitation, purpose: str) -> OutboxMessage:
    subject, body_text, body_html = wording.render(invitation.conference_id, purpose, mail_values(invitation))
    return queue_mail(
        invitation.email, subject, body_text, body_html=body_html,
        to_name=invitation.invitee_name or (invitation.agency.name if invitation.agency else ""),
        purpose=purpose, conference_id=invitation.conference_id, invitation_id=invitation.id,
    )


#: A reminder to the same invitation within this time needs an explicit choice.
REMIND_AGAIN_AFTER = timedelta(hours=24)
_ACTIONS = {"invitation": "gửi giấy mời", "reminder": "gửi nhắc"}


@dataclass
class Plan:
    """What a click on a sending button would do, for its confirmation: the invitations that get a mail and,
    for reminders, those reminded less than a day ago (left out unless the organizer chooses them too)."""

    purpose: str
    chosen: list[Invitation]
    recent: list[Invitation] = field(default_factory=list)
    without_email: int = 0
    #: The key of the confirmation form: posting it twice queues nothing the second time.
    key: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def count(self) -> int:
        return len(self.chosen)

    @property
    def last_reminded(self) -> datetime | None:
        return max((i.last_reminded_at for i in self.recent), default=None)


def _recently_reminded(invitation: Invitation, now: datetime) -> bool:
    return invitation.last_reminded_at is not None and invitation.last_reminded_at > now - REMIND_AGAIN_AFTER


def plan(conference: Conference, purpose: str, ids: list[int] | None = None) -> Plan:
    """Who a sending would reach: invitations never sent (or those selected), or the pending ones to remind."""
    if conference.is_cancelled:
        raise UserError(f"Hội nghị đã hủy; không {_ACTIONS[purpose]}.")
    pool = _selected(conference, ids)
    if purpose == "invitation":
        chosen = [i for i in pool if i.email and (ids is not None or i.first_sent_at is None)]
        if not chosen:
            raise UserError("Không có giấy mời nào cần gửi: các khách mời có email đều đã được gửi."
                            if ids is None else "Các giấy mời đã chọn không có địa chỉ email.")
        return Plan(purpose, chosen, without_email=sum(1 for i in pool if not i.email))
    pending = [i for i in pool if i.status == InvitationStatus.PENDING]
    chosen = [i for i in pending if i.email]
    if not chosen:
        raise UserError("Không có khách mời nào cần nhắc: mọi khách mời có email đều đã trả lời.")
    now = utcnow()
    return Plan(purpose, [i for i in chosen if not _recently_reminded(i, now)],
                [i for i in chosen if _recently_reminded(i, now)], sum(1 for i in pending if not i.email))


def _claim_key(conference: Conference, purpose: str, key: str, user_id: int | None) -> None:
    """The batch of this confirmation form, or UserError when the same form was already posted (a double click:
    the unique key makes the second insert fail, after waiting for the first on PostgreSQL)."""
    if not key or len(key) > 64:
        raise UserError("Biểu mẫu gửi thư không hợp lệ; vui lòng bấm nút gửi lại từ đầu.")
    take_write_lock()
    batch = SendBatch(conference_id=conference.id, key=key, purpose=purpose, user_id=user_id)
    db.session.add(batch)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise UserError(already_sent_message(key)) from None


def already_sent_message(key: str) -> str:
    """What a second post of the same confirmation form is told."""
    batch = db.session.scalar(sa.select(SendBatch).where(SendBatch.key == key))
    if batch is None:
        return "Thư đã được đưa vào hàng đợi; không gửi lại."
    what = "giấy mời" if batch.purpose == "invitation" else "thư nhắc"
    return (f"Đã đưa {batch.count} {what} vào hàng đợi lúc {_when(batch.created_at)}; "
            "lần bấm thứ hai không gửi thêm thư nào.")


def _when(moment: datetime) -> str:
    """"09:12" today, "09:12 ngày 14/12/2026" another day."""
    local = vntime.to_local(moment)
    if local.date() == vntime.today():
        return vntime.format_time(moment)
    return f"{vntime.format_time(moment)} ngày {vntime.format_date(moment)}"


def send(conference: Conference, purpose: str, ids: list[int] | None, key: str, *, again: bool = False,
         user_id: int | None = None) -> int:
    """Queue the invitation or reminder mail that :func:`plan` showed, once per confirmation form (``key``), in
    one transaction with its audit entry; returns how many were queued.

    Each invitation is claimed by a conditional UPDATE, so two sendings at once (two tabs) never mail one
    invitation twice: an invitation is sent once unless chosen again by name, and reminded at most once a day
    unless ``again``."""
    chosen = plan(conference, purpose, ids)
    _claim_key(conference, purpose, key, user_id)
    now = utcnow()
    candidates = [i.id for i in chosen.chosen + (chosen.recent if again else [])]
    claim = sa.update(Invitation).where(Invitation.id.in_(candidates), Invitation.email != "")
    if purpose == "invitation":
        if ids is None:
            claim = claim.where(Invitation.first_sent_at.is_(None))
        claim = claim.values(first_sent_at=sa.func.coalesce(Invitation.first_sent_at, now))
    else:
        claim = claim.where(Invitation.status == InvitationStatus.PENDING.value)
        if not again:
            claim = claim.where(sa.or_(Invitation.last_reminded_at.is_(None),
                                       Invitation.last_reminded_at <= now - REMIND_AGAIN_AFTER))
        claim = claim.values(last_reminded_at=now, reminder_count=Invitation.reminder_count + 1,
                             first_sent_at=sa.func.coalesce(Invitation.first_sent_at, now))
    claimed = set(db.session.scalars(claim.returning(Invitation.id), execution_options={"synchronize_session": False}))
    if not claimed:
        db.session.rollback()
        raise UserError("Không còn khách mời nào cần gửi: vừa có người khác gửi cho họ."
                        if purpose == "invitation" else
                        "Các khách mời này đã được nhắc trong 24 giờ qua; chọn «Nhắc lại cả những người này» "
                        "nếu vẫn muốn nhắc.")
    db.session.expire_all()
    invitations = _selected(conference, sorted(claimed))
    for invitation in invitations:
        _queue(invitation, purpose)
    db.session.execute(sa.update(SendBatch).where(SendBatch.key == key).values(count=len(invitations)))
    if purpose == "invitation":
        audit.record("invitation.send", f"Gửi giấy mời qua email tới {len(invitations)} khách mời",
                     conference_id=conference.id, invitation_ids=sorted(claimed))
    else:
        audit.record("invitation.remind", f"Gửi nhắc trả lời tới {len(invitations)} khách mời chưa trả lời",
                     conference_id=conference.id, invitation_ids=sorted(claimed), again=again)
    db.session.commit()
    return len(invitations)


def last_batches(conference: Conference) -> dict[str, str]:
    """"Đã gửi giấy mời lúc 08:30 (40 thư)", "Đã nhắc lúc 09:12 (12 thư)": the last batch of each purpose."""
    lines = {}
    for purpose, words in (("invitation", "Đã gửi giấy mời"), ("reminder", "Đã nhắc")):
        batch = db.session.scalar(sa.select(SendBatch).where(SendBatch.conference_id == conference.id,
                                                             SendBatch.purpose == purpose)
                                  .order_by(SendBatch.created_at.desc(), SendBatch.id.desc()).limit(1))
        if batch is not None:
            lines[purpose] = f"{words} lúc {_when(batch.created_at)} ({batch.count} thư)"
    return lines


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


# --- answers taken by phone -----------------------------------------------------------------------------

def record_phone_answer(invitation: Invitation, answer: Answer, user: User) -> list:
    """Record an answer an invitee gave by phone: the same rules and the same guard as the personal link (one
    answer at a time per invitation), marked as taken by phone by ``user``; passes are mailed as usual."""
    return submit_answer(invitation, answer, recorded_by=user)


# --- the wording of the mails ---------------------------------------------------------------------------

def sample_values(conference: Conference, kind: str) -> dict[str, str]:
    """Placeholders for a preview: the list's first invitation (or an example), and an example delegate."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.conference_id == conference.id)
                                   .order_by(Invitation.position, Invitation.id).limit(1))
    if invitation is None:
        invitation = Invitation(conference=conference, kind="agency", seats=2, role_text="Lãnh đạo Sở",
                                rsvp_token="vi-du-lien-ket-rieng")
        invitation.agency = Agency(name="Sở Tài chính")
    values = mail_values(invitation)
    if kind == "pass":
        values |= {"ho_ten": "Nguyễn Văn An, Phó Giám đốc", "the_dai_bieu": public_url("rsvp.pass_page",
                                                                                      pass_code="0" * 12)}
    return values


def save_wording(conference: Conference, kind: str, subject: str, body: str) -> None:
    """Keep a conference's own wording of a mail (checked: known placeholders, the mail's link present)."""
    subject, body = text.nfc(subject), text.nfc_block(body)
    wording.check(kind, subject, body)
    own = db.session.scalar(sa.select(MailWording).where(MailWording.conference_id == conference.id,
                                                         MailWording.kind == kind))
    if own is None:
        own = MailWording(conference_id=conference.id, kind=kind)
        db.session.add(own)
    own.subject, own.body = subject, body
    audit.record("mail.wording", f"Sửa nội dung «{wording.KIND_LABELS[kind]}»", conference_id=conference.id,
                 kind=kind)
    db.session.commit()


def reset_wording(conference: Conference, kind: str) -> None:
    """Go back to the default wording of a mail."""
    db.session.execute(sa.delete(MailWording).where(MailWording.conference_id == conference.id,
                                                    MailWording.kind == kind))
    audit.record("mail.wording_reset", f"Dùng lại nội dung mặc định của «{wording.KIND_LABELS[kind]}»",
                 conference_id=conference.id, kind=kind)
    db.session.commit()
