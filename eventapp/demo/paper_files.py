"""The files of the demo's submitted papers: each a short PDF written from the paper's own title, author and
summary (Liberation Serif, A4), stored as an upload is, so that the documents pack and the merged PDF have
something real to hold."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from pathlib import Path

from .. import uploads
from ..models import Paper, PaperFile

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


def paper_pdf(paper: Paper, conference_title: str) -> bytes:
    """A paper as its author would send it: the title, the author, the conference, then its summary."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.add_font("Serif", "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "LiberationSerif-Bold.ttf"))
    pdf.add_font("Serif", "I", str(FONT_DIR / "LiberationSerif-Italic.ttf"))
    pdf.set_title(paper.title or paper.topic)
    pdf.set_author(paper.speaker_name)
    pdf.add_page()
    pdf.set_font("Serif", "I", 12)
    pdf.multi_cell(0, 6, f"Tham luận tại {conference_title}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Serif", "B", 14)
    pdf.multi_cell(0, 7, (paper.title or paper.topic).upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Serif", "", 13)
    author = ", ".join(p for p in (paper.speaker_name, paper.speaker_position, paper.speaker_agency) if p)
    pdf.multi_cell(0, 6.5, author, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for heading, body in (("1. Tóm tắt", paper.summary or paper.topic),
                          ("2. Kết quả và kiến nghị", f"Nội dung «{paper.topic}» được trình bày tại Hội nghị; "
                                                      "số liệu chi tiết kèm theo báo cáo của đơn vị.")):
        pdf.set_font("Serif", "B", 13)
        pdf.multi_cell(0, 6.5, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "", 13)
        pdf.multi_cell(0, 6.5, body, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def attach_demo_file(paper: Paper, conference_title: str, uploaded_at: datetime) -> PaperFile:
    """Store the paper's PDF in the upload folder under a random name and record it as its first version."""
    data = paper_pdf(paper, conference_title)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    (uploads.upload_folder() / stored_name).write_bytes(data)
    original = uploads.safe_filename(f"Tham luan - {paper.speaker_name}", "pdf", max_length=80)
    return PaperFile(paper=paper, version=1, original_name=original, stored_name=stored_name,
                     content_type="application/pdf", size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                     uploaded_at=uploaded_at)
