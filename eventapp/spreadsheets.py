"""Spreadsheets in and out: the rows of an uploaded .xlsx, .xls, .ods or .csv, and tables written to .xlsx or .csv.

Every import reads through `read_rows` and every export writes through `xlsx` or `csv_bytes`, so two rules hold
everywhere:

- **A cell is read by its value, as text** (NFC, whitespace collapsed): a formula by the value the spreadsheet last
  computed, a whole number without ".0", a date as dd/mm/yyyy. A CSV's encoding (UTF-8 with or without BOM, UTF-16,
  Windows-1258, Windows-1252) and delimiter are detected, and the encoding assumed is reported. Workbooks are read
  by python-calamine in a process of its own (``workbook_reader.py``), so that a damaged file cannot take the web
  worker down with it.
- **Text is written as text**, never as a formula, however it begins: a substitute who names himself
  ``=HYPERLINK("http://…";"Bấm xem thẻ")`` through an RSVP link is a name in the organizer's Excel, not a link
  (OWASP, "CSV Injection"). In .xlsx every string is an inline string, and one that begins with = + - @ tab or CR
  also carries Excel's quote prefix (what typing an apostrophe before it does), so editing the cell keeps it text;
  in .csv such a value is prefixed with an apostrophe. A formula is written only when asked for with `Formula`,
  together with the value it comes to, so that viewers which do not compute (a phone's preview, a reader like
  this one) show the figures too.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePath
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from . import text
from .errors import UserError

# --- reading ------------------------------------------------------------------------------------

#: What an import's file picker offers (``<input type="file" accept=...>``).
ACCEPT = ".xlsx,.xls,.ods,.csv"
FORMATS = {
    "xlsx": "bảng tính Excel (.xlsx)",
    "xls": "bảng tính Excel 97–2003 (.xls)",
    "ods": "bảng tính OpenDocument (.ods)",
    "csv": "CSV",
}
_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # Excel 97–2003 (and an encrypted .xlsx)
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ""}
_UNREADABLE = ("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải bảng tính. "
               "Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.")


@dataclass
class Rows:
    """The cells of an uploaded file's first sheet, as text, and how the file was read."""

    rows: list[list[str]]
    kind: str  #: "xlsx", "xls", "ods" or "csv"
    encoding: str = ""  #: a CSV's encoding as detected: "UTF-8", "UTF-16", "Windows-1258" or "Windows-1252"

    @property
    def description(self) -> str:
        """How the file was read, for a preview: "bảng tính Excel 97–2003 (.xls)", "CSV, bảng mã Windows-1258"."""
        described = FORMATS[self.kind]
        return f"{described}, bảng mã {self.encoding}" if self.encoding else described


def read_rows(data: bytes, filename: str, *, max_rows: int | None = None, field: str = "file") -> Rows:
    """The rows of the first visible sheet of an .xlsx, .xls or .ods, or of a .csv, as text cells.

    The format is told by the content (a renamed file is read as what it is), the extension only decides
    between a damaged workbook and a text file. At most ``max_rows`` rows are read. A file that cannot be read
    raises `UserError` with a Vietnamese message for the form field ``field``.
    """
    kind = _kind(data, filename, field)
    if kind == "csv":
        content, encoding = decode_text(data, field=field)
        return Rows(_csv_rows(content, max_rows, field), "csv", encoding)
    return Rows(_workbook_rows(data, max_rows, field), kind)


def _kind(data: bytes, filename: str, field: str) -> str:
    if data.startswith(_ZIP):
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    if data.startswith(_OLE2):
        return "xls"
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in _WORKBOOK_SUFFIXES:
        raise UserError(_UNREADABLE, field=field)
    if suffix in _TEXT_SUFFIXES:
        return "csv"
    raise UserError("Chỉ nhận bảng tính Excel (.xlsx, .xls), OpenDocument (.ods) hoặc tệp CSV (.csv).", field=field)


#: The reader of workbooks, run in a process of its own (see its docstring), and how long it may take.
_READER = Path(__file__).with_name("workbook_reader.py")
READ_TIMEOUT = 60
_TYPED = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat,
          "seconds": lambda seconds: timedelta(seconds=seconds)}


def _workbook_rows(data: bytes, max_rows: int | None, field: str) -> list[list[str]]:
    try:
        done = subprocess.run([sys.executable, "-I", str(_READER), str(max_rows or 0)], input=data,
                              capture_output=True, timeout=READ_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise UserError("Tệp bảng tính đọc quá lâu; hãy lưu lại phần danh sách cần nhập thành một tệp nhỏ hơn.",
                        field=field) from exc
    answer = json.loads(done.stdout) if done.returncode == 0 else {"error": "unreadable"}
    if answer.get("error") == "password":
        raise UserError("Tệp được đặt mật khẩu: hãy mở tệp, bỏ mật khẩu, lưu lại rồi tải lên lại.", field=field)
    if answer.get("error") == "empty":
        raise UserError("Tệp không có trang tính nào để đọc.", field=field)
    if "rows" not in answer:
        raise UserError(_UNREADABLE, field=field)
    return [[cell_text(_typed(value)) for value in row] for row in answer["rows"]]


def _typed(value):
    """A value as the reader sent it, dates and times back to Python's types."""
    if isinstance(value, dict):
        [(kind, raw)] = value.items()
        return _TYPED[kind](raw)
    return value


def cell_text(value) -> str:
    """A cell's value as the text a clerk sees: 905123456.0 -> "905123456", a date -> "16/12/2026"."""
    if isinstance(value, str):
        return text.nfc(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"
    return text.nfc(str(value))


def decode_text(data: bytes, *, field: str = "file") -> tuple[str, str]:
    """The text of an uploaded CSV or text file and the name of the encoding it was read in.

    A BOM decides (UTF-8, UTF-16); UTF-16 without one is told by its zero bytes; then strict UTF-8; then the
    8-bit Windows code pages: Windows-1258 when the bytes read in it are Vietnamese (tone marks that all fall on
    a vowel, or ă đ ơ ư) and not more so as text typed in a legacy font, else Windows-1252 (which is how text
    typed in the legacy TCVN3/VNI fonts arrives: see `legacy_encoding`).
    """
    for codec, name in _encodings(data):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise UserError("Không nhận ra bảng mã của tệp. Vui lòng lưu lại dưới dạng «CSV UTF-8» "
                    "(trong Excel: Lưu thành › CSV UTF-8) rồi tải lên lại.", field=field)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five combining tones of Windows-1258


def _encodings(data: bytes) -> list[tuple[str, str]]:
    if data.startswith(codecs.BOM_UTF8):
        return [("utf-8-sig", "UTF-8")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return [("utf-16", "UTF-16")]
    if order := _utf16_without_bom(data):
        return [(order, "UTF-16")]
    code_pages = [("cp1252", "Windows-1252"), ("cp1258", "Windows-1258")]
    if _reads_as_vietnamese_1258(data) and not _typed_in_a_legacy_font(data):
        code_pages.reverse()
    return [("utf-8", "UTF-8"), *code_pages]


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when every other byte is mostly zero (Latin text in UTF-16), else None."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _reads_as_vietnamese_1258(data: bytes) -> bool:
    try:
        decoded = data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    if any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFC", decoded)):
        return False  # a tone mark that composes with nothing: these bytes are not Vietnamese in Windows-1258
    return any(ch in _TONE_MARKS or ch in "ĂăĐđƠơƯư" for ch in decoded)


def _typed_in_a_legacy_font(data: bytes) -> bool:
    """Whether these bytes read as Windows-1252 text typed in a legacy font are more Vietnamese than read as
    Windows-1258 (a TCVN3 "ã" is also a Windows-1258 "ă")."""
    try:
        ansi = data[:20_000].decode("cp1252")
    except UnicodeDecodeError:
        return False
    sample = data[:20_000].decode("cp1258", errors="replace")
    return min(_oddities(from_legacy(ansi, e)) for e in LEGACY_ENCODINGS) < _oddities(unicodedata.normalize("NFC", sample))


def _csv_rows(content: str, max_rows: int | None, field: str) -> list[list[str]]:
    """The rows of a CSV, its delimiter (comma, semicolon or tab) being the most frequent in its first lines."""
    head = content[:20_000].splitlines()[:20]
    delimiter = max(",;\t", key=lambda d: sum(line.count(d) for line in head))
    rows = []
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    try:
        for row in reader:
            rows.append([text.nfc(value) for value in row])
            if max_rows is not None and len(rows) >= max_rows:
                break
    except csv.Error as exc:
        raise UserError(f"Tệp CSV bị lỗi ở dòng {reader.line_num}; vui lòng kiểm tra lại tệp.", field=field) from exc
    return rows


# --- text typed in the legacy Vietnamese font encodings -----------------------------------------
#
# Before Unicode, Vietnamese was typed in 8-bit font encodings: TCVN3 (the ABC set, fonts ".VnTime", one byte per
# letter) and VNI (fonts "VNI-Times", a letter then a byte for its marks). A cell typed that way holds the Windows
# characters of those bytes ("NguyÔn V¨n An", "Nguyeãn Vaên An"), whatever the file format; these functions
# recognise such text and convert it, as Unikey's converter does.

#: The legacy encodings recognised, with the words a clerk knows them by.
LEGACY_ENCODINGS = {"TCVN3": "TCVN3 (bảng mã ABC, phông .VnTime)", "VNI": "VNI (phông VNI-Times)"}

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_VOWELS = "aăâeêioôơuưy"


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _letter(base: str, shape: str = "", tone: str = "") -> str:
    """A Vietnamese letter from its base, its shape mark (circumflex, breve, horn) and its tone."""
    return _compose(base, shape, tone)


_SHAPES = {"ă": ("a", "\u0306"), "â": ("a", "\u0302"), "ê": ("e", "\u0302"), "ô": ("o", "\u0302"),
           "ơ": ("o", "\u031b"), "ư": ("u", "\u031b")}
#: Every Vietnamese letter that is not ASCII, both cases.
VIETNAMESE_LETTERS = frozenset(
    ch for vowel in _VOWELS for tone in ("", *_TONES)
    for ch in (_letter(*_SHAPES.get(vowel, (vowel, "")), tone),) for ch in (ch, ch.upper()) if not ch.isascii()
) | {"đ", "Đ"}

#: TCVN3: one byte per lower-case letter (upper case came from the ".VnTimeH" fonts, drawn from the same bytes),
#: and seven capitals of their own. Read as Windows-1252, each byte is the character listed.
_TCVN3 = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\xad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
}


def _vni_table() -> dict[str, str]:
    """VNI: a base letter followed by the byte of its marks ("aù" = á, "aâ" = â, "aé" = ắ); ơ, ư, đ and the
    toned i are bytes of their own. Read as Windows-1252, the marks are the characters listed."""
    plain = dict(zip("ùøûõï", _TONES, strict=True))
    hat = dict(zip("âáàåãä", ("", *_TONES), strict=True))
    breve = dict(zip("êéèúüë", ("", *_TONES), strict=True))
    table: dict[str, str] = {}

    def add(letters: str, base: str, shape: str = "", tone: str = "") -> None:
        lower = _letter(base, shape, tone)
        head, marks = letters[0], letters[1:]
        for marks_case in {marks, marks.upper()}:
            table[head + marks_case] = lower
            table[head.upper() + marks_case] = lower.upper()

    for vowel in "aeouy":
        for mark, tone in plain.items():
            add(vowel + mark, vowel, "", tone)
    for vowel in "aeo":
        for mark, tone in hat.items():
            add(vowel + mark, vowel, "\u0302", tone)
    for mark, tone in breve.items():
        add("a" + mark, "a", "\u0306", tone)
    for head, base in (("ô", "o"), ("ö", "u")):  # ơ and ư, then their tones
        add(head, base, "\u031b")
        for mark, tone in plain.items():
            add(head + mark, base, "\u031b", tone)
    for mark, tone in zip("íìæóò", _TONES, strict=True):
        add(mark, "i", "", tone)
    add("î", "y", "", "\u0323")
    table.update({"ñ": "đ", "Ñ": "Đ"})
    return table


_VNI = _vni_table()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))
_TCVN3_RE = re.compile("[" + re.escape("".join(_TCVN3)) + "]")
#: Punctuation that Vietnamese text typed in Unicode may hold besides letters.
_TYPOGRAPHY = frozenset("–—‘’“”…•°№")


def from_legacy(value: str, encoding: str) -> str:
    """``value`` typed in the legacy ``encoding`` ("TCVN3" or "VNI") as Unicode (NFC). A TCVN3 cell whose Latin
    letters are all capitals was typed in a ".VnTimeH" font, which draws every letter as a capital."""
    if encoding == "TCVN3":
        converted = _TCVN3_RE.sub(lambda m: _TCVN3[m.group()], value)
        letters = [ch for ch in value if ch.isascii() and ch.isalpha()]
        if all(ch.isupper() for ch in letters) and re.search("[A-Z]{2}", value):
            converted = converted.upper()
    else:
        converted = _VNI_RE.sub(lambda m: _VNI[m.group()], value)
    return text.nfc(converted)


#: The vowel groups a Vietnamese syllable may have (tones aside).
_NUCLEI = frozenset(str.split(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uyê uya uyu"))
_WORD = re.compile(r"[^\W\d_]+")
_BARE = {ch: unicodedata.normalize("NFC", "".join(m for m in unicodedata.normalize("NFD", ch.lower())
                                                    if m not in _TONES)) for ch in VIETNAMESE_LETTERS}


def _odd_syllable(word: str) -> bool:
    """A word with accents that no Vietnamese syllable spells: two tones, or vowels no syllable groups."""
    tones = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONES)
    bare = "".join(_BARE.get(ch, ch.lower()) for ch in word)
    if bare.startswith("gi") and len(bare) > 2 and bare[2] in _VOWELS:
        bare = "g" + bare[2:]
    groups = re.findall(f"[{_VOWELS}]+", bare)
    return tones > 1 or len(groups) != 1 or groups[0] not in _NUCLEI


def _oddities(value: str) -> int:
    """How unlike Vietnamese typed in Unicode ``value`` is: characters that are neither ASCII, Vietnamese letters
    nor typography, accented capitals inside a lower-case word ("NguyÔn"), and accented words that no Vietnamese
    syllable spells ("Vaên")."""
    odd = sum(1 for ch in value if not ch.isascii() and ch not in VIETNAMESE_LETTERS and ch not in _TYPOGRAPHY)
    odd += sum(1 for before, ch in zip(value, value[1:], strict=False)
               if before.islower() and ch.isupper() and not ch.isascii())
    return odd + sum(1 for word in _WORD.findall(value) if not word.isascii() and _odd_syllable(word))


def _maybe_legacy(value: str) -> bool:
    """Text a legacy font could have typed: it has characters beyond ASCII, all of them in Windows-1252."""
    if value.isascii():
        return False
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def legacy_encoding(values: Iterable[str]) -> str | None:
    """The legacy encoding ("TCVN3", "VNI") that ``values`` were typed in, or None when they read as Unicode: the
    one whose conversion makes the most of them more like Vietnamese, when it does so for at least half of the
    values a legacy font could have typed."""
    gain = dict.fromkeys(LEGACY_ENCODINGS, 0)
    improved = dict.fromkeys(LEGACY_ENCODINGS, 0)
    candidates = 0
    for value in dict.fromkeys(values):
        if not _maybe_legacy(value):
            continue
        candidates += 1
        before = _oddities(value)
        for encoding in gain:
            after = _oddities(from_legacy(value, encoding))
            gain[encoding] += before - after
            improved[encoding] += after < before
    best = max(gain, key=gain.get)
    return best if gain[best] > 0 and 2 * improved[best] >= candidates else None


def legacy_conversions(values: Iterable[str], encoding: str) -> dict[str, str]:
    """Each distinct value of ``values`` that reads more like Vietnamese once converted from ``encoding``, with
    what it becomes (a value that reads as well either way, such as "Tô Hà", is left alone)."""
    changes = {}
    for value in dict.fromkeys(values):
        if _maybe_legacy(value):
            converted = from_legacy(value, encoding)
            if _oddities(converted) < _oddities(value):
                changes[value] = converted
    return changes


# --- writing ------------------------------------------------------------------------------------

MONEY = "#,##0"
#: What a cell of text must not begin with, lest a spreadsheet run it (OWASP, "CSV Injection").
RISKY_START = ("=", "+", "-", "@", "\t", "\r")


class Formula(NamedTuple):
    """A cell computed by the spreadsheet (``"=SUM(G9:G12)"``) and the number it comes to, stored as its result."""

    expression: str
    value: int | float


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading, width (in characters) and how its cells look."""

    heading: str
    width: float = 14
    number_format: str | None = None  #: e.g. `MONEY`
    align: str | None = None  #: "center", "right"...
    wrap: bool = False
    #: The cells of this column are picked from a list, a range of another sheet: "'Nhóm'!$A$2:$A$12".
    choices: str | None = None
    choices_error: str = ""


@dataclass(frozen=True)
class Text:
    """A line above or below a table, with its look."""

    value: str
    bold: bool = False
    italic: bool = False
    size: float | None = None


@dataclass(frozen=True)
class Row:
    """A row of the table that stands out (a group's subtotal, the total)."""

    values: Sequence
    bold: bool = False


@dataclass
class Table:
    """One sheet: title lines, a blank line, the column headings (frozen, repeated on each printed page), rows, and
    footer lines after a blank line. Printed on A4 fitted to the page's width, landscape when the columns are
    wider than a portrait page."""

    sheet: str  #: the tab's name (Excel allows 31 characters, without []:*?/\)
    columns: Sequence[Column]
    rows: Iterable[Sequence | Row] = ()
    title: Sequence[str | Text] = ()
    #: Lines under the table; a `Row` is cells side by side (signature blocks), centred, without borders.
    footer: Sequence[str | Text | Row] = ()
    #: Title lines centred across the table's width, as a document's heading is.
    centered_title: bool = False
    #: A font for every cell (Times New Roman for a document that is printed and signed).
    font: str | None = None
    #: Thin borders around every cell of the table (a document's table); off for long lists.
    borders: bool = False
    #: Rows after the headings that a choice list covers (the rows a clerk will fill in).
    choice_rows: int = 5000

    @property
    def heading_row(self) -> int:
        """The sheet row of the column headings."""
        return len(self.title) + 2 if self.title else 1


def xlsx(*tables: Table) -> bytes:
    """An .xlsx workbook with one sheet per table."""
    workbook = Workbook(write_only=True)
    results: dict[str, dict[str, int | float]] = {}
    sheets = []
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet))
        results_of_sheet: dict[str, int | float] = {}
        _SheetWriter(sheet, table, results_of_sheet).write()
        sheets.append((sheet, results_of_sheet))
    buffer = io.BytesIO()
    workbook.save(buffer)
    for sheet, results_of_sheet in sheets:  # paths are known once saved
        if results_of_sheet:
            results[sheet.path.lstrip("/")] = results_of_sheet
    return _with_formula_results(buffer.getvalue(), results) if results else buffer.getvalue()


def csv_bytes(table: Table) -> bytes:
    """The table's headings and rows as CSV, UTF-8 with a BOM (so that Excel reads the accents)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(c.heading) for c in table.columns])
    for row in table.rows:
        values = row.values if isinstance(row, Row) else row
        writer.writerow([_csv_value(v) for v in values])
    return buffer.getvalue().encode("utf-8")


def is_risky(value: str) -> bool:
    """True for text a spreadsheet would take for a formula (or an error value) if typed as it is."""
    return value.startswith(RISKY_START) or value in ERROR_CODES


def _csv_value(value):
    if isinstance(value, Formula):
        return value.value
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return "" if value is None else value


_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Trang 1"


_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADING_FILL = PatternFill("solid", fgColor="E7F0F9")


class _SheetWriter:
    """Writes one table into a write-only sheet, row by row (a list of 100,000 rows needs no more memory)."""

    def __init__(self, sheet, table: Table, results: dict[str, int | float]):
        self.sheet, self.table, self.results = sheet, table, results
        self.width = max(len(table.columns), 1)
        self.row = 0
        self.looks: dict[tuple, StyleArray] = {}

    def write(self) -> None:
        table, sheet = self.table, self.sheet
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        self._choices()
        sheet.freeze_panes = f"A{table.heading_row + 1}"
        sheet.print_title_rows = f"{table.heading_row}:{table.heading_row}"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        if sum(c.width for c in table.columns) > 100:
            sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0

        for line in table.title:
            self._line(line, centered=table.centered_title)
        if table.title:
            self._append([])
        self._fit_height([(c.heading, c.width) for c in table.columns])
        self._append([self._cell(c.heading, bold=True, fill=True, border=True, align="center", vertical="center",
                                 wrap=True) for c in table.columns])
        wrapped = [(index, c.width) for index, c in enumerate(table.columns) if c.wrap]
        for row in table.rows:
            bold = isinstance(row, Row) and row.bold
            values = list(row.values if isinstance(row, Row) else row)
            if table.borders:  # every cell of the table boxed, empty ones too
                values += [None] * (len(table.columns) - len(values))
            if wrapped:
                self._fit_height([(values[i], width) for i, width in wrapped if i < len(values)])
            self._append([self._body_cell(index, value, bold) for index, value in enumerate(values, start=1)])
        if table.footer:
            self._append([])
            for line in table.footer:
                self._footer_row(line) if isinstance(line, Row) else self._line(line)

    def _footer_row(self, row: Row) -> None:
        """A footer row of cells side by side, centred, unwrapped (a long one runs over its empty neighbours), without
        borders: the signature blocks of a document."""
        self._append([self._cell(value, bold=row.bold, align="center") if value else None
                      for value in row.values])

    def _choices(self) -> None:
        first = self.table.heading_row + 1
        for index, column in enumerate(self.table.columns, start=1):
            if column.choices:
                validation = DataValidation(type="list", formula1=column.choices, allow_blank=True)
                validation.error = column.choices_error or None
                letter = get_column_letter(index)
                validation.add(f"{letter}{first}:{letter}{first + self.table.choice_rows - 1}")
                self.sheet.data_validations.append(validation)

    def _line(self, line: str | Text, centered: bool = False) -> None:
        """A line across the table's width (merged), wrapped so that a long title is printed whole."""
        line = line if isinstance(line, Text) else Text(line)
        size = line.size or self._size
        self._fit_height([(line.value, sum(c.width for c in self.table.columns) * self._size / size)], size)
        cell = self._cell(line.value, bold=line.bold, italic=line.italic, size=line.size,
                          align="center" if centered else "left", wrap=True)
        self._append([cell])
        if self.width > 1:
            self.sheet.merged_cells.add(f"A{self.row}:{get_column_letter(self.width)}{self.row}")

    @property
    def _size(self) -> float:
        return 12 if self.table.font else 11

    def _fit_height(self, cells: list[tuple[object, float]], size: float | None = None) -> None:
        """Give the next row the height its longest wrapped cell needs (spreadsheets do not grow a row by
        themselves when they open a file), at about 1.1 characters per unit of column width."""
        lines = max((sum(math.ceil(len(part) / max(int(width * 1.1), 1)) or 1 for part in str(value).split("\n"))
                     for value, width in cells if value not in (None, "")), default=1)
        if lines > 1:
            self.sheet.row_dimensions[self.row + 1].height = round(lines * (size or self._size) * 1.35, 1)

    def _append(self, cells: list) -> None:
        self.sheet.append(cells)
        self.row += 1

    def _body_cell(self, index: int, value, bold: bool):
        column = self.table.columns[index - 1] if index <= len(self.table.columns) else None
        if isinstance(value, Formula):
            self.results[f"{get_column_letter(index)}{self.row + 1}"] = value.value
        styled = isinstance(value, Formula) or bold or self.table.font or self.table.borders or (
            column is not None and (column.number_format or column.align or column.wrap))
        if not styled:
            return self._plain(value)
        return self._cell(value, bold=bold, border=self.table.borders,
                          number_format=column.number_format if column else None,
                          align=column.align if column else None, wrap=bool(column and column.wrap),
                          vertical="top" if self.table.borders else None)

    def _plain(self, value):
        """A value that needs no cell object of its own, or a text cell that must stay text."""
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if is_risky(value):
                return self._cell(value)
        return value

    def _cell(self, value, **look):
        """A cell of ``value`` with a look (bold, italic, size, fill, border, align, wrap, vertical,
        number_format); text is stored as text, with Excel's quote prefix when it looks like a formula."""
        if isinstance(value, Formula):
            cell = WriteOnlyCell(self.sheet, value.expression)
        else:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(self.sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula nor an error value, whatever it begins with
                look["quote"] = is_risky(value)
        key = tuple(sorted(look.items()))
        if key in self.looks:
            # A look is registered with the workbook once; later cells share its style record (openpyxl would
            # otherwise hash every font, border and alignment again for each cell).
            cell._style = copy(self.looks[key])
        else:
            self._style(cell, **look)
            self.looks[key] = copy(cell._style)
        return cell

    def _style(self, cell, *, bold=False, italic=False, size=None, fill=False, border=False, align=None, wrap=False,
               vertical=None, number_format=None, quote=False) -> None:
        if bold or italic or size or self.table.font:
            cell.font = Font(name=self.table.font or "Calibri", bold=bold, italic=italic, size=size or self._size)
        if fill:
            cell.fill = _HEADING_FILL
        if border:
            cell.border = _BOX
        if align or wrap or vertical:
            cell.alignment = Alignment(horizontal=align, vertical=vertical, wrap_text=wrap or None)
        if number_format:
            cell.number_format = number_format
        if quote:
            cell.quotePrefix = True


_EMPTY_RESULT = re.compile(rb'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)<v\s*(?:/>|></v>)')


def _with_formula_results(data: bytes, results: dict[str, dict[str, int | float]]) -> bytes:
    """The workbook with each formula's result stored next to it (openpyxl leaves it empty)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in results:
                values = results[item.filename]

                def filled(match, values=values):
                    value = values.get(match.group(2).decode())
                    if value is None:
                        return match.group(0)
                    return match.group(1) + f"<v>{value}</v>".encode()

                content = _EMPTY_RESULT.sub(filled, content)
            target.writestr(item, content)
    return buffer.getvalue()
