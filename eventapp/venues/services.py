"""The verbs of venues."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, text
from ..errors import UserError
from ..extensions import db
from ..models import Conference, Venue


def venue_list(q: str = "") -> list[tuple[Venue, int]]:
    """Venues with how many conferences use each, filtered by an accent-insensitive query."""
    used = (sa.select(Conference.venue_id, sa.func.count().label("n")).group_by(Conference.venue_id).subquery())
    rows = db.session.execute(
        sa.select(Venue, sa.func.coalesce(used.c.n, 0)).outerjoin(used, used.c.venue_id == Venue.id)
        .order_by(Venue.name, Venue.room)
    ).all()
    terms = text.search_terms(q)
    if terms:
        rows = [r for r in rows if all(t in text.search_key(r[0].name, r[0].room, r[0].address) for t in terms)]
    return [(venue, count) for venue, count in rows]


def _duplicate(venue: Venue | None, name: str, room: str) -> bool:
    stmt = sa.select(Venue.id).where(Venue.name == name, Venue.room == room)
    if venue is not None and venue.id:
        stmt = stmt.where(Venue.id != venue.id)
    return db.session.scalar(stmt) is not None


def save_venue(venue: Venue | None, values: dict) -> Venue:
    """Create (``venue`` None) or update a venue: name, room, address, phone, capacity, equipment, notes; a name
    and room already used is refused."""
    name, room = values["name"], values["room"] or ""
    if _duplicate(venue, name, room):
        raise UserError("Địa điểm với tên và phòng này đã có trong danh sách.", field="room")
    creating = venue is None
    venue = venue or Venue()
    venue.name, venue.room = name, room
    venue.address = values["address"] or ""
    venue.phone = values["phone"] or ""
    venue.capacity = values["capacity"]
    venue.equipment = text.nfc_block(values["equipment"] or "")
    venue.notes = text.nfc_block(values["notes"] or "")
    db.session.add(venue)
    db.session.flush()
    audit.record("venue.create" if creating else "venue.update",
                 f"{'Thêm' if creating else 'Sửa'} địa điểm «{venue.full_name}»", entity=venue)
    db.session.commit()
    return venue


def delete_venue(venue: Venue) -> None:
    """Delete a venue; conferences held there keep their data but lose the link."""
    audit.record("venue.delete", f"Xóa địa điểm «{venue.full_name}»", entity=venue)
    db.session.delete(venue)
    db.session.commit()
