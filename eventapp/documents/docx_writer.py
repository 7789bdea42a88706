"""A :class:`~eventapp.documents.layout.Document` as .docx (python-docx): A4, Times New Roman, margins
20/20/30/15 mm, the header table's widths as its cells say, a table heading row repeated on every page
(``w:tblHeader``), "Nơi nhận:" bold italic, a PAGE field in the header from the second page."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .layout import MOTTO, NATIONAL_TITLE, Document, Paragraph, Signature, Table

FONT = "Times New Roman"
_ALIGN = {"J": WD_ALIGN_PARAGRAPH.JUSTIFY, "C": WD_ALIGN_PARAGRAPH.CENTER, "L": WD_ALIGN_PARAGRAPH.LEFT,
          "R": WD_ALIGN_PARAGRAPH.RIGHT}


def _paragraph(container, content="", *, bold=False, italic=False, underline=False, size=None, align="C",
               before=0, after=0, indent=False, first=False):
    """A paragraph of ``content`` in one run (``first``: the container's existing empty paragraph)."""
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = _ALIGN[align]
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if content:
        run = p.add_run(content)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    return p


def short_rule(container, width_mm: float, within_mm: float, after: int = 6) -> None:
    """A centred line ``width_mm`` long: an empty paragraph that wide with a bottom border (the short line under
    an agency's name, Decree 30), never the name underlined."""
    p = _paragraph(container, after=after)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm((within_mm - width_mm) / 2)
    p.paragraph_format.line_spacing = Pt(2)
    borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def fixed_widths(table, widths_mm) -> None:
    """Column widths as the cells say them (Word reads the cells, LibreOffice the grid; both are set)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_as_heading(row) -> None:
    """Mark a table row as its heading: Word and LibreOffice repeat it at the top of every page."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _kept_whole(row) -> None:
    """A row is never split across two pages (a line of the estimate, a delegate and their signature)."""
    marker = OxmlElement("w:cantSplit")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _page_numbers_from_the_second(section) -> None:
    """A PAGE field centred in the header of every page but the first (Decree 30, Appendix I)."""
    section.different_first_page_header_footer = True
    header = _paragraph(section.header, first=True)
    field, run, number = OxmlElement("w:fldSimple"), OxmlElement("w:r"), OxmlElement("w:t")
    field.set(qn("w:instr"), "PAGE")
    number.text = "2"
    run.append(number)
    field.append(run)
    header._p.append(field)


class _Writer:
    def __init__(self, document: Document):
        self.doc = document
        self.word = WordDocument()
        style = self.word.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(14)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        style.paragraph_format.space_after = Pt(0)
        section = self.word.sections[0]
        if document.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)
        _page_numbers_from_the_second(section)
        self.width = (297 if document.landscape else 210) - 45

    def write(self) -> bytes:
        self.letterhead()
        self.title()
        for block in self.doc.body:
            self.table(block) if isinstance(block, Table) else self.paragraph(block)
        self.closing()
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()

    def letterhead(self):
        issuers = self.doc.letterhead.issuers
        right_w = 100 if self.doc.landscape or not self.doc.letterhead.joint else 88
        left_w = min(self.width - right_w, 80 * len(issuers))
        each = left_w / len(issuers)
        spare = self.width - left_w - right_w  # a landscape page: the national title stays at the right, as in the PDF
        widths = [each] * len(issuers) + ([spare, right_w] if spare > 1 else [self.width - left_w])
        header = self.word.add_table(rows=2, cols=len(widths))
        fixed_widths(header, widths)
        size = 12 if issuers[1:] else 13
        for cell, issuer in zip(header.rows[0].cells, issuers, strict=False):
            if issuer.parent_name:
                _paragraph(cell, issuer.parent_name.upper(), size=size, first=True)
            _paragraph(cell, issuer.name.upper(), bold=True, size=size, first=not issuer.parent_name)
            short_rule(cell, each / 3, each, after=2)
        number = header.rows[1].cells[0]
        if len(issuers) > 1:
            number = number.merge(header.rows[1].cells[len(issuers) - 1])
        _paragraph(number, self.doc.number, size=13, first=True)
        nation = header.rows[0].cells[-1]
        _paragraph(nation, NATIONAL_TITLE, bold=True, size=12, first=True)
        _paragraph(nation, MOTTO, bold=True, size=13, underline=True)
        _paragraph(header.rows[1].cells[-1], self.doc.place_date, italic=True, size=13, first=True)

    def title(self):
        _paragraph(self.word, self.doc.title, bold=True, before=18)
        for line in self.doc.subtitle:
            _paragraph(self.word, line, bold=True)
        if self.doc.short_rule_under_title:
            short_rule(self.word, self.width / 4, self.width, after=12)
        else:
            _paragraph(self.word, after=6)

    def paragraph(self, paragraph: Paragraph):
        _paragraph(self.word, paragraph.text, bold=paragraph.bold, italic=paragraph.italic, align=paragraph.align,
                   indent=paragraph.indent and paragraph.align == "J", after=6)

    def table(self, table: Table):
        widths = [c.width for c in table.columns]
        scale = self.width / sum(widths) if sum(widths) > self.width else 1
        grid = self.word.add_table(rows=1 + len(table.rows), cols=len(widths))
        grid.style = "Table Grid"
        fixed_widths(grid, [w * scale for w in widths])
        _repeat_as_heading(grid.rows[0])
        for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
            _paragraph(cell, column.heading, bold=True, size=table.size, first=True)
        for row, line in zip(grid.rows[1:], table.rows, strict=True):
            _kept_whole(row)
            if table.min_row_height:
                row.height = Mm(table.min_row_height)
            cells = list(row.cells)
            if line.span > 1:
                cells[0].merge(cells[line.span - 1])
            index = 0
            for content in line.cells:
                align = table.columns[index].align if (line.span == 1 or index) else "L"
                _paragraph(cells[index], content, bold=line.bold, italic=line.italic, size=table.size,
                           align=align, first=True)
                index += line.span if index == 0 else 1
            if line.bold:  # a group's row stays on the page of its first line (Word's "keep with next")
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        _paragraph(self.word, after=6)

    def closing(self):
        doc = self.doc
        signatures = list(doc.signatures)
        columns = len(signatures) + (1 if doc.recipients else 0)
        if not columns:
            return
        recipients_w = 80 if doc.recipients else 0
        each = (self.width - recipients_w) / max(len(signatures), 1)
        widths = ([recipients_w] if doc.recipients else []) + [each] * len(signatures)
        footer = self.word.add_table(rows=1, cols=columns)
        fixed_widths(footer, widths)
        _kept_whole(footer.rows[0])
        cells = list(footer.rows[0].cells)
        if doc.recipients:
            place = cells.pop(0)
            _paragraph(place, "Nơi nhận:", bold=True, italic=True, size=12, align="L", first=True)
            for line in doc.recipients:
                _paragraph(place, f"- {line}", size=11, align="L")
        for cell, signature in zip(cells, signatures, strict=True):
            self.signature(cell, signature)

    @staticmethod
    def signature(cell, signature: Signature):
        for index, heading in enumerate(signature.headings):
            _paragraph(cell, heading, bold=True, size=13, first=index == 0)
        if signature.hint:
            _paragraph(cell, signature.hint, italic=True, size=12)
        for _ in range(4):
            _paragraph(cell)
        if signature.name:
            _paragraph(cell, signature.name, bold=True, size=13)


def document_docx(document: Document) -> bytes:
    """The document as .docx bytes."""
    return _Writer(document).write()
