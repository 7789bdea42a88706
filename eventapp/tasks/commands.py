"""``flask --app eventapp send-task-digest``: the daily mail of due and late tasks to each department."""

from __future__ import annotations

import click

from . import bp
from .services import queue_task_digests


@click.command("send-task-digest")
@click.option("--days", default=3, show_default=True, type=click.IntRange(0, 60),
              help="Liệt kê nhiệm vụ đến hạn trong số ngày này (và các nhiệm vụ quá hạn).")
def send_task_digest_command(days: int) -> None:
    """Queue today's task digest for each department (once a day; `flask send-mail` sends it)."""
    result = queue_task_digests(days)
    click.echo(f"Đã xếp {result.queued} thư tổng hợp nhiệm vụ vào hàng đợi; bỏ qua {result.skipped} phòng đã nhận hôm nay.")
    for name in result.without_email:
        click.echo(f"  Chưa có email: {name}")


@bp.record_once
def _register(state) -> None:
    state.app.cli.add_command(send_task_digest_command)
