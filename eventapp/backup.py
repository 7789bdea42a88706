"""Backups: a consistent copy of the SQLite database (sqlite3's online backup API, safe while the app runs)
and the uploaded files, as one timestamped .tar.gz with a manifest; and restoring one.

On PostgreSQL the database is backed up with pg_dump (README.md, "Backups"); this module then refuses."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from .extensions import db

DB_MEMBER = "database.sqlite3"
UPLOADS_MEMBER = "uploads"
MANIFEST = "manifest.json"
PG_DUMP_HINT = (
    "Cơ sở dữ liệu là PostgreSQL: hãy sao lưu bằng pg_dump, ví dụ\n"
    '  pg_dump --format=custom --file=eventapp-$(date +%Y%m%d-%H%M).dump "$DATABASE_URL"\n'
    "và khôi phục bằng\n"
    '  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" eventapp-YYYYMMDD-HHMM.dump\n'
    "Thư mục tệp tải lên (UPLOAD_FOLDER) sao lưu riêng, ví dụ bằng tar."
)


class BackupError(RuntimeError):
    """A backup or a restore cannot be done as asked; the message is for the operator (Vietnamese)."""


def sqlite_path() -> Path:
    """The SQLite database file of the app; BackupError on another database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError(PG_DUMP_HINT)
    if not url.database or url.database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(url.database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def create_backup(folder: str | Path | None = None) -> Path:
    """Write ``eventapp-backup-YYYYmmdd-HHMMSS.tar.gz`` (database, uploads, manifest) and return its path."""
    source = sqlite_path()
    folder = Path(folder or current_app.config["BACKUP_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"eventapp-backup-{stamp}.tar.gz"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"eventapp-backup-{stamp}-{counter}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="eventapp-backup-") as tmp:
        copy = Path(tmp) / DB_MEMBER
        # The online backup API copies a consistent snapshot even while other connections write.
        with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"Bản sao cơ sở dữ liệu không toàn vẹn: {check}")
            counts = _row_counts(dst)
            revision = dst.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in counts else None
        files = []
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                files.append({"path": path.relative_to(uploads).as_posix(), "size": path.stat().st_size,
                              "sha256": _sha256(path)})
        manifest = {
            "format": "eventapp-backup/1",
            "created_at": datetime.now(UTC).isoformat(),
            "database": {"engine": "sqlite", "file": DB_MEMBER, "sha256": _sha256(copy),
                         "alembic_revision": revision[0] if revision else None, "row_counts": counts},
            "uploads": {"folder": UPLOADS_MEMBER, "files": files},
        }
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(copy, arcname=DB_MEMBER)
            for item in files:
                tar.add(uploads / item["path"], arcname=f"{UPLOADS_MEMBER}/{item['path']}")
        os.replace(partial, target)
    return target


def read_manifest(archive: str | Path) -> dict:
    """The manifest of a backup archive; BackupError when it is not one."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"Không đọc được bản sao lưu {archive}: {exc}") from exc
    if manifest.get("format") != "eventapp-backup/1":
        raise BackupError("Tệp không phải bản sao lưu của eventapp.")
    return manifest


def _database_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(path) as conn:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0])


def restore_backup(archive: str | Path, overwrite: bool = False) -> dict:
    """Bring back the database and the uploaded files of ``archive``. Refuses to replace existing data unless
    ``overwrite``. Returns the manifest."""
    target = sqlite_path()
    manifest = read_manifest(archive)
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    has_files = uploads.is_dir() and any(uploads.iterdir())
    if not overwrite and (_database_has_data(target) or has_files):
        raise BackupError(
            f"Cơ sở dữ liệu {target} hoặc thư mục {uploads} đã có dữ liệu; thêm --yes để ghi đè bằng bản sao lưu."
        )
    with tempfile.TemporaryDirectory(prefix="eventapp-restore-") as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        copy = Path(tmp) / DB_MEMBER
        if _sha256(copy) != manifest["database"]["sha256"]:
            raise BackupError("Bản sao cơ sở dữ liệu bị hỏng (sai mã kiểm tra); không khôi phục.")
        for item in manifest["uploads"]["files"]:
            path = Path(tmp) / UPLOADS_MEMBER / item["path"]
            if not path.is_file() or _sha256(path) != item["sha256"]:
                raise BackupError(f"Tệp {item['path']} trong bản sao lưu bị thiếu hoặc hỏng; không khôi phục.")
        db.session.remove()
        db.engine.dispose()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy page by page into the live file (other processes see the change at their next transaction).
        with sqlite3.connect(copy) as src, sqlite3.connect(target, timeout=30) as dst:
            src.backup(dst)
        restored = Path(tmp) / UPLOADS_MEMBER
        uploads.mkdir(parents=True, exist_ok=True)
        for child in uploads.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if restored.is_dir():
            shutil.copytree(restored, uploads, dirs_exist_ok=True)
    db.engine.dispose()
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    return manifest
