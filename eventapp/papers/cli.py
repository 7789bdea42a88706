"""``flask --app eventapp remind-papers``: queue reminders to speakers whose deadline is near."""

from __future__ import annotations

import click

from . import bp
from .services import send_reminders


@bp.cli.command("remind-papers")
@click.option("--days", default=3, show_default=True, type=click.IntRange(1, 60),
              help="Nhắc khi hạn nộp còn không quá số ngày này.")
@click.option("--conference", "conference_id", type=int, default=None, help="Chỉ nhắc cho một hội nghị (mã số).")
def remind_papers_command(days: int, conference_id: int | None) -> None:
    """Queue a reminder to each speaker who has not sent their paper and whose deadline is near
    (at most once a day per speaker); `flask send-mail` sends them."""
    papers = send_reminders(days, conference_id)
    for paper in papers:
        click.echo(f"  {paper.speaker_name} <{paper.speaker_email}>: {paper.topic}")
    click.echo(f"Đã xếp {len(papers)} thư nhắc hạn nộp tham luận.")
