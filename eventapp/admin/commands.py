"""``flask --app eventapp backup | restore FILE [--yes] | purge-personal-data [--months N]``."""

from __future__ import annotations

import click

from ..backup import BackupError, create_backup, read_manifest, restore_backup
from ..extensions import db
from ..privacy import purge_personal_data
from . import bp


@bp.cli.command("backup")
@click.option("--folder", default=None, help="Thư mục đích (mặc định BACKUP_FOLDER).")
def backup_command(folder):
    """Back up the SQLite database and the uploaded files into one .tar.gz (safe while the app runs)."""
    try:
        path = create_backup(folder)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = read_manifest(path)
    rows = sum(manifest["database"]["row_counts"].values())
    click.echo(f"Đã sao lưu {rows} dòng dữ liệu và {len(manifest['uploads']['files'])} tệp vào {path}")


@bp.cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Ghi đè cơ sở dữ liệu và tệp tải lên hiện có.")
def restore_command(archive, yes):
    """Restore a backup written by ``flask backup`` (refuses to overwrite existing data without --yes)."""
    try:
        manifest = restore_backup(archive, overwrite=yes)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["database"]["row_counts"].values())
    click.echo(f"Đã khôi phục bản sao lưu lúc {manifest['created_at']}: {rows} dòng, "
               f"{len(manifest['uploads']['files'])} tệp.")


@bp.cli.command("purge-personal-data")
@click.option("--months", type=int, default=None, help="Thời hạn lưu (tháng); mặc định theo cài đặt của cơ quan.")
def purge_command(months):
    """Remove personal data of conferences that ended more than N months ago (Decree 13/2023/NĐ-CP)."""
    counts = purge_personal_data(months)
    if counts["months"] is None:
        db.session.rollback()
        raise click.ClickException("Chưa đặt thời hạn lưu dữ liệu cá nhân (Quản trị → Cài đặt) và không có --months.")
    db.session.commit()
    click.echo(
        f"Đã xóa dữ liệu cá nhân của {counts['conferences']} hội nghị kết thúc trước {counts['cutoff']}: "
        f"{counts['delegates']} đại biểu, {counts['invitations']} thư mời, {counts['papers']} tham luận, "
        f"{counts['scans']} lượt quét."
    )
