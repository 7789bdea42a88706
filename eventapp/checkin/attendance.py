"""Who attended on which day: what the sign-in sheet, the support payment list (bảng kê, paid per day of
attendance, Circular 40/2017) and the report count."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from .. import vntime
from ..extensions import db
from ..models import CheckIn, Conference


def days_attended(conference: Conference) -> dict[int, list[date]]:
    """For each delegate of ``conference`` with a live check-in, the local dates they were checked in on,
    in order."""
    rows = db.session.execute(sa.select(CheckIn.delegate_id, CheckIn.checked_in_at)
                              .where(CheckIn.conference_id == conference.id, CheckIn.undone_at.is_(None))
                              .order_by(CheckIn.checked_in_at))
    days: dict[int, list[date]] = {}
    for delegate_id, checked_in_at in rows:
        day = vntime.to_local(checked_in_at).date()
        if day not in days.setdefault(delegate_id, []):
            days[delegate_id].append(day)
    return days
