"""Who attended on which day: what the sign-in sheet, the support payment list (bảng kê, paid per day of
attendance, Circular 40/2017) and the report count."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import CheckIn, Conference


def days_attended(conference: Conference) -> dict[int, list[date]]:
    """For each delegate of ``conference`` with a live check-in, the days (local dates) they were checked in on,
    in order: one live check-in per delegate and day, the door's rule (``uq_checkin_live_per_delegate_day``)."""
    rows = db.session.execute(sa.select(CheckIn.delegate_id, CheckIn.day)
                              .where(CheckIn.conference_id == conference.id, CheckIn.undone_at.is_(None))
                              .order_by(CheckIn.delegate_id, CheckIn.day))
    days: dict[int, list[date]] = {}
    for delegate_id, day in rows:
        days.setdefault(delegate_id, []).append(day)
    return days
