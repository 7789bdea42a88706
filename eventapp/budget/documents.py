"""The dự toán (estimate) and the quyết toán (final account) as Phòng Kế hoạch - Tài chính files them.

Two documents, each with its own number and signing date (kinds "du_toan" and "quyet_toan" of
``issuer.issued_document``): STT, Nội dung chi, ĐVT, Số lượng, Số ngày, Định mức (the rate applied, whose basis
the Ghi chú names: the norm's legal text, "chưa đối chiếu văn bản" for a rate not checked, a line above its cap
flagged, a line outside Circular 40's list with its own basis), Thành tiền; the total once at the end, "Bằng chữ"
computed from it, the three signatures. The same content goes out as PDF and .docx (``eventapp.documents``) and
as .xlsx (formulas stored with their results, one landscape page wide).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import text, vntime
from ..documents import layout
from ..documents.layout import Column, Paragraph, Row, Signature, Table
from ..issuer import issued_document, letterhead_for
from ..models import DOCUMENT_KINDS, BudgetCategory, BudgetLine, Conference
from ..spreadsheets import MONEY, Formula, xlsx
from ..spreadsheets import Column as SheetColumn
from ..spreadsheets import Row as SheetRow
from ..spreadsheets import Table as SheetTable
from ..spreadsheets import Text as SheetText
from .services import BudgetSheet, budget_sheet

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
#: What Circular 40/2017/TT-BTC, Điều 12 lists as a conference's costs; other lines must state their own basis.
CIRCULAR_40_LIST = {BudgetCategory.HALL, BudgetCategory.DOCUMENTS, BudgetCategory.SPEAKERS, BudgetCategory.WATER,
                    BudgetCategory.MEALS}
TITLES = {"du_toan": "DỰ TOÁN KINH PHÍ", "quyet_toan": "QUYẾT TOÁN KINH PHÍ"}
SLUGS = {"du_toan": "du-toan", "quyet_toan": "quyet-toan"}


def roman(index: int) -> str:
    return ROMAN[index] if index < len(ROMAN) else str(index + 1)


def line_basis(line: BudgetLine, conference_funding: str = "") -> str:
    """The Ghi chú of a line: the clerk's own note, the basis of its rate and what a finance officer must notice
    (above its cap, a rate not checked, outside Circular 40's list: then the note is its basis), its funding
    when not the conference's."""
    norm = line.norm
    outside = norm is None and line.category not in CIRCULAR_40_LIST
    parts = [line.note] if line.note and not outside else []
    if norm is not None:
        cap = f"tối đa {text.format_money(norm.max_unit_price)}/{norm.unit}"
        parts.append(f"{norm.source} ({cap})" if norm.verified else f"Mức {cap}: chưa đối chiếu văn bản")
        if line.unit_price > norm.max_unit_price:
            parts.append(f"VƯỢT ĐỊNH MỨC {text.format_money(line.unit_price - norm.max_unit_price)}")
    elif outside:  # its note is its basis
        parts.append(f"Ngoài danh mục Điều 12 Thông tư 40/2017/TT-BTC; căn cứ: {line.note or 'CHƯA GHI CĂN CỨ'}")
    else:
        parts.append("Chưa gắn định mức")
    if line.funding_source and text.search_key(line.funding_source) not in text.search_key(conference_funding):
        parts.append(f"Nguồn: {line.funding_source}")
    return "; ".join(parts)


@dataclass(frozen=True)
class BudgetDocument:
    """A dự toán or quyết toán of one conference: its sheet, its kind, what the clerk numbered it."""

    sheet: BudgetSheet
    kind: str  #: "du_toan" or "quyet_toan"
    number: str
    place_date: str
    letterhead: layout.Letterhead

    @property
    def actuals(self) -> bool:
        return self.kind == "quyet_toan"

    @property
    def total(self) -> int:
        return (self.sheet.actual_total or 0) if self.actuals else self.sheet.total

    @property
    def missing_actuals(self) -> int:
        """Lines of a quyết toán with no actual amount entered yet."""
        return sum(1 for line in self.sheet.lines if line.actual_amount is None) if self.actuals else 0

    @property
    def filename(self) -> str:
        return f"{SLUGS[self.kind]}-{text.initials_slug(self.sheet.conference.title, 40) or self.sheet.conference.id}"


def budget_document(conference: Conference, kind: str) -> BudgetDocument:
    """Gather what the estimate or the final account of ``conference`` prints."""
    letterhead = letterhead_for(conference)
    issued = issued_document(conference, kind)
    year = vntime.to_local(conference.starts_at).year
    return BudgetDocument(
        sheet=budget_sheet(conference),
        kind=kind,
        number=layout.number_line(issued.number if issued else "", DOCUMENT_KINDS[kind],
                                  letterhead.issuer.abbreviation),
        place_date=layout.place_date(letterhead.place_name, issued.signed_on if issued else None, year),
        letterhead=letterhead,
    )


def signatures(letterhead: layout.Letterhead) -> tuple[Signature, ...]:
    """Người lập, Phòng Kế hoạch - Tài chính, and the head of the agency (the conference's signer)."""
    head = tuple(h for h in (letterhead.signer_authority.upper(), letterhead.signer_title.upper()) if h)
    return (Signature(("NGƯỜI LẬP",)), Signature(("PHÒNG KẾ HOẠCH - TÀI CHÍNH",)),
            Signature(head or ("THỦ TRƯỞNG ĐƠN VỊ",), letterhead.signer_name, "(Ký tên, đóng dấu)"))


def _columns(actuals: bool) -> tuple[Column, ...]:
    first = (Column("STT", 13, "C"), Column("Nội dung chi", 70 if actuals else 78), Column("ĐVT", 17, "C"),
             Column("Số lượng", 17, "C"), Column("Số ngày", 15, "C"), Column("Định mức (đồng)", 23, "R"))
    if actuals:
        return first + (Column("Dự toán (đồng)", 25, "R"), Column("Thực chi (đồng)", 25, "R"),
                        Column("Ghi chú", 47))
    return first + (Column("Thành tiền (đồng)", 27, "R"), Column("Ghi chú", 62))


def _rows(doc: BudgetDocument) -> list[Row]:
    rows = []
    for index, group in enumerate(doc.sheet.categories):
        figures = (layout.money(group.amount),) + ((layout.money(group.actual or 0),) if doc.actuals else ())
        rows.append(Row((roman(index), group.label, "", "", "", "", *figures, ""), bold=True))
        for number, line in enumerate(group.lines, start=1):
            figures = (layout.money(line.amount),) + ((layout.money(line.actual_amount),) if doc.actuals else ())
            rows.append(Row((str(number), line.content, line.unit, str(line.quantity), str(line.days),
                             layout.money(line.unit_price), *figures,
                             line_basis(line, doc.sheet.conference.funding_source))))
    totals = (layout.money(doc.sheet.total),) + ((layout.money(doc.total),) if doc.actuals else ())
    rows.append(Row(("TỔNG CỘNG", *totals, ""), bold=True, span=6))
    return rows


def document(doc: BudgetDocument) -> layout.Document:
    """The estimate or the final account as a filed document (PDF and .docx)."""
    conference = doc.sheet.conference
    body: list = []
    if conference.number_symbol:
        body.append(Paragraph(f"(Kèm theo Kế hoạch số {conference.number_symbol})", italic=True, align="C",
                              indent=False))
    body.append(Table(_columns(doc.actuals), tuple(_rows(doc)), size=11))
    body.append(Paragraph(f"Bằng chữ: {layout.amount_in_words(doc.total)}.", italic=True))
    if doc.sheet.approved is not None:
        body.append(Paragraph(f"Kinh phí được duyệt: {layout.money_dong(doc.sheet.approved)}"
                              + (f"; vượt {layout.money_dong(doc.total - doc.sheet.approved)}."
                                 if doc.total > doc.sheet.approved else ".")))
    if doc.actuals:
        difference = doc.total - doc.sheet.total
        body.append(Paragraph("Thực chi bằng dự toán." if not difference else
                              f"Thực chi {'cao' if difference > 0 else 'thấp'} hơn dự toán "
                              f"{layout.money_dong(abs(difference))}."))
        if doc.missing_actuals:
            body.append(Paragraph(f"Còn {doc.missing_actuals} khoản chi chưa nhập thực chi.", italic=True))
    if conference.funding_source:
        body.append(Paragraph(f"Nguồn kinh phí: {conference.funding_source}."))
    return layout.Document(
        letterhead=doc.letterhead, number=doc.number, place_date=doc.place_date, title=TITLES[doc.kind],
        subtitle=(f"Tổ chức {conference.title}",), body=tuple(body), signatures=signatures(doc.letterhead),
        landscape=True, filename=doc.filename)


# --- the workbook -------------------------------------------------------------------------------------

def workbook(doc: BudgetDocument) -> bytes:
    """The estimate (or the final account) as .xlsx: each amount a formula (=D*E*F), subtotals SUMs, the total
    their sum, each stored with its result so every viewer shows the figures; A4 landscape, one page wide."""
    conference, actuals = doc.sheet.conference, doc.actuals
    columns = [SheetColumn("STT", 6, align="center"), SheetColumn("Nội dung chi", 46, wrap=True),
               SheetColumn("ĐVT", 9, align="center"), SheetColumn("Số lượng", 9, align="center"),
               SheetColumn("Số ngày", 8, align="center"), SheetColumn("Định mức (đồng)", 14, MONEY),
               SheetColumn("Thành tiền (đồng)" if not actuals else "Dự toán (đồng)", 16, MONEY)]
    if actuals:
        columns += [SheetColumn("Thực chi (đồng)", 16, MONEY), SheetColumn("Chênh lệch (đồng)", 16, MONEY)]
    columns.append(SheetColumn("Ghi chú", 40, wrap=True))
    letterhead = doc.letterhead
    title: list = []
    for issuer in letterhead.issuers:
        title += [issuer.parent_name.upper(), SheetText(issuer.name.upper(), bold=True)]
    title += [doc.number, SheetText(doc.place_date, italic=True), SheetText(TITLES[doc.kind], bold=True, size=14),
              SheetText(f"Tổ chức {conference.title}", bold=True)]
    if conference.number_symbol:
        title.append(SheetText(f"(Kèm theo Kế hoạch số {conference.number_symbol})", italic=True))
    footer = [SheetText(f"Bằng chữ: {layout.amount_in_words(doc.total)}.", italic=True), "",
              *_signature_rows(signatures(letterhead), len(columns))]
    table = SheetTable(SLUGS[doc.kind].replace("-", " ").title(), columns, title=[t for t in title if t],
                       centered_title=True, font="Times New Roman", borders=True, footer=footer)
    table.rows = _sheet_rows(doc, table.heading_row + 1)
    return xlsx(table)


def _signature_rows(blocks: tuple[Signature, ...], width: int) -> list[SheetRow]:
    """The signature blocks side by side under the table: Người lập under Nội dung chi, Phòng KH-TC under the
    figures, the head of the agency under Ghi chú; their headings, hint, room to sign, and name."""
    places = (1, width - 3, width - 1)
    depth = max(len(b.headings) for b in blocks)
    lines = [[b.headings[i] if i < len(b.headings) else "" for b in blocks] for i in range(depth)]
    lines += [[b.hint for b in blocks], ["", "", ""], ["", "", ""], ["", "", ""], [b.name for b in blocks]]

    def spread(values, bold):
        cells = [""] * width
        for place, value in zip(places, values, strict=True):
            cells[place] = value
        return SheetRow(cells, bold=bold)

    return [spread(values, bold=index < depth or index == len(lines) - 1) for index, values in enumerate(lines)]


def _sheet_rows(doc: BudgetDocument, row: int) -> list:
    actuals = doc.actuals
    note_blank = [""]
    rows, subtotals = [], []
    for index, group in enumerate(doc.sheet.categories):
        first, last = row + 1, row + len(group.lines)
        values = [roman(index), group.label, "", "", "", "", Formula(f"=SUM(G{first}:G{last})", group.amount)]
        if actuals:
            values += [Formula(f"=SUM(H{first}:H{last})", group.actual or 0),
                       Formula(f"=H{row}-G{row}", (group.actual or 0) - group.amount)]
        rows.append(SheetRow(values + note_blank, bold=True))
        subtotals.append(row)
        row += 1
        for number, line in enumerate(group.lines, start=1):
            values = [number, line.content, line.unit, line.quantity, line.days, line.unit_price,
                      Formula(f"=D{row}*E{row}*F{row}", line.amount)]
            if actuals:
                difference = None if line.actual_amount is None else line.actual_amount - line.amount
                values += [line.actual_amount, Formula(f'=IF(H{row}="","",H{row}-G{row})', difference)]
            rows.append(values + [line_basis(line, doc.sheet.conference.funding_source)])
            row += 1
    total = ["", "TỔNG CỘNG", "", "", "", "",
             Formula("=" + "+".join(f"G{r}" for r in subtotals), doc.sheet.total) if subtotals else 0]
    if actuals:
        total += [Formula("=" + "+".join(f"H{r}" for r in subtotals), doc.total) if subtotals else 0,
                  Formula(f"=H{row}-G{row}", doc.total - doc.sheet.total)]
    rows.append(SheetRow(total + note_blank, bold=True))
    if doc.sheet.approved is not None:
        figure = "H" if actuals else "G"
        rows.append(SheetRow(["", "Kinh phí được duyệt", "", "", "", "", doc.sheet.approved] +
                             (["", ""] if actuals else []) + note_blank, bold=True))
        remaining = ["", "Còn lại (+) / Vượt (−)", "", "", "", "",
                     Formula(f"=G{row + 1}-{figure}{row}", doc.sheet.approved - doc.total)]
        rows.append(SheetRow(remaining + (["", ""] if actuals else []) + note_blank, bold=True))
    return rows
