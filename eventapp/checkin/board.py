"""The live board's figures for one attendance day, in a fixed number of aggregate queries whatever the number
of delegates. A conference of several days counts each day's arrivals apart (a delegate checks in once a day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import vntime
from ..extensions import db
from ..models import (
    Agency,
    AgencyGroup,
    CheckIn,
    Conference,
    Delegate,
    DelegateStatus,
    Invitation,
    InvitationStatus,
)

BUCKET = timedelta(minutes=5)
MAX_BARS = 36
MISSING_SHOWN = 40


@dataclass
class Tally:
    name: str
    expected: int = 0
    arrived: int = 0
    children: list[Tally] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.arrived / self.expected) if self.expected else 0


@dataclass
class Bar:
    start: datetime
    count: int


def _admitted(conference_id: int):
    return sa.and_(
        Delegate.conference_id == conference_id,
        Delegate.status == DelegateStatus.ATTENDING.value,
        Delegate.erased_at.is_(None),
        sa.or_(Invitation.id.is_(None), Invitation.status != InvitationStatus.DECLINED.value),
    )


def _live(conference_id: int, day: date):
    return (sa.select(CheckIn.delegate_id, CheckIn.checked_in_at)
            .where(CheckIn.conference_id == conference_id, CheckIn.day == day, CheckIn.undone_at.is_(None))
            .subquery())


def conference_days(conference: Conference) -> list[date]:
    """The local dates the conference runs on, first to last."""
    first, last = vntime.to_local(conference.starts_at).date(), vntime.to_local(conference.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def board_day(conference: Conference, asked: str | None = None, now: datetime | None = None) -> date:
    """The day the board shows: the one asked for (ISO) when it is a day of the conference, else today, kept
    within the conference's days (its first day before it starts, its last day after it ends)."""
    days = conference_days(conference)
    try:
        wanted = date.fromisoformat(asked) if asked else None
    except ValueError:
        wanted = None
    if wanted in days:
        return wanted
    today = vntime.to_local(now or vntime.utcnow()).date()
    return min(max(today, days[0]), days[-1])


def figures(conference: Conference, day: date, now: datetime | None = None) -> dict:
    """Overall, by agency group and agency; arrivals per 5 minutes; who is still missing, leaders first: all for
    ``day``."""
    now = now or vntime.utcnow()
    live = _live(conference.id, day)
    group_name = sa.func.coalesce(AgencyGroup.name, "Khách mời khác")
    agency_name = sa.case((Delegate.agency_name == "", "Chưa rõ đơn vị"), else_=Delegate.agency_name)
    rows = db.session.execute(
        sa.select(group_name.label("group"), sa.func.min(AgencyGroup.position).label("group_position"),
                  agency_name.label("agency"), sa.func.count(Delegate.id).label("expected"),
                  sa.func.count(live.c.delegate_id).label("arrived"))
        .select_from(Delegate)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(Agency, Delegate.agency_id == Agency.id)
        .outerjoin(AgencyGroup, Agency.group_id == AgencyGroup.id)
        .outerjoin(live, live.c.delegate_id == Delegate.id)
        .where(_admitted(conference.id))
        .group_by(group_name, agency_name)
    ).all()
    overall = Tally("Tổng số")
    groups: dict[str, Tally] = {}
    order: dict[str, int] = {}
    for row in rows:
        group = groups.setdefault(row.group, Tally(row.group))
        order[row.group] = row.group_position if row.group_position is not None else 10_000
        group.children.append(Tally(row.agency, row.expected, row.arrived))
        group.expected += row.expected
        group.arrived += row.arrived
        overall.expected += row.expected
        overall.arrived += row.arrived
    for group in groups.values():
        group.children.sort(key=lambda t: (-(t.expected - t.arrived), t.name))
    by_group = sorted(groups.values(), key=lambda g: (order[g.name], g.name))

    times = db.session.scalars(
        sa.select(live.c.checked_in_at).select_from(live).order_by(live.c.checked_in_at)
    ).all()
    missing = db.session.execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.agency_name)
        .outerjoin(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(live, live.c.delegate_id == Delegate.id)
        .where(_admitted(conference.id), live.c.delegate_id.is_(None))
        .order_by(Delegate.precedence, Delegate.full_name, Delegate.id)
        .limit(MISSING_SHOWN)
    ).all()
    return {
        "overall": overall,
        "groups": by_group,
        # another day than today: its bars end at its last arrival
        "bars": arrivals(times, now if day == vntime.to_local(now).date() or not times else times[-1]),
        "day": day,
        "days": conference_days(conference),
        "missing": missing,
        "missing_count": overall.expected - overall.arrived,
        "updated_at": now,
    }


def arrivals(times: list[datetime], now: datetime) -> list[Bar]:
    """Check-ins per 5-minute slot, from the first arrival's slot to now (at most the last MAX_BARS slots)."""
    if not times:
        return []
    def slot(moment: datetime) -> datetime:
        local = vntime.to_local(moment)
        return local.replace(minute=local.minute - local.minute % 5, second=0, microsecond=0)

    counts: dict[datetime, int] = {}
    for moment in times:
        key = slot(moment)
        counts[key] = counts.get(key, 0) + 1
    last = max(slot(now), max(counts))
    first = max(min(counts), last - BUCKET * (MAX_BARS - 1))
    bars, cursor = [], first
    while cursor <= last:
        bars.append(Bar(cursor, counts.get(cursor, 0)))
        cursor += BUCKET
    return bars


def chart(bars: list[Bar], width: int = 960, height: int = 260) -> dict:
    """Geometry of the arrivals bar chart, drawn as inline SVG by the template."""
    if not bars:
        return {"width": width, "height": height, "bars": [], "max": 0}
    top = max(b.count for b in bars) or 1
    left, bottom, head = 40, 36, 24
    inner_w, inner_h = width - left - 8, height - bottom - head
    step = inner_w / len(bars)
    every = max(1, round(len(bars) / 12))
    shapes = []
    for index, bar in enumerate(bars):
        h = inner_h * bar.count / top
        w = min(step * 0.76, 64)
        shapes.append({
            "x": round(left + index * step + (step - w) / 2, 1),
            "w": round(w, 1),
            "y": round(head + inner_h - h, 1),
            "h": round(h, 1),
            "count": bar.count,
            "label": bar.start.strftime("%H:%M") if index % every == 0 else "",
            "cx": round(left + index * step + step / 2, 1),
        })
    return {"width": width, "height": height, "bars": shapes, "max": top, "base": head + inner_h,
            "left": left, "head": head}
