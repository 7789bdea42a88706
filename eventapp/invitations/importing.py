"""Importing an invitation list from a spreadsheet (.xlsx, .xls, .ods) or CSV: a template, a preview with every
row's problems that the clerk can fix in place (a group for new agencies, a corrected cell, text typed in a legacy
font converted) and check again without uploading again, and a confirmation that saves all valid rows in one
transaction or nothing, once.

A preview lives in the database (``InvitationImport``) from the upload to its confirmation: the cells of each row
as read (and as corrected), and what the last check found. Confirming claims the preview in the transaction that
imports it, so two confirmations at once (a double click, two tabs) import it once.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from .. import audit, spreadsheets, text, vntime
from ..agencies.services import agency_search_text
from ..errors import UserError
from ..extensions import db, take_write_lock
from ..models import Agency, AgencyGroup, Conference, Invitation, InvitationImport, InvitationKind, utcnow
from .services import refresh_search_text

#: The headings of the template, in order; the parser also accepts them in any order and without accents.
HEADINGS = ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ", "Thành phần mời", "Email",
            "Điện thoại", "Ghi chú"]
_FIELDS = ["number", "group", "agency", "name", "position", "seats", "role", "email", "phone", "note"]
#: The fields a clerk may correct in the preview, with their labels.
EDITABLE = {"group": "Nhóm", "agency": "Cơ quan/đơn vị", "name": "Họ và tên", "position": "Chức vụ",
            "seats": "Số chỗ", "role": "Thành phần mời", "email": "Email", "phone": "Điện thoại", "note": "Ghi chú"}
#: Accepted spellings of each heading (accent-free, lower case).
_ALIASES = {
    "number": {"stt", "tt", "so thu tu", "so tt"},
    "group": {"nhom", "nhom co quan", "nhom don vi"},
    "agency": {"co quan/don vi", "co quan", "don vi", "co quan, don vi", "co quan don vi", "ten co quan",
               "don vi cong tac", "co quan cong tac", "noi cong tac"},
    "name": {"ho va ten", "ho ten", "nguoi duoc moi", "ten nguoi duoc moi", "ho va ten dai bieu", "dai bieu"},
    "position": {"chuc vu", "chuc danh"},
    "seats": {"so cho", "so luong", "so nguoi"},
    "role": {"thanh phan moi", "thanh phan", "vai tro"},
    "email": {"email", "e-mail", "thu dien tu", "dia chi email"},
    "phone": {"dien thoai", "so dien thoai", "sdt", "dt", "so dt", "dien thoai lien he", "di dong"},
    "note": {"ghi chu", "note"},
}
MAX_ROWS = 20_000
#: How long an unconfirmed preview is kept.
KEPT = timedelta(days=1)
_SEATS = re.compile(r"[0-9]+")
#: A phone that Excel stored as a number, its leading zero lost: a mobile of 9 digits, a landline of 10.
_LOST_ZERO = re.compile(r"[35789][0-9]{8}|2[0-9]{9}")
ADDED_ZERO = "đã thêm số 0 đầu"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass
class ImportRow:
    """One row of the file: its cells as read (or corrected), cleaned, with its problems (empty when the row can
    be imported) and notes (what the check changed, or a warning that does not stop the row)."""

    line: int
    #: The text of each field's cell as read, or as the clerk corrected it.
    cells: dict[str, str] = field(default_factory=dict)
    number: str = ""
    group: str = ""
    agency: str = ""
    name: str = ""
    position: str = ""
    seats: int | None = 1
    seats_raw: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    note: str = ""
    #: True when the agency is not yet in the directory and will be created in ``group``.
    new_agency: bool = False
    #: A person of an agency that is invited as a whole (already, or by another row of the file).
    agency_invited: bool = False
    #: Chosen by the clerk: the person becomes a named seat of the agency's invitation, not an invitation.
    join_agency: bool = False
    #: True once the clerk corrected a cell of the row.
    edited: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kind(self) -> str:
        return InvitationKind.PERSON.value if self.name else InvitationKind.AGENCY.value


@dataclass
class ImportPreview:
    """What an import would do: every row with its problems, before anything is saved."""

    conference_id: int
    filename: str
    rows: list[ImportRow]
    new_agencies: list[str] = field(default_factory=list)
    #: How the file was read: "bảng tính Excel 97–2003 (.xls)", "CSV, bảng mã Windows-1258"...
    source: str = ""
    #: The headings recognised, in the file's order, and those that nothing reads (their cells are not imported).
    used_columns: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    #: The legacy font encoding the cells seem typed in ("TCVN3", "VNI"), until converted or dismissed.
    legacy: str = ""
    #: Set once the preview was imported (by this request or another).
    imported_at: object = None
    imported_count: int = 0

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def error_count(self) -> int:
        return len(self.rows) - self.valid_count

    @property
    def seats(self) -> int:
        return sum(r.seats or 0 for r in self.rows if r.ok)

    @property
    def invitations_count(self) -> int:
        """Invitations the import creates (a person joined to an agency's invitation creates none)."""
        return sum(1 for r in self.rows if r.ok and not r.join_agency)

    @property
    def ungrouped_agencies(self) -> list[str]:
        """New agencies that need a group before their rows can be imported, in Vietnamese order."""
        names = {r.agency.casefold(): r.agency for r in self.rows if any(_NO_GROUP in p for p in r.problems)}
        return sorted(names.values(), key=text.vn_collate_key)

    @property
    def agency_persons(self) -> list[ImportRow]:
        """Persons of an agency invited as a whole, not yet joined to its invitation."""
        return [r for r in self.rows if r.ok and r.agency_invited and not r.join_agency]

    def row(self, line: int) -> ImportRow:
        """The row of a line of the file; UserError when the preview has none."""
        for row in self.rows:
            if row.line == line:
                return row
        raise UserError(f"Bản xem trước không có dòng {line}.")

    def legacy_changes(self) -> dict[str, str]:
        """The cells the legacy conversion would change, each with what it becomes."""
        if not self.legacy:
            return {}
        return spreadsheets.legacy_conversions(_all_cells(self.rows), self.legacy)


def _all_cells(rows: list[ImportRow]):
    return (value for row in rows for value in row.cells.values() if value)


# --- the template ---------------------------------------------------------------------------------

def template_xlsx() -> bytes:
    """An empty import file with the Vietnamese headings, two example rows and the group names to pick from."""
    groups = list(db.session.scalars(sa.select(AgencyGroup.name).order_by(AgencyGroup.position)))
    example_group = groups[0] if groups else "Sở, ban, ngành"
    widths = (6, 28, 40, 26, 24, 8, 34, 28, 16, 30)
    columns = [spreadsheets.Column(heading, width) for heading, width in zip(HEADINGS, widths, strict=True)]
    if groups:
        columns[1] = spreadsheets.Column("Nhóm", 28, choices=f"'Nhóm'!$A$2:$A${len(groups) + 1}",
                                         choices_error="Chọn một nhóm trong danh mục (trang «Nhóm»).")
    return spreadsheets.xlsx(
        spreadsheets.Table("Khách mời", columns, [
            [1, example_group, "Sở Tài chính", "", "", 2, "Lãnh đạo và chuyên viên phụ trách", "stc@example.gov.vn",
             "0255 3822 123", ""],
            [2, example_group, "Sở Tài chính", "Nguyễn Văn An", "Phó Giám đốc", 1, "", "", "0912 345 678",
             "Phát biểu tham luận"],
        ]),
        spreadsheets.Table("Nhóm", [spreadsheets.Column("Các nhóm cơ quan hợp lệ", 40)], [[name] for name in groups]),
    )


# --- reading the file -----------------------------------------------------------------------------

def _field_of(title: str) -> str | None:
    key = text.unaccent(title).strip(" .:*()")
    return next((name for name, aliases in _ALIASES.items() if key in aliases), None)


def _columns(heading: list[str]) -> tuple[dict[str, int], list[str]] | None:
    """The column of each field in a heading row and the headings as Unicode (the row may have been typed in a
    legacy font), or None when the row is not a heading."""
    for spelling in (heading, *([spreadsheets.from_legacy(t, e) for t in heading]
                                for e in spreadsheets.LEGACY_ENCODINGS)):
        found: dict[str, int] = {}
        for index, title in enumerate(spelling):
            name = _field_of(title)
            if name and name not in found:
                found[name] = index
        if "agency" in found or "name" in found:
            return found, spelling
    return None


@dataclass
class Table:
    """A list as read: the line of its heading, the column of each field, the rows under it, how it was read,
    and the headings that no field reads."""

    heading_line: int
    columns: dict[str, int]
    rows: list[list[str]]
    source: str
    headings: list[str]

    @property
    def unused(self) -> list[str]:
        used = set(self.columns.values())
        return [title for index, title in enumerate(self.headings) if title and index not in used]

    @property
    def used(self) -> list[str]:
        return [self.headings[index] for index in sorted(self.columns.values())]


def read_table(file_bytes: bytes, filename: str) -> Table:
    """The list in an .xlsx, .xls, .ods or .csv: its heading (within the first 20 rows) and the rows under it."""
    read = spreadsheets.read_rows(file_bytes, filename, max_rows=MAX_ROWS + 51)
    for index, row in enumerate(read.rows[:20]):
        found = _columns(row)
        if found:
            return Table(index + 1, found[0], read.rows[index + 1:], read.description, found[1])
    raise UserError("Không thấy dòng tiêu đề (STT, Nhóm, Cơ quan/đơn vị, Họ và tên...). "
                    "Hãy dùng tệp mẫu để nhập.", field="file")


#: The beginning of a total row ("Tổng cộng: 5 đại biểu"), which is not an invitation.
_TOTAL = re.compile(r"(tong cong|tong so)\b|cong\s*:")


def _rows_of(table: Table) -> list[ImportRow]:
    """The rows of a table with their cells by field; blank rows, rows with only a number and total rows left out."""
    get = {name: table.columns.get(name) for name in _FIELDS}
    rows = []
    for line, values in enumerate(table.rows, start=table.heading_line + 1):
        cells = {name: values[index] for name, index in get.items()
                 if index is not None and index < len(values) and values[index]}
        if not any(v for k, v in cells.items() if k != "number"):
            continue
        if any(_TOTAL.match(text.unaccent(v)) for k, v in cells.items() if k in ("number", "agency", "name")):
            continue
        rows.append(ImportRow(line=line, cells=cells))
    return rows


# --- checking the rows ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def _key(s: str) -> str:
    return text.unaccent(s)


_NO_GROUP = "chưa có trong danh mục"


def _phone(raw: str) -> tuple[str, bool]:
    """A phone as stored, and whether its lost leading zero was put back."""
    digits = raw.replace(" ", "")
    if _LOST_ZERO.fullmatch(digits):
        return "0" + digits, True
    return text.normalize_phone(raw), False


@dataclass
class _Lists:
    """The directory, the groups and the conference's invitations, loaded once for a check."""

    groups: dict[str, str]
    agencies: dict[str, tuple[int, str]]
    invited_agencies: set[int]
    invited_persons: set[tuple[str, int | None]]

    @classmethod
    def load(cls, conference_id: int) -> _Lists:
        groups = {_key(name): name for name in db.session.scalars(sa.select(AgencyGroup.name))}
        agencies = {}  # name key -> (agency id, group name)
        for agency_id, agency_name, group_name in db.session.execute(
            sa.select(Agency.id, Agency.name, AgencyGroup.name).join(AgencyGroup, Agency.group_id == AgencyGroup.id)
        ):
            agencies[text.nfc(agency_name).casefold()] = (agency_id, group_name)
        invited_agencies: set[int] = set()
        invited_persons: set[tuple[str, int | None]] = set()
        for kind, agency_id, invitee_name in db.session.execute(
            sa.select(Invitation.kind, Invitation.agency_id, Invitation.invitee_name)
            .where(Invitation.conference_id == conference_id)
        ):
            if kind == InvitationKind.AGENCY:
                invited_agencies.add(agency_id)
            else:
                invited_persons.add((_key(invitee_name), agency_id))
        return cls(groups, agencies, invited_agencies, invited_persons)


def _clean(row: ImportRow, lists: _Lists) -> int | None:
    """Fill a row's values from its cells and check them on their own; returns the directory id of its agency."""
    cells = row.cells
    row.number, row.group, row.agency = cells.get("number", ""), cells.get("group", ""), cells.get("agency", "")
    row.name, row.position, row.role = cells.get("name", ""), cells.get("position", ""), cells.get("role", "")
    row.seats_raw, row.note, row.seats = cells.get("seats", ""), cells.get("note", ""), 1
    row.new_agency = row.agency_invited = False
    row.problems, row.notes = [], []
    problems = row.problems
    if not row.agency and not row.name:
        problems.append("Thiếu tên: cần «Cơ quan/đơn vị» hoặc «Họ và tên».")
    for label, content, limit in (("Họ và tên", row.name, 120), ("Chức vụ", row.position, 200),
                                  ("Cơ quan/đơn vị", row.agency, 300), ("Thành phần mời", row.role, 200),
                                  ("Ghi chú", row.note, 500)):
        if len(content) > limit:
            problems.append(f"«{label}» quá dài (tối đa {limit} ký tự).")
    if row.seats_raw:
        if _SEATS.fullmatch(row.seats_raw) and 1 <= int(row.seats_raw) <= 500:
            row.seats = int(row.seats_raw)
        else:
            row.seats = None
            problems.append(f"Số chỗ «{row.seats_raw}» không hợp lệ: cần một số nguyên dương (1–500).")
    try:
        row.email = text.normalize_email(cells.get("email", ""))
    except ValueError:
        row.email = cells.get("email", "")
        problems.append(f"Email «{row.email}» không đúng định dạng.")
    try:
        row.phone, added_zero = _phone(cells.get("phone", ""))
        if added_zero:
            row.notes.append(f"Số điện thoại {text.format_phone(row.phone)}: {ADDED_ZERO} (Excel đã bỏ mất).")
    except ValueError:
        row.phone = cells.get("phone", "")
        problems.append(f"Số điện thoại «{row.phone}» không hợp lệ (di động 10 số, cố định 11 số bắt đầu 02).")

    groups = lists.groups
    if row.group and _key(row.group) in groups:
        row.group = groups[_key(row.group)]
    elif row.group:
        problems.append(f"Nhóm «{row.group}» không có trong danh mục nhóm cơ quan.")
    if not row.agency:
        return None
    known = lists.agencies.get(row.agency.casefold())
    if known:
        if not cells.get("group"):
            row.group = known[1]
        return known[0]
    if not row.group:
        problems.append(f"Cơ quan «{row.agency}» {_NO_GROUP}: chọn «Nhóm» để tạo mới.")
    elif _key(row.group) in groups:
        row.new_agency = True
    return None


def check_rows(conference_id: int, rows: list[ImportRow]) -> list[str]:
    """Check every row against the directory, the list and the other rows of the file (in place); returns the
    new agencies the import would add, in Vietnamese order.

    The directory, the groups and the conference's invitations are loaded once into dicts, so the time grows
    with the rows, not with queries.
    """
    lists = _Lists.load(conference_id)
    seen_agencies: dict[str, int] = {}
    seen_persons: dict[tuple[str, str], int] = {}
    new_agencies: dict[str, str] = {}
    persons = []
    for row in rows:
        agency_id = _clean(row, lists)
        problems = row.problems
        if row.name:
            person_key = (_key(row.name), row.agency.casefold())
            if person_key in seen_persons:
                problems.append(f"Trùng với dòng {seen_persons[person_key]} trong tệp.")
            elif (person_key[0], agency_id) in lists.invited_persons and (agency_id or not row.agency):
                problems.append(f"«{row.name}» đã có trong danh sách khách mời.")
            else:
                seen_persons[person_key] = row.line
            persons.append((row, agency_id))
        elif row.agency:
            agency_key = row.agency.casefold()
            if agency_key in seen_agencies:
                problems.append(f"Trùng với dòng {seen_agencies[agency_key]} trong tệp.")
            elif agency_id in lists.invited_agencies:
                problems.append(f"«{row.agency}» đã có trong danh sách khách mời.")
            elif row.ok:
                seen_agencies[agency_key] = row.line
        if row.ok and row.new_agency:
            new_agencies.setdefault(row.agency.casefold(), row.agency)
    for row, agency_id in persons:  # a person of an agency invited as a whole: in the list, or anywhere in the file
        if not row.ok or not row.agency:
            continue
        in_file = seen_agencies.get(row.agency.casefold())
        if agency_id in lists.invited_agencies or in_file:
            row.agency_invited = True
            where = f"dòng {in_file} của tệp" if in_file else "danh sách khách mời"
            if row.join_agency:
                row.notes.append(f"Sẽ thêm 1 chỗ đích danh vào lời mời «{row.agency}» ({where}), không có giấy mời "
                                 "riêng.")
            else:
                row.notes.append(f"«{row.agency}» đã được mời cả cơ quan ({where}): dòng này sẽ thành lời mời và giấy "
                                 "mời thứ hai cho cùng cơ quan.")
        else:
            row.join_agency = False
    return sorted(new_agencies.values(), key=text.vn_collate_key)


def preview_import(conference_id: int, file_bytes: bytes, filename: str) -> ImportPreview:
    """Read an import file and check every row against the directory and the list; saves nothing."""
    table = read_table(file_bytes, filename)
    if len(table.rows) > MAX_ROWS:
        raise UserError(f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,} dòng một lần).".replace(",", "."), field="file")
    rows = _rows_of(table)
    if not rows:
        raise UserError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.", field="file")
    legacy = spreadsheets.legacy_encoding(_all_cells(rows)) or ""
    preview = ImportPreview(conference_id=conference_id, filename=filename, rows=rows, source=table.source,
                            used_columns=table.used, unused_columns=table.unused, legacy=legacy)
    recheck(preview)
    return preview


def recheck(preview: ImportPreview) -> None:
    """Check the preview's rows again, against the directory and the list as they are now."""
    preview.new_agencies = check_rows(preview.conference_id, preview.rows)


# --- fixing rows in the preview -------------------------------------------------------------------

def correct_row(preview: ImportPreview, line: int, values: dict[str, str]) -> ImportRow:
    """Replace the cells of one row with what the clerk typed (NFC) and check the whole preview again."""
    row = preview.row(line)
    row.cells = {name: text.nfc(values.get(name, "")) for name in EDITABLE if text.nfc(values.get(name, ""))} | (
        {"number": row.cells["number"]} if row.cells.get("number") else {})
    row.edited = True
    recheck(preview)
    return row


def set_groups(preview: ImportPreview, groups: dict[str, str]) -> int:
    """Give new agencies (by name) a group; returns how many rows changed. Unknown groups are refused."""
    known = {_key(name): name for name in db.session.scalars(sa.select(AgencyGroup.name))}
    wanted = {}
    for agency, group in groups.items():
        if not group:
            continue
        if _key(group) not in known:
            raise UserError(f"Nhóm «{group}» không có trong danh mục nhóm cơ quan.")
        wanted[agency.casefold()] = known[_key(group)]
    changed = 0
    for row in preview.rows:
        group = wanted.get(row.cells.get("agency", "").casefold())
        if group and not row.cells.get("group"):
            row.cells["group"] = group
            changed += 1
    if not changed:
        raise UserError("Chưa chọn nhóm cho cơ quan mới nào.")
    recheck(preview)
    return changed


def join_agencies(preview: ImportPreview, lines: list[int] | None = None) -> int:
    """Make persons of agencies invited as a whole named seats of those invitations (the rows of ``lines``, or
    all of them); returns how many."""
    chosen = [r for r in preview.agency_persons if lines is None or r.line in lines]
    for row in chosen:
        row.join_agency = True
    recheck(preview)
    return len(chosen)


def separate_agency(preview: ImportPreview, line: int) -> None:
    """Undo a join: the person gets an invitation (and a letter) of their own."""
    preview.row(line).join_agency = False
    recheck(preview)


def convert_legacy(preview: ImportPreview) -> int:
    """Convert the cells typed in the detected legacy encoding to Unicode and check again; returns how many
    cells changed."""
    changes = preview.legacy_changes()
    count = 0
    for row in preview.rows:
        for name, value in row.cells.items():
            if value in changes:
                row.cells[name] = changes[value]
                count += 1
    preview.legacy = ""
    recheck(preview)
    return count


def dismiss_legacy(preview: ImportPreview) -> None:
    """Keep the cells as they are: the text was typed in Unicode after all."""
    preview.legacy = ""


# --- keeping the preview between requests ---------------------------------------------------------

def _dump(preview: ImportPreview) -> str:
    return json.dumps({"source": preview.source, "new_agencies": preview.new_agencies, "legacy": preview.legacy,
                       "used_columns": preview.used_columns, "unused_columns": preview.unused_columns,
                       "rows": [asdict(r) for r in preview.rows]}, ensure_ascii=False)


def store_preview(preview: ImportPreview, user_id: int | None) -> str:
    """Keep a preview in the database under a random id; returns the id. Old unconfirmed previews go."""
    token = secrets.token_urlsafe(24)
    db.session.execute(sa.delete(InvitationImport).where(InvitationImport.created_at < utcnow() - KEPT))
    db.session.add(InvitationImport(token=token, conference_id=preview.conference_id, user_id=user_id,
                                    filename=preview.filename[:300], data=_dump(preview)))
    db.session.commit()
    return token


def _record(token: str, conference_id: int, user_id: int | None) -> InvitationImport | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    record = db.session.scalar(sa.select(InvitationImport).where(InvitationImport.token == token))
    if record is None or record.conference_id != conference_id or record.user_id != user_id:
        return None
    if record.imported_at is None and record.created_at < utcnow() - KEPT:
        return None
    return record


def load_preview(token: str, conference_id: int, user_id: int | None) -> ImportPreview | None:
    """The stored preview of this conference and user, or None (unknown, expired or someone else's). A preview
    already imported comes back with ``imported_at`` set."""
    record = _record(token, conference_id, user_id)
    if record is None:
        return None
    data = json.loads(record.data)
    return ImportPreview(conference_id=conference_id, filename=record.filename,
                         rows=[ImportRow(**r) for r in data["rows"]], new_agencies=data["new_agencies"],
                         source=data["source"], used_columns=data["used_columns"],
                         unused_columns=data["unused_columns"], legacy=data["legacy"],
                         imported_at=record.imported_at, imported_count=record.imported_count)


def save_preview(token: str, preview: ImportPreview) -> None:
    """Store the changes made to a preview, unless it was imported meanwhile."""
    saved = db.session.execute(
        sa.update(InvitationImport).where(InvitationImport.token == token, InvitationImport.imported_at.is_(None))
        .values(data=_dump(preview))
    ).rowcount
    if not saved:
        db.session.rollback()
        raise UserError(already_imported_message(token))
    db.session.commit()


def already_imported_message(token: str) -> str:
    """What a second confirmation of a preview is told."""
    record = db.session.scalar(sa.select(InvitationImport).where(InvitationImport.token == token))
    if record is None or record.imported_at is None:
        return "Bản xem trước đã hết hạn hoặc không tồn tại. Vui lòng tải tệp lên lại."
    return (f"Danh sách «{record.filename}» đã được nhập lúc {vntime.format_datetime(record.imported_at)} "
            f"({record.imported_count} khách mời); không nhập lại.")


def discard_preview(token: str) -> None:
    """Forget a preview that was not imported."""
    if _TOKEN.fullmatch(token or ""):
        db.session.execute(sa.delete(InvitationImport).where(InvitationImport.token == token,
                                                             InvitationImport.imported_at.is_(None)))
        db.session.commit()


# --- confirming -----------------------------------------------------------------------------------

def _claim(token: str, count: int) -> None:
    """Mark the preview imported, in the import's transaction; refused when another confirmation did it first.

    PostgreSQL makes a second UPDATE of the row wait for the first transaction and then re-reads its condition;
    on SQLite the write lock is taken first, so the second confirmation waits and then finds it imported."""
    take_write_lock()
    claimed = db.session.execute(
        sa.update(InvitationImport).where(InvitationImport.token == token, InvitationImport.imported_at.is_(None))
        .values(imported_at=utcnow(), imported_count=count)
    ).rowcount
    if not claimed:
        raise UserError(already_imported_message(token))


def confirm_import(conference: Conference, preview: ImportPreview, token: str) -> int:
    """Save every valid row of a stored preview in ONE transaction, once (agencies missing from the directory are
    created in their group; persons joined to an agency's invitation add a named seat to it); on any failure
    nothing is saved. Returns the number of rows imported."""
    rows = preview.valid_rows
    if not rows:
        raise UserError("Không có dòng hợp lệ nào để nhập.")
    try:
        _claim(token, len(rows))
        groups = {_key(g.name): g for g in db.session.scalars(sa.select(AgencyGroup))}
        agencies = {text.nfc(a.name).casefold(): a for a in db.session.scalars(sa.select(Agency))}
        agency_invitations = {i.agency_id: i for i in db.session.scalars(sa.select(Invitation).where(
            Invitation.conference_id == conference.id, Invitation.kind == InvitationKind.AGENCY))}
        position = (db.session.scalar(sa.select(sa.func.max(Invitation.position))
                                      .where(Invitation.conference_id == conference.id)) or 0)
        created_agencies = joined = 0
        by_agency_name: dict[str, Invitation] = {}
        # Agencies first, so that a person joined to an agency of a later row finds its invitation.
        for row in sorted(rows, key=lambda r: (r.join_agency, r.line)):
            agency = None
            if row.agency:
                agency = agencies.get(row.agency.casefold())
                if agency is None:
                    group = groups.get(_key(row.group))
                    if group is None:
                        raise UserError(f"Nhóm «{row.group}» vừa bị xóa; vui lòng tải tệp lên lại.")
                    agency = Agency(name=row.agency, group=group, email="" if row.name else row.email,
                                    phone="" if row.name else row.phone)
                    agency.search_text = agency_search_text(agency)
                    db.session.add(agency)
                    agencies[row.agency.casefold()] = agency
                    created_agencies += 1
            if row.join_agency:
                target = by_agency_name.get(row.agency.casefold()) or agency_invitations.get(agency.id)
                if target is None:
                    raise UserError(f"Lời mời «{row.agency}» vừa bị xóa; vui lòng kiểm tra lại bản xem trước.")
                add_named_seat(target, row.name, row.position)
                joined += 1
                continue
            position += 1
            invitation = Invitation(
                conference_id=conference.id,
                kind=row.kind,
                agency=agency,
                invitee_name=row.name,
                invitee_position=row.position,
                role_text=row.role,
                seats=row.seats or 1,
                email=row.email or (agency.email if agency and not row.name else ""),
                phone=row.phone or (agency.phone if agency and not row.name else ""),
                note=row.note,
                position=position,
            )
            refresh_search_text(invitation, agency)
            add_imported_invitation(invitation)
            if not row.name:
                by_agency_name[row.agency.casefold()] = invitation
        audit.record("invitation.import", f"Nhập {len(rows)} khách mời từ tệp «{preview.filename}»",
                     conference_id=conference.id, rows=len(rows), new_agencies=created_agencies,
                     named_seats=joined)
        db.session.commit()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise UserError("Danh sách khách mời vừa thay đổi nên không nhập được; chưa có gì được lưu. "
                        "Vui lòng bấm «Kiểm tra lại» để xem trước với danh sách mới.") from exc
    except BaseException:
        db.session.rollback()
        raise
    return len(rows)


def add_named_seat(invitation: Invitation, name: str, position: str) -> None:
    """One more seat on an agency's invitation, for a named person: the letter's addressee when it has none,
    else a line of its note."""
    invitation.seats = min(invitation.seats + 1, 500)
    if not invitation.invitee_name:
        invitation.invitee_name, invitation.invitee_position = name, position
    else:
        who = name + (f" ({position})" if position else "")
        invitation.note = "; ".join(p for p in (invitation.note, f"Mời đích danh: {who}") if p)[:500]
    refresh_search_text(invitation)


def add_imported_invitation(invitation: Invitation) -> None:
    """Add one imported invitation to the session (flushed at the end of the import)."""
    db.session.add(invitation)
