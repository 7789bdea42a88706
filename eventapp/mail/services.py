"""The outbox as the organizer sees it: counts by status, the list, and retrying failed messages."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, text
from ..errors import UserError
from ..extensions import db
from ..models import MailStatus, OutboxMessage, utcnow

#: Purposes shown in Vietnamese on the outbox page.
PURPOSE_LABELS = {
    "invitation": "Giấy mời",
    "reminder": "Nhắc trả lời",
    "pass": "Thẻ đại biểu",
    "paper": "Tham luận",
    "digest": "Tổng hợp",
}


def status_counts(conference_id: int | None = None) -> dict[str, int]:
    """Number of messages in each status (every status present, zero when none)."""
    query = sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    if conference_id is not None:
        query = query.where(OutboxMessage.conference_id == conference_id)
    counts = {status.value: 0 for status in MailStatus}
    counts.update(dict(db.session.execute(query).all()))
    return counts


def outbox_query(status: str | None, q: str = "", conference_id: int | None = None):
    """Messages, newest first, filtered by status, recipient (address or name as written) or subject."""
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in MailStatus}:
        query = query.where(OutboxMessage.status == status)
    if conference_id is not None:
        query = query.where(OutboxMessage.conference_id == conference_id)
    q = text.nfc(q or "").strip()
    if q:
        query = query.where(sa.or_(OutboxMessage.to_addr.contains(q.lower(), autoescape=True),
                                   OutboxMessage.to_name.contains(q, autoescape=True),
                                   OutboxMessage.subject.contains(q, autoescape=True)))
    return query


def retry(message: OutboxMessage) -> None:
    """Put a failed message back in the queue, due now, with a fresh count of attempts."""
    if message.status != MailStatus.FAILED:
        raise UserError("Chỉ gửi lại được thư đang ở trạng thái «Gửi lỗi».")
    previous = message.last_error
    message.status = MailStatus.QUEUED.value
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.locked_at = None
    audit.record("mail.retry", f"Gửi lại thư tới {message.to_addr} («{message.subject}»)", entity=message,
                 previous_error=previous)
    db.session.commit()


def retry_all_failed() -> int:
    """Queue again every failed message; how many."""
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED.value))
    count = 0
    for message in messages:
        message.status = MailStatus.QUEUED.value
        message.attempts = 0
        message.next_attempt_at = utcnow()
        message.locked_at = None
        count += 1
    if count:
        audit.record("mail.retry_all", f"Gửi lại {count} thư lỗi")
    db.session.commit()
    return count
