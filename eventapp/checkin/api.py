"""The device API under /api/v1: JSON in and out, every answer with a "result".

A request is authenticated by ``Authorization: Bearer <device token>`` (the token belongs to one
conference), or, for the reception screen, by the signed-in session of a reception user together with
``?conference_id=`` and, on POST, the X-CSRFToken header (cookies must not be enough to write).

The contract with the desk (static/js, the desk shell) and scanner apps; times are ISO 8601 in UTC with a Z:

- ``GET /api/v1/delegates``: ``{"result": "ok", "conference_id", "day", "window": {"opens_at", "closes_at"},
  "synced_at", "delegates": [...]}``. ``day`` is today's local date (ISO), the attendance day; each delegate
  has ``id, name, position, agency, kind, replaces_name, code`` (the pass's QR text), ``checked_in_at`` (on
  that day, or null), ``desk`` (the desk or staff member that checked them in that day, or null), ``admitted``
  and ``reason`` (why not).
- ``POST /api/v1/checkin`` ``{"code", "nonce"?, "scanned_at"?}``: 201 ``ok``; 200 ``already_checked_in`` (that
  day) with ``checked_in_at``, ``time``, ``desk`` and ``message`` "Đã vào lúc 07:42 ở Bàn 2"; 409
  ``outside_window`` (the scan's time, ``scanned_at`` or now, is not in the window: ``message`` says why and
  gives the window, ``window`` too), ``not_admitted`` (``reason``), ``other_conference``; 404
  ``unknown_code``; 400 ``invalid_code`` for input that is not a pass (a missing, null or numeric code, a body
  that is not a JSON object, a code not in the pass format or with wrong check digits); 400 ``invalid_request``
  for a malformed nonce or scan time, or one in the future (the desk's clock); 503 ``busy`` (send it again with
  the same nonce). An offline scan keeps its ``scanned_at`` or is refused: it is never re-timed. A repeated
  nonce gets the first answer again.
- ``POST /api/v1/checkin/batch`` ``{"scans": [...]}`` (at most 500): ``{"result": "ok", "results": [...]}``,
  each result the answer above plus its ``status``; a scan that is not an object is ``invalid_code``; a
  missing or too long list is 400 ``invalid_request``.
- 401 ``unauthorized`` with a message (no token, a wrong one, or "đã bị thu hồi lúc …" for a revoked one); 429
  ``too_many_attempts`` while an address sends wrong tokens.
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .. import vntime
from ..access import RECEPTION, device_api
from ..extensions import csrf, db
from ..models import Conference, Device, User
from ..ratelimit import wrong_secret
from . import bp, scanning
from .devices import device_for_token, hash_token

NO_TOKEN = "Thiếu mã thiết bị: gửi kèm tiêu đề «Authorization: Bearer <mã thiết bị>»."
WRONG_TOKEN = "Mã thiết bị không đúng: kiểm tra lại mã đã nhập vào máy quét (mã chỉ hiện một lần, lúc tạo)."
REVOKED_TOKEN = "Mã thiết bị này đã bị thu hồi lúc {at}: xin ban tổ chức cấp mã mới."
GUESSING = ("Có quá nhiều mã thiết bị sai gửi từ địa chỉ này; thử lại sau {seconds} giây. "
            "Máy quét có mã đúng vẫn dùng bình thường.")
NO_SESSION = "Phiên đăng nhập của bàn đón tiếp đã hết hạn hoặc thiếu mã bảo vệ: tải lại trang rồi quét lại."


class _Caller(NamedTuple):
    """Who is calling: the conference, and the device or the signed-in user."""

    conference: Conference
    device: Device | None = None
    user: User | None = None


def _refuse(message: str, status: int = 401, result: str = "unauthorized", **headers):
    """End the request with the API's answer for a caller it does not let in."""
    response = current_app.json.response({"result": result, "message": message})
    response.status_code = status
    response.headers.update(headers)
    abort(response)


def _caller() -> _Caller:
    """Who is calling; a caller the API does not know is answered here (401, or 429 while guessing tokens).

    A valid device token is always let in, however many wrong ones came from the same address (a venue's
    scanners and its guests share one); a wrong one is counted as a guess, and only a revoked one is told so."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            _refuse(NO_TOKEN)
        device = device_for_token(token)
        if device is not None:
            return _Caller(device.conference, device=device)
        revoked_at = db.session.scalar(sa.select(Device.revoked_at).where(Device.token_hash == hash_token(token)))
        if revoked_at is not None:
            _refuse(REVOKED_TOKEN.format(at=vntime.format_datetime(revoked_at)))
        wait = wrong_secret("device")
        if wait:
            _refuse(GUESSING.format(seconds=wait), 429, "too_many_attempts", **{"Retry-After": str(wait)})
        _refuse(WRONG_TOKEN)
    if current_user.is_authenticated and current_user.role in RECEPTION:
        conference_id = request.args.get("conference_id", type=int)
        conference = db.session.get(Conference, conference_id) if conference_id else None
        if conference is None:
            _refuse(NO_SESSION)
        if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                csrf.protect()
            except CSRFError:
                _refuse(NO_SESSION)
        return _Caller(conference, user=current_user._get_current_object())
    _refuse(NO_TOKEN)


def _json_object() -> dict:
    """The request's JSON object (refused as an invalid code when the body is not one)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise scanning.InvalidScan("Dữ liệu gửi lên không phải một đối tượng JSON có «code».")
    return data


@bp.route("/api/v1/delegates")
@device_api
@csrf.exempt
def api_delegates():
    """The conference's delegates with their pass texts and check-in times: what an offline desk needs."""
    caller = _caller()
    response = current_app.json.response(scanning.offline_list(caller.conference))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/v1/checkin", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin():
    """Check in one scanned code: {"code", "nonce"?, "scanned_at"?}."""
    caller = _caller()
    data = _json_object()
    status, body = scanning.record_checkin(caller.conference, data.get("code"), device=caller.device,
                                           user=caller.user, nonce=data.get("nonce"),
                                           scanned_at=data.get("scanned_at"))
    return body, status


@bp.route("/api/v1/checkin/batch", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin_batch():
    """Check in a queue of scans made offline: {"scans": [...]} (at most 500), one answer per scan."""
    caller = _caller()
    status, body = scanning.record_batch(caller.conference, _json_object().get("scans"), device=caller.device,
                                         user=caller.user)
    return body, status
