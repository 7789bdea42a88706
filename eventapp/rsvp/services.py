"""The delegate's answer by personal link, the delegates it creates, and their passes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import joinedload

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db, take_write_lock
from ..mail import wording
from ..mail.outbox import queue_mail
from ..models import (
    AgendaItem,
    CheckIn,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Handout,
    Invitation,
    InvitationKind,
    InvitationStatus,
    OutboxMessage,
    SpeakerList,
    User,
    WithdrawnLink,
    utcnow,
)
from ..models.base import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from ..models.handouts import secret_hash
from ..passes import PASS_CODE_DIGITS, qr_text
from ..seniority import precedence_for
from ..web import public_url

#: Who the audit log names for answers given through the personal link.
RSVP_ACTOR = "Đại biểu (liên kết cá nhân)"
#: How an answer taken by phone is marked.
PHONE_MARK = "ghi nhận qua điện thoại"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PASS_CODE = re.compile(rf"^\d{{{PASS_CODE_DIGITS}}}$")


# --- looking up secrets -----------------------------------------------------------------------------

def find_invitation(token: str) -> Invitation | None:
    """The invitation of an RSVP token, or None for anything unknown or malformed."""
    if not token or not _TOKEN.match(token):
        return None
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.rsvp_token == token)
        .options(joinedload(Invitation.agency), joinedload(Invitation.conference).joinedload(Conference.venue))
    )


def find_short_code(code: str) -> Invitation | None:
    """The invitation of a letter's short code, typed in either case (None for anything else)."""
    code = (code or "").strip().lower()
    if len(code) != SHORT_CODE_LENGTH or set(code) - set(SHORT_CODE_ALPHABET):
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.short_code == code))


def find_pass(pass_code: str) -> Delegate | None:
    """The attending delegate holding a pass code, or None."""
    if not pass_code or not _PASS_CODE.match(pass_code):
        return None
    return db.session.scalar(
        sa.select(Delegate).where(Delegate.pass_code == pass_code, Delegate.status == DelegateStatus.ATTENDING.value,
                                  Delegate.erased_at.is_(None))
        .options(joinedload(Delegate.conference).joinedload(Conference.venue))
    )


@dataclass
class Withdrawn:
    """Why a real personal link no longer opens, and whom to ask."""

    conference: Conference
    message: str


def withdrawn(kind: str, secret: str) -> Withdrawn | None:
    """Why the RSVP token or pass code ``secret`` (``kind`` 'rsvp' or 'pass') was withdrawn, when it is one
    this installation issued; None for a made-up or mistyped one, which learns nothing."""
    pattern = _TOKEN if kind == "rsvp" else _PASS_CODE
    if not secret or not pattern.match(secret):
        return None
    if kind == "pass":
        delegate = db.session.scalar(
            sa.select(Delegate).where(Delegate.pass_code == secret, Delegate.erased_at.is_(None))
            .options(joinedload(Delegate.invitation), joinedload(Delegate.conference)))
        if delegate is not None and delegate.status != DelegateStatus.ATTENDING:
            invitation = delegate.invitation
            if invitation is not None and invitation.status == InvitationStatus.DECLINED:
                why = "lời mời đã được báo không tham dự."
            elif invitation is not None and invitation.kind == InvitationKind.PERSON:
                why = "đã cử người khác đi thay."
            else:
                why = "đơn vị đã cử người khác dự thay."
            return Withdrawn(delegate.conference, f"Thẻ này không còn hiệu lực: {why}")
    link = db.session.scalar(sa.select(WithdrawnLink).where(WithdrawnLink.secret_hash == secret_hash(secret),
                                                            WithdrawnLink.kind == kind))
    if link is None:
        return None
    what = "Thẻ đại biểu" if kind == "pass" else "Đường liên kết"
    if link.reason == "removed":
        return Withdrawn(link.conference, "Lời mời đã được thu hồi.")
    return Withdrawn(link.conference, f"{what} này đã được thay bằng {what.lower()} mới; vui lòng dùng thư mời "
                                      "hoặc thẻ gửi sau cùng.")


# --- links --------------------------------------------------------------------------------------------

def pass_url(delegate: Delegate) -> str:
    """The public address of a delegate's pass page."""
    return public_url("rsvp.pass_page", pass_code=delegate.pass_code)


def pass_qr_text(delegate: Delegate) -> str:
    return qr_text(delegate.conference_id, delegate.pass_code)


@dataclass
class PassLinks:
    """What the pass page leads to: the program once published, the documents a delegate may read now, the
    lists of speakers open to registration."""

    program: bool
    handouts: int
    open_lists: int


def pass_links(delegate: Delegate, now: datetime | None = None) -> PassLinks:
    """The pass page's ways on, counted from the models (two queries)."""
    conference = delegate.conference
    handouts = db.session.scalars(sa.select(Handout).where(Handout.conference_id == conference.id)).all()
    open_lists = db.session.scalar(sa.select(sa.func.count()).select_from(SpeakerList).where(
        SpeakerList.conference_id == conference.id, SpeakerList.is_open.is_(True)))
    return PassLinks(conference.agenda_published_at is not None,
                     sum(h.visible_to(delegate=True, now=now) for h in handouts), open_lists)


def calendar_links(delegate: Delegate | None = None, invitation: Invitation | None = None) -> list[tuple[str, str]]:
    """The links a calendar event carries: the pass first (when there is one), then the RSVP page."""
    from ..invitations.services import rsvp_url

    invitation = invitation or (delegate.invitation if delegate is not None else None)
    links = [("Thẻ đại biểu", pass_url(delegate))] if delegate is not None else []
    if invitation is not None:
        links.append(("Xác nhận tham dự", rsvp_url(invitation)))
    return links


# --- what the page shows ------------------------------------------------------------------------------

def answer_deadline(conference: Conference) -> datetime:
    """Answers may change until the RSVP deadline, or until the conference starts when there is none."""
    if conference.rsvp_deadline and conference.rsvp_deadline < conference.starts_at:
        return conference.rsvp_deadline
    return conference.starts_at


def answers_open(conference: Conference, now: datetime | None = None) -> bool:
    return not conference.is_cancelled and (now or utcnow()) < answer_deadline(conference)


@dataclass
class AgendaRow:
    starts_at: datetime
    title: str
    presenter: str
    kind: str
    duration_minutes: int


def published_agenda(conference: Conference) -> list[AgendaRow]:
    """The agenda with computed start times, once published; empty before."""
    if conference.agenda_published_at is None:
        return []
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.conference_id == conference.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    rows, clock = [], conference.starts_at
    for item in items:
        rows.append(AgendaRow(clock, item.title, item.presenter, item.kind, item.duration_minutes))
        clock += timedelta(minutes=item.duration_minutes)
    return rows


def attending_delegates(invitation: Invitation) -> list[Delegate]:
    return [d for d in invitation.delegates if d.status == DelegateStatus.ATTENDING and d.erased_at is None]


# --- answering ----------------------------------------------------------------------------------------

@dataclass
class Person:
    """A delegate as the answer names them."""

    kind: str
    full_name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    replaces_name: str = ""

    @property
    def key(self) -> str:
        return text.search_key(self.full_name)


@dataclass
class Answer:
    """What the delegate submitted: ``choice`` is 'attend', 'decline' or 'substitute'."""

    choice: str
    decline_reason: str = ""
    people: list[Person] | None = None


def _agency_name(invitation: Invitation) -> str:
    return invitation.agency.name if invitation.agency else ""


def people_for(invitation: Invitation, answer: Answer) -> list[Person]:
    """The delegates an answer asks for, checked against the invitation."""
    if answer.choice == "decline":
        return []
    people = [p for p in (answer.people or []) if p.full_name]
    if invitation.kind == InvitationKind.PERSON:
        if answer.choice == "attend":
            return [Person(DelegateKind.INVITEE.value, invitation.invitee_name, invitation.invitee_position,
                           invitation.phone, invitation.email)]
        if answer.choice != "substitute" or len(people) != 1:
            raise UserError("Vui lòng nhập họ và tên người đi thay.")
        person = people[0]
        if person.key == text.search_key(invitation.invitee_name):
            raise UserError("Người đi thay phải là người khác với người được mời; nếu chính anh/chị dự, "
                              "vui lòng chọn «Tham dự».")
        person.kind, person.replaces_name = DelegateKind.SUBSTITUTE.value, invitation.invitee_name
        return [person]
    if answer.choice != "attend":
        raise UserError("Lựa chọn không hợp lệ.")
    if not people:
        raise UserError("Vui lòng nhập họ và tên ít nhất một người dự.")
    if len(people) > invitation.seats:
        raise UserError(f"Giấy mời dành cho tối đa {invitation.seats} người.")
    keys = [p.key for p in people]
    if len(set(keys)) != len(keys):
        raise UserError("Một người được nhập hai lần; vui lòng kiểm tra lại danh sách.")
    for person in people:
        person.kind = DelegateKind.NAMED.value
    return people


def _live_checkin_ids(delegate_ids: list[int]) -> set[int]:
    if not delegate_ids:
        return set()
    return set(db.session.scalars(
        sa.select(CheckIn.delegate_id).where(CheckIn.delegate_id.in_(delegate_ids), CheckIn.undone_at.is_(None))
    ))


def lock_invitation(invitation: Invitation) -> None:
    """Serialise the answers to one invitation: take its row for this transaction (PostgreSQL: ``SELECT ... FOR
    UPDATE``; SQLite: the database's write lock, ``BEGIN IMMEDIATE``), then read it and its delegates again. A
    second answer sent at the same moment (two tabs, a double click, a phone answer) waits for the first to
    commit and then works on what the first left, so an invitation never gets more delegates than it asked for."""
    take_write_lock()
    db.session.scalars(sa.select(Invitation).where(Invitation.id == invitation.id).with_for_update()
                       .execution_options(populate_existing=True)).one()
    db.session.scalars(sa.select(Delegate).where(Delegate.invitation_id == invitation.id)
                       .execution_options(populate_existing=True)).all()
    db.session.expire(invitation, ["delegates"])


def submit_answer(invitation: Invitation, answer: Answer, now: datetime | None = None, *,
                  recorded_by: User | None = None) -> list[Delegate]:
    """Record an answer: the invitation's status, its delegates (kept, updated, added or cancelled) and a
    pass mail for each new attending delegate with an address, in one transaction, one answer to an invitation
    at a time (:func:`lock_invitation`).

    ``recorded_by``: the organizer who took the answer by phone (marked so, and allowed after the RSVP deadline,
    when the delegate is told to call). Submitting the same answer again changes nothing and sends nothing.
    Returns the delegates who attend.
    """
    now = now or utcnow()
    conference = invitation.conference
    if conference.is_cancelled or (recorded_by is None and not answers_open(conference, now)):
        raise UserError(closed_message(conference))
    wanted = people_for(invitation, answer)
    lock_invitation(invitation)
    agency_name = _agency_name(invitation)
    existing = list(invitation.delegates)
    by_key = {}
    for delegate in sorted(existing, key=lambda d: d.status != DelegateStatus.ATTENDING):
        by_key.setdefault(text.search_key(delegate.full_name), delegate)
    checked_in = _live_checkin_ids([d.id for d in existing])

    changes: list[str] = []
    attending: list[Delegate] = []
    to_mail: list[Delegate] = []
    for person in wanted:
        delegate = by_key.pop(person.key, None)
        fields = {
            "kind": person.kind, "full_name": text.nfc(person.full_name), "position": text.nfc(person.position),
            "agency_name": agency_name, "agency_id": invitation.agency_id, "phone": person.phone,
            "email": person.email, "replaces_name": person.replaces_name,
            "status": DelegateStatus.ATTENDING.value, "precedence": precedence_for(person.position),
            "search_text": text.search_key(person.full_name, person.position, agency_name),
        }
        if delegate is None:
            delegate = Delegate(conference_id=invitation.conference_id, invitation=invitation, **fields)
            db.session.add(delegate)
            changes.append(f"thêm {person.full_name}")
            to_mail.append(delegate)
        else:
            changed = {k: v for k, v in fields.items() if getattr(delegate, k) != v}
            if changed:
                if "status" in changed or ("email" in changed and person.email):
                    to_mail.append(delegate)
                for k, v in changed.items():
                    setattr(delegate, k, v)
                changes.append(f"cập nhật {person.full_name}")
        attending.append(delegate)
    for delegate in by_key.values():
        if delegate.status == DelegateStatus.ATTENDING and delegate.id not in checked_in:
            delegate.status = DelegateStatus.CANCELLED.value
            changes.append(f"hủy {delegate.full_name}")

    status = InvitationStatus.DECLINED.value if answer.choice == "decline" else InvitationStatus.ATTENDING.value
    reason = text.nfc(answer.decline_reason)[:500] if answer.choice == "decline" else ""
    if invitation.status != status or invitation.decline_reason != reason:
        changes.insert(0, f"trạng thái: {InvitationStatus(status).label}")
    via = "phone" if recorded_by else "link"
    if not changes and invitation.answer_via == via:
        db.session.commit()  # nothing to write: end the transaction and its lock
        return attending
    invitation.status = status
    invitation.decline_reason = reason
    invitation.responded_at = now
    invitation.answer_via = via
    invitation.answer_recorded_by_id = recorded_by.id if recorded_by else None
    db.session.flush()
    for delegate in to_mail:
        if delegate.email:
            queue_pass_mail(delegate)
    if invitation.kind == InvitationKind.AGENCY and invitation.email:
        queue_agency_confirmation(invitation, attending)
    audit.record(
        "invitation.answer",
        f"{invitation.addressee} trả lời: {answer_summary(invitation, answer.choice, attending)}",
        entity=invitation, actor=f"{recorded_by.full_name} ({PHONE_MARK})" if recorded_by else RSVP_ACTOR,
        choice=answer.choice, changes=changes, via=via,
    )
    db.session.commit()
    return attending


def answer_summary(invitation: Invitation, choice: str, attending: list[Delegate]) -> str:
    if choice == "decline":
        return "không tham dự"
    if choice == "substitute" and attending:
        return f"cử {attending[0].full_name} đi thay"
    if invitation.kind == InvitationKind.AGENCY:
        return f"tham dự ({len(attending)} người: {', '.join(d.full_name for d in attending)})"
    return "tham dự"


def closed_message(conference: Conference) -> str:
    """Why the answer can no longer change, and whom to call."""
    if conference.is_cancelled:
        head = "Hội nghị đã hủy."
    else:
        head = f"Đã hết hạn đăng ký ({vntime.format_datetime(answer_deadline(conference))})."
    contact = contact_line(conference)
    return f"{head} Nếu cần thay đổi, vui lòng liên hệ {contact}." if contact else head


def contact_line(conference: Conference) -> str:
    parts = [conference.contact_name]
    if conference.contact_phone:
        parts.append(f"ĐT: {text.format_phone(conference.contact_phone)}")
    if conference.contact_email:
        parts.append(conference.contact_email)
    return ", ".join(p for p in parts if p)


# --- the pass by mail ---------------------------------------------------------------------------------

def queue_pass_mail(delegate: Delegate) -> None:
    """Queue the pass of an attending delegate to their address, with the QR attached, in the conference's
    wording of the pass mail (eventapp.mail.wording)."""
    conference = delegate.conference or db.session.get(Conference, delegate.conference_id)
    values = wording.conference_values(conference, contact_line(conference)) | {
        "ho_ten": ", ".join(p for p in (delegate.full_name, delegate.position) if p),
        "the_dai_bieu": pass_url(delegate),
    }
    subject, body_text, body_html = wording.render(conference.id, "pass", values)
    queue_mail(
        delegate.email, subject, body_text, body_html=body_html, to_name=delegate.full_name, purpose="pass",
        conference_id=conference.id, invitation_id=delegate.invitation_id,
        attachments=[{"type": "qr", "data": pass_qr_text(delegate), "filename": "the-dai-bieu.png"}],
    )


def queue_agency_confirmation(invitation: Invitation, attending: list[Delegate]) -> None:
    """Confirm an agency's answer to the agency's own address: who attends, each with the link of their pass
    (those without an address of their own get their pass this way)."""
    conference = invitation.conference
    context = {"invitation": invitation, "conference": conference, "contact": contact_line(conference),
               "people": [(d, pass_url(d)) for d in attending]}
    queue_mail(
        invitation.email, f"Xác nhận đăng ký tham dự: {conference.title}"[:300],
        render_template("rsvp/mail_agency_confirmation.txt", **context),
        to_name=invitation.agency.name if invitation.agency else "", purpose="confirmation",
        conference_id=conference.id, invitation_id=invitation.id,
    )


def pass_delivery(invitation: Invitation, delegates: list[Delegate]) -> list[str]:
    """What really happened to the passes of an invitation's delegates, in sentences for the answer page: who
    got theirs by mail (queued, sent or failed), who has no address, and the agency's confirmation."""
    mails = db.session.execute(
        sa.select(OutboxMessage.to_addr, OutboxMessage.purpose, OutboxMessage.status)
        .where(OutboxMessage.invitation_id == invitation.id, OutboxMessage.purpose.in_(("pass", "confirmation")))
        .order_by(OutboxMessage.id)
    ).all()
    state = {(m.purpose, m.to_addr): m.status for m in mails}
    words = {"sent": "đã được gửi", "queued": "đang được gửi", "sending": "đang được gửi", "failed": "chưa gửi được"}
    sentences = []
    for delegate in delegates:
        status = state.get(("pass", delegate.email)) if delegate.email else None
        if status:
            sentences.append(f"Thẻ của {delegate.full_name} {words[status]} tới {delegate.email}.")
        else:
            sentences.append(f"{delegate.full_name} chưa có email nhận thẻ: bấm «Thẻ đại biểu» để lưu hoặc in.")
    status = state.get(("confirmation", invitation.email)) if invitation.email else None
    if status and invitation.kind == InvitationKind.AGENCY:
        sentences.append(f"Xác nhận và liên kết các thẻ {words[status]} tới email của cơ quan ({invitation.email}).")
    return sentences
