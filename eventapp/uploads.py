"""Uploaded documents: checked by their content, stored outside ``static/`` under random names, served
only as attachments.

A file is streamed to a temporary name in ``UPLOAD_FOLDER`` while its size and SHA-256 are counted, then
recognised by its bytes (PDF magic, or a ZIP that holds an Office Open XML document without macros), then
renamed to ``<random hex>.<ext>``. Whatever fails on the way removes the temporary file, so nothing is half-saved.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, send_file

from . import text
from .errors import UserError

#: The largest paper accepted (the app-wide request limit, MAX_CONTENT_LENGTH, is a little higher).
MAX_PAPER_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024

#: What a document ZIP may hold before it is treated as a zip bomb.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint (PPTX)"),
}
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|docx|pptx)$")
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069]')


class UploadError(UserError):
    """An upload refused; the message is Vietnamese and meant for the person who sent it (next to the file)."""

    def __init__(self, message: str, field: str | None = "file"):
        super().__init__(message, field)


@dataclass(frozen=True)
class StoredFile:
    """A file accepted and stored; the caller records it in the database."""

    stored_name: str
    original_name: str
    extension: str
    content_type: str
    size_bytes: int
    sha256: str


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_filename(name: str | None, extension: str | None = None, max_length: int = 150) -> str:
    """A file name fit to show and to download: no folders ("../"), no control or reserved characters,
    Vietnamese letters kept, NFC, and the extension that matches the real content."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_CHARS.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.strip(" .") or "tai-lieu"
    if extension:
        ext = extension
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10].lower()
    room = max_length - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or "tai-lieu"
    return f"{stem}.{ext}" if ext else stem


def ascii_filename(name: str) -> str:
    """An ASCII-only version of ``name`` (for ZIP members and old clients): accents removed, đ → d."""
    plain = text.unaccent(name)
    plain = re.sub(r"[^A-Za-z0-9 ._()-]", "", plain)
    return re.sub(r"\s+", " ", plain).strip(" .") or "tai-lieu"


def _open_temp(folder: Path):
    """A new temporary file in the upload folder (on the same disk, so the final rename is atomic)."""
    path = folder / f"{secrets.token_hex(16)}.part"
    return path, open(path, "xb")


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        current_app.logger.warning("could not remove %s", path, exc_info=True)


def _disk_message(exc: OSError) -> str:
    if exc.errno in {errno.ENOSPC, errno.EDQUOT}:
        return ("Máy chủ đã hết chỗ lưu tệp nên chưa nhận được tài liệu. Vui lòng thử lại sau "
                "hoặc báo cho ban tổ chức; chưa có gì được lưu.")
    return "Máy chủ không lưu được tệp lúc này. Vui lòng thử lại sau; chưa có gì được lưu."


def detect_kind(path: Path) -> str:
    """The document kind of a stored file by its bytes: "pdf", "docx" or "pptx"; UploadError otherwise."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"MZ", b"\x7fELF")):
        raise UploadError("Tệp này là một chương trình chạy được (như .exe), không phải tài liệu nên không được "
                          "nhận. Vui lòng gửi tệp Word (.docx), PDF hoặc PowerPoint (.pptx).")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError("Tệp theo định dạng Office cũ (.doc, .ppt). Vui lòng mở tệp và lưu lại thành .docx, "
                          ".pptx hoặc PDF rồi gửi lại.")
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path)
    raise UploadError("Nội dung tệp không phải Word (.docx), PDF hay PowerPoint (.pptx). "
                      "Vui lòng kiểm tra lại tệp (đổi tên đuôi tệp không làm thay đổi định dạng).")


def _office_kind(path: Path) -> str:
    """A ZIP is accepted when it is a Word or PowerPoint document and not a zip bomb."""
    not_office = UploadError("Tệp nén này không phải tài liệu Word (.docx) hay PowerPoint (.pptx).")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise not_office
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_ZIP_UNCOMPRESSED or (info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO):
                    raise UploadError("Tệp có cấu trúc nén bất thường (có thể là tệp độc hại) nên không được nhận.")
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                raise not_office
            if _runs_code(archive, names):
                raise UploadError(
                    "Tệp có chứa macro (mã lệnh VBA) hoặc điều khiển ActiveX nên không được nhận, kể cả khi đã đổi "
                    "đuôi thành .docx hay .pptx. Vui lòng mở tệp, chọn Lưu thành «Word Document (*.docx)» hoặc "
                    "«PowerPoint Presentation (*.pptx)» (không có macro) hay PDF, rồi gửi lại.")
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            raise not_office
    except zipfile.BadZipFile as exc:
        raise UploadError("Tệp bị hỏng hoặc chưa tải lên hết. Vui lòng lưu lại tệp và gửi lại.") from exc


#: Parts of an Office file that hold code: VBA macros (vbaProject.bin, and the vbaData.xml beside it) and ActiveX
#: controls. Their content types say so as well ("macroEnabled", "vbaProject", "activeX"), whatever the name.
_CODE_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/[^/]+)$", re.IGNORECASE)
_CODE_TYPE = re.compile(rb"macroEnabled|vbaProject|activeX", re.IGNORECASE)
#: More than this is not a real [Content_Types].xml.
_MAX_CONTENT_TYPES = 1024 * 1024


def _runs_code(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether a Word or PowerPoint ZIP carries macros or ActiveX controls (a .docm or .pptm renamed .docx)."""
    if any(_CODE_PART.search(name) for name in names):
        return True
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _MAX_CONTENT_TYPES:
        return True
    return bool(_CODE_TYPE.search(archive.read(info)))


def save_upload(file_storage, max_bytes: int = MAX_PAPER_BYTES) -> StoredFile:
    """Stream an uploaded file to disk, check its size and content, and keep it under a random name.

    Raises UploadError (Vietnamese) when the file is missing, empty, too large, not an accepted document,
    or the disk is full; in every such case nothing stays on disk.
    """
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise UploadError("Vui lòng chọn tệp tài liệu để gửi.")
    folder = upload_folder()
    try:
        temp_path, out = _open_temp(folder)
    except OSError as exc:
        raise UploadError(_disk_message(exc)) from exc
    digest, size = hashlib.sha256(), 0
    try:
        with out:
            while chunk := file_storage.stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadError(
                        f"Tệp lớn hơn {max_bytes // (1024 * 1024)} MB nên không được nhận. "
                        "Vui lòng nén ảnh trong tài liệu hoặc lưu dưới dạng PDF rồi gửi lại."
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError("Tệp rỗng (0 byte). Vui lòng chọn đúng tệp tài liệu.")
        kind = detect_kind(temp_path)
        stored_name = f"{secrets.token_hex(16)}.{kind}"
        os.replace(temp_path, folder / stored_name)
    except UploadError:
        _remove(temp_path)
        raise
    except OSError as exc:
        _remove(temp_path)
        raise UploadError(_disk_message(exc)) from exc
    except BaseException:
        _remove(temp_path)
        raise
    return StoredFile(
        stored_name=stored_name,
        original_name=safe_filename(file_storage.filename, kind),
        extension=kind,
        content_type=KINDS[kind][0],
        size_bytes=size,
        sha256=digest.hexdigest(),
    )


def stored_path(stored_name: str) -> Path:
    """The path of a stored file; refuses any name that is not one of ours."""
    if not _STORED_NAME.match(stored_name or ""):
        raise FileNotFoundError(stored_name)
    return Path(current_app.config["UPLOAD_FOLDER"]) / stored_name


def discard(stored_name: str) -> None:
    """Remove a stored file whose database row was not saved."""
    with contextlib.suppress(FileNotFoundError):
        _remove(stored_path(stored_name))


def send_stored(stored_name: str, download_name: str, content_type: str) -> Response:
    """Serve a stored file as an attachment under its original name (RFC 5987 for Vietnamese names)."""
    from flask import abort

    try:
        path = stored_path(stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=content_type, as_attachment=True,
                         download_name=safe_filename(download_name), max_age=0, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
