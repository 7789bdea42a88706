"""The figures of a conference's report, gathered with a fixed number of queries however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import spreadsheets, text, vntime
from ..budget.services import BudgetSheet, budget_sheet
from ..extensions import db
from ..models import (
    Agency,
    AgencyGroup,
    AgendaItem,
    CheckIn,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Paper,
    PaperStatus,
    Task,
    TaskStatus,
)
from .figures import AttendanceFigures, attendance_figures

PERSONAL_GROUP = "Khách mời cá nhân"
ERASED = "(đã xóa dữ liệu cá nhân)"


@dataclass
class AgencyRow:
    name: str
    invitation_status: str
    seats: int = 0
    confirmed: int = 0
    checked_in: int = 0


@dataclass
class GroupRow:
    name: str
    position: int
    agencies: list[AgencyRow] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(a.seats for a in self.agencies)

    @property
    def confirmed(self) -> int:
        return sum(a.confirmed for a in self.agencies)

    @property
    def checked_in(self) -> int:
        return sum(a.checked_in for a in self.agencies)


@dataclass
class PersonRow:
    full_name: str
    position: str
    agency_name: str
    kind: str
    replaces_name: str = ""
    checked_in_at: datetime | None = None


@dataclass
class PaperRow:
    position: int
    title: str
    speaker: str
    agency: str


@dataclass
class Report:
    conference: Conference
    groups: list[GroupRow]
    absent: list[PersonRow]
    substitutes: list[PersonRow]
    walk_ins: list[PersonRow]
    papers: list[PaperRow]
    budget: BudgetSheet
    tasks: list[Task]
    today: date
    #: The one count of who was invited, confirmed and came (the overview prints the same).
    figures: AttendanceFigures

    @property
    def seats(self) -> int:
        return self.figures.seats_invited

    @property
    def confirmed(self) -> int:
        return self.figures.confirmed

    @property
    def checked_in_invited(self) -> int:
        return self.figures.arrived_invited

    @property
    def checked_in(self) -> int:
        return self.figures.arrived

    @property
    def attendance_rate(self) -> int | None:
        return self.figures.attendance_rate

    @property
    def tasks_done(self) -> list[Task]:
        return [t for t in self.tasks if t.status == TaskStatus.DONE]

    @property
    def tasks_done_late(self) -> list[Task]:
        return [t for t in self.tasks_done if t.due_date and t.completed_at
                and vntime.to_local(t.completed_at).date() > t.due_date]

    @property
    def tasks_late(self) -> list[Task]:
        return [t for t in self.tasks if t.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
                and t.due_date is not None and t.due_date < self.today]

    @property
    def tasks_open(self) -> list[Task]:
        return [t for t in self.tasks if t.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)]

    @property
    def tasks_counted(self) -> int:
        return sum(1 for t in self.tasks if t.status != TaskStatus.CANCELLED)


def _person(delegate, checked_in_at) -> PersonRow:
    """A delegate's line in the report (``delegate`` is a row with the Delegate columns used here)."""
    erased = delegate.erased_at is not None
    return PersonRow(
        full_name=ERASED if erased else delegate.full_name,
        position="" if erased else delegate.position,
        agency_name=delegate.agency_name,
        kind=delegate.kind,
        replaces_name="" if erased else delegate.replaces_name,
        checked_in_at=checked_in_at,
    )


def conference_report(conference: Conference, today: date | None = None) -> Report:
    """Everything the report shows; a fixed number of queries whatever the number of invitations, delegates or
    lines. The per-agency rows add up to :func:`figures.attendance_figures` (tests/test_reports.py checks it)."""
    cid = conference.id
    invitations = db.session.execute(
        sa.select(Invitation.id, Invitation.kind, Invitation.seats, Invitation.status, Invitation.invitee_name,
                  Invitation.invitee_position, Agency.name, AgencyGroup.name, AgencyGroup.position)
        .outerjoin(Agency, Agency.id == Invitation.agency_id)
        .outerjoin(AgencyGroup, AgencyGroup.id == Agency.group_id)
        .where(Invitation.conference_id == cid)
        .order_by(AgencyGroup.position, Invitation.position, Invitation.id)
    ).all()
    live_checkin = (
        sa.select(CheckIn.delegate_id, sa.func.min(CheckIn.checked_in_at).label("at"))
        .where(CheckIn.conference_id == cid, CheckIn.undone_at.is_(None))
        .group_by(CheckIn.delegate_id).subquery()
    )
    # Plain rows, not ORM objects: a national conference has thousands of delegates.
    delegates = db.session.execute(
        sa.select(Delegate.kind, Delegate.status, Delegate.invitation_id, Delegate.full_name, Delegate.position,
                  Delegate.agency_name, Delegate.replaces_name, Delegate.erased_at, live_checkin.c.at)
        .outerjoin(live_checkin, live_checkin.c.delegate_id == Delegate.id)
        .where(Delegate.conference_id == cid)
        .order_by(Delegate.precedence, Delegate.id)
    ).all()

    groups: dict[str, GroupRow] = {}
    rows: dict[int, AgencyRow] = {}
    for inv_id, kind, seats, status, invitee, invitee_position, agency, group, group_position in invitations:
        group_name = group or PERSONAL_GROUP
        target = groups.setdefault(group_name, GroupRow(group_name, group_position if group else 10_000))
        label = agency if kind == InvitationKind.AGENCY else ", ".join(p for p in (invitee, invitee_position) if p)
        if kind == InvitationKind.PERSON and agency:
            label = f"{label} ({agency})"
        row = AgencyRow(label, status, seats)
        rows[inv_id] = row
        target.agencies.append(row)

    declined = {inv_id for inv_id, _, _, status, *_ in invitations if status == InvitationStatus.DECLINED}
    absent, substitutes, walk_ins = [], [], []
    for delegate in delegates:
        checked_in_at = delegate.at
        if delegate.kind == DelegateKind.WALK_IN:
            walk_ins.append(_person(delegate, checked_in_at))
            continue
        if delegate.status != DelegateStatus.ATTENDING or delegate.invitation_id in declined:
            continue
        row = rows.get(delegate.invitation_id)
        if row is not None:
            row.confirmed += 1
            if checked_in_at is not None:
                row.checked_in += 1
        if delegate.kind == DelegateKind.SUBSTITUTE:
            substitutes.append(_person(delegate, checked_in_at))
        if checked_in_at is None:
            absent.append(_person(delegate, None))
    absent.sort(key=lambda p: (text.vn_collate_key(p.agency_name), text.vn_sort_key(p.full_name)))

    papers = [
        PaperRow(position, paper.title or paper.topic, paper.speaker_name, paper.speaker_agency)
        for position, paper in db.session.execute(
            sa.select(AgendaItem.position, Paper).join(Paper, Paper.id == AgendaItem.paper_id)
            .where(AgendaItem.conference_id == cid, Paper.status == PaperStatus.ACCEPTED)
            .order_by(AgendaItem.position, AgendaItem.id)
        ).all()
    ]
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id == cid).options(joinedload(Task.lead_department))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.position, Task.id)
    ).all()
    return Report(
        conference=conference,
        groups=sorted(groups.values(), key=lambda g: (g.position, g.name)),
        absent=absent,
        substitutes=substitutes,
        walk_ins=walk_ins,
        papers=papers,
        budget=budget_sheet(conference),
        tasks=list(tasks),
        today=today or vntime.today(),
        figures=attendance_figures(conference),
    )


# --- the chart ----------------------------------------------------------------------------------

@dataclass
class Bar:
    label: str
    y: int
    plan: int
    actual: int | None
    plan_width: float
    actual_width: float
    over: bool


def budget_chart(sheet: BudgetSheet, width: int = 720) -> dict:
    """Horizontal bars (estimate and spent) per category, as coordinates for an inline SVG."""
    label_width, value_width, row_height = 230, 130, 44
    plot = width - label_width - value_width
    peak = max([g.amount for g in sheet.categories] + [g.actual or 0 for g in sheet.categories] + [1])
    bars = []
    for index, group in enumerate(sheet.categories):
        bars.append(Bar(
            label=group.label,
            y=index * row_height + 8,
            plan=group.amount,
            actual=group.actual,
            plan_width=round(plot * group.amount / peak, 1),
            actual_width=round(plot * (group.actual or 0) / peak, 1),
            over=group.actual is not None and group.actual > group.amount,
        ))
    return {"bars": bars, "width": width, "height": max(len(bars) * row_height + 12, 40), "x0": label_width,
            "value_x": label_width + plot + 8}


# --- the workbook -------------------------------------------------------------------------------

def report_workbook(report: Report) -> bytes:
    """The report as .xlsx: one sheet per part, Vietnamese headings, money as numbers formatted #,##0."""
    title = [spreadsheets.Text(report.conference.title, bold=True, size=13),
             f"Ngày {vntime.format_date(report.conference.starts_at)}"]

    def table(name: str, headings: list[str], rows: list, money: bool = False) -> spreadsheets.Table:
        columns = [spreadsheets.Column(h, 50 if i == 0 else max(12, min(60, len(h) + 8)), wrap=True,
                                       number_format=spreadsheets.MONEY if money and i else None)
                   for i, h in enumerate(headings)]
        return spreadsheets.Table(name, columns, rows, title=title)

    attendance = []
    for group in report.groups:
        attendance.append(spreadsheets.Row([group.name, group.seats, group.confirmed, group.checked_in], bold=True))
        attendance += [[f"    {a.name}", a.seats, a.confirmed, a.checked_in] for a in group.agencies]
    attendance.append(spreadsheets.Row(["Tổng cộng", report.seats, report.confirmed, report.checked_in_invited],
                                       bold=True))
    attendance.append(spreadsheets.Row(["Khách đến không báo trước", "", "", report.figures.walk_ins], bold=True))
    budget_rows = [[g.label, g.amount, g.actual, (g.actual - g.amount) if g.actual is not None else None]
                   for g in report.budget.categories]
    budget_rows.append(spreadsheets.Row(["Tổng cộng", report.budget.total, report.budget.actual_total,
                                         report.budget.difference], bold=True))
    if report.budget.approved is not None:
        budget_rows.append(spreadsheets.Row(["Kinh phí được duyệt", report.budget.approved, None, None], bold=True))
    late_ids = {t.id for t in report.tasks_late + report.tasks_done_late}
    return spreadsheets.xlsx(
        table("Tham dự", ["Nhóm / cơ quan, đơn vị", "Số chỗ mời", "Xác nhận", "Đã đến"], attendance),
        table("Vắng mặt", ["Họ và tên", "Chức vụ", "Cơ quan, đơn vị"],
              [[p.full_name, p.position, p.agency_name] for p in report.absent]),
        table("Người đi thay", ["Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Đi thay cho", "Đã đến"],
              [[p.full_name, p.position, p.agency_name, p.replaces_name, "Có" if p.checked_in_at else "Không"]
               for p in report.substitutes]),
        table("Khách không báo trước", ["Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Giờ đến"],
              [[p.full_name, p.position, p.agency_name,
                vntime.format_time(p.checked_in_at) if p.checked_in_at else ""] for p in report.walk_ins]),
        table("Tham luận", ["STT", "Tham luận", "Người trình bày", "Cơ quan, đơn vị"],
              [[i, p.title, p.speaker, p.agency] for i, p in enumerate(report.papers, start=1)]),
        table("Kinh phí", ["Mục chi", "Dự toán (đồng)", "Thực chi (đồng)", "Chênh lệch (đồng)"], budget_rows,
              money=True),
        table("Nhiệm vụ", ["Nhiệm vụ", "Chủ trì", "Hạn", "Trạng thái", "Hoàn thành ngày", "Quá hạn"],
              [[t.title, t.lead_department.name, vntime.format_date(t.due_date) if t.due_date else "",
                TaskStatus(t.status).label, vntime.format_date(t.completed_at) if t.completed_at else "",
                "Có" if t.id in late_ids else ""] for t in report.tasks]),
    )
