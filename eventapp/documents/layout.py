"""What a filed document is made of, independent of the file format it is written in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import vntime
from ..issuer import Letterhead

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: The room a clerk leaves for writing by hand (the number before "/KH-…", the day and month).
BLANK = "\u2003\u2003\u2003"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body: justified with a first-line indent unless it is a heading."""

    text: str
    bold: bool = False
    italic: bool = False
    align: str = "J"  #: "J" justified, "C" centred, "L" left, "R" right
    indent: bool = True


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading, width in millimetres and alignment ("L", "C", "R")."""

    heading: str
    width: float
    align: str = "L"


@dataclass(frozen=True)
class Row:
    """A row of a table; ``bold`` for a group or the total, ``span`` to let the first cell run over the
    following ones (a group's name, "Tổng cộng")."""

    cells: tuple[str, ...]
    bold: bool = False
    italic: bool = False
    span: int = 1


@dataclass(frozen=True)
class Table:
    """A table whose heading row is repeated at the top of every page; totals are ordinary last rows, printed
    once."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    size: float = 12
    #: The least height of a row in millimetres (room for a signature); 0: as its text needs.
    min_row_height: float = 0


@dataclass(frozen=True)
class Signature:
    """One signature block: its heading lines ("THỦ TRƯỞNG ĐƠN VỊ", or "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"), the
    hint under them and the signer's name (empty: written by hand)."""

    headings: tuple[str, ...]
    name: str = ""
    hint: str = "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class Document:
    """A document as Decree 30/2020 lays it out, top to bottom."""

    letterhead: Letterhead
    number: str  #: the line under the agency: "Số: 12/KH-SKHCN" (or with a blank before the slash)
    place_date: str  #: "Quảng Ngãi, ngày 05 tháng 3 năm 2021" (or blanks for the clerk)
    title: str  #: "DỰ TOÁN KINH PHÍ"
    subtitle: tuple[str, ...] = ()  #: the summary lines under the title, bold
    body: tuple[Paragraph | Table, ...] = ()
    signatures: tuple[Signature, ...] = ()
    recipients: tuple[str, ...] = ()  #: "Nơi nhận:" lines (empty: no block)
    landscape: bool = False
    filename: str = "van-ban"  #: without extension
    short_rule_under_title: bool = True

    def text(self) -> str:
        """Every word of the document, as a reader of its PDF or .docx finds them."""
        parts = [*(i.parent_name.upper() for i in self.letterhead.issuers),
                 *(i.name.upper() for i in self.letterhead.issuers), self.number, NATIONAL_TITLE, MOTTO,
                 self.place_date, self.title, *self.subtitle]
        for block in self.body:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts += [c.heading for c in block.columns] + [cell for row in block.rows for cell in row.cells]
        for signature in self.signatures:
            parts += [*signature.headings, signature.name]
        if self.recipients:
            parts += ["Nơi nhận:", *self.recipients]
        return "\n".join(p for p in parts if p)


def number_line(number: str, kind_code: str, abbreviation: str) -> str:
    """"Số: 12/DT-SKHCN" as the clerk gave it, or "Số:      /DT-SKHCN" for the number written on signing."""
    if number:
        return f"Số: {number}"
    return f"Số:{BLANK}/{kind_code}-{abbreviation}" if abbreviation else f"Số:{BLANK}/{kind_code}"


def place_date(place: str, signed_on: date | None, year: int) -> str:
    """The clerk's signing date written out ("Quảng Ngãi, ngày 05 tháng 3 năm 2021", vntime.long_date's rule of
    leading zeros), or blanks for the day and month when none was given: never the day the file was made."""
    if signed_on is not None:
        return vntime.long_date(place, signed_on)
    line = f"ngày{BLANK}tháng{BLANK}năm {year}"
    return f"{place}, {line}" if place else line


def money(amount: int | None) -> str:
    """54000000 -> "54.000.000" (the figure in a table whose heading says "đồng")."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def money_dong(amount: int) -> str:
    """54000000 -> "54.000.000 đồng", as a sentence writes it."""
    return f"{money(amount)} đồng"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _three_digits(n: int, full: bool) -> str:
    """A group of three digits in words; ``full`` when a higher group precedes it ("không trăm linh năm")."""
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
        elif units == 4 and tens > 1:
            words.append("tư")
        elif units == 5 and tens > 0:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """54000000 -> "Năm mươi tư triệu đồng chẵn", as a finance office writes the "Bằng chữ" line: "chẵn" when
    the amount is whole thousands."""
    if amount == 0:
        return "Không đồng"
    sign = "Âm " if amount < 0 else ""
    amount = abs(amount)
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words = [f"{_three_digits(value, full=index < len(groups) - 1)} {_SCALES[index]}".strip()
             for index, value in reversed(list(enumerate(groups))) if value]
    sentence = " ".join(words) + " đồng" + (" chẵn" if groups[0] == 0 else "")
    return sign + (sentence if sign else sentence[0].upper() + sentence[1:])

