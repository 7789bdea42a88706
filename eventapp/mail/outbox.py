"""Queue a message in the outbox. The caller commits it together with the change it reports."""

from __future__ import annotations

import json
import uuid

from flask import current_app

from ..extensions import db
from ..models import OutboxMessage


def queue_mail(
    to_addr: str,
    subject: str,
    body_text: str,
    *,
    body_html: str | None = None,
    to_name: str = "",
    purpose: str = "",
    conference_id: int | None = None,
    invitation_id: int | None = None,
    paper_id: int | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage:
    """Add a message to the outbox (in the current transaction); the mail worker sends it.

    ``attachments`` are built at send time, e.g. ``[{"type": "qr", "data": "<text>", "filename": "the.png"}]``.
    """
    domain = current_app.config["MAIL_FROM"].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        to_addr=to_addr,
        to_name=to_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        purpose=purpose,
        conference_id=conference_id,
        invitation_id=invitation_id,
        paper_id=paper_id,
        attachments_json=json.dumps(attachments or [], ensure_ascii=False),
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    db.session.add(message)
    return message
