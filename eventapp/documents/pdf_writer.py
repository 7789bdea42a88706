"""A :class:`~eventapp.documents.layout.Document` as PDF (fpdf2): A4, Liberation Serif embedded (metric-compatible
with Times New Roman, which may not be shipped), margins 20/20/30/15 mm, pages numbered from the second."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from .layout import MOTTO, NATIONAL_TITLE, Document, Paragraph, Row, Signature, Table

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
TOP, BOTTOM, LEFT, RIGHT = 20, 20, 30, 15
_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class _Pdf(FPDF):
    def header(self):
        """The page number, centred in the top margin, from the second page (Decree 30, Appendix I)."""
        if self.page_no() > 1:
            self.set_font("Serif", "", 13)
            self.set_y(10)
            self.cell(0, 6, str(self.page_no()), align="C")
            self.set_y(TOP)


class _Writer:
    """Writes one document, part after part, keeping track of the page's usable width."""

    def __init__(self, document: Document):
        self.doc = document
        self.pdf = _Pdf(orientation="L" if document.landscape else "P", unit="mm", format="A4")
        self.pdf.set_margins(LEFT, TOP, RIGHT)
        self.pdf.set_auto_page_break(True, margin=BOTTOM)
        for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
            self.pdf.add_font("Serif", style, str(FONT_DIR / f"LiberationSerif-{name}.ttf"))
        self.pdf.set_title(document.title.capitalize())
        self.pdf.set_creator("eventapp")
        self.width = self.pdf.w - LEFT - RIGHT

    def write(self) -> bytes:
        self.pdf.add_page()
        self.letterhead()
        self.title()
        for block in self.doc.body:
            self.table(block) if isinstance(block, Table) else self.paragraph(block)
        self.closing()
        return bytes(self.pdf.output())

    def block(self, x, w, content, style="", size=13, height=5.8, align="C"):
        self.pdf.set_x(x)
        self.pdf.set_font("Serif", style, size)
        self.pdf.multi_cell(w, height, content, align=align, **_NEXT_LINE)

    def rule(self, x, w, fraction):
        """A line ``fraction`` of ``w`` long, centred under what was just written."""
        y = self.pdf.get_y() + 1.2
        self.pdf.set_line_width(0.3)
        self.pdf.line(x + w * (1 - fraction) / 2, y, x + w * (1 + fraction) / 2, y)

    def letterhead(self):
        """The issuing agencies on the left (two side by side for a joint plan), the national title and
        motto on the right, the number under the agencies and the place and date under the motto."""
        pdf, issuers = self.pdf, self.doc.letterhead.issuers
        right_w = 100 if self.doc.landscape or not self.doc.letterhead.joint else 88
        left_w = min(self.width - right_w, 80 * len(issuers))
        right_x = LEFT + self.width - right_w
        top = pdf.get_y()
        bottoms = []
        each = left_w / len(issuers)
        for index, issuer in enumerate(issuers):
            x = LEFT + index * each
            pdf.set_y(top)
            if issuer.parent_name:
                self.block(x, each, issuer.parent_name.upper(), size=12 if issuers[1:] else 13)
            self.block(x, each, issuer.name.upper(), "B", 12 if issuers[1:] else 13)
            self.rule(x, each, 1 / 3)
            bottoms.append(pdf.get_y())
        pdf.set_y(max(bottoms) + 3)
        self.block(LEFT, left_w, self.doc.number)
        left_bottom = pdf.get_y()
        pdf.set_y(top)
        self.block(right_x, right_w, NATIONAL_TITLE, "B", 12)
        self.block(right_x, right_w, MOTTO, "B")
        pdf.set_font("Serif", "B", 13)
        motto = pdf.get_string_width(MOTTO)
        self.rule(right_x + (right_w - motto) / 2, motto, 1)
        pdf.set_y(pdf.get_y() + 3)
        self.block(right_x, right_w, self.doc.place_date, "I")
        pdf.set_y(max(left_bottom, pdf.get_y()) + 8)

    def title(self):
        self.block(LEFT, self.width, self.doc.title, "B", 14, 7)
        for line in self.doc.subtitle:
            self.block(LEFT, self.width, line, "B", 14, 7)
        if self.doc.short_rule_under_title:
            self.pdf.set_y(self.pdf.get_y() + 1)
            self.rule(LEFT, self.width, 0.25)
        self.pdf.set_y(self.pdf.get_y() + 5)

    def paragraph(self, paragraph: Paragraph):
        style = ("B" if paragraph.bold else "") + ("I" if paragraph.italic else "")
        indent = "\u2003\u2003" if paragraph.indent and paragraph.align == "J" else ""
        self.block(LEFT, self.width, indent + paragraph.text, style, 14, 7, paragraph.align)
        self.pdf.set_y(self.pdf.get_y() + 1.5)

    def table(self, table: Table):
        """The table, its heading row drawn again at the top of each page it runs over; a group's row is kept
        with the row under it, and the last row (the total, printed once) with the one above it."""
        widths = [c.width for c in table.columns]
        scale = min(1, self.width / sum(widths))
        self.widths = [w * scale for w in widths]
        self.x0 = LEFT + (self.width - sum(self.widths)) / 2
        self.size, self.least = table.size, table.min_row_height
        heading = Row(tuple(c.heading for c in table.columns), bold=True)
        centred = ["C"] * len(table.columns)
        aligns = [c.align for c in table.columns]
        self.pdf.set_auto_page_break(False)
        self.row(heading, centred)
        rows = table.rows
        for index, row in enumerate(rows):
            last = index  # the rows that must go on this page with this one
            while last + 1 < len(rows) and (rows[last].bold or last + 2 == len(rows)):
                last += 1
            needed = sum(self.row_height(r, aligns) for r in rows[index:last + 1])
            if self.pdf.get_y() + needed > self.pdf.h - BOTTOM:
                self.pdf.add_page()
                self.row(heading, centred)
            self.row(row, aligns)
        self.pdf.set_auto_page_break(True, margin=BOTTOM)
        self.pdf.set_y(self.pdf.get_y() + 3)

    #: Line height, and the padding inside a cell's box (multi_cell keeps its own 1 mm margin at each side).
    _LINE, _PAD, _VPAD = 5.0, 0.2, 1.2

    def cells(self, row: Row, aligns: list[str]):
        """(width, text, align) of each cell of ``row``, its first cell running over ``row.span`` columns."""
        column = 0
        for index, content in enumerate(row.cells):
            span = row.span if index == 0 else 1
            yield sum(self.widths[column:column + span]), content, ("L" if span > 1 else aligns[column])
            column += span

    def style(self, row: Row) -> str:
        return ("B" if row.bold else "") + ("I" if row.italic else "")

    def row_height(self, row: Row, aligns: list[str]) -> float:
        self.pdf.set_font("Serif", self.style(row), self.size)
        lines = max(len(self.pdf.multi_cell(w - 2 * self._PAD, self._LINE, text or " ", dry_run=True,
                                            output=MethodReturnValue.LINES))
                    for w, text, _ in self.cells(row, aligns))
        return max(lines * self._LINE + 2 * self._VPAD, self.least)

    def row(self, row: Row, aligns: list[str]):
        """One row: a box per cell, its text centred in height."""
        pdf, height, top = self.pdf, self.row_height(row, aligns), self.pdf.get_y()
        pdf.set_line_width(0.2)
        x = self.x0
        for width, content, align in self.cells(row, aligns):
            pdf.rect(x, top, width, height)
            lines = len(pdf.multi_cell(width - 2 * self._PAD, self._LINE, content or " ", dry_run=True,
                                       output=MethodReturnValue.LINES))
            pdf.set_xy(x + self._PAD, top + (height - lines * self._LINE) / 2)
            pdf.multi_cell(width - 2 * self._PAD, self._LINE, content, align=align)
            x += width
        pdf.set_xy(LEFT, top + height)

    def closing(self):
        """The signature blocks side by side, with "Nơi nhận:" on the left when the document has one; kept
        together on one page."""
        pdf, doc = self.pdf, self.doc
        signatures = list(doc.signatures)
        if not signatures and not doc.recipients:
            return
        recipients_w = 80 if doc.recipients else 0
        needed = max(48, 14 + 5 * len(doc.recipients))
        if pdf.get_y() + needed > pdf.h - BOTTOM:
            pdf.add_page()
        top = pdf.get_y() + 2
        bottom = top
        if doc.recipients:
            pdf.set_y(top)
            self.block(LEFT, recipients_w, "Nơi nhận:", "BI", 12, 6, "L")
            for line in doc.recipients:
                self.block(LEFT, recipients_w, f"- {line}", "", 11, 5, "L")
            bottom = pdf.get_y()
        if not signatures:
            pdf.set_y(bottom)
            return
        each = (self.width - recipients_w) / len(signatures)
        for index, signature in enumerate(signatures):
            pdf.set_y(top)
            bottom = max(bottom, self.signature(LEFT + recipients_w + index * each, each, signature))
        pdf.set_y(bottom)

    def signature(self, x, w, signature: Signature) -> float:
        for heading in signature.headings:
            self.block(x, w, heading, "B", 13, 6.5)
        if signature.hint:
            self.block(x, w, signature.hint, "I", 12, 6)
        self.pdf.set_y(self.pdf.get_y() + 22)
        if signature.name:
            self.block(x, w, signature.name, "B", 13, 6.5)
        return self.pdf.get_y()


def document_pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    return _Writer(document).write()
