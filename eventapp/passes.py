"""Pass codes: what a delegate's QR code says, and how a desk reads it back.

The QR text is ``<conference id>-<pass code>-<check>``, digits and hyphens only: handheld scanners type it
as keystrokes, and digits survive any keyboard layout or Vietnamese input method (Telex/VNI would turn
letters such as "dd" or "aa" into "đ", "â"). The pass code is 40 random digits (133 bits); the check is a
6-digit HMAC of the rest under SECRET_KEY, so a made-up or mistyped code is told apart from a real code
that is not (or no longer) on the list. Rotating SECRET_KEY therefore invalidates printed passes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

PASS_CODE_DIGITS = 40
_QR_TEXT = re.compile(r"^(\d{1,10})-(\d{40})-(\d{6})$")


class InvalidPassCode(ValueError):
    """The text is not a pass code this installation issued (malformed or forged)."""


def new_pass_code() -> str:
    """40 random decimal digits (about 133 bits)."""
    return str(secrets.randbelow(10**PASS_CODE_DIGITS)).zfill(PASS_CODE_DIGITS)


def _check(conference_id: int, pass_code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"eventapp-pass:{conference_id}:{pass_code}".encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 1_000_000).zfill(6)


def qr_text(conference_id: int, pass_code: str) -> str:
    """The text encoded in a delegate's pass QR code."""
    return f"{conference_id}-{pass_code}-{_check(conference_id, pass_code)}"


def parse_qr_text(text: str) -> tuple[int, str]:
    """(conference id, pass code) of a scanned text; InvalidPassCode when malformed or forged."""
    match = _QR_TEXT.match((text or "").strip())
    if not match:
        raise InvalidPassCode("malformed")
    conference_id, pass_code, check = int(match[1]), match[2], match[3]
    if not hmac.compare_digest(check, _check(conference_id, pass_code)):
        raise InvalidPassCode("forged")
    return conference_id, pass_code
