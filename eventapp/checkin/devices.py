"""Device tokens: a scanner app or a desk's browser checks in for one conference with a bearer token, created
by an organizer (shown once, stored hashed) and revoked when a phone is lost or a scanner returned."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text
from ..errors import UserError
from ..extensions import db
from ..models import Conference, Device, User, new_token, utcnow

#: A device's last_seen_at is written at most this often.
LAST_SEEN_EVERY = timedelta(seconds=60)


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
    return list(db.session.scalars(sa.select(Device).where(Device.conference_id == conference.id)
                                   .order_by(Device.revoked_at.is_not(None), Device.created_at.desc())))
