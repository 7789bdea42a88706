"""Importing an invitation list from a spreadsheet (.xlsx, .xls, .ods) or CSV: a template, a preview with every
row's problems, and a confirmation that saves all valid rows in one transaction or nothing."""

from __future__ import annotations

import functools
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from .. import audit, spreadsheets, text
from ..agencies.services import agency_search_text
from ..errors import UserError
from ..extensions import db
from ..models import Agency, AgencyGroup, Conference, Invitation, InvitationKind
from .services import refresh_search_text

#: The headings of the template, in order; the parser also accepts them in any order and without accents.
HEADINGS = ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ", "Thành phần mời", "Email",
            "Điện thoại"]
_FIELDS = ["number", "group", "agency", "name", "position", "seats", "role", "email", "phone"]
#: Accepted spellings of each heading (accent-free, lower case).
_ALIASES = {
    "number": {"stt", "tt", "so thu tu"},
    "group": {"nhom", "nhom co quan", "nhom don vi"},
    "agency": {"co quan/don vi", "co quan", "don vi", "co quan, don vi", "co quan don vi", "ten co quan"},
    "name": {"ho va ten", "ho ten", "nguoi duoc moi", "ten nguoi duoc moi"},
    "position": {"chuc vu"},
    "seats": {"so cho", "so luong", "so nguoi"},
    "role": {"thanh phan moi", "thanh phan", "vai tro"},
    "email": {"email", "e-mail", "thu dien tu"},
    "phone": {"dien thoai", "so dien thoai", "sdt", "dt"},
}
MAX_ROWS = 20_000
_SEATS = re.compile(r"[0-9]+")


@dataclass
class ImportRow:
    """One row of the file, cleaned, with its problems (empty when the row can be imported)."""

    line: int
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
    #: True when the agency is not yet in the directory and will be created in ``group``.
    new_agency: bool = False
    problems: list[str] = field(default_factory=list)

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


# --- the template ---------------------------------------------------------------------------------

def template_xlsx() -> bytes:
    """An empty import file with the Vietnamese headings, two example rows and the group names to pick from."""
    groups = list(db.session.scalars(sa.select(AgencyGroup.name).order_by(AgencyGroup.position)))
    example_group = groups[0] if groups else "Sở, ban, ngành"
    widths = (6, 28, 40, 26, 24, 8, 34, 28, 16)
    columns = [spreadsheets.Column(heading, width) for heading, width in zip(HEADINGS, widths, strict=True)]
    if groups:
        columns[1] = spreadsheets.Column("Nhóm", 28, choices=f"'Nhóm'!$A$2:$A${len(groups) + 1}",
                                         choices_error="Chọn một nhóm trong danh mục (trang «Nhóm»).")
    return spreadsheets.xlsx(
        spreadsheets.Table("Khách mời", columns, [
            [1, example_group, "Sở Tài chính", "", "", 2, "Lãnh đạo và chuyên viên phụ trách", "stc@example.gov.vn",
             "0255 3822 123"],
            [2, example_group, "Sở Tài chính", "Nguyễn Văn An", "Phó Giám đốc", 1, "", "", "0912 345 678"],
        ]),
        spreadsheets.Table("Nhóm", [spreadsheets.Column("Các nhóm cơ quan hợp lệ", 40)], [[name] for name in groups]),
    )


# --- reading the file -----------------------------------------------------------------------------

def _columns(heading: list[str]) -> dict[str, int] | None:
    found = {}
    for index, title in enumerate(heading):
        key = text.unaccent(title).strip(" .:*")
        for name, aliases in _ALIASES.items():
            if key in aliases and name not in found:
                found[name] = index
    return found if ("agency" in found or "name" in found) else None


def read_table(file_bytes: bytes, filename: str) -> tuple[int, dict[str, int], list[list[str]], str]:
    """(line number of the heading, column of each field, rows under it, how the file was read) of a list in
    .xlsx, .xls, .ods or .csv."""
    read = spreadsheets.read_rows(file_bytes, filename, max_rows=MAX_ROWS + 51)
    for index, row in enumerate(read.rows[:20]):
        columns = _columns(row)
        if columns:
            return index + 1, columns, read.rows[index + 1:], read.description
    raise UserError("Không thấy dòng tiêu đề (STT, Nhóm, Cơ quan/đơn vị, Họ và tên...). "
                    "Hãy dùng tệp mẫu để nhập.", field="file")


# --- the preview ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def _key(s: str) -> str:
    return text.unaccent(s)


def preview_import(conference_id: int, file_bytes: bytes, filename: str) -> ImportPreview:
    """Read an import file and check every row against the directory and the list; saves nothing.

    The directory, the groups and the conference's invitations are loaded once into dicts, so the
    time grows with the rows, not with queries.
    """
    heading_line, columns, table, source = read_table(file_bytes, filename)
    if len(table) > MAX_ROWS:
        raise UserError(f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,} dòng một lần).".replace(",", "."), field="file")

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

    seen_agencies: dict[str, int] = {}
    seen_persons: dict[tuple[str, str], int] = {}
    new_agencies: dict[str, str] = {}
    rows: list[ImportRow] = []
    get = {name: columns.get(name) for name in _FIELDS}
    for offset, values in enumerate(table, start=heading_line + 1):
        def value(name, values=values):
            index = get[name]
            return values[index] if index is not None and index < len(values) else ""

        if not any(values):
            continue
        row = ImportRow(line=offset, number=value("number"), group=value("group"), agency=value("agency"),
                        name=value("name"), position=value("position"), seats_raw=value("seats"),
                        role=value("role"))
        problems = row.problems
        if not row.agency and not row.name:
            if not any((row.position, row.group, row.seats_raw, row.role, value("email"), value("phone"))):
                continue  # a row with only its STT
            problems.append("Thiếu tên: cần «Cơ quan/đơn vị» hoặc «Họ và tên».")
        for label, content, limit in (("Họ và tên", row.name, 120), ("Chức vụ", row.position, 200),
                                      ("Cơ quan/đơn vị", row.agency, 300), ("Thành phần mời", row.role, 200)):
            if len(content) > limit:
                problems.append(f"«{label}» quá dài (tối đa {limit} ký tự).")
        if row.seats_raw:
            if _SEATS.fullmatch(row.seats_raw) and 1 <= int(row.seats_raw) <= 500:
                row.seats = int(row.seats_raw)
            else:
                row.seats = None
                problems.append(f"Số chỗ «{row.seats_raw}» không hợp lệ: cần một số nguyên dương (1–500).")
        try:
            row.email = text.normalize_email(value("email"))
        except ValueError:
            row.email = value("email")
            problems.append(f"Email «{row.email}» không đúng định dạng.")
        try:
            row.phone = text.normalize_phone(value("phone"))
        except ValueError:
            row.phone = value("phone")
            problems.append(f"Số điện thoại «{row.phone}» không hợp lệ (di động 10 số, cố định 11 số bắt đầu 02).")

        agency_id = None
        if row.agency:
            agency_key = row.agency.casefold()
            known = agencies.get(agency_key)
            if known:
                agency_id = known[0]
                if not row.group:
                    row.group = known[1]
                elif _key(row.group) in groups:
                    row.group = groups[_key(row.group)]
                else:
                    problems.append(f"Nhóm «{row.group}» không có trong danh mục nhóm cơ quan.")
            elif not row.group:
                problems.append(f"Cơ quan «{row.agency}» chưa có trong danh mục: cần ghi «Nhóm» để tạo mới.")
            elif _key(row.group) not in groups:
                problems.append(f"Nhóm «{row.group}» không có trong danh mục nhóm cơ quan.")
            else:
                row.group = groups[_key(row.group)]
                row.new_agency = True
        elif row.group and _key(row.group) not in groups:
            problems.append(f"Nhóm «{row.group}» không có trong danh mục nhóm cơ quan.")

        if row.name:
            person_key = (_key(row.name), row.agency.casefold())
            if person_key in seen_persons:
                problems.append(f"Trùng với dòng {seen_persons[person_key]} trong tệp.")
            elif (person_key[0], agency_id) in invited_persons and (agency_id or not row.agency):
                problems.append(f"«{row.name}» đã có trong danh sách khách mời.")
            else:
                seen_persons[person_key] = row.line
        elif row.agency:
            agency_key = row.agency.casefold()
            if agency_key in seen_agencies:
                problems.append(f"Trùng với dòng {seen_agencies[agency_key]} trong tệp.")
            elif agency_id in invited_agencies:
                problems.append(f"«{row.agency}» đã có trong danh sách khách mời.")
            else:
                seen_agencies[agency_key] = row.line
        if row.ok and row.new_agency:
            new_agencies.setdefault(row.agency.casefold(), row.agency)
        rows.append(row)
    if not rows:
        raise UserError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.", field="file")
    return ImportPreview(conference_id=conference_id, filename=filename, rows=rows,
                         new_agencies=sorted(new_agencies.values(), key=text.vn_collate_key), source=source)


# --- keeping the preview between the two requests -------------------------------------------------

_PREVIEW_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _preview_dir() -> Path:
    path = Path(current_app.instance_path) / "import-previews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_preview(preview: ImportPreview, user_id: int | None) -> str:
    """Keep a preview server-side under a random id (a file in the instance folder); returns the id."""
    preview_id = secrets.token_urlsafe(24)
    data = {"conference_id": preview.conference_id, "filename": preview.filename, "user_id": user_id,
            "new_agencies": preview.new_agencies, "source": preview.source, "rows": [asdict(r) for r in preview.rows]}
    (_preview_dir() / f"{preview_id}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _remove_old_previews()
    return preview_id


def load_preview(preview_id: str, conference_id: int, user_id: int | None) -> ImportPreview | None:
    """The stored preview of this conference and user, or None (unknown, expired or someone else's)."""
    if not _PREVIEW_ID.fullmatch(preview_id or ""):
        return None
    path = _preview_dir() / f"{preview_id}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["conference_id"] != conference_id or data.get("user_id") != user_id:
        return None
    rows = [ImportRow(**r) for r in data["rows"]]
    return ImportPreview(conference_id=conference_id, filename=data["filename"], rows=rows,
                         new_agencies=data["new_agencies"], source=data.get("source", ""))


def discard_preview(preview_id: str) -> None:
    if _PREVIEW_ID.fullmatch(preview_id or ""):
        (_preview_dir() / f"{preview_id}.json").unlink(missing_ok=True)


def _remove_old_previews(max_age_seconds: int = 24 * 3600) -> None:
    limit = time.time() - max_age_seconds
    for path in _preview_dir().glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


# --- confirming -----------------------------------------------------------------------------------

def confirm_import(conference: Conference, preview: ImportPreview) -> int:
    """Save every valid row of a preview in ONE transaction (agencies missing from the directory are created in
    their group); on any failure nothing is saved. Returns the number of invitations created."""
    rows = preview.valid_rows
    if not rows:
        raise UserError("Không có dòng hợp lệ nào để nhập.")
    try:
        groups = {_key(g.name): g for g in db.session.scalars(sa.select(AgencyGroup))}
        agencies = {text.nfc(a.name).casefold(): a for a in db.session.scalars(sa.select(Agency))}
        position = (db.session.scalar(sa.select(sa.func.max(Invitation.position))
                                      .where(Invitation.conference_id == conference.id)) or 0)
        created_agencies = 0
        for row in rows:
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
                position=position,
            )
            refresh_search_text(invitation, agency)
            add_imported_invitation(invitation)
        audit.record("invitation.import", f"Nhập {len(rows)} khách mời từ tệp «{preview.filename}»",
                     conference_id=conference.id, rows=len(rows), new_agencies=created_agencies)
        db.session.commit()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise UserError("Danh sách khách mời vừa thay đổi nên không nhập được; chưa có gì được lưu. "
                        "Vui lòng tải tệp lên lại để xem trước.") from exc
    except BaseException:
        db.session.rollback()
        raise
    return len(rows)


def add_imported_invitation(invitation: Invitation) -> None:
    """Add one imported invitation to the session (flushed at the end of the import)."""
    db.session.add(invitation)
