"""Badges (thẻ đại biểu): which delegates, and what each badge prints (its QR drawn by ``eventapp.qr``, fast
enough for a sheet of a thousand)."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Conference, Delegate, DelegateStatus
from ..passes import qr_text
from ..qr import qr_svg

PER_PAGE = 8


def badge_delegates(conference: Conference, ids: list[int] | None = None) -> list[Delegate]:
    """Attending delegates (or the selected ones), leaders first, for printing."""
    query = sa.select(Delegate).where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None))
    if ids:
        query = query.where(Delegate.id.in_(ids[:5000]))
    else:
        query = query.where(Delegate.status == DelegateStatus.ATTENDING.value)
    return list(db.session.scalars(query.order_by(Delegate.precedence, Delegate.agency_name, Delegate.full_name)))


def badges(conference: Conference, delegates: list[Delegate]) -> list[dict]:
    """What each badge prints."""
    return [
        {"id": d.id, "name": d.full_name, "position": d.position, "agency": d.agency_name,
         "replaces_name": d.replaces_name, "qr": qr_svg(qr_text(conference.id, d.pass_code), label="Mã QR của thẻ")}
        for d in delegates
    ]


def pages(items: list, per_page: int = PER_PAGE) -> list[list]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)]
