"""Uploads: checked by content, limited in size, stored under random names, nothing half-saved."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from eventapp import uploads
from eventapp.models import Paper, PaperFile, PaperStatus
from tests.documents import docx_bytes, exe_bytes, pdf_bytes, pptx_bytes, store_file, upload


def stored_files(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_FOLDER"]).iterdir()}


def save(data: bytes, name: str):
    return uploads.save_upload(FileStorage(stream=io.BytesIO(data), filename=name))


def test_pdf_docx_pptx_recognised_by_content(app, db):
    for data, name, kind in [(pdf_bytes(), "bai.pdf", "pdf"), (docx_bytes(), "bai.docx", "docx"),
                             (pptx_bytes(), "trinh-chieu.pptx", "pptx")]:
        stored = save(data, name)
        assert stored.extension == kind
        assert stored.stored_name.endswith("." + kind) and len(stored.stored_name) == 32 + 1 + len(kind)
        path = uploads.stored_path(stored.stored_name)
        assert path.read_bytes() == data
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert stored.size_bytes == len(data)
        assert "static" not in str(path)


def test_extension_follows_content_not_name(app, db):
    stored = save(pdf_bytes(), "bao-cao.docx")
    assert stored.extension == "pdf"
    assert stored.original_name == "bao-cao.pdf"


def test_renamed_executable_is_refused_with_a_clear_message(app, db):
    before = stored_files(app)
    with pytest.raises(uploads.UploadError, match="chương trình chạy được"):
        save(exe_bytes(), "tham-luan.pdf")
    assert stored_files(app) == before


def test_other_content_refused(app, db):
    for data in (b"hello world, plain text", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old doc"):
        with pytest.raises(uploads.UploadError):
            save(data, "bai.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    with pytest.raises(uploads.UploadError, match="không phải tài liệu Word"):
        save(buffer.getvalue(), "bai.docx")
    with pytest.raises(uploads.UploadError, match="hỏng"):
        save(b"PK\x03\x04" + b"garbage" * 10, "bai.docx")


def test_zip_bomb_refused(app, db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/huge.bin", b"\0" * (40 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    before = stored_files(app)
    with pytest.raises(uploads.UploadError, match="bất thường"):
        save(buffer.getvalue(), "bai.docx")
    assert stored_files(app) == before


def test_oversized_file_refused_while_streaming(app, db):
    before = stored_files(app)
    data = b"%PDF-1.4\n" + b"0" * (uploads.MAX_PAPER_BYTES + 1)
    with pytest.raises(uploads.UploadError, match="lớn hơn 20 MB"):
        save(data, "bai.pdf")
    assert stored_files(app) == before


def test_empty_and_missing_file(app, db):
    with pytest.raises(uploads.UploadError, match="rỗng"):
        save(b"", "bai.pdf")
    with pytest.raises(uploads.UploadError, match="chọn tệp"):
        uploads.save_upload(None)


@pytest.mark.parametrize(("given", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\bai.pdf", "bai.pdf"),
    ("Tham luận: Sơn Tây/2025?.pdf", "2025.pdf"),
    ('a<b>c|d"e*.pdf', "a b c d e.pdf"),
    ("   ", "tai-lieu.pdf"),
    ("Báo cáo\u202egnp.pdf", "Báo cáo gnp.pdf"),
])
def test_safe_filename(given, expected):
    assert uploads.safe_filename(given, "pdf") == expected


def test_safe_filename_keeps_vietnamese_nfc_and_limits_length():
    name = uploads.safe_filename("Tham luận " + "dài " * 100 + ".docx", "docx")
    assert name.endswith(".docx") and len(name) <= 150
    decomposed = "Nguye\u0302\u0303n.pdf"
    assert uploads.safe_filename(decomposed, "pdf") == "Nguyễn.pdf"


def test_stored_path_refuses_foreign_names(app, db):
    for name in ("../secret.pdf", "abc.pdf", "a" * 32 + ".exe"):
        with pytest.raises(FileNotFoundError):
            uploads.stored_path(name)


def test_full_disk_gives_a_clear_message_and_leaves_nothing(app, db, make_conference, client, monkeypatch, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    real_open = uploads._open_temp

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def write(self, chunk):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def open_on_full_disk(folder):
        path, handle = real_open(folder)
        return path, FullDisk(handle)

    monkeypatch.setattr(uploads, "_open_temp", open_on_full_disk)
    before = stored_files(app)
    response = client.post(f"/tham-luan/{paper.token}", data={"title": "Bài", "file": upload(pdf_bytes(), "bai.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "hết chỗ lưu tệp" in response.get_data(as_text=True)
    assert stored_files(app) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 0
    db.session.expire_all()
    assert db.session.get(Paper, paper.id).status == PaperStatus.INVITED


def test_database_failure_removes_the_stored_file(app, db, make_conference, monkeypatch, make_paper):
    from eventapp.papers import services

    conference = make_conference()
    paper = make_paper(conference)
    before = stored_files(app)

    def broken_record(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(services.audit, "record", broken_record)
    with app.test_request_context(), pytest.raises(RuntimeError):
        services.submit_version(paper, FileStorage(stream=io.BytesIO(pdf_bytes()), filename="bai.pdf"), "Bài", "")
    assert stored_files(app) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 0


def test_download_headers(app, db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted")
    record = store_file(paper, docx_bytes(), "Tham luận Sơn Tây.docx")
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan/{paper.id}/tep/{record.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''Tham%20lu%E1%BA%ADn%20S%C6%A1n%20T%C3%A2y.docx" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.data == uploads.stored_path(record.stored_name).read_bytes()
    assert "no-store" in response.headers["Cache-Control"]
    response.close()
    assert os.path.basename(record.stored_name) == record.stored_name
