"""The documents a Sở files, built from the conference: the Kế hoạch tổ chức hội nghị (…/KH-…), the danh sách
đại biểu ký nhận of a day, the bảng kê chi hỗ trợ for guests not on the state payroll (Circular 40/2017, khoản 4
Điều 12), and the Báo cáo kết quả tổ chức hội nghị (…/BC-…) whose figures are the report page's. Each is a
``documents.layout.Document``: the routes write it as PDF or .docx."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import text, vntime
from ..checkin.attendance import days_attended
from ..documents import layout
from ..documents.layout import Column, Paragraph, Row, Signature, Table
from ..extensions import db
from ..issuer import Letterhead, issued_document, letterhead_for
from ..models import (
    DOCUMENT_KINDS,
    Agency,
    AgencyGroup,
    BudgetCategory,
    BudgetLine,
    Conference,
    Delegate,
    DelegateKind,
    DelegateStatus,
    Invitation,
    InvitationKind,
    InvitationStatus,
    SpendingNorm,
    Task,
    TaskStatus,
)
from .services import PERSONAL_GROUP, Report

#: Agency groups whose people are not paid by the state budget (matched without accents, in the group's name):
#: enterprises, cooperatives, farmers and private persons invited by name. Their meals may be supported
#: (Circular 40/2017, khoản 4 Điều 12); everyone else is on a state payroll.
NOT_ON_STATE_PAYROLL = ("doanh nghiep", "hop tac xa", "nong dan", "ca nhan", "ho kinh doanh")
#: Empty lines left at the end of a sheet for the door (people who come without being on the list).
SPARE_LINES = 10
OTHERS = "Khách mời khác"


@dataclass(frozen=True)
class Person:
    """A delegate as a filed list prints them."""

    delegate_id: int
    full_name: str
    position: str
    agency_name: str
    group_name: str
    group_position: int
    kind: str

    @property
    def on_state_payroll(self) -> bool:
        return not any(marker in text.unaccent(self.group_name).lower() for marker in NOT_ON_STATE_PAYROLL)


def _numbered(conference: Conference, kind: str, letterhead: Letterhead) -> tuple[str, str]:
    """The "Số:" line and the place and date of a numbered document, as the clerk gave them (blank if not)."""
    issued = issued_document(conference, kind)
    year = vntime.to_local(conference.starts_at).year
    return (layout.number_line(issued.number if issued else "", DOCUMENT_KINDS[kind], letterhead.issuer.abbreviation),
            layout.place_date(letterhead.place_name, issued.signed_on if issued else None, year))


def people(conference: Conference) -> list[Person]:
    """The delegates expected in the hall (attending, not erased, not of a declined invitation, walk-ins
    included), sorted by agency group, then by name in Vietnamese order (given name first)."""
    agency_id = sa.func.coalesce(Delegate.agency_id, Invitation.agency_id)
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.agency_name, Delegate.kind,
                  AgencyGroup.name, AgencyGroup.position)
        .outerjoin(Invitation, Invitation.id == Delegate.invitation_id)
        .outerjoin(Agency, Agency.id == agency_id)
        .outerjoin(AgencyGroup, AgencyGroup.id == Agency.group_id)
        .where(Delegate.conference_id == conference.id, Delegate.status == DelegateStatus.ATTENDING,
               Delegate.erased_at.is_(None),
               sa.or_(Invitation.id.is_(None), Invitation.status != InvitationStatus.DECLINED))
    ).all()
    found = [Person(r[0], r[1], r[2], r[3], r[5] or _without_group(r[4]), r[6] if r[6] is not None else 10_000, r[4])
             for r in rows]
    return sorted(found, key=lambda p: (p.group_position, text.vn_sort_key(p.full_name), p.delegate_id))


def _without_group(kind: str) -> str:
    """The group of a delegate whose agency is not in the directory: a person invited by name is a private guest
    (the report's "Khách mời cá nhân"), a walk-in is of no known group."""
    return OTHERS if kind == DelegateKind.WALK_IN else PERSONAL_GROUP


def _day_line(day: date) -> str:
    return f"{vntime.weekday_vn(day)}, {vntime.long_date('', day)}"


# --- danh sách đại biểu ký nhận ---------------------------------------------------------------------

def sign_in_sheet(conference: Conference, day: date, arrived_only: bool) -> layout.Document:
    """The sign-in sheet of ``day``: those checked in that day (``arrived_only``), or every expected delegate and
    spare lines, blank for the door to sign. STT, Họ và tên, Chức vụ, Cơ quan, đơn vị, Ký nhận."""
    letterhead = letterhead_for(conference)
    everyone = people(conference)
    if arrived_only:
        came = days_attended(conference)
        everyone = [p for p in everyone if day in came.get(p.delegate_id, ())]
    else:
        everyone = [p for p in everyone if p.kind != DelegateKind.WALK_IN]
    rows = [Row((str(n), p.full_name, p.position, p.agency_name, "")) for n, p in enumerate(everyone, start=1)]
    if not arrived_only:
        rows += [Row((str(n), "", "", "", "")) for n in range(len(rows) + 1, len(rows) + SPARE_LINES + 1)]
    columns = (Column("STT", 12, "C"), Column("Họ và tên", 42), Column("Chức vụ", 34), Column("Cơ quan, đơn vị", 47),
               Column("Ký nhận", 30, "C"))
    note = (f"Danh sách {len(everyone)} đại biểu đã đến ngày {vntime.format_date(day)} (theo đăng ký tại bàn đón "
            f"tiếp)." if arrived_only else "")
    body = [Table(columns, tuple(rows), size=12, min_row_height=11)]
    if note:
        body.insert(0, Paragraph(note, italic=True, align="C", indent=False))
    return layout.Document(
        letterhead=letterhead, number="", place_date="", title="DANH SÁCH ĐẠI BIỂU KÝ NHẬN",
        subtitle=(conference.title, _day_line(day)), body=tuple(body),
        signatures=(Signature(("NGƯỜI LẬP DANH SÁCH",)), Signature(("XÁC NHẬN CỦA ĐƠN VỊ TỔ CHỨC",))),
        filename=f"danh-sach-ky-nhan-{day.isoformat()}{'' if arrived_only else '-de-trong'}")


# --- bảng kê chi hỗ trợ ---------------------------------------------------------------------------

def support_rate(conference: Conference) -> tuple[int, str]:
    """The meal-support rate per person and day and its basis: the unit price of the budget's meals line (at most
    its norm's cap), else the lowest meals norm (each province sets its own rate within Circular 40's caps)."""
    line = db.session.scalar(
        sa.select(BudgetLine).where(BudgetLine.conference_id == conference.id,
                                    BudgetLine.category == BudgetCategory.MEALS)
        .order_by(BudgetLine.position, BudgetLine.id).limit(1))
    norm = line.norm if line is not None else db.session.scalar(
        sa.select(SpendingNorm).where(SpendingNorm.category == BudgetCategory.MEALS)
        .order_by(SpendingNorm.max_unit_price).limit(1))
    if norm is None:
        return (line.unit_price, "mức trong dự toán kinh phí") if line is not None else (
            0, "chưa có định mức hỗ trợ tiền ăn")
    rate = norm.max_unit_price if line is None else min(line.unit_price, norm.max_unit_price)
    return rate, norm.source if norm.verified else f"{norm.source}, chưa đối chiếu văn bản"


def support_list(conference: Conference) -> layout.Document:
    """The bảng kê chi hỗ trợ tiền ăn for guests not on the state payroll who came: days from the check-ins
    (``days_attended``), rate from the norms, amount, signature; total and total in words."""
    letterhead = letterhead_for(conference)
    came = days_attended(conference)
    rate, basis = support_rate(conference)
    guests = [p for p in people(conference) if not p.on_state_payroll and came.get(p.delegate_id)]
    rows, total = [], 0
    for number, person in enumerate(guests, start=1):
        days = len(came[person.delegate_id])
        amount = days * rate
        total += amount
        rows.append(Row((str(number), person.full_name, person.agency_name, str(days), layout.money(rate),
                         layout.money(amount), "")))
    rows.append(Row(("TỔNG CỘNG", str(sum(len(came[p.delegate_id]) for p in guests)), "", layout.money(total), ""),
                    bold=True, span=3))
    columns = (Column("STT", 12, "C"), Column("Họ và tên", 36), Column("Cơ quan, đơn vị", 41),
               Column("Số ngày", 13, "C"), Column("Mức chi (đồng)", 21, "R"),
               Column("Thành tiền (đồng)", 22, "R"), Column("Ký nhận", 20, "C"))
    days = " và ".join(vntime.format_date(d) for d in sorted({d for p in guests for d in came[p.delegate_id]}))
    body = (
        Paragraph(f"Căn cứ khoản 4 Điều 12 Thông tư 40/2017/TT-BTC; mức hỗ trợ {layout.money_dong(rate)}/người/ngày "
                  f"({basis}).", italic=True),
        Paragraph(f"Đại biểu không hưởng lương từ ngân sách nhà nước tham dự {conference.title}"
                  + (f" ngày {days}." if days else "."), indent=True),
        Table(columns, tuple(rows), size=12, min_row_height=10),
        Paragraph(f"Bằng chữ: {layout.amount_in_words(total)}.", italic=True),
    )
    return layout.Document(
        letterhead=letterhead, number="", place_date="", title="BẢNG KÊ CHI HỖ TRỢ TIỀN ĂN",
        subtitle=("cho khách mời không hưởng lương từ ngân sách nhà nước", conference.title), body=body,
        signatures=(Signature(("NGƯỜI LẬP",)), Signature(("PHÒNG KẾ HOẠCH - TÀI CHÍNH",)),
                    Signature(_head(letterhead), letterhead.signer_name, "(Ký tên, đóng dấu)")),
        filename="bang-ke-chi-ho-tro")


def _head(letterhead: Letterhead) -> tuple[str, ...]:
    return tuple(h for h in (letterhead.signer_authority.upper(), letterhead.signer_title.upper()) if h) or (
        "THỦ TRƯỞNG ĐƠN VỊ",)


# --- báo cáo kết quả tổ chức hội nghị -----------------------------------------------------------------

def report_document(report: Report) -> layout.Document:
    """The Báo cáo kết quả tổ chức hội nghị (…/BC-…) with the figures of the report page."""
    conference, figures = report.conference, report.figures
    letterhead = letterhead_for(conference)
    number, place_date = _numbered(conference, "bao_cao", letterhead)
    host = letterhead.issuer.name
    title = conference.title.rstrip(".")
    day = vntime.to_local(conference.starts_at).date()
    basis = f"Thực hiện Kế hoạch số {conference.number_symbol}, " if conference.number_symbol else ""
    where = f" tại {conference.venue.full_name}" if conference.venue else ""
    opening = f"{basis}{vntime.long_date('', day)}{where}, {host} đã tổ chức {title}."
    opening = opening[0].upper() + opening[1:]
    if conference.chair:
        opening += f" {conference.chair.rstrip('.')} chủ trì Hội nghị."
    came = (f"Tham dự Hội nghị có {figures.arrived:02d} đại biểu: {figures.arrived_invited:02d}/"
            f"{figures.confirmed:02d} đại biểu đã xác nhận"
            + (f" (đạt {figures.attendance_rate}%)" if figures.attendance_rate is not None else "")
            + (f" và {figures.walk_ins:02d} khách mời không báo trước" if figures.walk_ins else "")
            + f"; số chỗ mời {figures.seats_invited}.")
    groups = [Row((g.name, str(g.seats), str(g.confirmed), str(g.checked_in))) for g in report.groups]
    groups.append(Row(("Tổng cộng", str(report.seats), str(report.confirmed), str(report.checked_in_invited)),
                      bold=True))
    if figures.walk_ins:
        groups.append(Row(("Khách mời không báo trước", "", "", str(figures.walk_ins))))
    body = [Paragraph(opening), Paragraph("I. KẾT QUẢ TỔ CHỨC", bold=True), Paragraph("1. Thành phần tham dự",
                                                                                     bold=True),
            Paragraph(came),
            Table((Column("Nhóm cơ quan, đơn vị", 85), Column("Số chỗ mời", 26, "C"), Column("Xác nhận", 26, "C"),
                   Column("Đã đến", 26, "C")), tuple(groups), size=12),
            Paragraph("2. Nội dung", bold=True)]
    if report.papers:
        body.append(Paragraph(f"Hội nghị đã nghe {len(report.papers):02d} tham luận:"))
        body += [Paragraph(f"- {p.title}" + (f" ({p.speaker}, {p.agency})" if p.agency else
                                             (f" ({p.speaker})" if p.speaker else ""))) for p in report.papers]
    else:
        body.append(Paragraph("Hội nghị không có tham luận trình bày."))
    sheet = report.budget
    body.append(Paragraph("3. Kinh phí", bold=True))
    spent = sheet.actual_total
    budget = f"Dự toán {layout.money_dong(sheet.total)}"
    if sheet.approved is not None:
        budget += f" (kinh phí được duyệt {layout.money_dong(sheet.approved)})"
    budget += (f"; thực chi {layout.money_dong(spent)} ({layout.amount_in_words(spent).lower()})."
               if spent is not None else "; chưa quyết toán thực chi.")
    body.append(Paragraph(budget))
    body.append(Paragraph("4. Công tác phân công thực hiện", bold=True))
    body.append(Paragraph(f"Hoàn thành {len(report.tasks_done):02d}/{report.tasks_counted:02d} nhiệm vụ"
                          + (f"; {len(report.tasks_late):02d} nhiệm vụ quá hạn chưa hoàn thành" if report.tasks_late
                             else "") + "."))
    body.append(Paragraph(f"Trên đây là báo cáo kết quả tổ chức {title} của {host}./."))
    lead = conference.lead_department.abbreviation if conference.lead_department else ""
    return layout.Document(
        letterhead=letterhead, number=number, place_date=place_date, title="BÁO CÁO",
        subtitle=(f"Kết quả tổ chức {title}",), body=tuple(body),
        signatures=(Signature(_head(letterhead), letterhead.signer_name, ""),),
        recipients=("Lãnh đạo Sở;", "Các phòng, đơn vị thuộc Sở;", f"Lưu: VT{', ' + lead if lead else ''}."),
        filename="bao-cao-ket-qua")


# --- kế hoạch tổ chức hội nghị ---------------------------------------------------------------------

def _lines(block: str) -> list[Paragraph]:
    """A plan's multi-line field as paragraphs, each an item ("- ...") as the seeds write them."""
    return [Paragraph(line if line.startswith(("-", "+", "*")) else f"- {line}")
            for line in (block or "").split("\n") if line.strip()]


def _participants(conference: Conference) -> list[Paragraph]:
    """Thành phần mời tham dự: the invited agencies by group ("- Sở, ban, ngành: Sở Tài chính, Sở Xây dựng;"),
    then the persons invited by name."""
    rows = db.session.execute(
        sa.select(Invitation.kind, Invitation.invitee_name, Invitation.invitee_position, Agency.name,
                  AgencyGroup.name, AgencyGroup.position)
        .outerjoin(Agency, Agency.id == Invitation.agency_id)
        .outerjoin(AgencyGroup, AgencyGroup.id == Agency.group_id)
        .where(Invitation.conference_id == conference.id)
        .order_by(AgencyGroup.position, Invitation.position, Invitation.id)
    ).all()
    groups: dict[str, list[str]] = {}
    persons = []
    for kind, name, position, agency, group, _ in rows:
        if kind == InvitationKind.AGENCY:
            groups.setdefault(group or OTHERS, []).append(agency)
        else:
            persons.append(", ".join(p for p in (name, position, agency) if p))
    lines = [Paragraph(f"- {group}: {', '.join(names)};") for group, names in groups.items()]
    lines += [Paragraph(f"- {person};") for person in persons]
    if conference.expected_attendance:
        lines.append(Paragraph(f"* Dự kiến khoảng: {conference.expected_attendance} đại biểu."))
    return lines or [Paragraph("- (chưa lập danh sách mời)")]


def _assignments(conference: Conference) -> list[Paragraph]:
    """Phân công thực hiện: each lead department, then its tasks with the coordinating ones and the deadline."""
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id == conference.id, Task.status != TaskStatus.CANCELLED)
        .options(selectinload(Task.lead_department), selectinload(Task.coordinating_departments))
        .order_by(Task.position, Task.id)).all()
    by_department: dict[str, list] = {}
    for task in tasks:
        by_department.setdefault(task.lead_department.name, []).append(task)
    lines = []
    for number, (department, items) in enumerate(by_department.items(), start=1):
        lines.append(Paragraph(f"{number}. {department}", bold=True))
        for task in items:
            line = f"- {task.title.rstrip('.;')}"
            if task.coordinating_departments:
                line += f" (phối hợp: {', '.join(d.name for d in task.coordinating_departments)})"
            if task.due_date:
                line += f"; hoàn thành trước ngày {vntime.format_date(task.due_date)}"
            lines.append(Paragraph(line + ";"))
    return lines or [Paragraph("(chưa phân công nhiệm vụ)")]


def plan_document(conference: Conference) -> layout.Document:
    """The Kế hoạch tổ chức hội nghị (…/KH-…) in the seeds' shape: mục đích yêu cầu, nội dung, thành phần,
    thời gian và địa điểm, kinh phí, phân công thực hiện, tổ chức thực hiện; signed by the conference's signer."""
    letterhead = letterhead_for(conference)
    issued = issued_document(conference, "ke_hoach")
    number, place_date = _numbered(conference, "ke_hoach", letterhead)
    if not (issued and issued.number) and conference.number_symbol:
        number = f"Số: {conference.number_symbol}"
    start, end = vntime.to_local(conference.starts_at), vntime.to_local(conference.ends_at)
    when = f"{vntime.weekday_vn(start)}, ngày {vntime.format_date(start)}, từ {vntime.format_time(start)}"
    when += f" đến {vntime.format_time(end)}" + (f" ngày {vntime.format_date(end)}" if end.date() != start.date()
                                                 else "")
    venue = conference.venue
    where = venue.full_name if venue else "(chưa chọn hội trường)"
    if venue and (venue.address or venue.phone):
        where += " (" + "; ".join(p for p in (f"Địa chỉ: {venue.address}" if venue.address else "",
                                              f"ĐT: {venue.phone}" if venue.phone else "") if p) + ")"
    money = (f"{conference.funding_source.rstrip('.')}" if conference.funding_source else "Chưa xác định nguồn")
    if conference.approved_budget is not None:
        money += f"; số tiền: {layout.money_dong(conference.approved_budget)} (Phụ lục dự toán kèm theo)"
    lead = conference.lead_department
    body = [Paragraph("I. MỤC ĐÍCH, YÊU CẦU", bold=True), *_lines(conference.purpose),
            Paragraph("II. NỘI DUNG", bold=True), *_lines(conference.content),
            Paragraph("III. THÀNH PHẦN MỜI THAM DỰ", bold=True), *_participants(conference),
            Paragraph("IV. THỜI GIAN VÀ ĐỊA ĐIỂM", bold=True), Paragraph(f"1. Thời gian: {when}."),
            Paragraph(f"2. Địa điểm: {where}.")]
    if conference.chair:
        body.append(Paragraph(f"3. Chủ trì: {conference.chair}."))
    body += [Paragraph("V. KINH PHÍ", bold=True), Paragraph(money + "."),
             Paragraph("VI. PHÂN CÔNG THỰC HIỆN", bold=True), *_assignments(conference),
             Paragraph("VII. TỔ CHỨC THỰC HIỆN", bold=True),
             Paragraph("Căn cứ nội dung, nhiệm vụ được phân công theo Kế hoạch này, các phòng, đơn vị phân công cụ "
                       "thể cho từng thành viên thực hiện và tham mưu lãnh đạo triển khai thực hiện tốt Hội nghị."
                       + (f" Giao {lead.name} chủ trì, theo dõi, đôn đốc các phòng, đơn vị liên quan thực hiện./."
                          if lead else "/."))]
    return layout.Document(
        letterhead=letterhead, number=number, place_date=place_date, title="KẾ HOẠCH",
        subtitle=(f"Tổ chức {conference.title.rstrip('.')}",), body=tuple(body),
        signatures=(Signature(_head(letterhead), letterhead.signer_name, ""),),
        recipients=("Lãnh đạo Sở;", "Các phòng, đơn vị thuộc Sở;",
                    f"Lưu: VT{', ' + lead.abbreviation if lead else ''}."),
        filename="ke-hoach-to-chuc")
