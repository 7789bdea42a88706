"""The device API under /api/v1: JSON in and out, every answer with a "result".

A request is authenticated by ``Authorization: Bearer <device token>`` (the token belongs to one
conference), or, for the reception screen, by the signed-in session of a reception user together with
``?conference_id=`` and, on POST, the X-CSRFToken header (cookies must not be enough to write).
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..access import RECEPTION, device_api
from ..extensions import csrf, db
from ..models import Conference
from ..ratelimit import record_token_miss, token_lookups_blocked
from . import bp, services

UNAUTHORIZED = ({"result": "unauthorized", "message": "Thiếu mã thiết bị hợp lệ hoặc mã đã bị thu hồi."}, 401)


class _Caller:
    """Who is calling: the conference, and the device (with its connection) or the signed-in user."""

    def __init__(self, conference: Conference | services.ConferenceFacts, device: int | None = None, user=None,
                 connection=None, known=None):
        self.conference, self.device, self.user, self.connection = conference, device, user, connection
        self.known = known  # the scanned pass, when read with the device


def _caller(scan: dict | None = None) -> _Caller | None:
    """Who is calling, or None. A device presenting ``scan`` (a check-in's fields) has its pass read in the same
    query, and on PostgreSQL checked in by it when it plainly can be (services.device_for_token)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        address = request.remote_addr or "?"
        if scheme.lower() != "bearer" or token_lookups_blocked(address):
            return None
        connection = services.device_db()
        device = services.device_for_token(token.strip(), connection, scan=scan)
        if device is None:
            record_token_miss(address)  # guessing device tokens is slowed down like guessing links
            return None
        return _Caller(device.conference, device=device.id, connection=connection, known=device.known)
    if current_user.is_authenticated and current_user.role in RECEPTION:
        conference_id = request.args.get("conference_id", type=int)
        conference = db.session.get(Conference, conference_id) if conference_id else None
        if conference is None:
            return None
        if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                csrf.protect()
            except CSRFError:
                return None
        return _Caller(conference, user=current_user._get_current_object())
    return None


def _json_body():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _invalid(message: str = "Dữ liệu gửi lên không phải JSON hợp lệ."):
    return {"result": "invalid_request", "message": message}, 400


@bp.route("/api/v1/delegates")
@device_api
@csrf.exempt
def api_delegates():
    """The conference's delegates with their pass texts and check-in times: what an offline desk needs."""
    caller = _caller()
    if caller is None:
        return UNAUTHORIZED
    response = current_app.json.response(services.offline_list(caller.conference, caller.connection))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/v1/checkin", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin():
    """Check in one scanned code: {"code", "nonce"?, "scanned_at"?}."""
    data = _json_body()
    caller = _caller(scan=data)
    if caller is None:
        return UNAUTHORIZED
    if data is None:
        return _invalid()
    if not isinstance(data.get("code"), str):
        return _invalid("Thiếu mã quét (code).")
    status, body = services.record_checkin(caller.conference, data["code"], device=caller.device, user=caller.user,
                                           nonce=data.get("nonce"), scanned_at=data.get("scanned_at"),
                                           connection=caller.connection, known=caller.known)
    return body, status


@bp.route("/api/v1/checkin/batch", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin_batch():
    """Check in a queue of scans made offline: {"scans": [...]} (at most 500), one answer per scan."""
    caller = _caller()
    if caller is None:
        return UNAUTHORIZED
    data = _json_body()
    if data is None:
        return _invalid()
    status, body = services.record_batch(caller.conference, data.get("scans"), device=caller.device,
                                         user=caller.user, connection=caller.connection)
    return body, status
