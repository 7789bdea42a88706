"""Scanning passes: :func:`record_checkin`, the one place a check-in is written (a scanner, the desk, an
offline desk's batch), and the list an offline desk judges scans by.

One rule for the time of a scan, live or offline: it must fall in the conference's check-in window
(:func:`checkin_window`); an offline scan keeps the time the desk gives (``scanned_at``) or is refused, it is
never re-timed. A check-in counts for the attendance day of its time (the local date): a delegate checks in
once a day.

Races are decided by the database, not by the code: the partial unique index on live check-ins
(``uq_checkin_live_per_delegate_day``) refuses a second live check-in of a delegate on one day, and the unique
index on
(conference, nonce) refuses a second scan with the same nonce. Either refusal is an IntegrityError that rolls
the whole attempt back; the next attempt reads again and sees the winner (already checked in, or the stored
answer to replay). On SQLite an attempt takes the write lock (BEGIN IMMEDIATE) once it has decided, for its
writes only.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import audit, vntime
from ..errors import UserError
from ..extensions import db
from ..models import (
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceStatus,
    Delegate,
    DelegateStatus,
    Device,
    Invitation,
    InvitationStatus,
    Scan,
    ScanResult,
    User,
    utcnow,
)
from ..passes import InvalidPassCode, parse_qr_text, qr_text

#: Most scans one batch may carry.
BATCH_LIMIT = 500
#: How far in the future a device's clock may be and its scan time still be believed.
CLOCK_SKEW = timedelta(minutes=5)
#: How long a check-in waits for SQLite's write lock before the device is told the server is busy.
LOCK_WAIT_SECONDS = 5.0
#: Attempts of one check-in (a race lost on a unique index is retried) before the device is told to send
#: the scan again.
MAX_ATTEMPTS = 12

MESSAGES = {
    ScanResult.OK: "Check-in thành công",
    ScanResult.ALREADY_CHECKED_IN: "Đại biểu đã check-in trước đó",
    ScanResult.UNKNOWN_CODE: "Mã không có trong danh sách đại biểu",
    ScanResult.INVALID_CODE: "Mã không hợp lệ (không phải thẻ do hội nghị phát hành)",
    ScanResult.OTHER_CONFERENCE: "Thẻ của hội nghị khác",
    ScanResult.NOT_ADMITTED: "Không check-in được",
}
BUSY = {"result": "busy", "message": "Máy chủ đang bận; vui lòng quét lại."}
NO_CODE = "Thiếu mã quét (code): gửi văn bản đọc được trên thẻ."


class InvalidScan(UserError):
    """Input that is not a scan at all (a body or a batch item that is not a JSON object): the API's contract
    answers it 400 ``invalid_code``, as it does a code that is not a pass."""

    result = ScanResult.INVALID_CODE.value

#: Why a delegate may not check in, or NULL when they may: one rule, computed by the database, for the answer
#: to every scan (scanner, batch, desk) and for the offline list. The query joins the delegate's invitation and
#: conference.
NOT_ADMITTED_REASON = sa.case(
    (Conference.status == ConferenceStatus.CANCELLED.value, "Hội nghị đã hủy"),
    (Delegate.erased_at.is_not(None), "Dữ liệu đại biểu đã bị xóa theo yêu cầu"),
    (Delegate.status == DelegateStatus.CANCELLED.value, "Đại biểu đã hủy tham dự"),
    (Invitation.status == InvitationStatus.DECLINED.value, "Đã báo không tham dự"),
).label("not_admitted_reason")



def _live_on(day: date):
    """The join condition of a delegate's live check-in on ``day`` (an undone one lets them scan again)."""
    return sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.day == day, CheckIn.undone_at.is_(None))


#: The name of the desk that recorded a check-in: its device, or the staff member signed in at the desk.
DESK_NAME = sa.func.coalesce(Device.name, User.full_name).label("desk")


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API speaks it."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def delegate_json(delegate: Delegate) -> dict:
    """What a desk is told about a delegate."""
    return {
        "id": delegate.id,
        "name": delegate.full_name,
        "position": delegate.position,
        "agency": delegate.agency_name,
        "kind": delegate.kind,
        "replaces_name": delegate.replaces_name,
    }


def parse_scanned_at(value) -> datetime | None:
    """The time of an offline scan, aware UTC; None when not given. UserError when it is not a time, or is in
    the future beyond the device's clock skew (the desk's clock is wrong: its time cannot be believed)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise UserError("Thời điểm quét không đúng định dạng ISO 8601.")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UserError("Thời điểm quét không đúng định dạng ISO 8601.") from None
    moment = vntime.local_to_utc(moment) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment > utcnow() + CLOCK_SKEW:
        raise UserError("Thời điểm quét ở tương lai; kiểm tra đồng hồ của thiết bị.")
    return moment


# --- the check-in window ---------------------------------------------------------------------------


def default_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The window a conference gets unless organizers set one: from the start of the day before it starts
    (delegates who come the evening before) to the end of its last day, local time."""
    first = vntime.to_local(starts_at).date() - timedelta(days=1)
    after_last = vntime.to_local(ends_at).date() + timedelta(days=1)
    return (vntime.local_to_utc(datetime.combine(first, clock.min)),
            vntime.local_to_utc(datetime.combine(after_last, clock.min)))


def checkin_window(conference: Conference) -> tuple[datetime, datetime]:
    """When scans are accepted for ``conference`` (aware UTC; the end excluded): what organizers set, else the
    default, end by end."""
    opens, closes = default_window(conference.starts_at, conference.ends_at)
    return conference.checkin_opens_at or opens, conference.checkin_closes_at or closes


def window_text(opens: datetime, closes: datetime) -> str:
    """The window as the desk reads it: "từ 00:00 04/12/2026 đến hết ngày 05/12/2026" (a window that closes at
    midnight ends with the day before), or "... đến 12:00 05/12/2026"."""
    local_close = vntime.to_local(closes)
    if local_close.time() == clock.min:
        end = f"hết ngày {vntime.format_date(local_close.date() - timedelta(days=1))}"
    else:
        end = vntime.format_datetime(closes)
    return f"từ {vntime.format_datetime(opens)} đến {end}"


def outside_window(moment: datetime, opens: datetime, closes: datetime) -> str | None:
    """Why a scan at ``moment`` is refused (Vietnamese, with the window), or None when it falls in the window."""
    if opens <= moment < closes:
        return None
    when = "Chưa đến thời gian đón tiếp" if moment < opens else "Đã hết thời gian đón tiếp"
    return (f"{when}: lượt quét lúc {vntime.format_datetime(moment)}, "
            f"nhận check-in {window_text(opens, closes)}.")


def refuse_outside_window(conference: Conference, moment: datetime | None = None) -> None:
    """A UserError when the window is not open at ``moment`` (now): the desk's check before it registers a
    walk-in or a substitute, so that nobody is registered whose check-in would then be refused."""
    reason = outside_window(moment or utcnow(), *checkin_window(conference))
    if reason:
        raise UserError(reason)


def set_window(conference: Conference, opens: datetime | None, closes: datetime | None) -> None:
    """Organizers set when the door accepts scans (aware UTC; None keeps that end's default). Refused when it
    would close before it opens."""
    default_opens, default_closes = default_window(conference.starts_at, conference.ends_at)
    if (closes or default_closes) <= (opens or default_opens):
        raise UserError("Thời gian đóng phải sau thời gian mở đón tiếp "
                        f"(mặc định {window_text(default_opens, default_closes)}).", field="closes_date")
    conference.checkin_opens_at, conference.checkin_closes_at = opens, closes
    audit.record("checkin.window", f"Thời gian đón tiếp: {window_text(*checkin_window(conference))}",
                 entity=conference, conference_id=conference.id)
    db.session.commit()


def attendance_day(moment: datetime) -> date:
    """The day a check-in at ``moment`` counts for: its local date."""
    return vntime.to_local(moment).date()


# --- checking in -----------------------------------------------------------------------------------


def record_checkin(conference: Conference, code, *, device: Device | None = None, user: User | None = None,
                   nonce=None, scanned_at=None, method: str = CheckInMethod.SCAN) -> tuple[int, dict]:
    """Check in the delegate whose pass says ``code``: the only way a check-in is written (a batch goes the
    same way, scan by scan).

    Returns (HTTP status, answer) for every scan, good or bad, and logs it in Scan. A repeated ``nonce``
    replays the first answer and changes nothing; ``scanned_at`` (ISO 8601) dates an offline scan, whose time
    is kept or refused (409 outside_window), never replaced. The scan comes from a ``device`` (a scanner's
    token) or a signed-in ``user`` at the desk (audited). A ``code`` that is not a string is an invalid code
    (400, logged); a malformed nonce or scan time is a UserError (nothing is logged)."""
    return _check_in(_Scanner.of(conference, device, user), code, nonce, scanned_at, method)


def record_batch(conference: Conference, scans, *, device: Device | None = None,
                 user: User | None = None) -> tuple[int, dict]:
    """Check in a batch of scans (an offline desk's queue) in order, each as :func:`record_checkin` does: one
    answer per scan. Once the database stays locked (busy), the rest are answered busy without waiting again."""
    if not isinstance(scans, list):
        raise UserError("Thiếu danh sách lượt quét (scans).")
    if len(scans) > BATCH_LIMIT:
        raise UserError(f"Mỗi lần gửi tối đa {BATCH_LIMIT} lượt quét.")
    scanner = _Scanner.of(conference, device, user)
    results, busy = [], False
    for scan in scans:
        try:
            if not isinstance(scan, dict):
                raise InvalidScan("Lượt quét không đúng định dạng: mỗi lượt là một đối tượng JSON có «code».")
            if busy:  # the desk sends these again later
                status, body = 503, dict(BUSY)
            else:
                status, body = _check_in(scanner, scan.get("code"), scan.get("nonce"), scan.get("scanned_at"))
                busy = status == 503
        except UserError as exc:  # one malformed scan does not refuse the others
            status, body = 400, {"result": exc.result, "message": exc.message}
        results.append({"status": status, **body})
    return 200, {"result": "ok", "results": results}


class _Scanner(NamedTuple):
    """Who scans, as plain values read once (every commit or rollback expires the ORM objects): the conference
    and its check-in window, and the device or the signed-in user at the desk, with the desk's name."""

    conference_id: int
    opens: datetime
    closes: datetime
    device_id: int | None
    user_id: int | None
    desk: str | None

    @classmethod
    def of(cls, conference: Conference, device: Device | None, user: User | None) -> _Scanner:
        desk = device.name if device else user.full_name if user else None
        return cls(conference.id, *checkin_window(conference), device.id if device else None,
                   user.id if user else None, desk)


class _Scan(NamedTuple):
    """One scan to record."""

    scanner: _Scanner
    code: str
    nonce: str | None
    scanned_at: datetime | None
    method: str


def _check_in(scanner: _Scanner, code, nonce, scanned_at, method: str = CheckInMethod.SCAN) -> tuple[int, dict]:
    """:func:`record_checkin`'s work: check the fields, then attempt until the database has decided."""
    if nonce is not None and (not isinstance(nonce, str) or not 0 < len(nonce) <= 100):
        raise UserError("Mã chống trùng (nonce) không hợp lệ.")
    code = code if isinstance(code, str) else ""
    scan = _Scan(scanner, code, nonce, parse_scanned_at(scanned_at), str(method))
    for _ in range(MAX_ATTEMPTS):
        try:
            return _attempt(scan)
        except IntegrityError:  # another scan of this pass or with this nonce got in first: read again
            db.session.rollback()
        except OperationalError as exc:
            db.session.rollback()
            if not _waited_for_a_lock(exc):
                raise
            break
    return 503, dict(BUSY)


def _attempt(scan: _Scan) -> tuple[int, dict]:
    """One attempt: replay the nonce's answer if there is one; else decide on what the database holds, then
    write the scan (and the check-in of a first scan) and commit."""
    who = scan.scanner
    now = utcnow()
    moment = scan.scanned_at or now
    status, body, delegate = _decide(who, scan.code, moment, scan.nonce)
    if status is None:  # the nonce's first answer, replayed: nothing to write
        db.session.rollback()
        return body["status"], body["answer"]
    _take_write_lock()
    if body["result"] == ScanResult.OK:
        checkin = CheckIn(conference_id=who.conference_id, delegate_id=delegate.id, checked_in_at=moment,
                          day=attendance_day(moment), recorded_at=now, method=scan.method,
                          device_id=who.device_id, user_id=who.user_id)
        db.session.add(checkin)
        db.session.flush()  # the partial unique index refuses a second live check-in that day here
        body.update(checked_in_at=iso(moment), time=vntime.format_time(moment), checkin_id=checkin.id)
        if who.user_id is not None:  # a staff member at the desk (a device's scans are logged in Scan only)
            _audit_desk_checkin(scan.method, delegate, checkin)
    db.session.add(Scan(conference_id=who.conference_id, device_id=who.device_id, user_id=who.user_id,
                        nonce=scan.nonce, code=scan.code[:200], result=body["result"], http_status=status,
                        delegate_id=delegate.id if delegate else None, scanned_at=moment,
                        recorded_at=now, response_json=json.dumps(body, ensure_ascii=False)))
    db.session.commit()  # the nonce's unique index refuses a second scan here
    return status, body


def _prior(conference_id: int, nonce: str, column):
    """``column`` of the scan first sent with ``nonce``, as a scalar subquery."""
    return sa.select(column).where(Scan.conference_id == conference_id, Scan.nonce == nonce).scalar_subquery()


def _replayed(who: _Scanner, nonce: str | None, code_refused: tuple[int, dict, None]):
    """A code refused before the database was asked: the nonce's first answer if it was sent before (one
    query), else the refusal."""
    if nonce is not None:
        prior = db.session.execute(sa.select(Scan.http_status, Scan.response_json).where(
            Scan.conference_id == who.conference_id, Scan.nonce == nonce)).first()
        if prior is not None:
            return None, {"status": prior.http_status, "answer": json.loads(prior.response_json)}, None
    return code_refused


def _refusal(status: int, result: ScanResult, message: str | None = None, **extra) -> tuple[int, dict, None]:
    return status, {"result": result.value, "message": message or MESSAGES[result], **extra}, None


def _decide(who: _Scanner, code: str, moment: datetime, nonce: str | None) -> tuple[int | None, dict, Delegate | None]:
    """(status, answer, delegate) for one code scanned at ``moment``, as the database stands; an "ok" answer
    still needs its check-in. A nonce sent before gives (None, {"status", "answer"}, None): its first answer,
    read by the same query that finds the pass, so a first scan costs one read."""
    if not code.strip():
        return _replayed(who, nonce, _refusal(400, ScanResult.INVALID_CODE, NO_CODE))
    try:
        pass_conference_id, pass_code = parse_qr_text(code)
    except InvalidPassCode:
        return _replayed(who, nonce, _refusal(400, ScanResult.INVALID_CODE))
    if pass_conference_id != who.conference_id:
        return _replayed(who, nonce, _refusal(409, ScanResult.OTHER_CONFERENCE))
    day = attendance_day(moment)
    query = (
        sa.select(Delegate, NOT_ADMITTED_REASON, CheckIn, DESK_NAME)
        .join(Conference, Delegate.conference_id == Conference.id)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(CheckIn, _live_on(day))
        .outerjoin(Device, CheckIn.device_id == Device.id)
        .outerjoin(User, CheckIn.user_id == User.id)
        # by its unique key alone: a planner without statistics yet (right after an import) may otherwise walk
        # the conference's delegates
        .where(Delegate.pass_code == pass_code)
    )
    if nonce is not None:
        query = query.add_columns(_prior(who.conference_id, nonce, Scan.http_status).label("prior_status"),
                                  _prior(who.conference_id, nonce, Scan.response_json).label("prior_answer"))
    found = db.session.execute(query).first()
    if found is None:
        return _replayed(who, nonce, _refusal(404, ScanResult.UNKNOWN_CODE))
    if nonce is not None and found.prior_status is not None:
        return None, {"status": found.prior_status, "answer": json.loads(found.prior_answer)}, None
    if found.Delegate.conference_id != who.conference_id:
        return _refusal(404, ScanResult.UNKNOWN_CODE)
    delegate, reason, live, desk = found[:4]
    person = delegate_json(delegate)
    late_or_early = outside_window(moment, who.opens, who.closes)
    if late_or_early:
        return 409, {"result": ScanResult.OUTSIDE_WINDOW.value, "delegate": person, "message": late_or_early,
                     "window": window_json(who.opens, who.closes)}, delegate
    if reason:
        return 409, {"result": ScanResult.NOT_ADMITTED.value, "reason": reason, "delegate": person,
                     "message": reason}, delegate
    if live is not None:
        first = vntime.format_time(live.checked_in_at)
        return 200, {"result": ScanResult.ALREADY_CHECKED_IN.value, "delegate": person,
                     "checked_in_at": iso(live.checked_in_at), "time": first, "checkin_id": live.id,
                     "day": day.isoformat(), "desk": desk,
                     "message": f"Đã vào lúc {first} ở {desk}" if desk else f"Đã vào lúc {first}"}, delegate
    return 201, {"result": ScanResult.OK.value, "delegate": person, "day": day.isoformat(), "desk": who.desk,
                 "message": MESSAGES[ScanResult.OK]}, delegate


def window_json(opens: datetime, closes: datetime) -> dict:
    """The check-in window as the API speaks it."""
    return {"opens_at": iso(opens), "closes_at": iso(closes)}


def _audit_desk_checkin(method: str, delegate: Delegate, checkin: CheckIn) -> None:
    """Audit a check-in made by a signed-in staff member, in the check-in's transaction."""
    if method == CheckInMethod.SEARCH:
        # No pass was shown: a person vouched for the delegate.
        action, summary = "checkin.by_name", f"Check-in theo tên (không có thẻ): {delegate.full_name}"
    else:
        action, summary = f"checkin.{method}", f"Check-in «{delegate.full_name}» tại bàn đón tiếp"
    audit.record(action, summary, conference_id=checkin.conference_id, delegate_id=delegate.id,
                 checkin_id=checkin.id)


def _take_write_lock() -> None:
    """SQLite: begin the attempt's writes with BEGIN IMMEDIATE, which takes the write lock first, whatever the
    driver's own way of beginning (a transaction that has read and then writes fails at once if another writer
    got in between). The lock is held only while writing. While another writer holds it, try again every
    millisecond or so, for up to LOCK_WAIT_SECONDS: SQLite's own busy handler sleeps longer and longer between
    tries (up to 100 ms), and a scan waiting that way can be overtaken for seconds by others that keep taking
    the lock. PostgreSQL needs nothing: the unique indexes decide."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw.in_transaction:
        return
    busy_timeout = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                error = OperationalError("BEGIN IMMEDIATE", None, exc)
                if not _waited_for_a_lock(error) or time.monotonic() > deadline:
                    raise error from exc
                time.sleep(random.uniform(0.0002, 0.0015))
    finally:
        raw.execute(f"PRAGMA busy_timeout = {busy_timeout}")


def _waited_for_a_lock(error: OperationalError) -> bool:
    """The database is locked (SQLite), or PostgreSQL gave up waiting for a lock: once a check-in has waited
    long enough, the device is told the server is busy and sends the same scan (nonce) again."""
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message or getattr(error.orig, "sqlstate", None) in {"40P01", "55P03"}


# --- the offline list ------------------------------------------------------------------------------


def offline_list(conference: Conference, now: datetime | None = None) -> dict:
    """Everything a desk needs to judge scans while offline: the attendance day (today, local) and the check-in
    window, then each delegate with their pass text, whether they may come in (the same rule as a scan) and
    when and at which desk they checked in that day."""
    now = now or utcnow()
    day = attendance_day(now)
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.agency_name, Delegate.pass_code,
                  Delegate.kind, Delegate.replaces_name, NOT_ADMITTED_REASON, CheckIn.checked_in_at, DESK_NAME)
        .join(Conference, Delegate.conference_id == Conference.id)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(CheckIn, _live_on(day))
        .outerjoin(Device, CheckIn.device_id == Device.id)
        .outerjoin(User, CheckIn.user_id == User.id)
        .where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None))
        .order_by(Delegate.id)
    ).all()
    delegates = [{
        "id": row.id,
        "name": row.full_name,
        "position": row.position,
        "agency": row.agency_name,
        "kind": row.kind,
        "replaces_name": row.replaces_name,
        "code": qr_text(conference.id, row.pass_code),
        "checked_in_at": iso(row.checked_in_at),
        "desk": row.desk,
        "admitted": row.not_admitted_reason is None,
        "reason": row.not_admitted_reason or "",
    } for row in rows]
    return {"result": "ok", "conference_id": conference.id, "day": day.isoformat(),
            "window": window_json(*checkin_window(conference)), "delegates": delegates, "synced_at": iso(now)}
