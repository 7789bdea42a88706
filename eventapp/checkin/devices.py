"""Device tokens: a scanner app or a desk's browser checks in for one conference with a bearer token (shown
once, stored hashed), revoked when a phone is lost or a scanner returned.

A desk gets its token without a password: an organizer makes a one-time enrolment link (a QR on «Thiết bị»,
valid ENROLMENT_VALID), or a reception user signed in at the desk enrols that browser. Either way the token is
derived from a secret of the request (the link's, or the form's one-time key) with the app's SECRET_KEY, so the
same submit sent twice (a double click, a retry) finds the one device it made instead of making a second: the
token hash is unique in the database, and the link is claimed by one conditional UPDATE."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db, take_write_lock
from ..models import Conference, DeskEnrolment, Device, User, new_token, utcnow

#: A device's last_seen_at is written at most this often.
LAST_SEEN_EVERY = timedelta(seconds=60)
#: How long an enrolment link works.
ENROLMENT_VALID = timedelta(minutes=15)
#: How long the same enrolment sent again (a double click, a retry after a lost answer) is answered with the
#: desk it made, rather than refused.
REPEAT_WITHIN = timedelta(minutes=2)
#: The form's one-time key (made when the form is drawn).
_KEY = re.compile(r"[A-Za-z0-9_-]{16,100}")

LINK_UNKNOWN = "Đường liên kết thêm bàn đón tiếp không đúng: xin ban tổ chức mở «Thêm bàn đón tiếp» để có mã mới."
LINK_USED = ("Đường liên kết này đã được dùng lúc {at} để thêm «{name}»; mỗi đường liên kết chỉ thêm một bàn. "
             "Xin ban tổ chức tạo đường liên kết mới.")
LINK_EXPIRED = "Đường liên kết này đã hết hạn lúc {at}: xin ban tổ chức tạo đường liên kết mới."


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_device(conference: Conference, name: str, created_by: User | None = None) -> tuple[Device, str]:
    """A new device token for ``conference``: returns the device and the token, shown once."""
    name = text.nfc(name)[:100]
    if not name:
        raise UserError("Vui lòng đặt tên cho thiết bị.", field="name")
    token = new_token(32)
    device = Device(conference_id=conference.id, name=name, token_hash=hash_token(token), token_hint=token[:8],
                    created_by_id=created_by.id if created_by else None)
    db.session.add(device)
    db.session.flush()
    audit.record("device.create", f"Tạo mã thiết bị «{name}»", entity=device, conference_id=conference.id)
    db.session.commit()
    return device, token


def desk_token(secret: str) -> str:
    """The device token an enrolment secret makes: HMAC-SHA256 with the app's SECRET_KEY (256 bits, URL-safe),
    so only the server can make it and a repeat of the same enrolment makes the same one."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"desk-enrolment:" + secret.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def next_desk_name(conference: Conference) -> str:
    """The name a new desk is offered: "Bàn N", the first N no working desk of the conference is called."""
    taken = set(db.session.scalars(sa.select(Device.name).where(Device.conference_id == conference.id,
                                                                 Device.revoked_at.is_(None))))
    number = 1
    while f"Bàn {number}" in taken:
        number += 1
    return f"Bàn {number}"


def create_enrolment(conference: Conference, created_by: User | None = None,
                     now: datetime | None = None) -> tuple[DeskEnrolment, str]:
    """A one-time enrolment link for a new desk of ``conference``: returns it and its secret (shown once, as a
    QR and a link; stored hashed)."""
    now = now or utcnow()
    secret = new_token(32)
    enrolment = DeskEnrolment(conference_id=conference.id, token_hash=hash_token(secret), created_at=now,
                              expires_at=now + ENROLMENT_VALID, created_by_id=created_by.id if created_by else None)
    db.session.add(enrolment)
    db.session.flush()
    audit.record("device.enrolment", "Tạo đường liên kết thêm bàn đón tiếp", entity=enrolment,
                 conference_id=conference.id)
    db.session.commit()
    return enrolment, secret


def enrolment_for(secret: str) -> DeskEnrolment | None:
    """The enrolment whose link carries ``secret`` (used or not, expired or not), or None."""
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(sa.select(DeskEnrolment).where(DeskEnrolment.token_hash == hash_token(secret)))


def enrolment_refusal(enrolment: DeskEnrolment, now: datetime | None = None) -> str | None:
    """Why an enrolment link no longer makes a desk (used, expired), or None while it does."""
    now = now or utcnow()
    if enrolment.used_at is not None:
        device = db.session.get(Device, enrolment.device_id) if enrolment.device_id else None
        return LINK_USED.format(at=vntime.format_datetime(enrolment.used_at), name=device.name if device else "")
    if enrolment.expires_at <= now:
        return LINK_EXPIRED.format(at=vntime.format_datetime(enrolment.expires_at))
    return None


def enrol_with_link(secret: str, name: str) -> tuple[Device, str]:
    """Make the desk an enrolment link promises, named ``name``: returns the device and its token. The link is
    claimed by one conditional UPDATE, so of two submits at once one makes the desk; the other (and any repeat
    within REPEAT_WITHIN) is given that same desk. A used, expired or unknown link is a UserError."""
    name = _desk_name(name)
    now = utcnow()
    take_write_lock()
    claimed = db.session.execute(
        sa.update(DeskEnrolment)
        .where(DeskEnrolment.token_hash == hash_token(secret), DeskEnrolment.used_at.is_(None),
               DeskEnrolment.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)).rowcount
    enrolment = enrolment_for(secret)
    if enrolment is None:
        raise UserError(LINK_UNKNOWN)
    token = desk_token(secret)
    if not claimed:
        device = _made_before(token, enrolment.conference_id, now)
        if device is None:
            raise UserError(enrolment_refusal(enrolment, now) or LINK_UNKNOWN)
        return device, token
    device = _new_device(enrolment.conference_id, name, token, enrolment.created_by_id)
    enrolment.device_id = device.id
    audit.record("device.enrol", f"Thêm bàn đón tiếp «{name}» bằng đường liên kết", entity=device,
                 conference_id=enrolment.conference_id)
    db.session.commit()
    return device, token


def enrol_this_desk(conference: Conference, user: User, name: str, key: str) -> tuple[Device, str]:
    """Make the browser of a signed-in reception ``user`` a named desk of ``conference``; ``key`` is the form's
    one-time key, so the same form sent twice makes one desk and both answers carry its token."""
    name = _desk_name(name)
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise UserError("Biểu mẫu thêm bàn đã cũ: tải lại trang rồi thử lại.")
    token = desk_token(f"{conference.id}:{user.id}:{key}")
    try:
        device = _new_device(conference.id, name, token, user.id)
        audit.record("device.enrol", f"Thêm bàn đón tiếp «{name}» từ phiên đăng nhập", entity=device,
                     conference_id=conference.id)
        db.session.commit()
    except IntegrityError:  # this form was sent before: its desk exists
        db.session.rollback()
        device = _made_before(token, conference.id, utcnow())
        if device is None:
            raise UserError("Biểu mẫu này đã được dùng để thêm một bàn: tải lại trang để thêm bàn khác.") from None
    return device, token


def _desk_name(name) -> str:
    name = text.nfc(name if isinstance(name, str) else "")[:100]
    if not name:
        raise UserError("Vui lòng đặt tên cho bàn đón tiếp (ví dụ: Bàn 2).", field="name")
    return name


def _new_device(conference_id: int, name: str, token: str, created_by_id: int | None) -> Device:
    device = Device(conference_id=conference_id, name=name, token_hash=hash_token(token), token_hint=token[:8],
                    created_by_id=created_by_id)
    db.session.add(device)
    db.session.flush()  # the unique token hash refuses a second desk from the same enrolment here
    return device


def _made_before(token: str, conference_id: int, now: datetime) -> Device | None:
    """The working desk this token was made for moments ago (a repeated submit), or None."""
    device = db.session.scalar(sa.select(Device).where(Device.token_hash == hash_token(token)))
    if (device is None or device.conference_id != conference_id or device.revoked_at is not None
            or device.created_at < now - REPEAT_WITHIN):
        return None
    db.session.rollback()  # nothing to write: the claim did not take
    return device


def revoke_device(device: Device) -> None:
    """Stop a device token from working (a lost phone, a scanner returned)."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record("device.revoke", f"Thu hồi mã thiết bị «{device.name}»", entity=device,
                     conference_id=device.conference_id)
        db.session.commit()


def device_for_token(token: str) -> Device | None:
    """The unrevoked device whose bearer token this is (with its conference), or None. Notes when it was last
    seen (at most once a minute, committed at once)."""
    if not token or len(token) > 200:
        return None
    device = db.session.scalar(sa.select(Device).options(joinedload(Device.conference))
                               .where(Device.token_hash == hash_token(token), Device.revoked_at.is_(None)))
    if device is None:
        return None
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_EVERY:
        device.last_seen_at = now
        db.session.commit()
    return device


def devices_of(conference: Conference) -> list[Device]:
    """The conference's devices, working ones first, newest first."""
    return list(db.session.scalars(sa.select(Device).options(joinedload(Device.created_by))
                                   .where(Device.conference_id == conference.id)
                                   .order_by(Device.revoked_at.is_not(None), Device.created_at.desc())))
