"""The verbs of an invitation list: invite agencies, groups and persons, change and remove lines, sum up,
and list the answers. Imports live in ``importing.py``, printed letters in ``letters.py``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, spreadsheets, text, vntime
from ..errors import UserError
from ..extensions import db
from ..models import (
    Agency,
    AgencyGroup,
    CheckIn,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Invitation,
    InvitationKind,
    InvitationStatus,
    RemovedInvitation,
    UTCDateTime,
    utcnow,
)
from ..web import public_url

#: Roles an agency is usually asked to send (the "thành phần mời" of a plan).
ROLE_SUGGESTIONS = [
    "Đại diện lãnh đạo",
    "Lãnh đạo và chuyên viên phụ trách",
    "Lãnh đạo đơn vị",
    "Chuyên viên phụ trách",
    "Phóng viên",
]
#: The heading of persons invited without an agency.
NO_GROUP = "Khách mời cá nhân"


#: Vietnamese collation keys are pure Python per character; names repeat from request to request, so cache them.
collate_key = functools.lru_cache(maxsize=100_000)(text.vn_collate_key)
name_sort_key = functools.lru_cache(maxsize=100_000)(text.vn_sort_key)


def rsvp_url(invitation: Invitation) -> str:
    """The personal RSVP link of an invitation, as printed on letters, in mails and in QR codes."""
    return public_url("rsvp.respond", token=invitation.rsvp_token)


def directory_agency(agency_id) -> Agency:
    """The agency of the directory that a form picked."""
    agency = db.session.get(Agency, int(agency_id)) if str(agency_id).isdigit() else None
    if agency is None:
        raise UserError("Không tìm thấy cơ quan đã chọn trong danh mục.", field="agency_id")
    return agency


def refresh_search_text(invitation: Invitation, agency: Agency | None = None) -> None:
    """Keep the unaccented search column in step with the addressee's names."""
    agency = agency or invitation.agency
    invitation.search_text = text.search_key(
        invitation.invitee_name, invitation.invitee_position, invitation.role_text,
        agency.name if agency else "", agency.short_name if agency else "", invitation.email,
    )[:700]


def _next_position(conference_id: int) -> int:
    last = db.session.scalar(sa.select(sa.func.max(Invitation.position)).where(Invitation.conference_id == conference_id))
    return (last or 0) + 1


def _check_seats(seats: int | None) -> int:
    if seats is None:
        return 1
    if not 1 <= seats <= 500:
        raise UserError("Số chỗ phải từ 1 đến 500.", field="seats")
    return seats


def invite_agency(conference: Conference, agency: Agency, seats: int | None = 1, role_text: str = "") -> Invitation:
    """Invite an agency of the directory with a number of seats and a role; once per conference."""
    seats = _check_seats(seats)
    exists = db.session.scalar(sa.select(Invitation.id).where(
        Invitation.conference_id == conference.id, Invitation.kind == InvitationKind.AGENCY,
        Invitation.agency_id == agency.id))
    if exists:
        raise UserError(f"«{agency.name}» đã có trong danh sách khách mời.")
    invitation = Invitation(conference_id=conference.id, kind=InvitationKind.AGENCY.value, agency_id=agency.id,
                            seats=seats, role_text=text.nfc(role_text), email=agency.email, phone=agency.phone,
                            position=_next_position(conference.id))
    refresh_search_text(invitation, agency)
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.create", f"Mời «{agency.name}» ({seats} chỗ)", entity=invitation,
                 conference_id=conference.id, seats=seats, role_text=invitation.role_text)
    db.session.commit()
    return invitation


def invite_person(conference: Conference, name: str, position: str = "", agency: Agency | None = None,
                  email: str = "", phone: str = "", seats: int | None = 1) -> Invitation:
    """Invite a named person (with their position and, optionally, their agency)."""
    name = text.nfc(name)
    if not name:
        raise UserError("Vui lòng nhập họ và tên người được mời.", field="invitee_name")
    invitation = Invitation(conference_id=conference.id, kind=InvitationKind.PERSON.value,
                            agency_id=agency.id if agency else None, invitee_name=name,
                            invitee_position=text.nfc(position), email=email, phone=phone,
                            seats=_check_seats(seats), position=_next_position(conference.id))
    refresh_search_text(invitation, agency)
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.create", f"Mời {invitation.invitee_name}", entity=invitation,
                 conference_id=conference.id)
    db.session.commit()
    return invitation


def invite_group(conference: Conference, group: AgencyGroup | int, seats: int | None = 1,
                 role_text: str = "") -> tuple[AgencyGroup, int]:
    """Invite every agency of a group not yet invited, each with the same seats and role; returns the group
    and how many were invited (none is refused: there was nothing to do)."""
    if not isinstance(group, AgencyGroup):
        group = db.session.get(AgencyGroup, group)
        if group is None:
            raise UserError("Không tìm thấy nhóm đã chọn.", field="group_id")
    seats = _check_seats(seats)
    invited = set(db.session.scalars(sa.select(Invitation.agency_id).where(
        Invitation.conference_id == conference.id, Invitation.kind == InvitationKind.AGENCY)))
    agencies = [a for a in db.session.scalars(sa.select(Agency).where(Agency.group_id == group.id))
                if a.id not in invited]
    agencies.sort(key=lambda a: collate_key(a.name))
    position = _next_position(conference.id)
    for offset, agency in enumerate(agencies):
        invitation = Invitation(conference_id=conference.id, kind=InvitationKind.AGENCY.value, agency_id=agency.id,
                                seats=seats, role_text=text.nfc(role_text), email=agency.email, phone=agency.phone,
                                position=position + offset)
        refresh_search_text(invitation, agency)
        db.session.add(invitation)
    if agencies:
        audit.record("invitation.create_group", f"Mời cả nhóm «{group.name}» ({len(agencies)} cơ quan)",
                     conference_id=conference.id, group_id=group.id, count=len(agencies), seats=seats)
    else:
        raise UserError(f"Mọi cơ quan của nhóm «{group.name}» đều đã được mời (hoặc nhóm chưa có cơ quan).",
                        field="group_id")
    db.session.commit()
    return group, len(agencies)


def update_invitation(invitation: Invitation, seats: int | None, role_text: str, invitee_name: str = "",
                      invitee_position: str = "", email: str = "", phone: str = "", note: str = "") -> None:
    """Change the seats, role, addressee and contact of an invitation."""
    seats = _check_seats(seats)
    named = sum(1 for d in invitation.delegates if d.status == DelegateStatus.ATTENDING)
    if seats < named:
        raise UserError(f"Cơ quan đã cử {named} đại biểu; số chỗ không được ít hơn {named}.", field="seats")
    if invitation.kind == InvitationKind.PERSON and not text.nfc(invitee_name):
        raise UserError("Vui lòng nhập họ và tên người được mời.", field="invitee_name")
    before = {"seats": invitation.seats, "role_text": invitation.role_text}
    invitation.seats = seats
    invitation.role_text = text.nfc(role_text)
    invitation.invitee_name = text.nfc(invitee_name)
    invitation.invitee_position = text.nfc(invitee_position)
    invitation.email = email
    invitation.phone = phone
    invitation.note = text.nfc(note)[:500]
    refresh_search_text(invitation)
    audit.record("invitation.update", f"Sửa lời mời «{invitation.addressee}»", entity=invitation,
                 before=before, seats=seats, role_text=invitation.role_text)
    db.session.commit()


#: How long a removed invitation can be restored.
RESTORABLE = timedelta(days=30)


def _columns_of(row) -> dict:
    """A row's columns as JSON can keep them (times as ISO text)."""
    values = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _row_from(model, values: dict):
    row = model()
    for column in model.__table__.columns:
        value = values.get(column.key)
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        setattr(row, column.key, value)
    return row


def answered_delegates(invitation: Invitation) -> int:
    """How many delegates answered for an invitation (what removing it would take away)."""
    return sum(1 for d in invitation.delegates if d.status == DelegateStatus.ATTENDING)


def removal_warning(invitation: Invitation) -> str:
    """The question before removing an invitation, with what it has: the same words in the browser's dialog
    and on the page without JavaScript."""
    question = f"Xóa «{invitation.addressee}» khỏi danh sách khách mời?"
    named = answered_delegates(invitation)
    if invitation.status == InvitationStatus.DECLINED:
        question += " Lời mời này đã có trả lời (không tham dự)."
    elif named:
        question += f" Lời mời này đã có trả lời: {named} đại biểu đăng ký, thẻ của họ sẽ hết hiệu lực."
    return question + " Có thể khôi phục trong 30 ngày (mục «Đã xóa»)."


def remove_invitation(invitation: Invitation, *, commit: bool = True) -> RemovedInvitation:
    """Remove a line of the list, unless one of its delegates has already checked in. The invitation and its
    delegates are kept as they were for 30 days, to be restored."""
    checked_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(CheckIn).join(Delegate, CheckIn.delegate_id == Delegate.id)
        .where(Delegate.invitation_id == invitation.id)
    )
    if checked_in:
        raise UserError(f"Không xóa được «{invitation.addressee}»: đã có đại biểu của lời mời này "
                              "check-in tại hội nghị.")
    user = current_user if has_request_context() and current_user.is_authenticated else None
    kept = RemovedInvitation(
        conference_id=invitation.conference_id, addressee=invitation.addressee[:600],
        answers=answered_delegates(invitation), removed_by=user.full_name if user else "",
        data=json.dumps({"invitation": _columns_of(invitation),
                         "delegates": [_columns_of(d) for d in invitation.delegates]}, ensure_ascii=False),
    )
    db.session.add(kept)
    audit.record("invitation.delete", f"Xóa lời mời «{invitation.addressee}»", entity=invitation,
                 seats=invitation.seats, status=invitation.status,
                 delegates=[d.full_name for d in invitation.delegates])
    # Delegates go with their invitation (the ORM would otherwise try to detach them, which their CHECK forbids).
    for delegate in list(invitation.delegates):
        db.session.delete(delegate)
    db.session.delete(invitation)
    if commit:
        db.session.commit()
    return kept


def remove_invitations(conference: Conference, ids: list[int]) -> int:
    """Remove several lines at once (all or none); returns how many."""
    chosen = db.session.scalars(invitation_query(conference.id).where(Invitation.id.in_(ids))).unique().all()
    if not chosen:
        raise UserError("Chưa chọn khách mời nào: đánh dấu các dòng cần xóa.")
    for invitation in chosen:
        remove_invitation(invitation, commit=False)
    db.session.commit()
    return len(chosen)


def removed_invitations(conference: Conference) -> list[RemovedInvitation]:
    """The invitations removed in the last 30 days, latest first (older ones are forgotten here)."""
    db.session.execute(sa.delete(RemovedInvitation).where(RemovedInvitation.removed_at < utcnow() - RESTORABLE))
    db.session.commit()
    return list(db.session.scalars(sa.select(RemovedInvitation).where(
        RemovedInvitation.conference_id == conference.id).order_by(RemovedInvitation.removed_at.desc())))


def restore_invitation(conference: Conference, removed_id: int) -> Invitation:
    """Bring back a removed invitation with its delegates, its personal link and their passes."""
    kept = db.session.get(RemovedInvitation, removed_id)
    if kept is None or kept.conference_id != conference.id or kept.removed_at < utcnow() - RESTORABLE:
        raise UserError("Không tìm thấy lời mời đã xóa này (quá 30 ngày thì không khôi phục được nữa).")
    data = json.loads(kept.data)
    invitation = _row_from(Invitation, data["invitation"])
    if invitation.agency_id is not None and db.session.get(Agency, invitation.agency_id) is None:
        raise UserError(f"Không khôi phục được «{kept.addressee}»: cơ quan đã bị xóa khỏi danh mục.")
    if invitation.kind == InvitationKind.AGENCY and db.session.scalar(sa.select(Invitation.id).where(
            Invitation.conference_id == conference.id, Invitation.kind == InvitationKind.AGENCY,
            Invitation.agency_id == invitation.agency_id)):
        raise UserError(f"Không khôi phục được «{kept.addressee}»: cơ quan này đã được mời lại.")
    db.session.add(invitation)
    for values in data["delegates"]:
        db.session.add(_row_from(Delegate, values))
    db.session.delete(kept)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise UserError(f"Không khôi phục được «{kept.addressee}»: danh sách vừa thay đổi.") from None
    audit.record("invitation.restore", f"Khôi phục lời mời «{kept.addressee}»", entity=invitation,
                 conference_id=conference.id, delegates=len(data["delegates"]))
    db.session.commit()
    return invitation


# --- the list, grouped, with totals ---------------------------------------------------------------

@dataclass
class Totals:
    """Seats invited and how they answered."""

    seats: int = 0
    confirmed: int = 0
    declined: int = 0
    pending: int = 0
    lines: int = 0

    def add(self, invitation: Invitation) -> None:
        self.lines += 1
        self.seats += invitation.seats
        attending = sum(1 for d in invitation.delegates if d.status == DelegateStatus.ATTENDING)
        self.confirmed += attending
        if invitation.status == InvitationStatus.DECLINED:
            self.declined += invitation.seats
        elif invitation.status == InvitationStatus.PENDING:
            self.pending += invitation.seats

    def merge(self, other: Totals) -> None:
        for name in ("seats", "confirmed", "declined", "pending", "lines"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class GroupSection:
    """The invitations of one agency group, ordered by agency."""

    name: str
    position: int
    invitations: list[Invitation] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    #: The group's id, or 0 for named persons without an agency (the ``nhom`` of the page's URL).
    key: int = 0
    #: True when a large list shows only this group's totals until the organizer opens it.
    collapsed: bool = False


#: Beyond this many invitations the list shows one group's lines at a time (a national conference has
#: hundreds of agencies; a page of every delegate would be megabytes).
LARGE_LIST = 250


@dataclass
class InvitationList:
    sections: list[GroupSection]
    totals: Totals
    capacity: int | None

    @property
    def gap(self) -> int | None:
        """Free places left in the hall after every invited seat (negative: over capacity)."""
        return None if self.capacity is None else self.capacity - self.totals.seats


def invitation_query(conference_id: int) -> sa.Select:
    """The invitations of a conference with their agency, group and delegates loaded (fixed query count)."""
    return (
        sa.select(Invitation)
        .where(Invitation.conference_id == conference_id)
        .options(
            joinedload(Invitation.agency).joinedload(Agency.group),
            selectinload(Invitation.delegates),
        )
    )


def _line_key(invitation: Invitation):
    agency = invitation.agency
    return (
        collate_key(agency.name) if agency else ((),),
        0 if invitation.kind == InvitationKind.AGENCY else 1,
        name_sort_key(invitation.invitee_name),
        invitation.id,
    )


def invitation_list(conference: Conference, open_group: int | None = None,
                    filters: ListFilters | None = None) -> InvitationList:
    """The "thành phần mời" of a conference, by agency group then agency in Vietnamese order, with totals; or, with
    ``filters`` that narrow or sort it, the invitations they pick, by group in the order they ask for.

    A list of more than LARGE_LIST invitations shows every group's totals (counted by the database) and the
    lines of one group only: ``open_group`` (a group id, 0 for persons without an agency), else the first.
    """
    capacity = conference.venue.capacity if conference.venue else None
    if filters is not None and (filters.active or filters.sort):
        return _sections(filtered_invitations(conference.id, filters), capacity, keep_order=True)
    line_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.conference_id == conference.id))
    if line_count > LARGE_LIST:
        return _large_invitation_list(conference, open_group, capacity)
    return _sections(db.session.scalars(invitation_query(conference.id)).unique().all(), capacity)


def _sections(invitations: list[Invitation], capacity: int | None, keep_order: bool = False) -> InvitationList:
    sections: dict[object, GroupSection] = {}
    for invitation in invitations:
        group = invitation.agency.group if invitation.agency else None
        key = group.id if group else 0
        if key not in sections:
            sections[key] = GroupSection(name=group.name if group else NO_GROUP,
                                         position=group.position if group else 10**9, key=key)
        sections[key].invitations.append(invitation)
        sections[key].totals.add(invitation)
    ordered = sorted(sections.values(), key=lambda s: (s.position, collate_key(s.name)))
    overall = Totals()
    for section in ordered:
        if not keep_order:
            section.invitations.sort(key=_line_key)
        overall.merge(section.totals)
    return InvitationList(sections=ordered, totals=overall, capacity=capacity)


def _large_invitation_list(conference: Conference, open_group: int | None, capacity: int | None) -> InvitationList:
    """Totals of every group in two aggregate queries, and the lines of the open group only."""
    group_key = sa.func.coalesce(Agency.group_id, 0)

    def seats_by(status):
        return sa.func.coalesce(sa.func.sum(Invitation.seats).filter(Invitation.status == status), 0)

    per_group = db.session.execute(
        sa.select(group_key, sa.func.count(), sa.func.sum(Invitation.seats),
                  seats_by(InvitationStatus.DECLINED), seats_by(InvitationStatus.PENDING))
        .select_from(Invitation).outerjoin(Agency, Invitation.agency_id == Agency.id)
        .where(Invitation.conference_id == conference.id).group_by(group_key)
    ).all()
    confirmed = dict(db.session.execute(
        sa.select(group_key, sa.func.count())
        .select_from(Delegate).join(Invitation, Delegate.invitation_id == Invitation.id)
        .outerjoin(Agency, Invitation.agency_id == Agency.id)
        .where(Delegate.conference_id == conference.id, Delegate.status == DelegateStatus.ATTENDING)
        .group_by(group_key)
    ).all())
    groups = {g.id: g for g in db.session.scalars(
        sa.select(AgencyGroup).where(AgencyGroup.id.in_([row[0] for row in per_group])))}
    sections = []
    for key, lines, seats, declined, pending in per_group:
        group = groups.get(key)
        section = GroupSection(name=group.name if group else NO_GROUP, position=group.position if group else 10**9,
                               key=key, collapsed=True)
        section.totals = Totals(seats=seats or 0, confirmed=confirmed.get(key, 0), declined=declined,
                                pending=pending, lines=lines)
        sections.append(section)
    sections.sort(key=lambda s: (s.position, collate_key(s.name)))
    overall = Totals()
    for section in sections:
        overall.merge(section.totals)
    chosen = next((s for s in sections if s.key == open_group), sections[0] if sections else None)
    if chosen is not None:
        stmt = invitation_query(conference.id)
        stmt = (stmt.where(Invitation.agency_id.is_(None)) if chosen.key == 0 else
                stmt.join(Agency, Invitation.agency_id == Agency.id).where(Agency.group_id == chosen.key))
        chosen.invitations = sorted(db.session.scalars(stmt).unique().all(), key=_line_key)
        chosen.collapsed = False
    return InvitationList(sections=sections, totals=overall, capacity=capacity)


def uninvited_agencies(conference_id: int, q: str = "", limit: int = 20) -> list[Agency]:
    """Directory agencies matching ``q`` that this conference has not invited yet (the picker)."""
    invited = sa.select(Invitation.agency_id).where(
        Invitation.conference_id == conference_id, Invitation.kind == InvitationKind.AGENCY,
        Invitation.agency_id.is_not(None))
    stmt = (sa.select(Agency).join(Agency.group).options(joinedload(Agency.group))
            .where(Agency.id.not_in(invited)))
    for term in text.search_terms(q):
        stmt = stmt.where(Agency.search_text.contains(term, autoescape=True))
    stmt = stmt.order_by(AgencyGroup.position, Agency.name).limit(limit)
    return list(db.session.scalars(stmt))


def groups_with_counts(conference_id: int) -> list[tuple[AgencyGroup, int, int]]:
    """(group, agencies in the directory, agencies not yet invited) for the "invite a whole group" form."""
    invited = sa.select(Invitation.agency_id).where(
        Invitation.conference_id == conference_id, Invitation.kind == InvitationKind.AGENCY,
        Invitation.agency_id.is_not(None)).scalar_subquery()
    rows = db.session.execute(
        sa.select(AgencyGroup, sa.func.count(Agency.id),
                  sa.func.count(Agency.id).filter(Agency.id.not_in(invited)))
        .outerjoin(Agency, Agency.group_id == AgencyGroup.id)
        .group_by(AgencyGroup.id).order_by(AgencyGroup.position, AgencyGroup.id)
    ).all()
    return [(g, total, free) for g, total, free in rows]


# --- search, filter and sort (the invitation list, the sending page, their exports) -----------------

#: The sort orders a list offers: key -> label.
SORTS = {"": "Theo nhóm và tên", "ten": "Tên", "trang-thai": "Trả lời", "gui": "Ngày gửi", "tra-loi": "Ngày trả lời"}


@dataclass
class ListFilters:
    """What a list of invitations is narrowed to and ordered by, as the query string says it."""

    q: str = ""
    group_id: int = 0  #: -1: persons without an agency
    agency_id: int = 0
    status: str = ""
    sent: str = ""  #: "da" (sent) or "chua" (never sent)
    answered: str = ""  #: "da" or "chua"
    sort: str = ""
    descending: bool = False

    @classmethod
    def from_args(cls, args) -> ListFilters:
        return cls(q=args.get("q", "")[:200], group_id=args.get("nhom", 0, type=int),
                   agency_id=args.get("co_quan", 0, type=int), status=args.get("trang_thai", ""),
                   sent=args.get("gui", ""), answered=args.get("tra_loi", ""),
                   sort=args.get("sap_xep", "") if args.get("sap_xep", "") in SORTS else "",
                   descending=args.get("chieu") == "giam")

    @property
    def active(self) -> bool:
        """True when the list is narrowed (not only sorted)."""
        return bool(self.q or self.group_id or self.agency_id or self.status or self.sent or self.answered)

    def args(self, **changes) -> dict:
        """The query string of these filters (with ``changes``), for links and exports."""
        values = {"q": self.q, "nhom": self.group_id or None, "co_quan": self.agency_id or None,
                  "trang_thai": self.status, "gui": self.sent, "tra_loi": self.answered, "sap_xep": self.sort,
                  "chieu": "giam" if self.descending else None} | changes
        return {k: v for k, v in values.items() if v}

    def apply(self, stmt: sa.Select) -> sa.Select:
        """``stmt`` (invitations, with Agency outer-joined) narrowed to these filters."""
        if self.group_id == -1:
            stmt = stmt.where(Invitation.agency_id.is_(None))
        elif self.group_id:
            stmt = stmt.where(Agency.group_id == self.group_id)
        if self.agency_id:
            stmt = stmt.where(Invitation.agency_id == self.agency_id)
        if self.status in {s.value for s in InvitationStatus}:
            stmt = stmt.where(Invitation.status == self.status)
        if self.sent == "da":
            stmt = stmt.where(Invitation.first_sent_at.is_not(None))
        elif self.sent == "chua":
            stmt = stmt.where(Invitation.first_sent_at.is_(None))
        if self.answered == "da":
            stmt = stmt.where(Invitation.status != InvitationStatus.PENDING.value)
        elif self.answered == "chua":
            stmt = stmt.where(Invitation.status == InvitationStatus.PENDING.value)
        for term in text.search_terms(self.q):
            stmt = stmt.where(Invitation.search_text.contains(term, autoescape=True))
        return stmt

    def order(self, invitations: list[Invitation]) -> list[Invitation]:
        """The invitations in the chosen order (by group, then agency and name, by default)."""
        never = (1, 0)
        keys = {
            "": _list_key,
            "ten": lambda i: (collate_key(i.invitee_name or (i.agency.name if i.agency else "")), i.id),
            "trang-thai": lambda i: (i.status != InvitationStatus.PENDING, i.status, _list_key(i)),
            "gui": lambda i: (0, i.first_sent_at.timestamp(), i.id) if i.first_sent_at else never,
            "tra-loi": lambda i: (0, i.responded_at.timestamp(), i.id) if i.responded_at else never,
        }
        return sorted(invitations, key=keys[self.sort], reverse=self.descending)


def _list_key(invitation: Invitation):
    group = invitation.agency.group if invitation.agency else None
    return (group.position if group else 10**9, *_line_key(invitation))


def filtered_invitations(conference_id: int, filters: ListFilters) -> list[Invitation]:
    """The invitations of a conference that match ``filters``, in their order, agencies and delegates loaded."""
    stmt = filters.apply(invitation_query(conference_id).outerjoin(Agency, Invitation.agency_id == Agency.id))
    return filters.order(db.session.scalars(stmt).unique().all())


def list_groups_and_agencies(conference_id: int) -> tuple[list[AgencyGroup], list[Agency]]:
    """The groups of the directory and the agencies on this list, for the filters."""
    groups = list(db.session.scalars(sa.select(AgencyGroup).order_by(AgencyGroup.position, AgencyGroup.id)))
    return groups, invited_agencies(conference_id)


# --- answers --------------------------------------------------------------------------------------

@dataclass
class AnswerFilters:
    group_id: int = 0
    agency_id: int = 0
    status: str = ""
    substitute: str = ""  # "co" or "khong"
    q: str = ""


def answers_query(conference_id: int, filters: AnswerFilters) -> sa.Select:
    """Invitations of a conference filtered for the answers page, most recent answers first."""
    stmt = (
        sa.select(Invitation)
        .outerjoin(Agency, Invitation.agency_id == Agency.id)
        .outerjoin(AgencyGroup, Agency.group_id == AgencyGroup.id)
        .where(Invitation.conference_id == conference_id)
        .options(joinedload(Invitation.agency).joinedload(Agency.group), selectinload(Invitation.delegates))
    )
    if filters.group_id == -1:
        stmt = stmt.where(Invitation.agency_id.is_(None))
    elif filters.group_id:
        stmt = stmt.where(Agency.group_id == filters.group_id)
    if filters.agency_id:
        stmt = stmt.where(Invitation.agency_id == filters.agency_id)
    if filters.status in {s.value for s in InvitationStatus}:
        stmt = stmt.where(Invitation.status == filters.status)
    has_substitute = sa.exists().where(Delegate.invitation_id == Invitation.id,
                                       Delegate.kind == DelegateKind.SUBSTITUTE)
    if filters.substitute == "co":
        stmt = stmt.where(has_substitute)
    elif filters.substitute == "khong":
        stmt = stmt.where(~has_substitute)
    for term in text.search_terms(filters.q):
        matching_delegate = sa.exists().where(Delegate.invitation_id == Invitation.id,
                                              Delegate.search_text.contains(term, autoescape=True))
        stmt = stmt.where(sa.or_(Invitation.search_text.contains(term, autoescape=True), matching_delegate))
    return stmt.order_by(Invitation.responded_at.desc().nulls_last(), sa.func.coalesce(AgencyGroup.position, 10**6),
                         Invitation.position, Invitation.id)


def answer_counts(conference_id: int) -> dict[str, int]:
    """Number of invitations in each status."""
    rows = db.session.execute(sa.select(Invitation.status, sa.func.count())
                              .where(Invitation.conference_id == conference_id).group_by(Invitation.status))
    counts = dict(rows.all())
    return {s.value: counts.get(s.value, 0) for s in InvitationStatus}


def invited_agencies(conference_id: int) -> list[Agency]:
    """Agencies on this conference's list, for the answers filter."""
    stmt = (sa.select(Agency).join(Invitation, Invitation.agency_id == Agency.id)
            .where(Invitation.conference_id == conference_id).distinct())
    return sorted(db.session.scalars(stmt), key=lambda a: collate_key(a.name))


# --- the delegate list (danh sách đại biểu) -------------------------------------------------------

DELEGATE_HEADINGS = ["STT", "Họ và tên", "Chức vụ", "Cơ quan", "Điện thoại", "Email", "Trạng thái", "Ghi chú"]


def delegate_rows(conference_id: int) -> list[list]:
    """The rows of the danh sách đại biểu: every delegate, and invitations without one, by group then name."""
    invitations = db.session.scalars(invitation_query(conference_id)).unique().all()
    walk_ins = db.session.scalars(sa.select(Delegate).where(
        Delegate.conference_id == conference_id, Delegate.invitation_id.is_(None))).all()
    entries = []
    for invitation in invitations:
        agency = invitation.agency
        group_position = agency.group.position if agency else 10**6
        agency_name = agency.name if agency else ""
        if invitation.delegates:
            for d in invitation.delegates:
                status = DelegateStatus(d.status).label
                if d.kind == DelegateKind.SUBSTITUTE:
                    note = f"đi thay {d.replaces_name}" if d.replaces_name else "người đi thay"
                else:
                    note = ""
                entries.append((group_position, d.full_name, d.position or invitation.invitee_position,
                                d.agency_name or agency_name, d.phone, d.email, status, note))
        else:
            status = InvitationStatus(invitation.status).label
            note = invitation.decline_reason if invitation.status == InvitationStatus.DECLINED else invitation.role_text
            entries.append((group_position, invitation.invitee_name,
                            invitation.invitee_position, agency_name, invitation.phone, invitation.email, status,
                            note))
    for d in walk_ins:
        entries.append((10**7, d.full_name, d.position, d.agency_name, d.phone, d.email,
                        DelegateKind.WALK_IN.label, ""))
    entries.sort(key=lambda e: (e[0], 0 if e[1] else 1, name_sort_key(e[1]) if e[1] else (), collate_key(e[3])))
    rows = []
    for number, (_, name, position, agency_name, phone, email, status, note) in enumerate(entries, start=1):
        rows.append([number, name, position, agency_name, text.format_phone(phone), email, status, note])
    return rows


def delegate_list_xlsx(conference: Conference) -> bytes:
    """The danh sách đại biểu of a conference as an Excel workbook."""
    widths = (6, 28, 28, 40, 15, 28, 16, 30)
    wrapped = {"Họ và tên", "Chức vụ", "Cơ quan", "Ghi chú"}
    return spreadsheets.xlsx(spreadsheets.Table(
        "Danh sách đại biểu",
        [spreadsheets.Column(heading, width, wrap=heading in wrapped)
         for heading, width in zip(DELEGATE_HEADINGS, widths, strict=True)],
        delegate_rows(conference.id),
        title=[spreadsheets.Text("DANH SÁCH ĐẠI BIỂU", bold=True, size=14),
               spreadsheets.Text(conference.title, italic=True)],
    ))


# --- the invitation list and the follow-up call list as Excel -------------------------------------

LIST_HEADINGS = ["STT", "Nhóm", "Khách mời", "Chức vụ", "Cơ quan", "Số chỗ", "Thành phần mời", "Email",
                 "Điện thoại", "Trả lời", "Người dự", "Gửi giấy mời", "Nhắc", "Ghi chú"]


def _group_name(invitation: Invitation) -> str:
    return invitation.agency.group.name if invitation.agency else NO_GROUP


def _answer_text(invitation: Invitation) -> str:
    answer = InvitationStatus(invitation.status).label
    if invitation.status == InvitationStatus.DECLINED and invitation.decline_reason:
        answer += f" ({invitation.decline_reason})"
    if invitation.answer_via == "phone":
        answer += " · ghi nhận qua điện thoại"
    return answer


def list_xlsx(conference: Conference, filters: ListFilters) -> bytes:
    """The invitation list as the page shows it (its filters and order) as an Excel workbook."""
    rows = []
    for number, i in enumerate(filtered_invitations(conference.id, filters), start=1):
        attending = ", ".join(d.full_name for d in i.delegates if d.status == DelegateStatus.ATTENDING)
        reminded = f"{i.reminder_count} lần" if i.reminder_count else ""
        rows.append([number, _group_name(i), i.invitee_name or (i.agency.name if i.agency else ""),
                     i.invitee_position, i.agency.name if i.agency else "", i.seats, i.role_text, i.email,
                     text.format_phone(i.phone), _answer_text(i), attending,
                     vntime.format_date(i.first_sent_at) if i.first_sent_at else "Chưa gửi", reminded, i.note])
    widths = (6, 24, 34, 22, 34, 7, 26, 26, 15, 22, 30, 12, 8, 30)
    wrapped = {"Khách mời", "Cơ quan", "Người dự", "Ghi chú"}
    title = [spreadsheets.Text("DANH SÁCH KHÁCH MỜI", bold=True, size=14),
             spreadsheets.Text(conference.title, italic=True)]
    if filters.active:
        title.append(spreadsheets.Text(f"Đã lọc: {len(rows)} lời mời", italic=True))
    return spreadsheets.xlsx(spreadsheets.Table(
        "Danh sách khách mời",
        [spreadsheets.Column(h, w, wrap=h in wrapped) for h, w in zip(LIST_HEADINGS, widths, strict=True)],
        rows, title=title))


@dataclass
class CallRow:
    """An invitation that has not answered, with the numbers to call."""

    invitation: Invitation
    phones: list[str]

    @property
    def group(self) -> str:
        return _group_name(self.invitation)


def call_rows(conference_id: int) -> list[CallRow]:
    """Danh sách cần gọi điện: every invitation not answered, agencies and persons, with their phones (the
    invitation's and its agency's), by group and name; those without a phone last in their group."""
    stmt = invitation_query(conference_id).where(Invitation.status == InvitationStatus.PENDING.value)
    rows = []
    for invitation in db.session.scalars(stmt).unique().all():
        phones = [p for p in dict.fromkeys((invitation.phone, invitation.agency.phone if invitation.agency else ""))
                  if p]
        rows.append(CallRow(invitation, phones))
    rows.sort(key=lambda r: (_list_key(r.invitation)[0], not r.phones, _line_key(r.invitation)))
    return rows


CALL_HEADINGS = ["STT", "Nhóm", "Khách mời", "Điện thoại", "Email", "Số chỗ", "Giấy mời", "Đã nhắc",
                 "Kết quả gọi"]


def call_list_xlsx(conference: Conference) -> bytes:
    """The follow-up call list as Excel, with an empty column for what each call gave."""
    rows = [[n, r.group, r.invitation.addressee, "\n".join(text.format_phone(p) for p in r.phones),
             r.invitation.email, r.invitation.seats,
             vntime.format_date(r.invitation.first_sent_at) if r.invitation.first_sent_at else "Chưa gửi",
             f"{r.invitation.reminder_count} lần" if r.invitation.reminder_count else "", ""]
            for n, r in enumerate(call_rows(conference.id), start=1)]
    widths = (6, 22, 46, 16, 26, 7, 12, 9, 30)
    return spreadsheets.xlsx(spreadsheets.Table(
        "Cần gọi điện",
        [spreadsheets.Column(h, w, wrap=h in {"Khách mời", "Điện thoại", "Kết quả gọi"})
         for h, w in zip(CALL_HEADINGS, widths, strict=True)],
        rows, title=[spreadsheets.Text("DANH SÁCH CẦN GỌI ĐIỆN", bold=True, size=14),
                     spreadsheets.Text(f"{conference.title} · {len(rows)} khách mời chưa trả lời", italic=True)]))
