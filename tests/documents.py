"""Real small documents (PDF, DOCX, PPTX, an executable) and storing them as a paper's upload would."""

from __future__ import annotations

import io
import zipfile

import docx
from fpdf import FPDF
from werkzeug.datastructures import FileStorage

from eventapp import uploads
from eventapp.extensions import db
from eventapp.models import Paper, PaperFile


def pdf_bytes(text: str = "Tham luan hoi nghi") -> bytes:
    """A real one-page PDF made with fpdf2."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def docx_bytes(text: str = "Kết quả chuyển giao công nghệ") -> bytes:
    """A real DOCX made with python-docx."""
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


def store_file(paper: Paper, data: bytes, name: str) -> PaperFile:
    """Store a file for a paper as an upload would (content checked), without going through HTTP."""
    stored = uploads.save_upload(FileStorage(stream=io.BytesIO(data), filename=name))
    version = len(paper.files) + 1
    record = PaperFile(paper=paper, version=version, original_name=stored.original_name,
                       stored_name=stored.stored_name, content_type=stored.content_type,
                       size_bytes=stored.size_bytes, sha256=stored.sha256)
    db.session.add(record)
    db.session.commit()
    return record
