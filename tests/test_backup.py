"""Backups: a consistent copy of the SQLite database and the uploads while the app runs; restore finds every row."""

from __future__ import annotations

import json
import tarfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.backup import BackupError, create_backup, read_manifest, restore_backup
from eventapp.models import AuditEntry, Conference, Department, User


@pytest.fixture(autouse=True)
def _own_upload_folder(app, tmp_path):
    """An upload folder of this test's own, so that the restore finds exactly what it backed up."""
    old = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    Path(app.config["UPLOAD_FOLDER"]).mkdir()
    yield
    app.config["UPLOAD_FOLDER"] = old


def _is_sqlite(db) -> bool:
    return db.engine.dialect.name == "sqlite"


def _snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = [tuple(r) for r in db.session.execute(sa.select(table).order_by(*table.primary_key))]
    return rows


def test_backup_then_damage_then_restore_finds_every_row_and_file(app, db, make_conference, make_user, tmp_path):
    if not _is_sqlite(db):
        pytest.skip("PostgreSQL is backed up with pg_dump (README); tested in test_backup_on_postgresql_points_to_pg_dump")
    make_user("admin")
    make_conference(title="Hội nghị giao ban KH&CN 6 tháng đầu năm")
    make_conference(title="Hội thảo chuyển đổi số")
    uploads = Path(app.config["UPLOAD_FOLDER"])
    (uploads / "papers").mkdir(parents=True, exist_ok=True)
    (uploads / "papers" / "tham-luan-1.pdf").write_bytes(b"%PDF-1.4 tham luan")
    before = _snapshot(db)

    archive = create_backup(tmp_path)
    manifest = read_manifest(archive)
    assert archive.name.startswith("eventapp-backup-") and archive.suffixes[-2:] == [".tar", ".gz"]
    assert manifest["database"]["row_counts"]["conference"] == 2
    assert [f["path"] for f in manifest["uploads"]["files"]] == ["papers/tham-luan-1.pdf"]

    # Damage: delete and change rows, lose a file, add a stray one.
    db.session.execute(sa.delete(Conference).where(Conference.title.like("Hội thảo%")))
    db.session.execute(sa.update(User).values(full_name="Đã bị sửa"))
    db.session.add(Department(name="Phòng mới sau sao lưu", abbreviation="PM"))
    db.session.commit()
    (uploads / "papers" / "tham-luan-1.pdf").unlink()
    (uploads / "rac.txt").write_text("x")

    with pytest.raises(BackupError, match="--yes"):
        restore_backup(archive)
    restore_backup(archive, overwrite=True)
    db.session.remove()
    assert _snapshot(db) == before
    assert (uploads / "papers" / "tham-luan-1.pdf").read_bytes() == b"%PDF-1.4 tham luan"
    assert not (uploads / "rac.txt").exists()


def test_backup_is_consistent_while_the_app_writes(app, db, tmp_path):
    if not _is_sqlite(db):
        pytest.skip("SQLite only")
    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            n = 0
            while not stop.is_set():
                n += 1
                db.session.add(AuditEntry(actor="Thử", action="load.write", summary=f"ghi {n}"))
                db.session.commit()
                written.append(n)
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archives = [create_backup(tmp_path) for _ in range(3)]
    finally:
        stop.set()
        thread.join(10)
    assert written, "the writer never wrote"
    for archive in archives:
        manifest = read_manifest(archive)
        with tarfile.open(archive) as tar:
            tar.extract("database.sqlite3", tmp_path / archive.stem, filter="data")
        import sqlite3

        with sqlite3.connect(tmp_path / archive.stem / "database.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
        assert count == manifest["database"]["row_counts"]["audit_entry"]


def test_restore_refuses_a_damaged_or_foreign_archive(app, db, tmp_path):
    if not _is_sqlite(db):
        pytest.skip("SQLite only")
    foreign = tmp_path / "khac.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        data = json.dumps({"format": "other"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        import io

        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        restore_backup(foreign, overwrite=True)
    not_tar = tmp_path / "hong.tar.gz"
    not_tar.write_bytes(b"khong phai tar")
    with pytest.raises(BackupError, match="Không đọc được"):
        read_manifest(not_tar)


def test_backup_and_restore_commands(app, db, make_conference, tmp_path):
    if not _is_sqlite(db):
        pytest.skip("SQLite only")
    make_conference()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output
    archive = next(tmp_path.glob("eventapp-backup-*.tar.gz"))
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    done = runner.invoke(args=["restore", str(archive), "--yes"])
    assert done.exit_code == 0, done.output
    assert "Đã khôi phục" in done.output
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 1


def test_backup_on_postgresql_points_to_pg_dump(app, db, tmp_path):
    if _is_sqlite(db):
        from eventapp import backup

        assert "pg_dump" in backup.PG_DUMP_HINT and "pg_restore" in backup.PG_DUMP_HINT
        return
    result = app.test_cli_runner().invoke(args=["backup", "--folder", str(tmp_path)])
    assert result.exit_code != 0 and "pg_dump" in result.output and "pg_restore" in result.output
