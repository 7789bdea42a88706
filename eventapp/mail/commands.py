"""``flask --app eventapp send-mail``: the worker that drains the outbox."""

from __future__ import annotations

import signal
import sys

import click

from . import bp, worker


def _stop(signum, frame):
    raise SystemExit(0)


@bp.cli.command("send-mail")
@click.option("--once", is_flag=True, help="Gửi hết thư đến hạn rồi thoát.")
@click.option("--interval", type=float, default=5.0, show_default=True,
              help="Số giây nghỉ giữa hai lượt kiểm tra hàng đợi.")
def send_mail_command(once: bool, interval: float):
    """Send the queued mail over SMTP (MAIL_HOST, MAIL_PORT...), with retries and backoff."""
    if once:
        report = worker.drain()
        click.echo(f"Thư đi: {report}.")
        for reason in report.errors:
            click.echo(f"  Lỗi: {reason}", err=True)
        return
    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"Đang chạy bộ gửi thư (kiểm tra mỗi {interval:g} giây; dừng bằng Ctrl+C).")
    try:
        worker.run_forever(interval, log=lambda line: click.echo(line, err=line.startswith("[gửi thư] lỗi")))
    except KeyboardInterrupt:
        click.echo("Đã dừng bộ gửi thư.")
        sys.exit(0)
