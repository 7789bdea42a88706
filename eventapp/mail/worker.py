"""The mail worker: claims due messages from the outbox, sends them over one SMTP connection per batch,
and records the outcome of each message as soon as the server has answered for it.

Claiming is one ``UPDATE ... WHERE status = 'queued' ... RETURNING id`` whose candidate rows are chosen
with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite serialises writers), so two workers never hold the
same message. The claim carries a random name (``locked_by``). Right before each message is handed to the
server, the worker renews its claim on the rest of its batch (``locked_at``) and sends the message only if the
claim is still its own; the outcome is recorded under the same condition. A message is marked 'sent' in its own
commit right after the server accepted it. A worker that dies leaves a 'sending' claim that another worker
hands back to the queue once it is older than the stale limit: ``MAIL_STALE_MINUTES``, and never less than one
message can take to send (5 × MAIL_TIMEOUT), so a live worker's claim, renewed before every message, is never
taken over while it sends. (The fixed Message-ID still lets a receiving server recognise the duplicate a
worker frozen for longer than that could cause.)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Conference, HostAgency, MailStatus, OutboxMessage, utcnow
from ..qr import qr_png

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_STALE_MINUTES = 10
DEFAULT_BATCH_SIZE = 100
#: Longest wait between two attempts, in minutes.
MAX_BACKOFF_MINUTES = 60


@dataclass
class DrainReport:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    #: Messages of the batch another worker took over before this one got to them (none while claims are renewed).
    taken_over: int = 0
    #: The server could not be reached: the rest of the queue waits for the next round.
    unreachable: bool = False
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: DrainReport) -> DrainReport:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released
        self.taken_over += other.taken_over
        self.unreachable = self.unreachable or other.unreachable
        self.errors += other.errors
        return self

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        text = f"đã gửi {self.sent}, chờ gửi lại {self.retried}, lỗi hẳn {self.failed}"
        if self.released:
            text += f", trả lại hàng đợi {self.released} thư bị treo"
        return text


def _setting(name: str, default: int) -> int:
    """MAIL_MAX_ATTEMPTS, MAIL_STALE_MINUTES, MAIL_BATCH_SIZE: app config, else the environment, else default."""
    value = current_app.config.get(name) or os.environ.get(name, "").strip()
    try:
        return max(int(value), 1) if value else default
    except ValueError:
        return default


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failed ones: 1, 2, 4, 8... minutes, capped."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


# --- claiming ---------------------------------------------------------------------------------------

def stale_after() -> timedelta:
    """How old a claim must be before another worker takes it over: MAIL_STALE_MINUTES (fractions allowed), and
    never less than the longest one message may take to send (its four commands and its body, each allowed
    MAIL_TIMEOUT seconds, and one more), since a live worker renews its claim only between two messages."""
    value = current_app.config.get("MAIL_STALE_MINUTES") or os.environ.get("MAIL_STALE_MINUTES", "").strip()
    try:
        minutes = float(value) if value else DEFAULT_STALE_MINUTES
    except ValueError:
        minutes = DEFAULT_STALE_MINUTES
    one_message = timedelta(seconds=5 * float(current_app.config.get("MAIL_TIMEOUT", 20)))
    return max(timedelta(minutes=minutes), one_message)


def release_stale(now: datetime | None = None) -> int:
    """Put back in the queue the messages a worker claimed but never finished (it crashed or was killed)."""
    now = now or utcnow()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.SENDING.value, OutboxMessage.locked_at < now - stale_after())
        .values(status=MailStatus.QUEUED.value, locked_at=None, locked_by=None, next_attempt_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount or 0


@dataclass(frozen=True)
class Claim:
    """The messages one worker took for one batch, under the claim's random name."""

    name: str
    ids: list[int]


def claim_batch(limit: int, now: datetime | None = None) -> Claim:
    """Atomically mark up to ``limit`` due messages as 'sending' under a new claim; their ids, oldest first."""
    now = now or utcnow()
    name = secrets.token_hex(16)
    candidates = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.QUEUED.value, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), OutboxMessage.status == MailStatus.QUEUED.value)
        .values(status=MailStatus.SENDING.value, locked_at=utcnow(), locked_by=name)
        .returning(OutboxMessage.id),
        execution_options={"synchronize_session": False},
    )
    ids = sorted(result.scalars().all())
    db.session.commit()
    return Claim(name, ids)


def renew(claim: Claim, ids: list[int]) -> set[int]:
    """Renew ``claim`` on the messages ``ids`` (the rest of its batch) and return those still held by it: a
    message another worker took over is not among them."""
    if not ids:
        return set()
    held = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == MailStatus.SENDING.value,
               OutboxMessage.locked_by == claim.name)
        .values(locked_at=utcnow())
        .returning(OutboxMessage.id),
        execution_options={"synchronize_session": False},
    ).scalars().all()
    db.session.commit()
    return set(held)


# --- building the message ---------------------------------------------------------------------------

class _Sender:
    """The From address and the per-conference Reply-To, looked up once per batch."""

    def __init__(self):
        host = db.session.scalar(sa.select(HostAgency).limit(1))
        self.from_addr = current_app.config["MAIL_FROM"]
        self.from_name = host.name if host else "Ban tổ chức hội nghị"
        self._reply_to: dict[int, str] = {}

    def reply_to(self, conference_id: int | None) -> str:
        if conference_id is None:
            return ""
        if conference_id not in self._reply_to:
            self._reply_to[conference_id] = (
                db.session.scalar(sa.select(Conference.contact_email).where(Conference.id == conference_id)) or ""
            )
        return self._reply_to[conference_id]


_WIRE = compat32.clone(linesep="\r\n")
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in the raw message; lines stay under 76 characters


def _encoded_word(text: str) -> str:
    """``text`` as it goes in a header: as is when ASCII, else one RFC 2047 encoded word.

    One word rather than the standard folding, which may cut a Vietnamese name inside a syllable and make
    some readers show a stray space ("Quả ng Ngãi").
    """
    if text.isascii():
        return text
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode("ascii") + "?="


def _address(name: str, addr: str) -> str:
    name = " ".join((name or "").replace('"', "").split())
    if not name:
        return addr
    return f"{_encoded_word(name) if not name.isascii() else quote_name(name)} <{addr}>"


def quote_name(name: str) -> str:
    return f'"{name}"' if any(c in name for c in ",;:<>()[]@\\.") else name


def build_message(message: OutboxMessage | sa.Row, sender: _Sender) -> bytes:
    """The MIME message of an outbox row, ready for SMTP: UTF-8 text (and HTML) body, attachments made now."""
    body: Message = MIMEText(message.body_text, "plain", _UTF8_QP)
    if message.body_html:
        alternative = MIMEMultipart("alternative")
        alternative.attach(body)
        alternative.attach(MIMEText(message.body_html, "html", _UTF8_QP))
        body = alternative
    attachments = [a for a in json.loads(message.attachments_json or "[]") if a.get("type") == "qr"]
    if attachments:
        mime: Message = MIMEMultipart("mixed")
        mime.attach(body)
        for attachment in attachments:
            image = MIMEImage(qr_png(attachment["data"]), "png")
            image.add_header("Content-Disposition", "attachment",
                             filename=attachment.get("filename") or "ma-qr.png")
            mime.attach(image)
    else:
        mime = body
    mime["From"] = _address(sender.from_name, sender.from_addr)
    mime["To"] = _address(message.to_name, message.to_addr)
    reply_to = sender.reply_to(message.conference_id)
    if reply_to:
        mime["Reply-To"] = reply_to
    mime["Subject"] = Header(message.subject, "utf-8") if not message.subject.isascii() else message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = format_datetime(utcnow())
    if "MIME-Version" not in mime:
        mime["MIME-Version"] = "1.0"
    return mime.as_bytes(policy=_WIRE)


# --- talking to the server --------------------------------------------------------------------------

def connect() -> smtplib.SMTP:
    """An SMTP connection configured from MAIL_* settings (SSL or STARTTLS, login when a user is set)."""
    config = current_app.config
    host, port, timeout = config["MAIL_HOST"], int(config["MAIL_PORT"]), config.get("MAIL_TIMEOUT", 20)
    if config.get("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config.get("MAIL_USE_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
    return smtp


def _smtp_text(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def describe_error(exc: BaseException) -> tuple[str, bool]:
    """(a Vietnamese reason for the organizer, whether retrying cannot help)."""
    config = current_app.config
    server = f"{config['MAIL_HOST']}:{config['MAIL_PORT']}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{addr}: {_smtp_text(*answer)}" for addr, answer in exc.recipients.items())
        permanent = all(answer[0] >= 500 for answer in exc.recipients.values())
        return f"Máy chủ thư từ chối địa chỉ người nhận ({refused}).", permanent
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ("Máy chủ thư từ chối đăng nhập: kiểm tra MAIL_USERNAME và MAIL_PASSWORD "
                f"({_smtp_text(exc.smtp_code, exc.smtp_error)})."), False
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"Máy chủ thư từ chối địa chỉ gửi {exc.sender} ({_smtp_text(exc.smtp_code, exc.smtp_error)}).", False
    if isinstance(exc, smtplib.SMTPDataError):
        return (f"Máy chủ thư không nhận nội dung thư ({_smtp_text(exc.smtp_code, exc.smtp_error)}).",
                exc.smtp_code >= 500)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"Máy chủ thư {server} ngắt kết nối giữa chừng.", False
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"Máy chủ thư trả lời lỗi {_smtp_text(exc.smtp_code, exc.smtp_error)}.", False
    if isinstance(exc, ConnectionRefusedError):
        return f"Không kết nối được máy chủ thư {server}: máy chủ từ chối kết nối (chưa chạy hoặc sai cổng).", False
    if isinstance(exc, socket.gaierror):
        return f"Không tìm thấy máy chủ thư «{config['MAIL_HOST']}» (sai tên máy chủ hoặc mất mạng).", False
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"Máy chủ thư {server} không phản hồi sau {config.get('MAIL_TIMEOUT', 20)} giây.", False
    if isinstance(exc, ssl.SSLError):
        return f"Lỗi mã hóa TLS khi nói chuyện với máy chủ thư {server} ({exc.reason or exc}).", False
    if isinstance(exc, OSError):
        return f"Lỗi mạng khi kết nối máy chủ thư {server} ({exc.strerror or exc}).", False
    return f"Lỗi khi gửi thư ({type(exc).__name__}: {exc}).", False


def _held(claim: Claim, message_id: int):
    """The condition under which this worker may still write a message's outcome."""
    return sa.and_(OutboxMessage.id == message_id, OutboxMessage.status == MailStatus.SENDING.value,
                   OutboxMessage.locked_by == claim.name)


def _mark_sent(claim: Claim, message_id: int, now: datetime) -> None:
    db.session.execute(
        sa.update(OutboxMessage)
        .where(_held(claim, message_id))
        .values(status=MailStatus.SENT.value, sent_at=now, locked_at=None, locked_by=None, last_error="",
                attempts=OutboxMessage.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def _mark_failed(claim: Claim, message: OutboxMessage | sa.Row, reason: str, permanent: bool, now: datetime,
                 report: DrainReport) -> None:
    """Count a failed attempt: back to the queue with a later time, or 'failed' for good."""
    attempts = message.attempts + 1
    give_up = permanent or attempts >= _setting("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    values = {"attempts": attempts, "last_error": reason[:1000], "locked_at": None, "locked_by": None}
    if give_up:
        values["status"] = MailStatus.FAILED.value
        report.failed += 1
    else:
        values |= {"status": MailStatus.QUEUED.value, "next_attempt_at": now + backoff(attempts)}
        report.retried += 1
    db.session.execute(
        sa.update(OutboxMessage).where(_held(claim, message.id)).values(**values),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    if reason not in report.errors:
        report.errors.append(reason)


def send_claimed(claim: Claim, now: datetime | None = None) -> DrainReport:
    """Send the claimed messages over one connection (reconnecting once after a drop), each only while the claim
    on it is still this worker's."""
    report = DrainReport()
    if not claim.ids:
        return report
    # Plain rows, not ORM objects: they stay readable across the commits below and touch no caller's objects.
    messages = db.session.execute(
        sa.select(*OutboxMessage.__table__.c).where(OutboxMessage.id.in_(claim.ids)).order_by(OutboxMessage.id)
    ).all()
    db.session.commit()  # end the read transaction: SQLite writers must not wait on it
    sender = _Sender()
    smtp: smtplib.SMTP | None = None
    try:
        for index, message in enumerate(messages):
            if smtp is None:
                try:
                    smtp = connect()
                except Exception as exc:  # the server is unreachable: every remaining message waits
                    reason, _ = describe_error(exc)
                    report.unreachable = True
                    for waiting in messages[index:]:
                        _mark_failed(claim, waiting, reason, False, now or utcnow(), report)
                    break
            if message.id not in renew(claim, [m.id for m in messages[index:]]):
                report.taken_over += 1  # another worker found the claim stale and took the message over
                continue
            try:
                smtp.sendmail(sender.from_addr, [message.to_addr], build_message(message, sender))
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                reason, permanent = describe_error(exc)
                _mark_failed(claim, message, reason, permanent, now or utcnow(), report)
                _close(smtp)
                smtp = None
            except Exception as exc:
                reason, permanent = describe_error(exc)
                _mark_failed(claim, message, reason, permanent, now or utcnow(), report)
                _reset(smtp)
            else:
                _mark_sent(claim, message.id, now or utcnow())
                report.sent += 1
    finally:
        if smtp is not None:
            _close(smtp)
    return report


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def drain(now: datetime | None = None, batch_size: int | None = None) -> DrainReport:
    """Send everything that is due now, batch after batch; stop when nothing due is left."""
    batch_size = batch_size or _setting("MAIL_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    report = DrainReport(released=release_stale(now))
    while True:
        claim = claim_batch(batch_size, now)
        if not claim.ids:
            return report
        batch = send_claimed(claim, now)
        report += batch
        if batch.unreachable:
            return report


def run_forever(interval: float, log=print) -> None:
    """The worker loop of ``flask send-mail``: drain, sleep ``interval`` seconds, again."""
    while True:
        try:
            report = drain()
            if report.handled or report.released:
                log(f"[gửi thư] {report}")
            for reason in report.errors:
                log(f"[gửi thư] lỗi: {reason}")
        except sa.exc.OperationalError as exc:  # the database restarted: try again next round
            db.session.rollback()
            log(f"[gửi thư] cơ sở dữ liệu chưa sẵn sàng: {exc.orig}")
        finally:
            db.session.remove()
        time.sleep(interval)
