"""The documents pack (tài liệu hội nghị): the accepted papers in agenda order, as one ZIP with an index
page, and the PDF papers merged into one file."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask import current_app, render_template

from .. import uploads, vntime
from ..agenda.services import accepted_papers_in_order
from ..models import Conference


def pack_entries(conference: Conference) -> list[dict]:
    """One entry per accepted paper, in agenda order: number, paper, file, agenda start, name in the ZIP. An
    accepted paper without a file keeps its number with ``file`` and ``member`` None: the index says so."""
    entries = []
    for number, (paper, start) in enumerate(accepted_papers_in_order(conference), start=1):
        record = paper.latest_file
        if record is None:
            entries.append({"number": number, "paper": paper, "file": None, "start": start, "member": None})
            continue
        label = f"{number:02d} - {paper.speaker_name} - {paper.title or paper.topic}"
        # Slashes in a title are not folders: blank them before the name is made safe.
        stem = uploads.safe_filename(label.replace("/", " ").replace("\\", " "), max_length=110)
        entries.append({
            "number": number,
            "paper": paper,
            "file": record,
            "start": start,
            "member": uploads.safe_filename(stem, record.original_name.rpartition(".")[2] or "pdf", max_length=120),
        })
    return entries


def build_zip(conference: Conference) -> io.BytesIO:
    """The ZIP: "00 - Muc luc.html" then "01 - <speaker> - <title>.<ext>"... so they print in order."""
    entries = pack_entries(conference)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        index = render_template("papers/pack_index.html", conference=conference, entries=entries,
                                generated_at=vntime.utcnow())
        archive.writestr("00 - Muc luc.html", index.encode("utf-8"))
        for entry in entries:
            if entry["file"] is None:
                continue
            try:
                path = uploads.stored_path(entry["file"].stored_name)
                archive.write(path, entry["member"])
            except OSError:
                current_app.logger.error("paper file missing: %s", entry["file"].stored_name)
    buffer.seek(0)
    return buffer


def build_merged_pdf(conference: Conference) -> io.BytesIO | None:
    """The accepted PDF papers in agenda order as one PDF with a bookmark per paper; None when there are none."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter()
    added = 0
    for entry in pack_entries(conference):
        if entry["file"] is None or entry["file"].content_type != "application/pdf":
            continue
        try:
            reader = PdfReader(uploads.stored_path(entry["file"].stored_name))
            start_page = len(writer.pages)
            for page in reader.pages:
                writer.add_page(page)
        except (OSError, PdfReadError, ValueError):
            current_app.logger.warning("could not merge %s", entry["file"].stored_name, exc_info=True)
            continue
        writer.add_outline_item(title=entry["member"].rpartition(".")[0], page_number=start_page)
        added += 1
    if not added:
        return None
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return buffer


@dataclass(frozen=True)
class PackSummary:
    """What the pack holds, for the papers page: accepted papers, those with a file, those in PDF."""

    accepted: int
    with_file: int
    pdf: int

    @property
    def without_file(self) -> int:
        return self.accepted - self.with_file


def pack_summary(conference: Conference) -> PackSummary:
    entries = pack_entries(conference)
    files = [e["file"] for e in entries if e["file"] is not None]
    return PackSummary(len(entries), len(files), sum(f.content_type == "application/pdf" for f in files))
