"""Reading a chương trình công tác năm: the table of an agency's events by month, as a clerk pastes it from Word
(one line a row, the cells separated by tabs) or as the rows of a spreadsheet joined the same way.

Above the table: title lines, one of which names the year ("CHƯƠNG TRÌNH CÔNG TÁC NĂM 2021"); then the headings
(`HEADER`), then one numbered row per event; a closing paragraph may follow.
"""

from __future__ import annotations

import re
import unicodedata

HEADER = ["TT", "Nội dung công việc", "Thời gian thực hiện", "Bộ phận tham mưu, thực hiện", "Người chủ trì",
          "Đơn vị phối hợp", "Cấp thông qua"]
FIELDS = ["number", "content", "month", "drafting_unit", "person_in_charge", "coordinating_unit", "approving_body"]
_YEAR = re.compile(r"NĂM\s+(\d{4})", re.IGNORECASE)
_MONTH_WORD = re.compile(r"tháng\s*0*(\d{1,2})", re.IGNORECASE)
_MONTH_ALONE = re.compile(r"0*(\d{1,2})")
_DATE = re.compile(r"\d{1,2}[/.-]0*(\d{1,2})[/.-]\d{4}")  # dd/mm/yyyy, as a spreadsheet's date cell is read
_ISO_DATE = re.compile(r"\d{4}-0*(\d{1,2})-\d{1,2}")  # yyyy-mm-dd, as some programs write a date in a CSV


def month_of(cell: str) -> int:
    """The month a "Thời gian thực hiện" cell names ("Tháng 03", "3", "01/03/2021", "2021-03-01"), or 0 (e.g.
    "Quý II")."""
    match = _MONTH_WORD.search(cell) or _MONTH_ALONE.fullmatch(cell) or _DATE.match(cell) or _ISO_DATE.match(cell)
    month = int(match.group(1)) if match else 0
    return month if 1 <= month <= 12 else 0


def parse_work_program_text(text: str) -> tuple[int, list[dict], list[str]]:
    """Parse a work program's table (tab-separated lines).

    Returns ``(year, rows, problems)``: the year read from the title (0 when none), one dict per numbered
    row (number, content, month, drafting_unit, person_in_charge, coordinating_unit, approving_body), and
    Vietnamese messages for lines that look like rows but cannot be read. Title lines, the header, blank
    lines and the closing paragraph are skipped; missing trailing columns are left empty.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    year = 0
    rows: list[dict] = []
    problems: list[str] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        cells = [" ".join(c.split()) for c in raw.split("\t")]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if len(cells) == 1:
            if not year and (m := _YEAR.search(line)):
                year = int(m.group(1))
            continue
        if cells[0].upper() in ("TT", "STT"):
            continue
        if not cells[0].isdigit():
            problems.append(f"Dòng {lineno}: cột TT không phải số thứ tự (“{cells[0][:30]}”).")
            continue
        cells = (cells + [""] * 7)[:7]
        month = month_of(cells[2])
        if not month:
            problems.append(f"Dòng {lineno} (TT {cells[0]}): không đọc được tháng từ “{cells[2]}”.")
            continue
        if not cells[1]:
            problems.append(f"Dòng {lineno} (TT {cells[0]}): thiếu nội dung công việc.")
            continue
        row = dict(zip(FIELDS, cells, strict=True))
        row["number"] = int(cells[0])
        row["month"] = month
        rows.append(row)
    return year, rows, problems
