"""The verbs of the work program: read its table (pasted from Word, or a spreadsheet), check it, save it all or
nothing, make a conference of an item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import PurePath

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, spreadsheets, text, vntime
from ..conferences.services import apply_plan
from ..errors import UserError
from ..extensions import db
from ..models import Conference, ConferenceKind, ConferenceStatus, WorkProgramItem
from .parser import parse_work_program_text

MAX_TEXT = 400_000
LIMITS = {"drafting_unit": 300, "person_in_charge": 200, "coordinating_unit": 300, "approving_body": 300}
LABELS = {"drafting_unit": "bộ phận tham mưu", "person_in_charge": "người chủ trì",
          "coordinating_unit": "đơn vị phối hợp", "approving_body": "cấp thông qua"}


def read_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded work program, one line a row and the cells separated by tabs: a text file as saved
    from Word (.txt, any of the encodings `spreadsheets.decode_text` knows) is taken as it is; a spreadsheet
    (.xlsx, .xls, .ods, .csv) is read by its cells' values."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".txt", ".tsv"):
        return spreadsheets.decode_text(data)[0]
    if suffix not in spreadsheets.ACCEPT.split(","):
        raise UserError("Chỉ nhận tệp .txt (chép từ Word, các cột cách nhau bằng phím Tab) hoặc bảng tính "
                        "(.xlsx, .xls, .ods, .csv).", field="file")
    read = spreadsheets.read_rows(data, filename, max_rows=5000)
    return "\n".join("\t".join(row) for row in read.rows)


@dataclass
class Preview:
    """What an import would do: the rows read, the problems found, and which numbers are new or updated."""

    year: int
    rows: list[dict]
    problems: list[str]
    new: set[int] = field(default_factory=set)
    updated: set[int] = field(default_factory=set)
    unchanged: set[int] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def by_month(self) -> dict[int, list[dict]]:
        months: dict[int, list[dict]] = {}
        for row in sorted(self.rows, key=lambda r: (r["month"], r["number"])):
            months.setdefault(row["month"], []).append(row)
        return months


def preview(text_value: str, year: int | None = None) -> Preview:
    """Read the text and list every problem; nothing is saved."""
    if len(text_value) > MAX_TEXT:
        raise UserError("Nội dung quá dài (tối đa khoảng 400.000 ký tự).")
    found_year, rows, problems = parse_work_program_text(text_value)
    problems = list(problems)
    year = year or found_year
    if not year:
        problems.insert(0, "Không thấy năm trong tiêu đề (ví dụ «CHƯƠNG TRÌNH CÔNG TÁC NĂM 2021»): vui lòng chọn năm.")
    elif not 2000 <= year <= 2100:
        problems.insert(0, f"Năm {year} không hợp lệ (từ 2000 đến 2100).")
    if not rows and not problems:
        problems.append("Không tìm thấy dòng nào có số thứ tự. Mỗi dòng cần các cột: TT, nội dung, thời gian "
                        "(Tháng 01...), bộ phận tham mưu, người chủ trì, đơn vị phối hợp, cấp thông qua, "
                        "cách nhau bằng phím Tab.")
    seen: dict[int, int] = {}
    for row in rows:
        number = row["number"]
        if number in seen:
            problems.append(f"TT {number} xuất hiện hai lần; mỗi số thứ tự chỉ dùng một lần trong năm.")
        seen[number] = 1
        for key, limit in LIMITS.items():
            if len(row[key]) > limit:
                problems.append(f"TT {number}: {LABELS[key]} dài quá {limit} ký tự.")
    result = Preview(year=year or 0, rows=rows, problems=problems)
    if year and 2000 <= year <= 2100:
        existing = {item.number: item for item in db.session.scalars(
            sa.select(WorkProgramItem).where(WorkProgramItem.year == year))}
        for row in rows:
            item = existing.get(row["number"])
            if item is None:
                result.new.add(row["number"])
            elif any(getattr(item, k) != row[k] for k in ("content", "month", *LIMITS)):
                result.updated.add(row["number"])
            else:
                result.unchanged.add(row["number"])
    return result


def import_program(text_value: str, year: int | None = None) -> Preview:
    """Save the work program if it has no problem at all (all or nothing); rows of the same year and number
    are updated, so re-importing a corrected file is safe."""
    result = preview(text_value, year)
    if not result.ok:
        raise UserError("Chương trình còn lỗi; chưa lưu dòng nào. " + " ".join(result.problems[:3]))
    existing = {item.number: item for item in db.session.scalars(
        sa.select(WorkProgramItem).where(WorkProgramItem.year == result.year))}
    for row in result.rows:
        item = existing.get(row["number"])
        if item is None:
            item = WorkProgramItem(year=result.year, number=row["number"])
            db.session.add(item)
        item.content = text.nfc(row["content"])
        item.month = row["month"]
        for key in LIMITS:
            setattr(item, key, text.nfc(row[key]))
        item.search_text = text.search_key(item.content, item.drafting_unit, item.person_in_charge,
                                           item.coordinating_unit)[:1000]
    audit.record("workprogram.import",
                 f"Nhập chương trình công tác năm {result.year}: {len(result.new)} mục mới, "
                 f"{len(result.updated)} mục cập nhật", year=result.year)
    db.session.commit()
    return result


def years() -> list[int]:
    return list(db.session.scalars(
        sa.select(WorkProgramItem.year).distinct().order_by(WorkProgramItem.year.desc())))


def items_by_month(year: int) -> dict[int, list[WorkProgramItem]]:
    items = db.session.scalars(
        sa.select(WorkProgramItem).where(WorkProgramItem.year == year)
        .options(joinedload(WorkProgramItem.conference))
        .order_by(WorkProgramItem.month, WorkProgramItem.number)
    ).all()
    months: dict[int, list[WorkProgramItem]] = {}
    for item in items:
        months.setdefault(item.month, []).append(item)
    return months


# --- making a conference of an item ------------------------------------------------------------

_KIND_PREFIXES = [("lễ", ConferenceKind.LE), ("hội thảo", ConferenceKind.HOI_THAO),
                  ("diễn đàn", ConferenceKind.DIEN_DAN)]
_KIND_WORDS = [("tổng kết", ConferenceKind.TONG_KET), ("sơ kết", ConferenceKind.SO_KET),
               ("giao ban", ConferenceKind.GIAO_BAN), ("hội thảo", ConferenceKind.HOI_THAO),
               ("diễn đàn", ConferenceKind.DIEN_DAN), ("lễ ", ConferenceKind.LE)]


def guess_kind(content: str) -> ConferenceKind:
    """"Hội nghị tổng kết..." -> tổng kết, "Hội thảo..." -> hội thảo, "Lễ..." -> lễ; else "khác"."""
    lowered = text.nfc(content).lower().strip()
    for prefix, kind in _KIND_PREFIXES:
        if lowered.startswith(prefix + " ") or lowered == prefix:
            return kind
    for word, kind in _KIND_WORDS:
        if word in lowered:
            return kind
    return ConferenceKind.KHAC


def first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while not vntime.is_working_day(day):
        day = vntime.add_days(day, 1)
    return day


def proposal(item: WorkProgramItem) -> dict:
    """The conference form's proposed values for an item: kind, title, the month's first working day at 08:00."""
    day = first_working_day(item.year, item.month)
    return {
        "kind": guess_kind(item.content).value,
        "title": text.nfc(item.content)[:500],
        "chair": item.person_in_charge[:200],
        "start_date": day, "start_time": time(8, 0),
        "end_date": day, "end_time": time(11, 30),
        "content": "\n".join(p for p in (
            f"Theo Chương trình công tác năm {item.year}, mục {item.number} (tháng {item.month}).",
            f"Bộ phận tham mưu: {item.drafting_unit}." if item.drafting_unit else "",
            f"Đơn vị phối hợp: {item.coordinating_unit}." if item.coordinating_unit else "",
            f"Cấp thông qua: {item.approving_body}." if item.approving_body else "",
        ) if p),
    }


def make_conference(item: WorkProgramItem, plan: dict, user) -> Conference:
    """Create the conference from its confirmed plan and link the item to it, in one transaction."""
    if item.conference_id is not None:
        raise UserError("Mục này đã được lập hội nghị.")
    conference = Conference(created_by_id=user.id, status=ConferenceStatus.PLANNED.value)
    apply_plan(conference, plan)
    db.session.add(conference)
    db.session.flush()
    item.conference_id = conference.id
    audit.record("conference.create",
                 f"Lập hội nghị «{conference.title}» từ chương trình công tác năm {item.year} (mục {item.number})",
                 entity=conference, conference_id=conference.id, work_program_item=item.id)
    db.session.commit()
    return conference
