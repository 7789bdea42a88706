"""The verbs of reception: check a delegate in (the single place it happens), undo, walk-ins, substitutes,
device tokens, and the offline list a desk downloads.

``record_checkin`` is safe under concurrency: the partial unique index on live check-ins decides who was
first, the unique index on (conference, nonce) makes a repeated scan replay its first answer, and both
races end in an IntegrityError that is answered by retrying the whole (short) transaction. On SQLite the
transaction starts with BEGIN IMMEDIATE, so it takes the write lock before reading and never has to
upgrade a read snapshot (which fails at once with "database is locked" in WAL mode).
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import g
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import audit, text, vntime
from ..extensions import db
from ..models import (
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceStatus,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Device,
    Invitation,
    InvitationStatus,
    Scan,
    ScanResult,
    User,
    new_token,
    utcnow,
)
from ..passes import InvalidPassCode, parse_qr_text, qr_text
from ..seniority import precedence_for

#: Most scans one batch may carry.
BATCH_LIMIT = 500
#: How far in the future a device's clock may be and its scan time still be believed.
CLOCK_SKEW = timedelta(minutes=5)
#: A device's last_seen_at is written at most this often.
LAST_SEEN_EVERY = timedelta(seconds=60)
MAX_ATTEMPTS = 12
#: How long a check-in waits for SQLite's write lock before giving up (then retried).
LOCK_WAIT_SECONDS = 5.0

MESSAGES = {
    ScanResult.OK: "Check-in thành công",
    ScanResult.ALREADY_CHECKED_IN: "Đại biểu đã check-in trước đó",
    ScanResult.UNKNOWN_CODE: "Mã không có trong danh sách đại biểu",
    ScanResult.INVALID_CODE: "Mã không hợp lệ (không phải thẻ do hội nghị phát hành)",
    ScanResult.OTHER_CONFERENCE: "Thẻ của hội nghị khác",
    ScanResult.NOT_ADMITTED: "Không check-in được",
}


class CheckinError(Exception):
    """A reception action that cannot be done; the message is for the user, in Vietnamese."""


class CheckinInputError(CheckinError):
    """A request whose fields are malformed (answered 400 invalid_request)."""


class ConferenceFacts(NamedTuple):
    """What a check-in needs to know of its conference, read once (commits expire ORM objects)."""

    id: int
    starts_at: datetime
    is_cancelled: bool

    @classmethod
    def of(cls, conference: Conference | ConferenceFacts) -> ConferenceFacts:
        if isinstance(conference, ConferenceFacts):
            return conference
        return cls(conference.id, conference.starts_at, conference.is_cancelled)


# --- helpers ----------------------------------------------------------------------------------------


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API speaks it."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def delegate_json(delegate: Delegate) -> dict:
    """What a desk shows about a delegate."""
    return {
        "id": delegate.id,
        "name": delegate.full_name,
        "position": delegate.position,
        "agency": delegate.agency_name,
        "kind": delegate.kind,
        "replaces_name": delegate.replaces_name,
    }


def _not_admitted_reason(delegate_status: str, invitation_status: str | None, erased: bool,
                         conference_cancelled: bool) -> str | None:
    if conference_cancelled:
        return "Hội nghị đã hủy"
    if erased:
        return "Dữ liệu đại biểu đã bị xóa theo yêu cầu"
    if delegate_status == DelegateStatus.CANCELLED:
        return "Đại biểu đã hủy tham dự"
    if invitation_status == InvitationStatus.DECLINED:
        return "Đã báo không tham dự"
    return None


def parse_scanned_at(value, conference: Conference | ConferenceFacts, now: datetime | None = None) -> datetime | None:
    """The time of an offline scan, aware UTC; None when not given. CheckinInputError when implausible."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise CheckinInputError("Thời điểm quét không đúng định dạng ISO 8601.")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise CheckinInputError("Thời điểm quét không đúng định dạng ISO 8601.") from None
    moment = vntime.local_to_utc(moment) if moment.tzinfo is None else moment.astimezone(UTC)
    now = now or utcnow()
    if moment > now + CLOCK_SKEW:
        raise CheckinInputError("Thời điểm quét ở tương lai; kiểm tra đồng hồ của thiết bị.")
    day_before = vntime.to_local(conference.starts_at).date() - timedelta(days=1)
    earliest = vntime.local_to_utc(datetime.combine(day_before, datetime.min.time()))
    if moment < earliest:
        raise CheckinInputError("Thời điểm quét trước ngày hội nghị.")
    return moment


def _begin_write(connection: sa.Connection) -> None:
    """On SQLite, take the write lock at once (BEGIN IMMEDIATE) rather than upgrading a read transaction,
    which fails at once with "database is locked" when another writer got in between. While another
    process holds the lock, poll every millisecond or so: SQLite's own busy handler backs off to sleeps of
    10-100 ms, far longer than a check-in holds the lock."""
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw.in_transaction:
        return
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise OperationalError("BEGIN IMMEDIATE", {}, exc) from exc
                time.sleep(random.uniform(0.0002, 0.0015))
    finally:
        raw.execute("PRAGMA busy_timeout = 10000")


def _retryable(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return "locked" in message or "busy" in message or code in {"40001", "40P01", "55P03"}


# --- checking in -----------------------------------------------------------------------------------


def record_checkin(
    conference: Conference | ConferenceFacts,
    code_text,
    *,
    device: Device | int | None = None,
    user: User | int | None = None,
    nonce=None,
    scanned_at=None,
    method: str = CheckInMethod.SCAN,
    connection: sa.Connection | None = None,
    known: PassLookup | None = None,
) -> tuple[int, dict]:
    """Check in the delegate whose pass says ``code_text``: the single place check-ins happen.

    Returns (HTTP status, answer). Every scan, good or bad, is logged in Scan; a repeated ``nonce``
    replays the first answer and changes nothing; ``scanned_at`` (ISO 8601) dates an offline scan.
    The work is done in the ORM session (audited when a ``user`` checks in), or on ``connection``, the
    device API's own connection (see :func:`device_db`), committed there; ``known`` is the pass as read
    with the device, used by the first attempt.
    """
    facts = ConferenceFacts.of(conference)
    conference_id = facts.id
    device_id = device if isinstance(device, int) or device is None else device.id
    user_id = user if isinstance(user, int) or user is None else user.id
    code = code_text if isinstance(code_text, str) else ""
    if nonce is not None and (not isinstance(nonce, str) or not 0 < len(nonce) <= 100):
        return 400, {"result": "invalid_request", "message": "Mã chống trùng (nonce) không hợp lệ."}
    try:
        when = parse_scanned_at(scanned_at, facts)
    except CheckinInputError as exc:
        return 400, {"result": "invalid_request", "message": str(exc)}

    for attempt in range(MAX_ATTEMPTS):
        try:
            return _checkin_transaction(connection, conference_id, facts.is_cancelled, code, device_id, user_id,
                                        nonce, when, method, replay=attempt > 0, known=None if attempt else known)
        except IntegrityError:
            _rollback(connection)
        except OperationalError as exc:
            _rollback(connection)
            if not _retryable(exc) or attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    return 503, {"result": "busy", "message": "Máy chủ đang bận; vui lòng quét lại."}


# The statements of the hot path, built once (building a select costs more than running it on SQLite).
_SCAN_BY_NONCE = sa.select(Scan.http_status, Scan.response_json).where(
    Scan.conference_id == sa.bindparam("conference_id"), Scan.nonce == sa.bindparam("nonce"))
#: What a scan needs to know of the delegate whose pass it is: who, whether admitted, whether already in.
_PASS_COLUMNS = (
    Delegate.id.label("delegate_id"), Delegate.conference_id.label("delegate_conference_id"), Delegate.full_name,
    Delegate.position, Delegate.agency_name, Delegate.kind, Delegate.replaces_name,
    Delegate.status.label("delegate_status"), Delegate.erased_at, Invitation.status.label("invitation_status"),
    CheckIn.id.label("checkin_id"), CheckIn.checked_in_at,
)
#: The delegate is found by the pass code alone, its unique key: a planner without statistics yet (right
#: after an import) would otherwise walk the conference's index and filter thousands of rows. The caller
#: checks the conference.
_PASS_CODE_MATCHES = Delegate.pass_code == sa.bindparam("pass_code")


def _with_invitation_and_checkin(select: sa.Select) -> sa.Select:
    return (select.outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
            .outerjoin(CheckIn, sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.undone_at.is_(None))))


_DELEGATE_BY_PASS = _with_invitation_and_checkin(sa.select(*_PASS_COLUMNS)).where(_PASS_CODE_MATCHES)
_DEVICE_COLUMNS = (Device.id.label("device_id"), Device.revoked_at, Device.last_seen_at,
                   Conference.id.label("conference_id"), Conference.starts_at,
                   Conference.status.label("conference_status"))
_DEVICE_BY_TOKEN_HASH = (
    sa.select(*_DEVICE_COLUMNS).join(Conference, Device.conference_id == Conference.id)
    .where(Device.token_hash == sa.bindparam("token_hash"))
)
#: A scanner's check-in reads its device and the pass in one query: one round trip less per scan.
_DEVICE_AND_PASS = _with_invitation_and_checkin(
    sa.select(*_DEVICE_COLUMNS, *_PASS_COLUMNS).join(Conference, Device.conference_id == Conference.id)
    .outerjoin(Delegate, _PASS_CODE_MATCHES)
).where(Device.token_hash == sa.bindparam("token_hash"))
_INSERT_CHECKIN = sa.insert(CheckIn.__table__).returning(CheckIn.__table__.c.id)
_INSERT_SCAN = sa.insert(Scan.__table__)
_CHECKIN_COLUMNS = ("conference_id", "delegate_id", "checked_in_at", "recorded_at", "method", "device_id", "user_id")
_SCAN_COLUMNS = ("conference_id", "device_id", "user_id", "nonce", "code", "result", "http_status", "delegate_id",
                 "scanned_at", "recorded_at")


def _insert_checkin_and_scan_postgresql() -> sa.Select:
    """PostgreSQL: the check-in and its scan in one statement (one round trip, atomic even in autocommit).

        WITH new_checkin AS (INSERT INTO checkin (...) VALUES (...) RETURNING id),
             new_scan AS (INSERT INTO scan (..., response_json)
                          SELECT ..., CAST(CAST(:response_json AS JSONB) || jsonb_build_object('checkin_id', id) AS TEXT)
                          FROM new_checkin)
        SELECT id FROM new_checkin

    The stored answer gets the new check-in's id, which only the database knows until the statement ends.
    """
    checkin, scan = CheckIn.__table__, Scan.__table__

    def param(column: sa.Column) -> sa.BindParameter:
        return sa.bindparam(column.name, type_=column.type)

    new_checkin = (sa.insert(checkin).values({name: param(checkin.c[name]) for name in _CHECKIN_COLUMNS})
                   .returning(checkin.c.id).cte("new_checkin"))
    answer = sa.cast(sa.cast(sa.bindparam("response_json", type_=sa.Text), JSONB)
                     .concat(sa.func.jsonb_build_object("checkin_id", new_checkin.c.id)), sa.Text)
    new_scan = sa.insert(scan).from_select(
        [*_SCAN_COLUMNS, "response_json"],
        sa.select(*(param(scan.c[name]) for name in _SCAN_COLUMNS), answer).select_from(new_checkin),
    ).cte("new_scan")
    return sa.select(new_checkin.c.id).add_cte(new_scan)


_INSERT_CHECKIN_AND_SCAN_POSTGRESQL = _insert_checkin_and_scan_postgresql()


def _checkin_transaction(connection, conference_id, cancelled, code, device_id, user_id, nonce, when, method,
                         replay, known=None):
    """One attempt. Reads first, outside the write lock; then a short write inserts the check-in (the partial
    unique index may refuse it: someone was first) and the scan (the nonce index may refuse it: the same
    scan raced in), and commits. A refusal raises IntegrityError and the caller retries, and the retry's
    reads then see the winner. A first attempt does not look for an earlier scan with the same nonce: the
    nonce index refuses the new scan (and so the whole write) when there is one, and the retry (``replay``)
    then answers with the first scan's answer."""
    db_ = connection if connection is not None else db.session.connection()
    if nonce is not None and replay:
        prior = db_.execute(_SCAN_BY_NONCE, {"conference_id": conference_id, "nonce": nonce}).first()
        if prior is not None:
            _rollback(connection)
            return prior.http_status, json.loads(prior.response_json)

    now = utcnow()
    status, body, delegate_id = _decide(db_, conference_id, cancelled, code, known)
    _begin_write(db_)
    scan = {"conference_id": conference_id, "device_id": device_id, "user_id": user_id, "nonce": nonce,
            "code": code[:200], "result": body["result"], "http_status": status, "delegate_id": delegate_id,
            "scanned_at": when or now, "recorded_at": now}
    if body["result"] == ScanResult.OK:
        checked_in_at = when or now
        body.update(checked_in_at=iso(checked_in_at), time=vntime.format_time(checked_in_at))
        checkin = {"conference_id": conference_id, "delegate_id": delegate_id, "checked_in_at": checked_in_at,
                   "recorded_at": now, "method": str(method), "device_id": device_id, "user_id": user_id}
        body["checkin_id"] = _insert_checkin_and_scan(db_, checkin, scan, body)
        if user_id is not None:  # a staff member at the desk (devices are logged in Scan only)
            _audit_desk_checkin(method, body["delegate"]["name"], conference_id, delegate_id, body["checkin_id"])
    else:
        db_.execute(_INSERT_SCAN, {**scan, "response_json": json.dumps(body, ensure_ascii=False)})
    _commit(connection)
    return status, body


def _commit(connection: sa.Connection | None) -> None:
    if connection is None:
        db.session.commit()
    else:
        connection.commit()


def _rollback(connection: sa.Connection | None) -> None:
    if connection is None:
        db.session.rollback()
    else:
        connection.rollback()


def _insert_checkin_and_scan(connection: sa.Connection, checkin: dict, scan: dict, body: dict) -> int:
    """Insert the check-in and the scan that made it; the check-in's id. The scan keeps the answer, with
    that id, for a replayed nonce."""
    if connection.dialect.name == "postgresql":
        answer = json.dumps(body, ensure_ascii=False)
        return connection.execute(_INSERT_CHECKIN_AND_SCAN_POSTGRESQL,
                                  {**checkin, **scan, "response_json": answer}).scalar_one()
    checkin_id = connection.execute(_INSERT_CHECKIN, checkin).scalar_one()
    answer = json.dumps({**body, "checkin_id": checkin_id}, ensure_ascii=False)
    connection.execute(_INSERT_SCAN, {**scan, "response_json": answer})
    return checkin_id


def _audit_desk_checkin(method, name, conference_id, delegate_id, checkin_id) -> None:
    """Audit a check-in made by a signed-in staff member, in the check-in's transaction."""
    if method == CheckInMethod.SEARCH:
        # No pass was shown: a person vouched for the delegate.
        action, summary = "checkin.by_name", f"Check-in theo tên (không có thẻ): {name}"
    else:
        action, summary = f"checkin.{method}", f"Check-in «{name}» tại bàn đón tiếp"
    audit.record(action, summary, conference_id=conference_id, delegate_id=delegate_id, checkin_id=checkin_id)


def _decide(connection, conference_id, cancelled, code, known: PassLookup | None = None):
    """(status, answer, delegate id) for one code; an "ok" answer still needs its check-in inserted.
    ``known``: the pass already read with the device (see :func:`device_for_token`)."""
    try:
        pass_conference_id, pass_code = parse_qr_text(code)
    except InvalidPassCode:
        return 400, {"result": ScanResult.INVALID_CODE.value, "message": MESSAGES[ScanResult.INVALID_CODE]}, None
    if pass_conference_id != conference_id:
        return 409, {"result": ScanResult.OTHER_CONFERENCE.value,
                     "message": MESSAGES[ScanResult.OTHER_CONFERENCE]}, None
    if known is not None and known.pass_code == pass_code:
        row = known.row
    else:
        row = connection.execute(_DELEGATE_BY_PASS, {"pass_code": pass_code}).first()
    if row is None or row.delegate_id is None or row.delegate_conference_id != conference_id:
        return 404, {"result": ScanResult.UNKNOWN_CODE.value, "message": MESSAGES[ScanResult.UNKNOWN_CODE]}, None
    delegate_id = row.delegate_id
    person = {"id": delegate_id, "name": row.full_name, "position": row.position, "agency": row.agency_name,
              "kind": row.kind, "replaces_name": row.replaces_name}
    reason = _not_admitted_reason(row.delegate_status, row.invitation_status, row.erased_at is not None, cancelled)
    if reason:
        return 409, {"result": ScanResult.NOT_ADMITTED.value, "reason": reason, "delegate": person,
                     "message": reason}, delegate_id
    if row.checkin_id is not None:
        first = row.checked_in_at
        return 200, {"result": ScanResult.ALREADY_CHECKED_IN.value, "delegate": person,
                     "checked_in_at": iso(first), "time": vntime.format_time(first), "checkin_id": row.checkin_id,
                     "message": f"Đã check-in lúc {vntime.format_time(first)}"}, delegate_id
    return 201, {"result": ScanResult.OK.value, "delegate": person, "message": MESSAGES[ScanResult.OK]}, delegate_id


def record_batch(conference: Conference | ConferenceFacts, scans, *, device: Device | int | None = None,
                 user: User | None = None, connection: sa.Connection | None = None) -> tuple[int, dict]:
    """Check in a batch of scans (an offline desk's queue), in order; one answer per scan."""
    if not isinstance(scans, list):
        return 400, {"result": "invalid_request", "message": "Thiếu danh sách lượt quét (scans)."}
    if len(scans) > BATCH_LIMIT:
        return 400, {"result": "invalid_request", "message": f"Mỗi lần gửi tối đa {BATCH_LIMIT} lượt quét."}
    results = []
    facts = ConferenceFacts.of(conference)
    device_id = device if isinstance(device, int) or device is None else device.id
    user_id = user.id if user is not None else None
    for scan in scans:
        if not isinstance(scan, dict):
            status, body = 400, {"result": "invalid_request", "message": "Lượt quét không đúng định dạng."}
        else:
            status, body = record_checkin(facts, scan.get("code"), device=device_id, user=user_id,
                                          nonce=scan.get("nonce"), scanned_at=scan.get("scanned_at"),
                                          connection=connection)
        results.append({"status": status, **body})
    return 200, {"result": "ok", "results": results}


def checkin_delegate(conference: Conference, delegate: Delegate, user: User, method: str) -> tuple[int, dict]:
    """Check in a delegate found by name (or just registered) through the same path as a scan."""
    if delegate.conference_id != conference.id:
        raise CheckinError("Đại biểu không thuộc hội nghị này.")
    return record_checkin(conference, qr_text(conference.id, delegate.pass_code), user=user, method=method)


def undo_checkin(conference: Conference, user: User, checkin_id: int | None = None) -> CheckIn:
    """Undo a check-in (the given one, else the last one this user recorded); the delegate may scan again."""
    query = sa.select(CheckIn).where(CheckIn.conference_id == conference.id, CheckIn.undone_at.is_(None))
    if checkin_id:
        query = query.where(CheckIn.id == checkin_id)
    else:
        query = query.where(CheckIn.user_id == user.id).order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc())
    checkin = db.session.scalars(query.limit(1)).first()
    if checkin is None:
        raise CheckinError("Không có lượt check-in nào để hoàn tác.")
    checkin.undone_at = utcnow()
    checkin.undone_by_id = user.id
    audit.record("checkin.undo", f"Hoàn tác check-in của {checkin.delegate.full_name}", entity=checkin,
                 conference_id=conference.id, delegate_id=checkin.delegate_id)
    db.session.commit()
    return checkin


def register_walk_in(conference: Conference, user: User, full_name: str, position: str = "",
                     agency_name: str = "") -> tuple[Delegate, int, dict]:
    """A guest who was not on the list: register them and check them in, in one step."""
    full_name, position, agency_name = text.nfc(full_name), text.nfc(position), text.nfc(agency_name)
    if not full_name:
        raise CheckinError("Vui lòng nhập họ và tên.")
    delegate = Delegate(conference_id=conference.id, invitation_id=None, kind=DelegateKind.WALK_IN.value,
                        full_name=full_name, position=position, agency_name=agency_name,
                        precedence=precedence_for(position),
                        status=DelegateStatus.ATTENDING.value,
                        search_text=text.search_key(full_name, position, agency_name))
    db.session.add(delegate)
    db.session.flush()
    audit.record("checkin.walk_in", f"Đăng ký tại chỗ: {full_name}", entity=delegate, conference_id=conference.id)
    db.session.commit()
    status, body = checkin_delegate(conference, delegate, user, CheckInMethod.WALK_IN)
    return delegate, status, body


def register_substitute(conference: Conference, user: User, replaced: Delegate, full_name: str,
                        position: str = "") -> tuple[Delegate, int, dict]:
    """Someone arrives instead of an invited delegate: record the substitute and check them in."""
    full_name, position = text.nfc(full_name), text.nfc(position)
    if replaced.conference_id != conference.id or replaced.invitation_id is None:
        raise CheckinError("Chỉ ghi nhận người đi thay cho đại biểu được mời của hội nghị này.")
    if not full_name:
        raise CheckinError("Vui lòng nhập họ và tên người đi thay.")
    live = db.session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == replaced.id,
                                                         CheckIn.undone_at.is_(None)))
    if live is not None:
        raise CheckinError(f"{replaced.full_name} đã check-in; không thể ghi nhận người đi thay.")
    substitute = Delegate(conference_id=conference.id, invitation_id=replaced.invitation_id,
                          kind=DelegateKind.SUBSTITUTE.value, full_name=full_name, position=position,
                          agency_name=replaced.agency_name, agency_id=replaced.agency_id,
                          replaces_name=replaced.full_name,
                          precedence=precedence_for(position) if position else replaced.precedence,
                          status=DelegateStatus.ATTENDING.value,
                          search_text=text.search_key(full_name, position, replaced.agency_name))
    replaced.status = DelegateStatus.CANCELLED.value
    db.session.add(substitute)
    db.session.flush()
    audit.record("checkin.substitute", f"{full_name} đi thay {replaced.full_name}", entity=substitute,
                 conference_id=conference.id, replaces_delegate_id=replaced.id)
    db.session.commit()
    status, body = checkin_delegate(conference, substitute, user, CheckInMethod.WALK_IN)
    return substitute, status, body


def search_delegates(conference: Conference, query: str, limit: int = 20) -> list[tuple[Delegate, datetime | None]]:
    """Delegates whose name, position or agency contains every word of ``query``, accents ignored."""
    terms = text.search_terms(query or "")
    if not terms:
        return []
    live = (sa.select(CheckIn.delegate_id, CheckIn.checked_in_at).where(CheckIn.undone_at.is_(None),
                                                                        CheckIn.conference_id == conference.id)
            .subquery())
    stmt = (sa.select(Delegate, live.c.checked_in_at)
            .outerjoin(live, live.c.delegate_id == Delegate.id)
            .where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None)))
    for term in terms:
        stmt = stmt.where(Delegate.search_text.contains(term, autoescape=True))
    stmt = stmt.order_by(Delegate.precedence, Delegate.full_name).limit(limit)
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def offline_list(conference: Conference | ConferenceFacts, connection: sa.Connection | None = None) -> dict:
    """Everything a desk needs to judge scans while offline: each delegate with their pass text."""
    live = (sa.select(CheckIn.delegate_id, CheckIn.checked_in_at).where(CheckIn.undone_at.is_(None),
                                                                        CheckIn.conference_id == conference.id)
            .subquery())
    rows = (connection or db.session).execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.agency_name, Delegate.pass_code,
                  Delegate.status, Delegate.kind, Delegate.replaces_name, Invitation.status.label("invitation_status"),
                  live.c.checked_in_at)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(live, live.c.delegate_id == Delegate.id)
        .where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None))
        .order_by(Delegate.id)
    ).all()
    delegates = []
    for row in rows:
        reason = _not_admitted_reason(row.status, row.invitation_status, False, conference.is_cancelled)
        delegates.append({
            "id": row.id,
            "name": row.full_name,
            "position": row.position,
            "agency": row.agency_name,
            "kind": row.kind,
            "replaces_name": row.replaces_name,
            "code": qr_text(conference.id, row.pass_code),
            "checked_in_at": iso(row.checked_in_at),
            "admitted": reason is None,
            "reason": reason or "",
        })
    return {"result": "ok", "conference_id": conference.id, "delegates": delegates, "synced_at": iso(utcnow())}


# --- devices -----------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_device(conference: Conference, name: str, created_by: User | None = None) -> tuple[Device, str]:
    """A new device token for ``conference``: returns the device and the token, shown once."""
    name = text.nfc(name)[:100]
    if not name:
        raise CheckinError("Vui lòng đặt tên cho thiết bị.")
    token = new_token(32)
    device = Device(conference_id=conference.id, name=name, token_hash=hash_token(token), token_hint=token[:8],
                    created_by_id=created_by.id if created_by else None)
    db.session.add(device)
    db.session.flush()
    audit.record("device.create", f"Tạo mã thiết bị «{name}»", entity=device, conference_id=conference.id)
    db.session.commit()
    return device, token


def revoke_device(device: Device) -> None:
    """Stop a device token from working (a lost phone, a scanner returned)."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record("device.revoke", f"Thu hồi mã thiết bị «{device.name}»", entity=device,
                     conference_id=device.conference_id)
        db.session.commit()


class PassLookup(NamedTuple):
    """A pass code and what the database holds for it (a row of _PASS_COLUMNS; delegate_id None: unknown)."""

    pass_code: str
    row: sa.Row


class DeviceAuth(NamedTuple):
    """An authenticated device: its id and its conference's facts (read in one query, no ORM objects), and
    the pass it presents, when it was read in the same query."""

    id: int
    conference: ConferenceFacts
    known: PassLookup | None = None


def device_db() -> sa.Connection:
    """The device API's connection for this request (closed by the blueprint's teardown).

    A scanner's check-in is a few Core statements: it skips the ORM session and its bookkeeping, and on
    PostgreSQL runs in autocommit, each statement its own transaction, which saves the BEGIN and COMMIT round
    trips. That is as safe: the check-in's write is one statement (see
    :func:`_insert_checkin_and_scan_postgresql`), and the unique indexes, not the transaction, decide races
    (in READ COMMITTED, reads inside a transaction see other commits anyway). On SQLite the write still takes
    the lock with BEGIN IMMEDIATE and commits (:func:`_begin_write`)."""
    if "device_db" not in g:
        connection = db.engine.connect()
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        g.device_db = connection
    return g.device_db


def close_device_db(_error=None) -> None:
    connection = g.pop("device_db", None)
    if connection is not None:
        connection.close()


def device_for_token(token: str, connection: sa.Connection | None = None, code=None) -> DeviceAuth | None:
    """The unrevoked device whose token this is, noting (at most once a minute) when it was last seen; with
    ``code``, the text of a scanned pass, the delegate it names is read in the same query."""
    if not token or len(token) > 200:
        return None
    try:
        pass_code = parse_qr_text(code)[1] if isinstance(code, str) else None
    except InvalidPassCode:
        pass_code = None
    params = {"token_hash": hash_token(token), "pass_code": pass_code}
    query = _DEVICE_BY_TOKEN_HASH if pass_code is None else _DEVICE_AND_PASS
    row = (connection or db.session.connection()).execute(query, params).first()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_EVERY:
        # On its own connection, so that the caller's transaction stays as it is.
        with db.engine.begin() as connection:
            connection.execute(sa.update(Device).where(Device.id == row.device_id).values(last_seen_at=now))
    facts = ConferenceFacts(row.conference_id, row.starts_at, row.conference_status == ConferenceStatus.CANCELLED)
    return DeviceAuth(row.device_id, facts, None if pass_code is None else PassLookup(pass_code, row))


def devices_of(conference: Conference) -> list[Device]:
    return list(db.session.scalars(sa.select(Device).where(Device.conference_id == conference.id)
                                   .order_by(Device.revoked_at.is_not(None), Device.created_at.desc())))
