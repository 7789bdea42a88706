"""The device API under /api/v1: JSON in and out, every answer with a "result".

A request is authenticated by ``Authorization: Bearer <device token>`` (the token belongs to one
conference), or, for the reception screen, by the signed-in session of a reception user together with
``?conference_id=`` and, on POST, the X-CSRFToken header (cookies must not be enough to write). A request the
services refuse (a malformed body, nonce or scan time) is answered ``{"result": "invalid_request", "message"}``
with 400 by the UserError handler.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..access import RECEPTION, device_api
from ..errors import UserError
from ..extensions import csrf, db
from ..models import Conference, Device, User
from ..ratelimit import record_token_miss, token_lookups_blocked
from . import bp, scanning
from .devices import device_for_token

UNAUTHORIZED = ({"result": "unauthorized", "message": "Thiếu mã thiết bị hợp lệ hoặc mã đã bị thu hồi."}, 401)


class _Caller(NamedTuple):
    """Who is calling: the conference, and the device or the signed-in user."""

    conference: Conference
    device: Device | None = None
    user: User | None = None


def _caller() -> _Caller | None:
    """Who is calling, or None when nobody the API knows."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        address = request.remote_addr or "?"
        if scheme.lower() != "bearer" or token_lookups_blocked(address):
            return None
        device = device_for_token(token.strip())
        if device is None:
            record_token_miss(address)  # guessing device tokens is slowed down like guessing links
            return None
        return _Caller(device.conference, device=device)
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


def _json_object() -> dict:
    """The request's JSON object (a UserError when the body is not one)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UserError("Dữ liệu gửi lên không phải JSON hợp lệ.")
    return data


@bp.route("/api/v1/delegates")
@device_api
@csrf.exempt
def api_delegates():
    """The conference's delegates with their pass texts and check-in times: what an offline desk needs."""
    caller = _caller()
    if caller is None:
        return UNAUTHORIZED
    response = current_app.json.response(scanning.offline_list(caller.conference))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/v1/checkin", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin():
    """Check in one scanned code: {"code", "nonce"?, "scanned_at"?}."""
    caller = _caller()
    if caller is None:
        return UNAUTHORIZED
    data = _json_object()
    if not isinstance(data.get("code"), str):
        raise UserError("Thiếu mã quét (code).")
    status, body = scanning.record_checkin(caller.conference, data["code"], device=caller.device,
                                           user=caller.user, nonce=data.get("nonce"),
                                           scanned_at=data.get("scanned_at"))
    return body, status


@bp.route("/api/v1/checkin/batch", methods=["POST"])
@device_api
@csrf.exempt
def api_checkin_batch():
    """Check in a queue of scans made offline: {"scans": [...]} (at most 500), one answer per scan."""
    caller = _caller()
    if caller is None:
        return UNAUTHORIZED
    status, body = scanning.record_batch(caller.conference, _json_object().get("scans"), device=caller.device,
                                         user=caller.user)
    return body, status
