"""The mail worker's throughput: 5,000 queued invitation mails drained to a local SMTP server.

1. The app on DATABASE_URL (else a temporary SQLite file), an aiosmtpd server in its own process on a free
   loopback port that counts what it receives.
2. BENCH_ROUNDS rounds (default 3): queue BENCH_MESSAGES messages (default 5,000; UTF-8 text + HTML, as an
   invitation), then time ``eventapp.mail.worker.drain()`` until every message is 'sent'.
3. Figure: messages per second (median of the rounds; target >= 50/s). Each round also checks that the
   server received exactly one copy of each message.

    .venv/bin/python bench/bench_outbox.py        # DATABASE_URL for PostgreSQL
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_label, database_url, emit, figure, free_port, make_app, median_spread, say

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "5000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET = 50.0

#: A counting SMTP sink, run in its own process so that it does not share the worker's interpreter.
SINK = r"""
import signal, sys, threading
from aiosmtpd.controller import Controller
ids, lock = [], threading.Lock()
class Handler:
    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with lock:
                    ids.append(line.split(b":", 1)[1].strip())
                break
        return "250 OK"
controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
def report(*_):
    with lock:
        print(len(ids), len(set(ids)), flush=True)
signal.signal(signal.SIGUSR1, report)
signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
while True:
    signal.pause()
"""

BODY = """Kính gửi: Sở Nông nghiệp và Môi trường {n}

Sở Khoa học và Công nghệ trân trọng kính mời đại diện lãnh đạo quý cơ quan tới dự:
Hội nghị tổng kết Chương trình nông thôn miền núi giai đoạn 2021 - 2025

Thời gian: 07:30 – 11:30, Thứ Năm ngày 08/04/2026
Địa điểm: Hội trường tầng 7, Khách sạn Hùng Vương, 45 Hùng Vương, TP. Quảng Ngãi

Xin vui lòng xác nhận tham dự tại đường liên kết riêng:
https://hoinghi.skhcn.quangngai.gov.vn/moi/{token}

Liên hệ: Trần Thị Hoa, ĐT: 0912 345 678
"""


class Sink:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-c", SINK, str(self.port)], stdout=subprocess.PIPE,
                                     text=True, start_new_session=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def counts(self) -> tuple[int, int]:
        self.proc.send_signal(signal.SIGUSR1)
        total, distinct = self.proc.stdout.readline().split()
        return int(total), int(distinct)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def queue(app, n: int) -> None:
    import secrets

    from eventapp.extensions import db
    from eventapp.mail.outbox import queue_mail

    with app.app_context():
        for i in range(n):
            token = secrets.token_urlsafe(24)
            text = BODY.format(n=i, token=token)
            queue_mail(f"vanthu{i}@example.vn", "Giấy mời: Hội nghị tổng kết Chương trình nông thôn miền núi",
                       text, body_html="<p>" + text.replace("\n", "<br>") + "</p>", to_name=f"Văn thư {i}",
                       purpose="invitation")
        db.session.commit()


def drain_all(app) -> int:
    import sqlalchemy as sa

    from eventapp.extensions import db
    from eventapp.mail import worker
    from eventapp.models import OutboxMessage

    with app.app_context():
        sent = worker.drain().sent
        left = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status != "sent"))
        db.session.remove()
    if left:
        raise RuntimeError(f"{left} messages were not sent")
    return sent


def clear(app) -> None:
    import sqlalchemy as sa

    from eventapp.extensions import db
    from eventapp.models import OutboxMessage

    with app.app_context():
        db.session.execute(sa.delete(OutboxMessage))
        db.session.commit()


def main() -> None:
    url = database_url()
    sink = Sink()
    try:
        app = make_app(url, MAIL_HOST="127.0.0.1", MAIL_PORT=sink.port, MAIL_FROM="hoinghi@skhcn.example.vn")
        say(f"Outbox: {MESSAGES} messages per round, {ROUNDS} rounds, {database_label(url)}, SMTP on port {sink.port}")
        rates, exact = [], True
        for round_no in range(1, ROUNDS + 1):
            clear(app)
            before = sink.counts()[0]
            queue(app, MESSAGES)
            started = time.perf_counter()
            sent = drain_all(app)
            elapsed = time.perf_counter() - started
            total, distinct = sink.counts()
            received = total - before
            exact = exact and sent == MESSAGES and received == MESSAGES and total == distinct
            rates.append(MESSAGES / elapsed)
            say(f"  round {round_no}: {sent} sent in {elapsed:.2f} s = {rates[-1]:.0f} messages/s; "
                f"server received {received} (distinct so far {distinct}/{total})")
    finally:
        sink.stop()
    rate, spread = median_spread(rates, 0, "messages/s")
    say(f"Median: {rate:.0f} messages/s (target >= {TARGET:.0f}); each message delivered once: {exact}")
    emit([
        figure(f"Mail worker throughput ({database_label(url)})", round(rate), "messages/s", f">= {TARGET:.0f}",
               rate >= TARGET and exact, spread),
        figure(f"Mail delivered exactly once ({database_label(url)})", 1 if exact else 0, "bool", "1", exact),
    ])


if __name__ == "__main__":
    main()
