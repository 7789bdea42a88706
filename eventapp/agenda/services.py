"""The verbs of the agenda: items in order, start times computed from the conference's start, warnings,
reordering, publishing, and the agenda as delegates see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db
from ..invitations.letters import position_at
from ..models import AgendaItem, AgendaKind, Conference, Delegate, DelegateStatus, Paper, PaperStatus, utcnow

#: A sensible length for each kind of item, offered when adding one.
DEFAULT_MINUTES = {
    AgendaKind.OPENING: 10,
    AgendaKind.REPORT: 30,
    AgendaKind.PAPER: 15,
    AgendaKind.FILM: 15,
    AgendaKind.DISCUSSION: 30,
    AgendaKind.BREAK: 15,
    AgendaKind.CONCLUSION: 15,
    AgendaKind.OTHER: 15,
}
DEFAULT_TITLES = {
    AgendaKind.OPENING: "Tuyên bố lý do, giới thiệu đại biểu",
    AgendaKind.FILM: "Chiếu phim tư liệu",
    AgendaKind.DISCUSSION: "Thảo luận",
    AgendaKind.BREAK: "Giải lao",
    AgendaKind.CONCLUSION: "Phát biểu kết luận của chủ trì hội nghị",
}


@dataclass
class Row:
    """One item of the agenda with its computed times (local) and its own warnings."""

    item: AgendaItem
    number: int
    start: datetime
    end: datetime
    warnings: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return AgendaKind(self.item.kind).label


@dataclass
class Agenda:
    """The computed agenda of a conference."""

    conference: Conference
    rows: list[Row]
    warnings: list[str]

    @property
    def end(self) -> datetime:
        return self.rows[-1].end if self.rows else vntime.to_local(self.conference.starts_at)

    @property
    def total_minutes(self) -> int:
        return sum(r.item.duration_minutes for r in self.rows)


def items_of(conference_id: int) -> list[AgendaItem]:
    return list(db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.conference_id == conference_id)
        .options(selectinload(AgendaItem.paper).selectinload(Paper.delegate))
        .order_by(AgendaItem.position, AgendaItem.id)
    ))


def _attending_names(conference_id: int) -> set[str]:
    names = db.session.scalars(
        sa.select(Delegate.full_name).where(
            Delegate.conference_id == conference_id, Delegate.status == DelegateStatus.ATTENDING.value
        )
    )
    return {text.search_key(n) for n in names}


def presenter_attends(paper: Paper, attending_names: set[str]) -> bool:
    """The speaker of a paper is an attending delegate: linked to one, or named like one."""
    if paper.delegate is not None and paper.delegate.status == DelegateStatus.ATTENDING:
        return True
    return text.search_key(paper.speaker_name) in attending_names


def compute(conference: Conference) -> Agenda:
    """Start and end of each item from the conference's start and the order, with the warnings."""
    items = items_of(conference.id)
    attending = _attending_names(conference.id) if any(i.paper_id for i in items) else set()
    clock = vntime.to_local(conference.starts_at)
    rows = []
    for number, item in enumerate(items, start=1):
        end = clock + timedelta(minutes=item.duration_minutes)
        row = Row(item=item, number=number, start=clock, end=end)
        paper = item.paper
        if item.kind == AgendaKind.PAPER:
            if paper is None:
                row.warnings.append("Mục tham luận chưa gắn với tham luận nào.")
            else:
                if paper.status != PaperStatus.ACCEPTED:
                    row.warnings.append(
                        f"Tham luận đang ở trạng thái «{PaperStatus(paper.status).label}», chưa được duyệt.")
                if not presenter_attends(paper, attending):
                    row.warnings.append(f"{paper.speaker_name} chưa có trong danh sách đại biểu tham dự.")
        rows.append(row)
        clock = end
    warnings = []
    conference_end = vntime.to_local(conference.ends_at)
    if rows and rows[-1].end > conference_end:
        over = int((rows[-1].end - conference_end).total_seconds() // 60)
        warnings.append(
            f"Chương trình kết thúc lúc {vntime.format_time(rows[-1].end)}, quá giờ kết thúc hội nghị "
            f"({vntime.format_time(conference_end)}) {over} phút. Hãy rút ngắn thời lượng hoặc bớt nội dung."
        )
        for row in rows:
            if row.end > conference_end:
                row.warnings.append("Quá giờ kết thúc hội nghị.")
    flagged = sum(1 for r in rows if any("danh sách đại biểu" in w for w in r.warnings))
    if flagged:
        warnings.append(f"{flagged} người trình bày tham luận chưa có trong danh sách đại biểu tham dự.")
    return Agenda(conference=conference, rows=rows, warnings=warnings)


# --- changing -------------------------------------------------------------------------------------

def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items):
        item.position = position


def accepted_papers(conference_id: int) -> list[Paper]:
    """Accepted papers of the conference, for linking to an agenda item."""
    return list(db.session.scalars(
        sa.select(Paper).where(Paper.conference_id == conference_id, Paper.status == PaperStatus.ACCEPTED.value)
        .order_by(Paper.id)
    ))


def unscheduled_papers(conference_id: int) -> list[Paper]:
    """Accepted papers not yet in the agenda."""
    scheduled = sa.select(AgendaItem.paper_id).where(AgendaItem.paper_id.is_not(None))
    return list(db.session.scalars(
        sa.select(Paper).where(Paper.conference_id == conference_id, Paper.status == PaperStatus.ACCEPTED.value,
                               Paper.id.not_in(scheduled))
        .order_by(Paper.id)
    ))


def presenter_of(paper: Paper) -> str:
    """"Đinh Văn Thành, Phó Chủ tịch UBND huyện Ba Tơ" as printed in a programme: the name, then the position
    with the agency named once (not "Phó Chủ tịch UBND huyện, UBND huyện Ba Tơ")."""
    role = position_at(paper.speaker_position, paper.speaker_agency)
    return f"{paper.speaker_name}, {role}" if role else paper.speaker_name


PAPER_PREFIX = "Tham luận"


def printed_title(item: AgendaItem) -> str:
    """The item's line in the printed programme: a paper says "Tham luận: …" once, whatever its title says."""
    if item.kind != AgendaKind.PAPER or text.unaccent(item.title).startswith(text.unaccent(PAPER_PREFIX)):
        return item.title
    return f"{PAPER_PREFIX}: {item.title}"


@dataclass(frozen=True)
class Reception:
    """The reception and registration before the opening, when the plan sets its length."""

    start: datetime
    end: datetime
    title: str = "Đón tiếp đại biểu, phát tài liệu"
    presenter: str = "Ban Tổ chức"


def reception_of(conference: Conference) -> Reception | None:
    """The reception slot that ends when the conference opens (None when the plan sets none)."""
    if not conference.reception_minutes:
        return None
    opening = vntime.to_local(conference.starts_at)
    return Reception(opening - timedelta(minutes=conference.reception_minutes), opening)


def _check_paper(conference: Conference, paper_id: int | None, item: AgendaItem | None = None) -> Paper:
    paper = db.session.get(Paper, paper_id) if paper_id else None
    if paper is None or paper.conference_id != conference.id:
        raise UserError("Vui lòng chọn một tham luận đã được duyệt của hội nghị này.", field="paper_id")
    if paper.status != PaperStatus.ACCEPTED:
        raise UserError("Chỉ đưa vào chương trình những tham luận đã được duyệt.")
    taken = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.paper_id == paper.id))
    if taken is not None and taken is not item:
        raise UserError("Tham luận này đã có trong chương trình.")
    return paper


def save_item(conference: Conference, data: dict, item: AgendaItem | None = None) -> AgendaItem:
    """Add an item at the end (or edit one): kind, title, presenter, duration, the paper for a paper item."""
    kind = AgendaKind(data["kind"])
    paper = None
    if kind == AgendaKind.PAPER:
        paper = _check_paper(conference, data.get("paper_id"), item)
    title = text.nfc(data.get("title") or "") or (paper.title or paper.topic if paper else DEFAULT_TITLES.get(kind, ""))
    if not title:
        raise UserError("Vui lòng nhập nội dung của mục chương trình.", field="title")
    presenter = text.nfc(data.get("presenter") or "") or (presenter_of(paper) if paper else "")
    is_new = item is None
    if is_new:
        last = db.session.scalar(
            sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.conference_id == conference.id))
        item = AgendaItem(conference_id=conference.id, position=(last + 1) if last is not None else 0)
        db.session.add(item)
    item.kind = kind.value
    item.title = title[:500]
    item.presenter = presenter[:300]
    item.duration_minutes = int(data.get("duration_minutes") or DEFAULT_MINUTES[kind])
    item.paper_id = paper.id if paper else None
    item.notes = text.nfc(data.get("notes") or "")[:500]
    db.session.flush()
    audit.record("agenda.add" if is_new else "agenda.update",
                 f"{'Thêm' if is_new else 'Sửa'} mục chương trình «{item.title}»", entity=item,
                 conference_id=conference.id)
    db.session.commit()
    return item


def add_paper(conference: Conference, paper_id: int) -> AgendaItem:
    """Put an accepted paper in the agenda, before the discussion and conclusion if there are any."""
    paper = _check_paper(conference, paper_id)
    items = items_of(conference.id)
    item = AgendaItem(conference_id=conference.id, kind=AgendaKind.PAPER.value, title=(paper.title or paper.topic)[:500],
                      presenter=presenter_of(paper)[:300], duration_minutes=DEFAULT_MINUTES[AgendaKind.PAPER],
                      paper_id=paper.id)
    tail = {AgendaKind.DISCUSSION.value, AgendaKind.CONCLUSION.value}
    index = len(items)
    while index > 0 and items[index - 1].kind in tail:
        index -= 1
    items.insert(index, item)
    db.session.add(item)
    _renumber(items)
    db.session.flush()
    audit.record("agenda.add", f"Đưa tham luận «{item.title}» vào chương trình", entity=item,
                 conference_id=conference.id)
    db.session.commit()
    return item


def delete_item(conference: Conference, item: AgendaItem) -> None:
    title = item.title
    db.session.delete(item)
    db.session.flush()
    _renumber(items_of(conference.id))
    audit.record("agenda.delete", f"Xóa mục chương trình «{title}»", conference_id=conference.id)
    db.session.commit()


def move_item(conference: Conference, item_id: int, direction: str) -> None:
    """Move an item one place up or down."""
    items = items_of(conference.id)
    index = next((i for i, it in enumerate(items) if it.id == item_id), None)
    if index is None:
        raise UserError("Mục chương trình không còn tồn tại; vui lòng tải lại trang.")
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        audit.record("agenda.reorder", f"Di chuyển «{items[target].title}»", entity=items[target],
                     conference_id=conference.id)
        db.session.commit()


def reorder(conference: Conference, ids: list[int]) -> None:
    """Put the items in the given order (from drag and drop); the ids must be exactly the agenda's items."""
    items = {it.id: it for it in items_of(conference.id)}
    if sorted(ids) != sorted(items):
        raise UserError("Chương trình vừa được người khác thay đổi; trang đã được tải lại, vui lòng sắp xếp lại.")
    _renumber([items[i] for i in ids])
    audit.record("agenda.reorder", "Sắp xếp lại chương trình", conference_id=conference.id, order=ids)
    db.session.commit()


def set_published(conference: Conference, published: bool) -> None:
    """Publish the agenda to delegates' pages, or withdraw it."""
    if published and not items_of(conference.id):
        raise UserError("Chương trình chưa có nội dung nào để công bố.")
    conference.agenda_published_at = utcnow() if published else None
    audit.record("agenda.publish" if published else "agenda.unpublish",
                 "Công bố chương trình" if published else "Thôi công bố chương trình", entity=conference,
                 conference_id=conference.id)
    db.session.commit()


# --- reading for others ---------------------------------------------------------------------------

def agenda_for_delegates(conference: Conference) -> list[dict]:
    """The published agenda for delegates' pages: [{start, end, title, presenter, kind_label}], empty when
    not published. ``start``/``end`` are aware datetimes in Vietnam time (use the ``time`` filter)."""
    if conference is None or conference.agenda_published_at is None:
        return []
    return [
        {"start": row.start, "end": row.end, "title": row.item.title, "presenter": row.item.presenter,
         "kind": row.item.kind, "kind_label": row.kind_label}
        for row in compute(conference).rows
    ]


def accepted_papers_in_order(conference: Conference) -> list[tuple[Paper, datetime | None]]:
    """Accepted papers in agenda order (with their start), then accepted papers not yet scheduled."""
    result, seen = [], set()
    for row in compute(conference).rows:
        paper = row.item.paper
        if paper is not None and paper.status == PaperStatus.ACCEPTED and paper.id not in seen:
            result.append((paper, row.start))
            seen.add(paper.id)
    for paper in accepted_papers(conference.id):
        if paper.id not in seen:
            result.append((paper, None))
    return result
