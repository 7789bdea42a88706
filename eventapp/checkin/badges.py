"""Badges (thẻ đại biểu): which delegates, in which order, and what each badge prints (its QR drawn by
``eventapp.qr``, fast enough for a sheet of a thousand)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import text
from ..extensions import db
from ..models import Agency, Conference, Delegate, DelegateStatus
from ..passes import qr_text
from ..qr import qr_svg

PER_PAGE = 8
#: The orders a host may print badges in; the first is the default.
ORDERS = {"nhom": "Theo nhóm cơ quan, rồi tên", "uu-tien": "Lãnh đạo trước"}
#: A name longer than this prints smaller, so that it wraps between words, never inside one.
LONG_NAME = 18


def _by_group_then_name(delegate: Delegate) -> tuple:
    """Agency group in the host's order, agency in Vietnamese order, then the person by given name."""
    agency = delegate.agency
    group = agency.group if agency is not None else None
    return (group.position if group else 10**9, text.vn_collate_key(group.name if group else ""),
            text.vn_collate_key(delegate.agency_name), text.vn_sort_key(delegate.full_name), delegate.id)


def badge_delegates(conference: Conference, ids: list[int] | None = None, order: str = "nhom") -> list[Delegate]:
    """Attending delegates (or the selected ones) in the order the host chose: by agency group then Vietnamese name
    order (the default), or leaders first."""
    query = (sa.select(Delegate).where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None))
             .options(joinedload(Delegate.agency).joinedload(Agency.group)))
    if ids:
        query = query.where(Delegate.id.in_(ids[:5000]))
    else:
        query = query.where(Delegate.status == DelegateStatus.ATTENDING.value)
    delegates = list(db.session.scalars(query).unique())
    if order == "uu-tien":
        return sorted(delegates, key=lambda d: (d.precedence, text.vn_collate_key(d.agency_name),
                                                text.vn_sort_key(d.full_name), d.id))
    return sorted(delegates, key=_by_group_then_name)


def badges(conference: Conference, delegates: list[Delegate]) -> list[dict]:
    """What each badge prints."""
    return [
        {"id": d.id, "name": d.full_name, "long_name": len(d.full_name) > LONG_NAME, "position": d.position,
         "agency": d.agency_name, "replaces_name": d.replaces_name,
         "qr": qr_svg(qr_text(conference.id, d.pass_code), label="Mã QR của thẻ")}
        for d in delegates
    ]


def pages(items: list, per_page: int = PER_PAGE) -> list[list]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)]
