"""Attendance beyond the door: có mặt (trực tiếp), dự trực tuyến, vắng có lý do, cử người dự thay, per day.

The door's check-ins feed it: a delegate checked in on a day is in the hall in person that day, unless the
secretary marked them otherwise after the check-in (they left for an online session, the wrong pass was
scanned). A mark made before the check-in gives way to it (marked absent in the morning, then arrived).
Marks are rows of Attendance, one per delegate and day; the check-ins are read, never written, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.dialects import postgresql, sqlite

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Attendance,
    AttendanceStatus,
    CheckIn,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Invitation,
    InvitationStatus,
    utcnow,
)
from ..rsvp.services import contact_line
from .speakers import hall_of, saved_hall

ONLINE_LINK_PURPOSE = "online_link"
#: The status that removes a day's marks (the door's check-ins speak again).
CLEAR = "clear"
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


# --- the days of a conference --------------------------------------------------------------------

def conference_days(conference: Conference) -> list[date]:
    """The days of the conference, Vietnam's dates, first to last."""
    first = vntime.to_local(conference.starts_at).date()
    last = vntime.to_local(conference.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def pick_day(conference: Conference, wanted: str | None, today: date | None = None) -> date:
    """The day a page shows: the one asked for (yyyy-mm-dd), else today when the conference is on, else its
    first day."""
    days = conference_days(conference)
    if wanted:
        try:
            chosen = date.fromisoformat(wanted)
        except ValueError:
            chosen = None
        if chosen in days:
            return chosen
    today = today or vntime.today()
    return today if today in days else days[0]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = vntime.local_to_utc(datetime.combine(day, time(0, 0)))
    return start, start + timedelta(days=1)


# --- the lines of the attendance list ---------------------------------------------------------------

@dataclass
class Line:
    """A delegate on a day: the door's check-in, the secretary's mark, and what they count as."""

    delegate_id: int
    full_name: str
    position: str
    agency_name: str
    kind: str
    replaces_name: str
    email: str
    checked_in_at: datetime | None
    mark_status: str | None
    reason: str
    substitute_name: str
    marked_at: datetime | None
    link_sent_at: datetime | None

    @property
    def status(self) -> str | None:
        """What the delegate counts as that day: the later of the check-in and the mark; None when neither."""
        if self.mark_status and (self.checked_in_at is None or self.marked_at >= self.checked_in_at):
            return self.mark_status
        return AttendanceStatus.IN_PERSON.value if self.checked_in_at else None

    @property
    def from_door(self) -> bool:
        return self.checked_in_at is not None and self.status == AttendanceStatus.IN_PERSON


def _admitted(conference_id: int):
    """Delegates expected in the hall: attending, not erased, and not of an invitation that was declined."""
    return sa.and_(
        Delegate.conference_id == conference_id,
        Delegate.status == DelegateStatus.ATTENDING.value,
        Delegate.erased_at.is_(None),
        sa.or_(Delegate.invitation_id.is_(None), Invitation.status != InvitationStatus.DECLINED.value),
    )


def lines(conference: Conference, day: date) -> list[Line]:
    """Every expected delegate on ``day`` with their check-in and mark, leaders first (one query)."""
    start, end = _day_bounds(day)
    arrived = (
        sa.select(CheckIn.delegate_id, sa.func.min(CheckIn.checked_in_at).label("at"))
        .where(CheckIn.conference_id == conference.id, CheckIn.undone_at.is_(None),
               CheckIn.checked_in_at >= start, CheckIn.checked_in_at < end)
        .group_by(CheckIn.delegate_id).subquery()
    )
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.agency_name, Delegate.kind,
                  Delegate.replaces_name, Delegate.email, arrived.c.at, Attendance.status, Attendance.reason,
                  Attendance.substitute_name, Attendance.marked_at, Attendance.link_sent_at)
        .outerjoin(Invitation, Invitation.id == Delegate.invitation_id)
        .outerjoin(arrived, arrived.c.delegate_id == Delegate.id)
        .outerjoin(Attendance, sa.and_(Attendance.delegate_id == Delegate.id, Attendance.day == day))
        .where(_admitted(conference.id))
        .order_by(Delegate.precedence, Delegate.id)
    ).all()
    result = [Line(*row[:9], row[9] or "", row[10] or "", row[11], row[12]) for row in rows]
    result.sort(key=lambda line: text.vn_collate_key(line.agency_name))
    return result


@dataclass
class Counts:
    """How many delegates count as each status on a day, and how many are not accounted for."""

    day: date
    expected: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in AttendanceStatus})
    from_door: int = 0
    substitutes: int = 0

    @property
    def unmarked(self) -> int:
        return self.expected - sum(self.by_status.values())

    @property
    def present(self) -> int:
        """In the meeting: in the hall or online."""
        return self.by_status["in_person"] + self.by_status["online"]

    def items(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.by_status[s.value]) for s in AttendanceStatus]


def counts(conference: Conference, day: date, rows: list[Line] | None = None) -> Counts:
    """The figures of ``day``, from its lines (read when not given)."""
    tally = Counts(day)
    for line in rows if rows is not None else lines(conference, day):
        tally.expected += 1
        status = line.status
        if status:
            tally.by_status[status] += 1
        if line.from_door:
            tally.from_door += 1
        if line.kind == DelegateKind.SUBSTITUTE and status in ("in_person", "online"):
            tally.substitutes += 1
    return tally


def counts_by_day(conference: Conference) -> list[Counts]:
    """The figures of every day of the conference (for the report)."""
    return [counts(conference, day) for day in conference_days(conference)]


def filter_lines(rows: list[Line], q: str = "", status: str = "") -> list[Line]:
    """The lines matching an accent-insensitive search and a status ("none" for those not accounted for)."""
    terms = text.search_terms(q)
    if terms:
        rows = [r for r in rows if all(t in text.search_key(r.full_name, r.position, r.agency_name) for t in terms)]
    if status == "none":
        return [r for r in rows if r.status is None]
    if status:
        return [r for r in rows if r.status == status]
    return rows


# --- marking ---------------------------------------------------------------------------------------

def _upsert(values: list[dict]) -> None:
    """Insert the marks, or update the existing mark of the same delegate and day (one statement)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Attendance).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["delegate_id", "day"],
        set_={name: statement.excluded[name] for name in
              ("status", "reason", "substitute_name", "marked_at", "marked_by_id")},
    )
    db.session.execute(statement)


def mark(conference: Conference, day: date, delegate_ids: list[int], status: str, *, reason: str = "",
         substitute_name: str = "", user=None, now: datetime | None = None) -> dict:
    """Mark delegates' attendance on ``day`` in one step (``status`` CLEAR removes their marks, so the door's
    check-in speaks again). Marking delegates online mails them the meeting link, once a day each.

    Returns {"marked": n, "mailed": n, "without_email": n}."""
    now = now or utcnow()
    reason, substitute_name = text.nfc(reason or "")[:300], text.nfc(substitute_name or "")[:120]
    if day not in conference_days(conference):
        raise UserError("Ngày điểm danh không thuộc thời gian hội nghị.")
    if status != CLEAR and status not in {s.value for s in AttendanceStatus}:
        raise UserError("Chọn trạng thái điểm danh cho các đại biểu đã chọn.", field="status")
    ids = sorted(set(delegate_ids))
    if not ids:
        raise UserError("Chọn ít nhất một đại biểu để điểm danh.")
    if status == AttendanceStatus.EXCUSED and not reason:
        raise UserError("Vui lòng ghi lý do vắng mặt.", field="reason")
    if status == AttendanceStatus.REPRESENTED:
        if not substitute_name:
            raise UserError("Vui lòng ghi họ tên người dự thay.", field="substitute_name")
        if len(ids) > 1:
            raise UserError("Người dự thay ghi cho từng đại biểu một; vui lòng chọn một đại biểu.")
    known = set(db.session.scalars(
        sa.select(Delegate.id).outerjoin(Invitation, Invitation.id == Delegate.invitation_id)
        .where(_admitted(conference.id), Delegate.id.in_(ids))))
    if known != set(ids):
        raise UserError("Có đại biểu không thuộc danh sách tham dự hội nghị này; vui lòng tải lại trang.")

    result = {"marked": len(ids), "mailed": 0, "without_email": 0}
    if status == CLEAR:
        db.session.execute(sa.delete(Attendance).where(Attendance.delegate_id.in_(ids), Attendance.day == day))
    else:
        _upsert([{"conference_id": conference.id, "delegate_id": i, "day": day, "status": status,
                  "reason": reason if status == AttendanceStatus.EXCUSED else "",
                  "substitute_name": substitute_name if status == AttendanceStatus.REPRESENTED else "",
                  "marked_at": now, "marked_by_id": getattr(user, "id", None), "link_sent_at": None}
                 for i in ids])
        if status == AttendanceStatus.ONLINE:
            result.update(_mail_online_links(conference, day, ids, now))
    label = "bỏ đánh dấu" if status == CLEAR else AttendanceStatus(status).label
    audit.record("attendance.mark", f"Điểm danh ngày {vntime.format_date(day)}: {len(ids)} đại biểu — {label}",
                 conference_id=conference.id, day=day.isoformat(), status=status, delegates=ids, reason=reason)
    db.session.commit()
    return result


def set_online_url(conference: Conference, url: str) -> None:
    """The link of the online meeting room (Zoom, Google Meet, the province's video-conference system)."""
    url = (url or "").strip()
    if url and (not _URL.match(url) or len(url) > 500):
        raise UserError("Đường dẫn phòng họp trực tuyến phải bắt đầu bằng https:// hoặc http://.", field="online_url")
    hall = saved_hall(conference)
    hall.online_url = url
    audit.record("hall.online_url", "Cập nhật đường dẫn họp trực tuyến", conference_id=conference.id, url=url)
    db.session.commit()


def send_online_links(conference: Conference, day: date, now: datetime | None = None) -> dict:
    """Mail the meeting link to every delegate marked online on ``day`` who has not been sent it yet."""
    ids = [line.delegate_id for line in lines(conference, day)
           if line.status == AttendanceStatus.ONLINE and line.link_sent_at is None]
    result = _mail_online_links(conference, day, ids, now or utcnow()) if ids else {"mailed": 0, "without_email": 0}
    db.session.commit()
    return result


def _mail_online_links(conference: Conference, day: date, delegate_ids: list[int], now: datetime) -> dict:
    """Queue the meeting link to each of these delegates (online that day) not yet sent it; marks them sent."""
    hall = hall_of(conference)
    if not hall.online_url:
        raise UserError("Chưa có đường dẫn phòng họp trực tuyến: nhập đường dẫn ở trên trước khi đánh dấu "
                        "đại biểu dự trực tuyến.", field="online_url")
    rows = db.session.execute(
        sa.select(Attendance, Delegate).join(Delegate, Delegate.id == Attendance.delegate_id)
        .where(Attendance.delegate_id.in_(delegate_ids), Attendance.day == day,
               Attendance.status == AttendanceStatus.ONLINE.value, Attendance.link_sent_at.is_(None))
        .execution_options(populate_existing=True)
    ).all()
    mailed = without = 0
    for attendance, delegate in rows:
        if not delegate.email:
            without += 1
            continue
        context = {"delegate": delegate, "conference": conference, "day": day, "url": hall.online_url,
                   "contact": contact_line(conference)}
        queue_mail(delegate.email, f"Đường dẫn dự trực tuyến: {conference.title}"[:300],
                   render_template("hall/mail_online.txt", **context), to_name=delegate.full_name,
                   purpose=ONLINE_LINK_PURPOSE, conference_id=conference.id, invitation_id=delegate.invitation_id)
        attendance.link_sent_at = now
        mailed += 1
    return {"mailed": mailed, "without_email": without}
