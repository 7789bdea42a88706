"""The verbs of the budget: lines, totals against the approved budget, norms, and the appendix workbook."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text
from ..extensions import db
from ..forms import options
from ..models import BudgetCategory, BudgetLine, Conference, Delegate, DelegateStatus, SpendingNorm
from .norms import default_norms

# --- norms --------------------------------------------------------------------------------------

def ensure_default_norms() -> int:
    """Add the national caps (DOMAIN.md) that are not in the table yet; returns how many were added.

    Norms already present (same category and name) are left as the administrator edited them.
    """
    existing = set(db.session.execute(sa.select(SpendingNorm.category, SpendingNorm.name)).all())
    added = 0
    for position, norm in enumerate(default_norms(), start=1):
        if (norm["category"], norm["name"]) in existing:
            continue
        db.session.add(SpendingNorm(position=position, **norm))
        added += 1
    if added:
        audit.record("norm.seed", f"Nạp {added} định mức chi mặc định")
    db.session.commit()
    return added


def list_norms() -> list[SpendingNorm]:
    return db.session.scalars(
        sa.select(SpendingNorm).order_by(SpendingNorm.position, SpendingNorm.category, SpendingNorm.name)
    ).all()


def norm_choices(norms: list[SpendingNorm] | None = None) -> list[tuple[int, str]]:
    norms = list_norms() if norms is None else norms
    return options([(0, "— Không áp định mức —")] + [
        (n.id, f"{n.name} (tối đa {text.format_money(n.max_unit_price)}/{n.unit})") for n in norms
    ])


def save_norm(norm: SpendingNorm | None, values: dict) -> SpendingNorm:
    """Create (``norm`` None) or update a spending norm: category, name, unit, max_unit_price, source, note,
    verified."""
    creating = norm is None
    if creating:
        position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(SpendingNorm.position), 0))) + 1
        norm = SpendingNorm(position=position)
        db.session.add(norm)
    for name in ("category", "name", "unit", "max_unit_price", "source"):
        setattr(norm, name, values[name])
    norm.note = text.nfc_block(values["note"] or "")
    norm.verified = bool(values["verified"])
    db.session.flush()
    audit.record("norm.create" if creating else "norm.update",
                 f"{'Thêm' if creating else 'Sửa'} định mức «{norm.name}»: {text.format_money(norm.max_unit_price)}",
                 entity=norm)
    db.session.commit()
    return norm


def delete_norm(norm: SpendingNorm) -> None:
    audit.record("norm.delete", f"Xóa định mức «{norm.name}»", entity=norm)
    db.session.delete(norm)
    db.session.commit()


# --- lines --------------------------------------------------------------------------------------

def norm_warning(line: BudgetLine) -> str | None:
    """The rule a line breaks when its unit price exceeds its norm, as a sentence for the organizer."""
    norm = line.norm
    if norm is None or line.unit_price <= norm.max_unit_price:
        return None
    return (f"Đơn giá {text.format_money(line.unit_price)} vượt định mức {text.format_money(norm.max_unit_price)}"
            f"/{norm.unit} ({norm.name}; {norm.source}).")


def _apply(line: BudgetLine, values: dict) -> None:
    """Copy a line's values (a BudgetLineForm's) into it."""
    line.category = values["category"]
    line.content = values["content"]
    line.unit = values["unit"] or ""
    line.quantity = values["quantity"]
    line.days = values["days"] or 1
    line.unit_price = values["unit_price"]
    line.funding_source = values["funding_source"] or ""
    line.norm_id = values["norm_id"] or None
    line.actual_amount = values["actual_amount"]
    line.note = values["note"] or ""


def add_line(conference: Conference, values: dict) -> BudgetLine:
    """Add a line to the conference's budget; the database computes its amount."""
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(BudgetLine.position), 0)).where(
            BudgetLine.conference_id == conference.id)
    ) + 1
    line = BudgetLine(conference_id=conference.id, position=position)
    _apply(line, values)
    if not line.funding_source and conference.funding_source:
        line.funding_source = conference.funding_source[:300]
    db.session.add(line)
    db.session.flush()
    db.session.refresh(line, ["amount"])
    audit.record("budget.create", f"Thêm dòng dự toán «{line.content}»: {text.format_money(line.amount)}",
                 entity=line, conference_id=conference.id)
    db.session.commit()
    return line


def update_line(line: BudgetLine, values: dict) -> BudgetLine:
    """Save an edited line (and its actual amount after the event)."""
    _apply(line, values)
    db.session.flush()
    db.session.refresh(line, ["amount"])
    audit.record("budget.update", f"Sửa dòng dự toán «{line.content}»: {text.format_money(line.amount)}",
                 entity=line, conference_id=line.conference_id)
    db.session.commit()
    return line


def delete_line(line: BudgetLine) -> None:
    audit.record("budget.delete", f"Xóa dòng dự toán «{line.content}»", entity=line,
                 conference_id=line.conference_id)
    db.session.delete(line)
    db.session.commit()



# --- the sheet ----------------------------------------------------------------------------------

@dataclass
class CategoryTotal:
    category: str
    label: str
    amount: int = 0
    actual: int | None = None
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        return None if self.actual is None else self.actual - self.amount


@dataclass
class BudgetSheet:
    """Everything the budget page, its print and its workbook show: lines grouped by category, totals."""

    conference: Conference
    lines: list[BudgetLine]
    categories: list[CategoryTotal]
    total: int
    actual_total: int | None
    approved: int | None
    warnings: dict[int, str]
    confirmed: int = 0

    @property
    def over_budget(self) -> bool:
        return self.approved is not None and self.total > self.approved

    @property
    def remaining(self) -> int | None:
        return None if self.approved is None else self.approved - self.total

    @property
    def difference(self) -> int | None:
        return None if self.actual_total is None else self.actual_total - self.total

    @property
    def actual_over_budget(self) -> bool:
        return self.approved is not None and self.actual_total is not None and self.actual_total > self.approved

    @property
    def used_percent(self) -> int | None:
        if not self.approved:
            return None
        return round(self.total * 100 / self.approved)


def budget_sheet(conference: Conference) -> BudgetSheet:
    """The conference's lines (with their norms, one query) grouped and summed by category."""
    lines = db.session.scalars(
        sa.select(BudgetLine).where(BudgetLine.conference_id == conference.id)
        .options(joinedload(BudgetLine.norm))
        .order_by(BudgetLine.position, BudgetLine.id)
    ).all()
    groups = {c.value: CategoryTotal(c.value, c.label) for c in BudgetCategory}
    actual_total = None
    for line in lines:
        group = groups.setdefault(line.category, CategoryTotal(line.category, line.category))
        group.lines.append(line)
        group.amount += line.amount or 0
        if line.actual_amount is not None:
            group.actual = (group.actual or 0) + line.actual_amount
            actual_total = (actual_total or 0) + line.actual_amount
    warnings = {line.id: w for line in lines if (w := norm_warning(line))}
    return BudgetSheet(
        conference=conference,
        lines=list(lines),
        categories=[g for g in groups.values() if g.lines],
        total=sum(g.amount for g in groups.values()),
        actual_total=actual_total,
        approved=conference.approved_budget,
        warnings=warnings,
    )


def confirmed_delegates(conference_id: int) -> int:
    """Delegates expected (not cancelled), for the hall's capacity warning."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Delegate)
        .where(Delegate.conference_id == conference_id, Delegate.status == DelegateStatus.ATTENDING)
    )


# --- the appendix workbook ----------------------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
MONEY_FORMAT = "#,##0"


def appendix_filename(conference: Conference) -> str:
    return f"phu-luc-du-toan-{text.initials_slug(conference.title, 40) or conference.id}.xlsx"


def appendix_workbook(sheet: BudgetSheet, host=None) -> bytes:
    """The budget appendix as .xlsx: amounts are =D*E*F formulas, subtotals and the total are SUMs."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    conference = sheet.conference
    with_actual = sheet.actual_total is not None
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục dự toán"
    headers = ["STT", "Nội dung chi", "Đơn vị tính", "Số lượng", "Số ngày", "Đơn giá (đồng)", "Thành tiền (đồng)",
               "Nguồn kinh phí", "Ghi chú"]
    if with_actual:
        headers += ["Thực chi (đồng)", "Chênh lệch (đồng)"]
    last_col = get_column_letter(len(headers))
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def title_row(row: int, value: str, font=bold) -> None:
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = ws[f"A{row}"]
        cell.value, cell.font, cell.alignment = value, font, center

    row = 1
    if host is not None:
        title_row(row, (host.parent_name or "").upper(), normal)
        title_row(row + 1, host.name.upper())
        row += 3
    title_row(row, "PHỤ LỤC DỰ TOÁN KINH PHÍ")
    title_row(row + 1, f"Tổ chức {conference.title}", normal)
    basis = f"(Kèm theo Kế hoạch số {conference.number_symbol})" if conference.number_symbol else ""
    title_row(row + 2, basis, Font(name="Times New Roman", italic=True, size=12))
    row += 4
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=header)
        cell.font, cell.alignment, cell.border = bold, center, box
    header_row = row
    row += 1
    subtotal_cells = []
    actual_subtotal_cells = []
    for index, group in enumerate(sheet.categories):
        group_row = row
        ws.cell(row=row, column=1, value=ROMAN[index] if index < len(ROMAN) else str(index + 1))
        ws.cell(row=row, column=2, value=group.label)
        first, last = row + 1, row + len(group.lines)
        ws.cell(row=row, column=7, value=f"=SUM(G{first}:G{last})")
        if with_actual:
            ws.cell(row=row, column=10, value=f"=SUM(J{first}:J{last})")
            ws.cell(row=row, column=11, value=f"=J{row}-G{row}")
            actual_subtotal_cells.append(f"J{row}")
        subtotal_cells.append(f"G{row}")
        for col in range(1, len(headers) + 1):
            ws.cell(row=group_row, column=col).font = bold
        row += 1
        for number, line in enumerate(group.lines, start=1):
            values = [number, line.content, line.unit, line.quantity, line.days, line.unit_price,
                      f"=D{row}*E{row}*F{row}", line.funding_source, line.note]
            if with_actual:
                values += [line.actual_amount, f'=IF(J{row}="","",J{row}-G{row})']
            for col, value in enumerate(values, start=1):
                ws.cell(row=row, column=col, value=value).font = normal
            row += 1
    total_row = row
    ws.cell(row=row, column=2, value="TỔNG CỘNG")
    ws.cell(row=row, column=7, value="=" + "+".join(subtotal_cells) if subtotal_cells else 0)
    if with_actual:
        ws.cell(row=row, column=10, value="=" + "+".join(actual_subtotal_cells) if actual_subtotal_cells else 0)
        ws.cell(row=row, column=11, value=f"=J{row}-G{row}")
    for col in range(1, len(headers) + 1):
        ws.cell(row=row, column=col).font = bold
    if sheet.approved is not None:
        row += 1
        ws.cell(row=row, column=2, value="Kinh phí được duyệt").font = bold
        ws.cell(row=row, column=7, value=sheet.approved).font = bold
        row += 1
        ws.cell(row=row, column=2, value="Còn lại (+) / Vượt (−)").font = bold
        ws.cell(row=row, column=7, value=f"=G{row - 1}-G{total_row}").font = bold
    for r in range(header_row + 1, row + 1):
        for col in range(1, len(headers) + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = box
            if col in (4, 5):
                cell.alignment = Alignment(horizontal="center")
            if col in (6, 7, 10, 11):
                cell.number_format = MONEY_FORMAT
            if col == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    row += 2
    words = f"Bằng chữ: {amount_in_words(sheet.total)}."
    ws.cell(row=row, column=2, value=words).font = Font(name="Times New Roman", italic=True, size=12)
    for col, width in zip("ABCDEFGHIJK", [6, 48, 12, 10, 9, 16, 18, 24, 20, 18, 18], strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three_digits(n: int, full: bool) -> str:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0 and units and (full or hundreds):
        words.append("linh")
    elif tens == 1:
        words.append("mười")
    elif tens > 1:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """54000000 -> "Năm mươi bốn triệu đồng" (how an appendix writes its total in words)."""
    if amount == 0:
        return "Không đồng"
    groups = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    scales = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]
    words = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        part = _three_digits(value, full=index < len(groups) - 1)
        words.append(f"{part} {scales[index]}".strip())
    sentence = " ".join(words) + " đồng"
    return sentence[0].upper() + sentence[1:]


