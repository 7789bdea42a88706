"""Seniority of a delegate from their position, for "leaders first" orderings (the board's missing list,
delegate lists, badges). One rule for every way a delegate arrives: an RSVP answer, the demo data, a walk-in
at the desk."""

from __future__ import annotations

import re

from . import text

_LEADER_TITLES = ("bi thu", "chu tich", "giam doc", "truong ban", "vien truong", "hieu truong", "tong bien tap",
                  "chanh an", "tu lenh", "cuc truong", "chi cuc truong", "truong doan")
_MIDDLE_TITLES = ("truong phong", "chanh van phong", "chanh thanh tra", "truong khoa", "truong tram",
                  "giam doc trung tam", "truong bo mon")
_STAFF_TITLES = ("chuyen vien", "can bo", "nhan vien", "ky su", "ky thuat vien", "nghien cuu vien", "thu ky")


def precedence_for(position: str) -> int:
    """A sort weight from a position: heads of agencies first (10), deputies (20), heads of units (30),
    their deputies (40), senior staff (60), staff (70), unknown (50)."""
    key = text.unaccent(position or "").lower()
    if not key:
        return 50
    deputy = bool(re.search(r"\bpho\b", key))
    for titles, level in ((_MIDDLE_TITLES, 30), (_LEADER_TITLES, 10)):
        if any(re.search(rf"\b{t}\b", key) for t in titles):
            return level + 10 if deputy else level
    if any(key.startswith(t) or f" {t}" in key for t in _STAFF_TITLES):
        return 60 if "chinh" in key.split() or "cao cap" in key else 70
    return 50
