"""Are the delegates' pages still responsive while the mail worker sends 5,000 invitations? (issue 7)

On the issue-7 data set: 5,000 invitation mails are queued, eventapp runs under ``gunicorn -w 2`` on loopback,
an SMTP server (aiosmtpd, its own process) receives. The RSVP and pass pages are driven by 2 connections (light
traffic: delegates opening their links) first with the worker idle, then while ``flask send-mail --once``
drains the outbox on the same machine and database. Figures: median and p99 latency of those pages idle
and during sending (target: median during sending < 150 ms, no errors), the worker's rate while pages are
served (target >= 50 messages/s) and the number of mails received (= 5,000).

    .venv/bin/python bench/bench_responsive.py        # DATABASE_URL, else a temporary SQLite file
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BIN,
    ROOT,
    Server,
    database_label,
    database_url,
    emit,
    figure,
    free_port,
    load,
    make_app,
    percentile,
    say,
    server_env,
)
from bench.generate import generate

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "5000"))
PAGE_TARGET_MS = 150
RATE_TARGET = 50

SINK = r"""
import signal, sys, threading
from aiosmtpd.controller import Controller
count, lock = [0], threading.Lock()
class Handler:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            count[0] += 1
        return "250 OK"
controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
signal.signal(signal.SIGUSR1, lambda *_: print(count[0], flush=True))
signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
while True:
    signal.pause()
"""


def queue(app, data, n: int) -> None:
    """n invitation mails in the outbox, as the sending screen queues them."""
    from eventapp.extensions import db
    from eventapp.mail.outbox import queue_mail

    with app.test_request_context():
        for i in range(n):
            token = data.rsvp_tokens[i % len(data.rsvp_tokens)]
            queue_mail(f"vanthu{i}@example.vn", "Giấy mời: Hội nghị toàn quốc tổng kết Chương trình KH&CN",
                       f"Kính gửi: Cơ quan {i}\n\nSở Khoa học và Công nghệ trân trọng kính mời đại diện lãnh đạo "
                       f"quý cơ quan tới dự hội nghị.\n\nXác nhận tham dự: http://127.0.0.1/moi/{token}\n",
                       body_html=f"<p>Kính gửi: Cơ quan {i}</p><p>Trân trọng kính mời ...</p>"
                                 f"<p><a href=\"http://127.0.0.1/moi/{token}\">Xác nhận tham dự</a></p>",
                       purpose="invitation", conference_id=data.conference_id)
            if i % 500 == 499:
                db.session.commit()
        db.session.commit()


def stats(latencies: list[float]) -> tuple[float, float]:
    return percentile(latencies, 50), percentile(latencies, 99)


def main() -> None:
    url = database_url()
    label = database_label(url)
    app = make_app(url)
    data = generate(app, quiet=False)
    if "rsvp.respond" not in app.view_functions or "mail.outbox" not in app.view_functions:
        emit([figure("pages during sending: median", None, "ms", f"< {PAGE_TARGET_MS} ms", False, "not built")])
        return
    rng = random.Random(11)
    paths = [f"/moi/{t}" for t in rng.sample(data.rsvp_tokens, 100)]
    paths += [f"/the/{p[2]}" for p in rng.sample(data.passes, 100)]
    rng.shuffle(paths)
    t0 = time.perf_counter()
    queue(app, data, MESSAGES)
    say(f"queued {MESSAGES} mails in {time.perf_counter() - t0:.1f} s")

    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True)
    assert sink.stdout.readline().strip() == "ready"
    env = server_env(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT="1", MAIL_HOST="127.0.0.1",
                     MAIL_PORT=str(port), FLASK_APP="eventapp")
    server = Server("eventapp.wsgi:app", env).start()
    figures = []
    try:
        load(server.port, paths, connections=2, duration=1.5, vary_ip=4096)
        idle = load(server.port, paths, connections=2, duration=5.0, vary_ip=4096)
        idle_p50, idle_p99 = stats(idle.latencies_ms)
        say(f"idle: {idle.rate:.0f} req/s, p50 {idle_p50:.1f} ms, p99 {idle_p99:.1f} ms, {idle.errors} errors")

        t0 = time.perf_counter()
        worker = subprocess.Popen([str(BIN / "flask"), "--app", "eventapp", "send-mail", "--once"], env=env,
                                  cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        during, errors, requests = [], 0, 0
        while worker.poll() is None and time.perf_counter() - t0 < 600:
            result = load(server.port, paths, connections=2, duration=1.0, vary_ip=4096)
            during += result.latencies_ms
            errors += result.errors
            requests += result.requests
        worker_out = worker.communicate(timeout=60)[0]
        seconds = time.perf_counter() - t0
        sink.send_signal(10)  # SIGUSR1: print the count
        received = int(sink.stdout.readline().strip())
        say(f"worker: {worker_out.strip()[-300:]}")
        p50, p99 = stats(during) if during else (float("nan"), float("nan"))
        rate = received / seconds
        say(f"during sending ({seconds:.1f} s, {received} mails, {rate:.0f}/s): {requests} page requests, "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors")
        figures += [
            figure("RSVP and pass pages while 5,000 mails are sent: median latency", round(p50, 1), "ms",
                   f"< {PAGE_TARGET_MS} ms, no errors", p50 < PAGE_TARGET_MS and errors == 0,
                   f"p99 {p99:.1f} ms; idle: median {idle_p50:.1f} ms, p99 {idle_p99:.1f} ms; {requests} requests "
                   f"over 2 connections, {errors} errors"),
            figure("mail worker rate while pages are served", round(rate, 1), "messages/s", f"≥ {RATE_TARGET}",
                   rate >= RATE_TARGET, f"{received} mails in {seconds:.1f} s (from start to the worker's exit)"),
            figure("mails received by the SMTP server", received, "mails", f"= {MESSAGES}", received == MESSAGES,
                   "aiosmtpd on loopback, its own process"),
        ]
    finally:
        server.stop()
        sink.terminate()
        sink.wait(10)
    say(f"database: {label}")
    emit(figures)


if __name__ == "__main__":
    main()
