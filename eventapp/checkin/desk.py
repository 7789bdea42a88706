"""What the reception desk does besides scanning: find a delegate who forgot their pass and check them in by
name, register a walk-in guest or a substitute (and check them in), undo a mistaken check-in. Every check-in
goes through :func:`~eventapp.checkin.scanning.record_checkin`."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from .. import audit, text
from ..errors import UserError
from ..extensions import db
from ..models import (
    CheckIn,
    CheckInMethod,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    User,
    utcnow,
)
from ..passes import qr_text
from ..seniority import precedence_for
from .scanning import attendance_day, record_checkin, refuse_outside_window


def search_delegates(conference: Conference, query: str, limit: int = 20) -> list[tuple[Delegate, datetime | None]]:
    """Delegates whose name, position or agency contains every word of ``query``, accents ignored, with the
    time of their live check-in today (None when not in yet today)."""
    terms = text.search_terms(query or "")
    if not terms:
        return []
    live = (sa.select(CheckIn.delegate_id, CheckIn.checked_in_at)
            .where(CheckIn.undone_at.is_(None), CheckIn.conference_id == conference.id,
                   CheckIn.day == attendance_day(utcnow()))
            .subquery())
    stmt = (sa.select(Delegate, live.c.checked_in_at)
            .outerjoin(live, live.c.delegate_id == Delegate.id)
            .where(Delegate.conference_id == conference.id, Delegate.erased_at.is_(None)))
    for term in terms:
        stmt = stmt.where(Delegate.search_text.contains(term, autoescape=True))
    stmt = stmt.order_by(Delegate.precedence, Delegate.full_name).limit(limit)
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def checkin_delegate(delegate: Delegate, user: User, method: str) -> tuple[int, dict]:
    """Check in a delegate found by name (or just registered) at the desk, as if their pass were scanned."""
    return record_checkin(delegate.conference, qr_text(delegate.conference_id, delegate.pass_code), user=user,
                          method=method)


def register_walk_in(conference: Conference, user: User, full_name: str, position: str = "",
                     agency_name: str = "") -> tuple[int, dict]:
    """A guest who was not on the list: register them and check them in, in one step (nobody is registered
    while the check-in window is closed)."""
    full_name, position, agency_name = text.nfc(full_name), text.nfc(position), text.nfc(agency_name)
    if not full_name:
        raise UserError("Vui lòng nhập họ và tên.")
    refuse_outside_window(conference)
    delegate = Delegate(conference_id=conference.id, invitation_id=None, kind=DelegateKind.WALK_IN.value,
                        full_name=full_name, position=position, agency_name=agency_name,
                        precedence=precedence_for(position), status=DelegateStatus.ATTENDING.value,
                        search_text=text.search_key(full_name, position, agency_name))
    db.session.add(delegate)
    db.session.flush()
    audit.record("checkin.walk_in", f"Đăng ký tại chỗ: {full_name}", entity=delegate, conference_id=conference.id)
    db.session.commit()
    return checkin_delegate(delegate, user, CheckInMethod.WALK_IN)


def register_substitute(conference: Conference, user: User, replaced: Delegate, full_name: str,
                        position: str = "") -> tuple[int, dict]:
    """Someone arrives instead of an invited delegate: record the substitute (the invited one is cancelled) and
    check them in."""
    full_name, position = text.nfc(full_name), text.nfc(position)
    if replaced.conference_id != conference.id or replaced.invitation_id is None:
        raise UserError("Chỉ ghi nhận người đi thay cho đại biểu được mời của hội nghị này.")
    if not full_name:
        raise UserError("Vui lòng nhập họ và tên người đi thay.")
    refuse_outside_window(conference)
    live = db.session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == replaced.id,
                                                         CheckIn.undone_at.is_(None)))
    if live is not None:
        raise UserError(f"{replaced.full_name} đã check-in; không thể ghi nhận người đi thay.")
    substitute = Delegate(conference_id=conference.id, invitation_id=replaced.invitation_id,
                          kind=DelegateKind.SUBSTITUTE.value, full_name=full_name, position=position,
                          agency_name=replaced.agency_name, agency_id=replaced.agency_id,
                          replaces_name=replaced.full_name,
                          precedence=precedence_for(position) if position else replaced.precedence,
                          status=DelegateStatus.ATTENDING.value,
                          search_text=text.search_key(full_name, position, replaced.agency_name))
    replaced.status = DelegateStatus.CANCELLED.value
    db.session.add(substitute)
    db.session.flush()
    audit.record("checkin.substitute", f"{full_name} đi thay {replaced.full_name}", entity=substitute,
                 conference_id=conference.id, replaces_delegate_id=replaced.id)
    db.session.commit()
    return checkin_delegate(substitute, user, CheckInMethod.WALK_IN)


def undo_checkin(conference: Conference, user: User, checkin_id: int | None = None) -> CheckIn:
    """Undo a check-in (the given one, else the last one this user recorded); the delegate may scan again."""
    query = sa.select(CheckIn).where(CheckIn.conference_id == conference.id, CheckIn.undone_at.is_(None))
    if checkin_id:
        query = query.where(CheckIn.id == checkin_id)
    else:
        query = query.where(CheckIn.user_id == user.id).order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc())
    checkin = db.session.scalars(query.limit(1)).first()
    if checkin is None:
        raise UserError("Không có lượt check-in nào để hoàn tác.")
    checkin.undone_at = utcnow()
    checkin.undone_by_id = user.id
    audit.record("checkin.undo", f"Hoàn tác check-in của {checkin.delegate.full_name}", entity=checkin,
                 conference_id=conference.id, delegate_id=checkin.delegate_id)
    db.session.commit()
    return checkin
