"""The verbs of the agency directory: search, save and delete agencies; edit, reorder and delete groups."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text
from ..errors import UserError, refused_if_duplicate
from ..extensions import db
from ..models import Agency, AgencyGroup, Delegate, Invitation

#: The groups a new installation starts with (two-level local government since 1 July 2025).
DEFAULT_GROUPS = [
    "Sở, ban, ngành",
    "UBND cấp xã, phường",
    "Tổ chức khoa học và công nghệ",
    "Doanh nghiệp",
    "Cơ quan báo chí",
    "Đoàn thể, hội",
]


def ensure_default_groups() -> list[AgencyGroup]:
    """The groups in their order, creating the defaults when there are none yet."""
    groups = list_groups()
    if not groups:
        for position, name in enumerate(DEFAULT_GROUPS, start=1):
            db.session.add(AgencyGroup(name=name, position=position))
        db.session.commit()
        groups = list_groups()
    return groups


def list_groups() -> list[AgencyGroup]:
    """Every group in the host's order."""
    return list(db.session.scalars(sa.select(AgencyGroup).order_by(AgencyGroup.position, AgencyGroup.id)))


def group_counts() -> dict[int, int]:
    """Number of agencies in each group."""
    rows = db.session.execute(sa.select(Agency.group_id, sa.func.count()).group_by(Agency.group_id))
    return dict(rows.all())


def agency_query(q: str = "", group_id: int | None = None) -> sa.Select:
    """Agencies matching an accent-insensitive query and a group, by group order then name."""
    stmt = sa.select(Agency).join(Agency.group).options(joinedload(Agency.group))
    if group_id:
        stmt = stmt.where(Agency.group_id == group_id)
    for term in text.search_terms(q):
        stmt = stmt.where(Agency.search_text.contains(term, autoescape=True))
    return stmt.order_by(AgencyGroup.position, AgencyGroup.id, Agency.name)


def agency_search_text(agency: Agency) -> str:
    """The unaccented text an agency is found by: name, short name, contact person, email."""
    return text.search_key(agency.name, agency.short_name, agency.contact_name, agency.email)[:500]


def _name_taken(name: str, exclude_id: int | None = None) -> bool:
    stmt = sa.select(Agency.id).where(sa.or_(Agency.name == name, sa.func.lower(Agency.name) == name.lower()))
    if exclude_id:
        stmt = stmt.where(Agency.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def save_agency(agency: Agency | None, data: dict) -> Agency:
    """Create (agency None) or update an agency from cleaned form data, with an audit entry."""
    name = text.nfc(data["name"])
    if _name_taken(name, agency.id if agency else None):
        raise UserError(f"Đã có cơ quan «{name}» trong danh mục.", field="name")
    creating = agency is None
    if creating:
        agency = Agency()
        db.session.add(agency)
    agency.group_id = data["group_id"]
    agency.name = name
    agency.short_name = text.nfc(data.get("short_name", ""))
    agency.address = text.nfc(data.get("address", ""))
    agency.email = data.get("email", "") or ""
    agency.phone = data.get("phone", "") or ""
    agency.contact_name = text.nfc(data.get("contact_name", ""))
    agency.contact_position = text.nfc(data.get("contact_position", ""))
    agency.search_text = agency_search_text(agency)
    with refused_if_duplicate(f"Đã có cơ quan «{name}» trong danh mục.", field="name"):
        db.session.flush()
    audit.record("agency.create" if creating else "agency.update",
                 f"{'Thêm' if creating else 'Sửa'} cơ quan «{agency.name}»", entity=agency)
    db.session.commit()
    return agency


def delete_agency(agency: Agency) -> None:
    """Delete an agency that no conference has invited; otherwise say why not."""
    used = db.session.scalar(sa.select(sa.func.count()).select_from(Invitation).where(Invitation.agency_id == agency.id))
    if used:
        raise UserError(f"Không xóa được «{agency.name}»: cơ quan đã có trong {used} danh sách khách mời.")
    db.session.execute(sa.update(Delegate).where(Delegate.agency_id == agency.id).values(agency_id=None))
    audit.record("agency.delete", f"Xóa cơ quan «{agency.name}»", entity=agency)
    db.session.delete(agency)
    db.session.commit()


def _group_name_taken(name: str, exclude_id: int | None = None) -> bool:
    stmt = sa.select(AgencyGroup.id).where(sa.or_(AgencyGroup.name == name,
                                                 sa.func.lower(AgencyGroup.name) == name.lower()))
    if exclude_id:
        stmt = stmt.where(AgencyGroup.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def create_group(name: str) -> AgencyGroup:
    """Add a group at the end of the list."""
    name = text.nfc(name)
    if _group_name_taken(name):
        raise UserError(f"Đã có nhóm «{name}».", field="name")
    last = db.session.scalar(sa.select(sa.func.max(AgencyGroup.position))) or 0
    group = AgencyGroup(name=name, position=last + 1)
    db.session.add(group)
    with refused_if_duplicate(f"Đã có nhóm «{name}».", field="name"):
        db.session.flush()
    audit.record("agency_group.create", f"Thêm nhóm cơ quan «{name}»", entity=group)
    db.session.commit()
    return group


def rename_group(group: AgencyGroup, name: str) -> None:
    """Give a group a new name (unique)."""
    name = text.nfc(name)
    if _group_name_taken(name, group.id):
        raise UserError(f"Đã có nhóm «{name}».", field="name")
    old = group.name
    group.name = name
    with refused_if_duplicate(f"Đã có nhóm «{name}».", field="name"):
        db.session.flush()
    audit.record("agency_group.rename", f"Đổi tên nhóm «{old}» thành «{name}»", entity=group)
    db.session.commit()


def move_group(group: AgencyGroup, step: int) -> None:
    """Move a group one place up (step -1) or down (+1); positions are renumbered 1..n."""
    groups = list_groups()
    index = next(i for i, g in enumerate(groups) if g.id == group.id)
    target = index + step
    if 0 <= target < len(groups):
        groups[index], groups[target] = groups[target], groups[index]
    for position, g in enumerate(groups, start=1):
        g.position = position
    audit.record("agency_group.move", f"Đổi thứ tự nhóm «{group.name}»", entity=group)
    db.session.commit()


def delete_group(group: AgencyGroup) -> None:
    """Delete a group that holds no agency."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Agency).where(Agency.group_id == group.id))
    if count:
        raise UserError(f"Không xóa được nhóm «{group.name}»: nhóm còn {count} cơ quan. "
                          "Hãy chuyển các cơ quan sang nhóm khác trước.")
    audit.record("agency_group.delete", f"Xóa nhóm cơ quan «{group.name}»", entity=group)
    db.session.delete(group)
    db.session.commit()
