"""Real small documents and papers for the tests of papers, uploads and the agenda."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

from eventapp.extensions import db
from eventapp.models import Delegate, Paper, PaperEvent, PaperFile, PaperStatus


def pdf_bytes(text: str = "Tham luan hoi nghi") -> bytes:
    """A real one-page PDF made with fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def docx_bytes(text: str = "Kết quả chuyển giao công nghệ") -> bytes:
    """A real DOCX made with python-docx."""
    import docx

    document = docx.Document()
    document.add_heading("Tham luận", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    """The parts that make a ZIP a PowerPoint presentation."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
    return buffer.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header, PE stub)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 1000 + b"This program cannot be run in DOS mode."


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def make_delegate(conference, full_name="Trần Thị Bình", status="attending", **fields) -> Delegate:
    delegate = Delegate(conference_id=conference.id, kind="walk_in", full_name=full_name, status=status,
                        position=fields.pop("position", "Giám đốc"),
                        agency_name=fields.pop("agency_name", "Trung tâm Ứng dụng KH&CN"), **fields)
    db.session.add(delegate)
    db.session.commit()
    return delegate


def make_paper(conference, status: str = PaperStatus.INVITED.value, deadline=None, with_file: bool = False,
               app=None, **fields) -> Paper:
    """A paper in a given state (with a stored PDF when ``with_file``)."""
    paper = Paper(
        conference_id=conference.id,
        speaker_name=fields.pop("speaker_name", "Nguyễn Văn An"),
        speaker_email=fields.pop("speaker_email", "an@example.vn"),
        topic=fields.pop("topic", "Ứng dụng tiến bộ kỹ thuật trong nuôi cá nước lạnh"),
        deadline=deadline or datetime.now(UTC) + timedelta(days=7),
        status=status,
        **fields,
    )
    db.session.add(paper)
    db.session.flush()
    db.session.add(PaperEvent(paper_id=paper.id, actor="Cán bộ", from_status=None, to_status=status))
    if with_file:
        store_file(paper, pdf_bytes(f"Bai cua {paper.id}"), "bai.pdf", app=app)
    db.session.commit()
    return paper


def store_file(paper: Paper, data: bytes, name: str, app=None) -> PaperFile:
    """Store a file for a paper as an upload would (content checked), without going through HTTP."""
    from werkzeug.datastructures import FileStorage

    from eventapp import uploads

    stored = uploads.save_upload(FileStorage(stream=io.BytesIO(data), filename=name))
    version = len(paper.files) + 1
    record = PaperFile(paper=paper, version=version, original_name=stored.original_name,
                       stored_name=stored.stored_name, content_type=stored.content_type,
                       size_bytes=stored.size_bytes, sha256=stored.sha256)
    db.session.add(record)
    db.session.commit()
    return record
