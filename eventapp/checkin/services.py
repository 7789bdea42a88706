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
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import g
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import audit, text, vntime
from ..errors import UserError
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
from ..models.base import UTCDateTime
from ..passes import InvalidPassCode, parse_qr_text, qr_text
from ..seniority import precedence_for
from .direct import DirectStatement

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


class CheckinInputError(UserError):
    """A request whose fields are malformed (answered 400 invalid_request)."""


class ConferenceFacts(NamedTuple):
    """What a check-in needs to know of its conference, read once (commits expire ORM objects)."""

    id: int
    starts_at: datetime

    @classmethod
    def of(cls, conference: Conference | ConferenceFacts) -> ConferenceFacts:
        if isinstance(conference, ConferenceFacts):
            return conference
        return cls(conference.id, conference.starts_at)


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


#: Why a delegate may not check in, or NULL when they may: one rule, computed by the database, for the answer
#: to a scan, the offline list and the guard of the one-statement check-in. The query joins the delegate's
#: invitation and conference.
NOT_ADMITTED_REASON = sa.case(
    (Conference.status == ConferenceStatus.CANCELLED.value, "Hội nghị đã hủy"),
    (Delegate.erased_at.is_not(None), "Dữ liệu đại biểu đã bị xóa theo yêu cầu"),
    (Delegate.status == DelegateStatus.CANCELLED.value, "Đại biểu đã hủy tham dự"),
    (Invitation.status == InvitationStatus.DECLINED.value, "Đã báo không tham dự"),
).label("not_admitted_reason")


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
            return _checkin_transaction(connection, conference_id, code, device_id, user_id, nonce, when, method,
                                        replay=attempt > 0, known=None if attempt else known)
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
    Delegate.position, Delegate.agency_name, Delegate.kind, Delegate.replaces_name, NOT_ADMITTED_REASON,
    CheckIn.id.label("checkin_id"), CheckIn.checked_in_at,
)
#: What a desk is told about a delegate (as delegate_json): the answer's key and the column of _PASS_COLUMNS.
_PERSON = {"id": "delegate_id", "name": "full_name", "position": "position", "agency": "agency_name",
           "kind": "kind", "replaces_name": "replaces_name"}
#: The delegate is found by the pass code alone, its unique key: a planner without statistics yet (right
#: after an import) would otherwise walk the conference's index and filter thousands of rows. The caller
#: checks the conference.
_PASS_CODE_MATCHES = Delegate.pass_code == sa.bindparam("pass_code")


def _with_invitation_and_checkin(select: sa.Select) -> sa.Select:
    return (select.outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
            .outerjoin(CheckIn, sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.undone_at.is_(None))))


_DELEGATE_BY_PASS = DirectStatement(
    _with_invitation_and_checkin(sa.select(*_PASS_COLUMNS).join(Conference, Delegate.conference_id == Conference.id))
    .where(_PASS_CODE_MATCHES))
_DEVICE_COLUMNS = (Device.id.label("device_id"), Device.revoked_at, Device.last_seen_at,
                   Conference.id.label("conference_id"), Conference.starts_at)
_DEVICE_BY_TOKEN_HASH = DirectStatement(
    sa.select(*_DEVICE_COLUMNS).join(Conference, Device.conference_id == Conference.id)
    .where(Device.token_hash == sa.bindparam("token_hash"))
)
#: A scanner's check-in reads its device and the pass in one query: one round trip less per scan. (The
#: conference is the device's; where it is not the delegate's, the pass is refused as unknown anyway.)
_DEVICE_AND_PASS = DirectStatement(_with_invitation_and_checkin(
    sa.select(*_DEVICE_COLUMNS, *_PASS_COLUMNS).join(Conference, Device.conference_id == Conference.id)
    .outerjoin(Delegate, _PASS_CODE_MATCHES)
).where(Device.token_hash == sa.bindparam("token_hash")))
_CHECKIN_COLUMNS = ("conference_id", "delegate_id", "checked_in_at", "recorded_at", "method", "device_id", "user_id")
_SCAN_COLUMNS = ("conference_id", "device_id", "user_id", "nonce", "code", "result", "http_status", "delegate_id",
                 "scanned_at", "recorded_at")


def _params(table: sa.Table, names) -> dict[str, sa.BindParameter]:
    """A named, typed parameter for each of the ``names`` columns of ``table``."""
    return {name: sa.bindparam(name, type_=table.c[name].type) for name in names}


_INSERT_CHECKIN = DirectStatement(
    sa.insert(CheckIn.__table__).values(_params(CheckIn.__table__, _CHECKIN_COLUMNS)).returning(CheckIn.__table__.c.id))
_INSERT_SCAN = DirectStatement(sa.insert(Scan.__table__)
                               .values(_params(Scan.__table__, (*_SCAN_COLUMNS, "response_json"))))


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
    new_checkin = (sa.insert(checkin).values(_params(checkin, _CHECKIN_COLUMNS))
                   .returning(checkin.c.id).cte("new_checkin"))
    answer = sa.cast(sa.cast(sa.bindparam("response_json", type_=sa.Text), JSONB)
                     .concat(sa.func.jsonb_build_object(sa.literal_column("'checkin_id'"), new_checkin.c.id)), sa.Text)
    new_scan = sa.insert(scan).from_select(
        [*_SCAN_COLUMNS, "response_json"],
        sa.select(*_params(scan, _SCAN_COLUMNS).values(), answer).select_from(new_checkin),
    ).cte("new_scan")
    return sa.select(new_checkin.c.id).add_cte(new_scan)


_INSERT_CHECKIN_AND_SCAN_POSTGRESQL = DirectStatement(_insert_checkin_and_scan_postgresql())


def _device_pass_and_checkin_postgresql() -> sa.Select:
    """PostgreSQL: a live scan in one statement. It reads the device and the pass, as _DEVICE_AND_PASS does,
    and when the pass can plainly be checked in (a device not revoked, a pass of its conference, admitted, not
    in yet) it inserts the check-in and the scan that made it:

        WITH found AS (<_DEVICE_AND_PASS>),
             new_checkin AS (INSERT INTO checkin (...) SELECT ... FROM found WHERE <admissible> RETURNING id),
             new_scan AS (INSERT INTO scan (...)
                          SELECT ..., :answer || {"checkin_id": new_checkin.id, "delegate": {...}}
                          FROM new_checkin, found)
        SELECT found.*, new_checkin.id AS new_checkin_id FROM found LEFT JOIN new_checkin ON true

    Anything else (a repeat, a refusal, another conference's pass) inserts nothing, and the caller decides
    and logs as usual from the row read. The guard is _decide's way to "ok" written in SQL (a test holds the
    two together). Another scan of the same pass or with the same nonce at the same moment makes the whole
    statement fail on a unique index; the caller then reads again and goes the usual way."""
    found = _DEVICE_AND_PASS.statement.cte("found")
    checkin, scan = CheckIn.__table__, Scan.__table__
    now = sa.bindparam("now", type_=UTCDateTime())
    admissible = sa.and_(
        found.c.revoked_at.is_(None),
        found.c.conference_id == sa.bindparam("pass_conference_id", type_=sa.Integer),
        found.c.delegate_conference_id == found.c.conference_id,
        found.c.not_admitted_reason.is_(None),
        found.c.checkin_id.is_(None),
    )
    new_checkin = sa.insert(checkin).from_select(
        _CHECKIN_COLUMNS,
        sa.select(found.c.conference_id, found.c.delegate_id, now, now, sa.literal(CheckInMethod.SCAN.value),
                  found.c.device_id, sa.null()).where(admissible),
    ).returning(checkin.c.id).cte("new_checkin")

    def json_object(**values) -> sa.ColumnElement:
        return sa.func.jsonb_build_object(*(x for key, value in values.items()
                                            for x in (sa.literal_column(f"'{key}'"), value)))

    person = json_object(**{key: found.c[column] for key, column in _PERSON.items()})
    answer = sa.cast(sa.cast(sa.bindparam("answer", type_=sa.Text), JSONB)
                     .concat(json_object(checkin_id=new_checkin.c.id, delegate=person)), sa.Text)
    new_scan = sa.insert(scan).from_select(
        [*_SCAN_COLUMNS, "response_json"],
        sa.select(found.c.conference_id, found.c.device_id, sa.null(), sa.bindparam("nonce", type_=sa.String),
                  sa.bindparam("code", type_=sa.String), sa.literal(ScanResult.OK.value), sa.literal(201),
                  found.c.delegate_id, now, now, answer)
        .select_from(new_checkin.join(found, sa.true())),
    ).cte("new_scan")
    return (sa.select(*found.c, new_checkin.c.id.label("new_checkin_id"))
            .select_from(found.outerjoin(new_checkin, sa.true())).add_cte(new_scan))


_DEVICE_PASS_AND_CHECKIN_POSTGRESQL = DirectStatement(_device_pass_and_checkin_postgresql())


def _person(row) -> dict:
    return {key: getattr(row, column) for key, column in _PERSON.items()}


def _ok_answer(checked_in_at: datetime) -> dict:
    """An "ok" answer, but for the delegate and the check-in's id."""
    return {"result": ScanResult.OK.value, "message": MESSAGES[ScanResult.OK], "checked_in_at": iso(checked_in_at),
            "time": vntime.format_time(checked_in_at)}


def _checkin_transaction(connection, conference_id, code, device_id, user_id, nonce, when, method, replay,
                         known=None):
    """One attempt. Reads first, outside the write lock; then a short write inserts the check-in (the partial
    unique index may refuse it: someone was first) and the scan (the nonce index may refuse it: the same
    scan raced in), and commits. A refusal raises IntegrityError and the caller retries, and the retry's
    reads then see the winner. A first attempt does not look for an earlier scan with the same nonce: the
    nonce index refuses the new scan (and so the whole write) when there is one, and the retry (``replay``)
    then answers with the first scan's answer. A pass checked in with the device's read (``known.answer``,
    see :func:`device_for_token`) is answered at once."""
    if known is not None and known.answer is not None:
        return 201, known.answer
    db_ = connection if connection is not None else db.session.connection()
    if nonce is not None and replay:
        prior = db_.execute(_SCAN_BY_NONCE, {"conference_id": conference_id, "nonce": nonce}).first()
        if prior is not None:
            _rollback(connection)
            return prior.http_status, json.loads(prior.response_json)

    now = utcnow()
    status, body, delegate_id = _decide(db_, conference_id, code, known)
    _begin_write(db_)
    scan = {"conference_id": conference_id, "device_id": device_id, "user_id": user_id, "nonce": nonce,
            "code": code[:200], "result": body["result"], "http_status": status, "delegate_id": delegate_id,
            "scanned_at": when or now, "recorded_at": now}
    if body["result"] == ScanResult.OK:
        checked_in_at = when or now
        body.update(_ok_answer(checked_in_at))
        checkin = {"conference_id": conference_id, "delegate_id": delegate_id, "checked_in_at": checked_in_at,
                   "recorded_at": now, "method": str(method), "device_id": device_id, "user_id": user_id}
        body["checkin_id"] = _insert_checkin_and_scan(db_, checkin, scan, body)
        if user_id is not None:  # a staff member at the desk (devices are logged in Scan only)
            _audit_desk_checkin(method, body["delegate"]["name"], conference_id, delegate_id, body["checkin_id"])
    else:
        _INSERT_SCAN.execute(db_, {**scan, "response_json": json.dumps(body, ensure_ascii=False)})
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
        return _INSERT_CHECKIN_AND_SCAN_POSTGRESQL.first(connection, {**checkin, **scan, "response_json": answer}).id
    checkin_id = _INSERT_CHECKIN.first(connection, checkin).id
    answer = json.dumps({**body, "checkin_id": checkin_id}, ensure_ascii=False)
    _INSERT_SCAN.execute(connection, {**scan, "response_json": answer})
    return checkin_id


def _audit_desk_checkin(method, name, conference_id, delegate_id, checkin_id) -> None:
    """Audit a check-in made by a signed-in staff member, in the check-in's transaction."""
    if method == CheckInMethod.SEARCH:
        # No pass was shown: a person vouched for the delegate.
        action, summary = "checkin.by_name", f"Check-in theo tên (không có thẻ): {name}"
    else:
        action, summary = f"checkin.{method}", f"Check-in «{name}» tại bàn đón tiếp"
    audit.record(action, summary, conference_id=conference_id, delegate_id=delegate_id, checkin_id=checkin_id)


def _decide(connection, conference_id, code, known: PassLookup | None = None):
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
        row = _DELEGATE_BY_PASS.first(connection, {"pass_code": pass_code})
    if row is None or row.delegate_id is None or row.delegate_conference_id != conference_id:
        return 404, {"result": ScanResult.UNKNOWN_CODE.value, "message": MESSAGES[ScanResult.UNKNOWN_CODE]}, None
    delegate_id, person, reason = row.delegate_id, _person(row), row.not_admitted_reason
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
        raise UserError("Đại biểu không thuộc hội nghị này.")
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
        raise UserError("Không có lượt check-in nào để hoàn tác.")
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
        raise UserError("Vui lòng nhập họ và tên.")
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
        raise UserError("Chỉ ghi nhận người đi thay cho đại biểu được mời của hội nghị này.")
    if not full_name:
        raise UserError("Vui lòng nhập họ và tên người đi thay.")
    live = db.session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == replaced.id,
                                                         CheckIn.undone_at.is_(None)))
    if live is not None:
        raise UserError(f"{replaced.full_name} đã check-in; không thể ghi nhận người đi thay.")
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
                  Delegate.kind, Delegate.replaces_name, NOT_ADMITTED_REASON, live.c.checked_in_at)
        .join(Conference, Delegate.conference_id == Conference.id)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(live, live.c.delegate_id == Delegate.id)
        .where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None))
        .order_by(Delegate.id)
    ).all()
    delegates = []
    for row in rows:
        reason = row.not_admitted_reason
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
        raise UserError("Vui lòng đặt tên cho thiết bị.")
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
    """A pass code and what the database holds for it (a row of _PASS_COLUMNS; delegate_id None: unknown);
    ``answer``: the "ok" answer when the same statement checked the pass in."""

    pass_code: str
    row: Any
    answer: dict | None = None


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


def device_for_token(token: str, connection: sa.Connection | None = None, scan: dict | None = None
                     ) -> DeviceAuth | None:
    """The unrevoked device whose token this is, noting (at most once a minute) when it was last seen.

    With ``scan``, the fields of a check-in request, the pass it names is read in the same query; on
    PostgreSQL a live scan (no ``scanned_at``) is also checked in by that query when it plainly can be (see
    :func:`_device_pass_and_checkin_postgresql`): the whole check-in is one round trip."""
    if not token or len(token) > 200:
        return None
    connection = connection or db.session.connection()
    code = scan.get("code") if scan else None
    try:
        pass_conference_id, pass_code = parse_qr_text(code) if isinstance(code, str) else (None, None)
    except InvalidPassCode:
        pass_conference_id, pass_code = None, None
    params = {"token_hash": hash_token(token), "pass_code": pass_code}
    answer = None
    if pass_code is None:
        row = _DEVICE_BY_TOKEN_HASH.first(connection, params)
    elif connection.dialect.name == "postgresql" and _is_live_scan(scan):
        now = utcnow()
        answer = _ok_answer(now)
        try:
            row = _DEVICE_PASS_AND_CHECKIN_POSTGRESQL.first(connection, {
                **params, "pass_conference_id": pass_conference_id, "now": now, "nonce": scan.get("nonce"),
                "code": code[:200], "answer": json.dumps(answer, ensure_ascii=False)})
        except IntegrityError:  # the same pass or nonce at the same moment: read again, go the usual way
            answer, row = None, _DEVICE_AND_PASS.first(connection, params)
    else:
        row = _DEVICE_AND_PASS.first(connection, params)
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_EVERY:
        # On its own connection, so that the caller's transaction stays as it is.
        with db.engine.begin() as own:
            own.execute(sa.update(Device).where(Device.id == row.device_id).values(last_seen_at=now))
    known = None
    if pass_code is not None:
        checked_in = answer is not None and row.new_checkin_id is not None
        known = PassLookup(pass_code, row, {**answer, "delegate": _person(row), "checkin_id": row.new_checkin_id}
                           if checked_in else None)
    return DeviceAuth(row.device_id, ConferenceFacts(row.conference_id, row.starts_at), known)


def _is_live_scan(scan: dict) -> bool:
    """A scan made now (no scanned_at) with a well-formed nonce, if any: what the one-statement check-in takes."""
    nonce = scan.get("nonce")
    return scan.get("scanned_at") in (None, "") and (nonce is None or isinstance(nonce, str) and 0 < len(nonce) <= 100)


def devices_of(conference: Conference) -> list[Device]:
    return list(db.session.scalars(sa.select(Device).where(Device.conference_id == conference.id)
                                   .order_by(Device.revoked_at.is_not(None), Device.created_at.desc())))
