"""The mail worker against a real SMTP server (aiosmtpd on loopback), and the outbox page."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventapp.mail import worker
from eventapp.mail.outbox import queue_mail
from eventapp.models import HostAgency, MailStatus, OutboxMessage, utcnow
from tests.conftest import SmtpSink, free_port


def _queue(db, n=3, **kw):
    for i in range(n):
        queue_mail(f"daibieu{i}@example.vn", f"Giấy mời hội nghị tổng kết số {i}",
                   f"Kính gửi đại biểu {i},\nTrân trọng kính mời.", body_html=f"<p>Kính mời đại biểu {i}</p>",
                   to_name=f"Nguyễn Văn Đức {i}", purpose="invitation", **kw)
    db.session.commit()


def _rows(db):
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_worker_sends_utf8_multipart_mail_with_host_name(app, db, smtp_server):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", abbreviation="SKHCN"))
    queue_mail("an@example.vn", "Thẻ đại biểu: Hội nghị tổng kết", "Xin chào anh Đức", body_html="<p>Xin chào</p>",
               to_name="Nguyễn Văn Đức", purpose="pass",
               attachments=[{"type": "qr", "data": "1-2-3", "filename": "the-dai-bieu.png"}])
    db.session.commit()
    report = worker.drain()
    assert report.sent == 1 and report.retried == 0
    [received] = smtp_server.messages
    row = _rows(db)[0]
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert received["Subject"] == "Thẻ đại biểu: Hội nghị tổng kết"
    assert received["Message-ID"] == row.message_id
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in str(received["From"])
    assert received["To"].addresses[0].display_name == "Nguyễn Văn Đức"
    assert received.get_content_type() == "multipart/mixed"
    body = received.get_body(preferencelist=("plain",))
    assert body.get_content_charset() == "utf-8" and "anh Đức" in body.get_content()
    assert received.get_body(preferencelist=("html",)) is not None
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "image/png" and attachment.get_filename() == "the-dai-bieu.png"
    import io

    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(attachment.get_content())))
    assert code.text == "1-2-3"


def test_server_down_then_back_each_message_delivered_once(app, db):
    sink = SmtpSink()  # not started yet: nothing listens on its port
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=sink.port)
    _queue(db, 4)
    started = utcnow()
    report = worker.drain()
    assert report.sent == 0 and report.retried == 4 and report.unreachable
    for row in _rows(db):
        assert row.status == "queued" and row.attempts == 1 and row.locked_at is None
        assert "Không kết nối được máy chủ thư" in row.last_error
        assert row.next_attempt_at >= started + timedelta(seconds=59)
    assert worker.drain().handled == 0  # not due yet: nothing is retried before its time

    later = utcnow() + timedelta(minutes=1, seconds=5)
    report = worker.drain(now=later)  # still down: the wait doubles
    assert report.retried == 4
    for row in _rows(db):
        db.session.refresh(row)
        assert row.attempts == 2 and row.next_attempt_at >= later + timedelta(minutes=2) - timedelta(seconds=1)

    sink.start()
    try:
        report = worker.drain(now=later + timedelta(minutes=3))
        assert report.sent == 4
        assert worker.drain(now=later + timedelta(hours=5)).handled == 0
        assert sorted(m["Subject"] for m in sink.messages) == sorted(r.subject for r in _rows(db))
        assert len({m["Message-ID"] for m in sink.messages}) == 4
        for row in _rows(db):
            db.session.refresh(row)
            assert row.status == "sent" and row.last_error == ""
    finally:
        sink.stop()


def test_fails_for_good_after_max_attempts_and_shows_reason(app, db, organizer_client):
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=3)
    try:
        _queue(db, 1)
        now = utcnow()
        for _ in range(3):
            worker.drain(now=now)
            now += timedelta(hours=2)
        [row] = _rows(db)
        db.session.refresh(row)
        assert row.status == "failed" and row.attempts == 3
        page = organizer_client.get("/thu-di/?status=failed").get_data(as_text=True)
        assert "Gửi lỗi" in page and "Không kết nối được máy chủ thư" in page
        response = organizer_client.post(f"/thu-di/{row.id}/gui-lai")
        assert response.status_code == 303
        db.session.refresh(row)
        assert row.status == "queued" and row.attempts == 0
    finally:
        app.config.pop("MAIL_MAX_ATTEMPTS")


def test_rejected_recipient_fails_at_once(app, db):
    from aiosmtpd.controller import Controller

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, options):
            return "550 5.1.1 Mailbox does not exist"

    controller = Controller(Refuse(), hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=controller.port)
    try:
        _queue(db, 1)
        report = worker.drain()
        [row] = _rows(db)
        assert report.failed == 1 and row.status == "failed"
        assert "từ chối địa chỉ người nhận" in row.last_error and "550" in row.last_error
    finally:
        controller.stop()


def test_two_workers_concurrently_send_each_message_once(app, db, smtp_server):
    _queue(db, 60)
    reports, errors = [], []

    def run():
        try:
            with app.app_context():
                reports.append(worker.drain(batch_size=7))
                from eventapp.extensions import db as _db

                _db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r.sent for r in reports) == 60
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 60 and len(set(ids)) == 60
    db.session.expire_all()
    assert {r.status for r in _rows(db)} == {"sent"}


def test_stale_lock_goes_back_to_queue(app, db, smtp_server):
    _queue(db, 1)
    [row] = _rows(db)
    db.session.execute(sa.update(OutboxMessage).values(status="sending", locked_at=utcnow() - timedelta(minutes=30)))
    db.session.commit()
    report = worker.drain()
    assert report.released == 1 and report.sent == 1
    db.session.refresh(row)
    assert row.status == "sent"


def test_fresh_lock_is_left_alone(app, db, smtp_server):
    _queue(db, 1)
    db.session.execute(sa.update(OutboxMessage).values(status="sending", locked_at=utcnow()))
    db.session.commit()
    assert worker.drain().handled == 0
    assert smtp_server.messages == []


def test_send_mail_command_once(app, db, smtp_server):
    _queue(db, 2)
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "đã gửi 2" in result.output
    assert len(smtp_server.messages) == 2


def test_outbox_page_counts_and_filters(app, db, organizer_client):
    _queue(db, 2)
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == _rows(db)[0].id)
                       .values(status=MailStatus.SENT.value, sent_at=utcnow()))
    db.session.commit()
    page = organizer_client.get("/thu-di/").get_data(as_text=True)
    assert "Thư đi" in page and "Chờ gửi" in page and "Đã gửi" in page
    only_sent = organizer_client.get("/thu-di/?status=sent").get_data(as_text=True)
    assert "daibieu0@example.vn" in only_sent and "daibieu1@example.vn" not in only_sent
    fragment = organizer_client.get("/thu-di/?status=queued", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "daibieu1@example.vn" in fragment
    found = organizer_client.get("/thu-di/?q=Đức 1").get_data(as_text=True)
    assert "daibieu1@example.vn" in found and "daibieu0@example.vn" not in found


def test_retry_refuses_a_message_not_failed(app, db, organizer_client):
    _queue(db, 1)
    [row] = _rows(db)
    response = organizer_client.post(f"/thu-di/{row.id}/gui-lai", follow_redirects=True)
    assert "Chỉ gửi lại được thư" in response.get_data(as_text=True)
    assert organizer_client.post("/thu-di/999999/gui-lai").status_code == 404


@pytest.mark.parametrize("attempts,minutes", [(1, 1), (2, 2), (3, 4), (5, 16), (12, 60)])
def test_backoff_doubles_and_is_capped(attempts, minutes):
    assert worker.backoff(attempts) == timedelta(minutes=minutes)



# --- two workers, a slow server: each message once ------------------------------------------------------

def test_a_claim_taken_over_by_another_worker_is_not_sent(app, db, smtp_server):
    """A worker reaching a message of its batch that another worker took over (it found the claim stale) skips
    it, and cannot record an outcome for it either."""
    _queue(db, 3)
    claim = worker.claim_batch(10)
    taken = claim.ids[1]
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == taken)
                       .values(locked_by="another-worker", locked_at=utcnow()))
    db.session.commit()
    report = worker.send_claimed(claim)
    assert (report.sent, report.taken_over) == (2, 1)
    assert len(smtp_server.messages) == 2
    row = db.session.get(OutboxMessage, taken)
    db.session.refresh(row)
    assert row.status == "sending" and row.locked_by == "another-worker", "the other worker's claim is untouched"


def test_the_stale_limit_is_never_shorter_than_one_message_takes(app):
    with app.app_context():
        app.config.update(MAIL_STALE_MINUTES="0.5", MAIL_TIMEOUT=20)
        try:
            assert worker.stale_after() == timedelta(seconds=100)
            app.config["MAIL_STALE_MINUTES"] = "15"
            assert worker.stale_after() == timedelta(minutes=15)
        finally:
            app.config.pop("MAIL_STALE_MINUTES")
            app.config["MAIL_TIMEOUT"] = 20


SLOW_SERVER_SECONDS = 1.6
MAILS = 40


def test_two_workers_and_a_slow_server_send_every_mail_once(app, db, tmp_path):
    """The issue's case: two `flask send-mail` processes, a server taking 1.6 s per message, MAIL_STALE_MINUTES=1,
    40 mails claimed in one batch (64 s to send). The second worker used to hand the first one's last messages
    back to the queue after a minute and send them too; the first worker's claim is now renewed before every
    message, so each mail arrives once."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    sink = SmtpSink(delay=SLOW_SERVER_SECONDS).start()
    _queue(db, MAILS)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path), "MAIL_HOST": "127.0.0.1", "MAIL_PORT": str(sink.port),
           "MAIL_STALE_MINUTES": "1", "MAIL_TIMEOUT": "5", "MAIL_BATCH_SIZE": "100"}
    command = [sys.executable, "-m", "flask", "--app", "eventapp", "send-mail", "--interval", "0.5"]
    workers = []
    try:
        for _ in range(2):
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True))
            time.sleep(0.3)
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            db.session.expire_all()
            left = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                     .where(OutboxMessage.status != "sent"))
            if not left:
                break
            time.sleep(1)
        time.sleep(2 * SLOW_SERVER_SECONDS)  # a duplicate on its way would arrive now
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        logs = [process.communicate(timeout=30)[0] for process in workers]
        sink.stop()
    ids = [m["Message-ID"] for m in sink.messages]
    assert left == 0, logs
    assert len(set(ids)) == MAILS
    assert len(ids) == MAILS, f"{len(ids) - len(set(ids))} mails sent twice; workers said: {logs}"
    assert {r.status for r in _rows(db)} == {"sent"} and all(r.attempts == 1 for r in _rows(db))
