"""The audit log: ``record`` adds an entry inside the caller's transaction; the blueprint lets admins read
and export it."""

from __future__ import annotations

import json

from flask import Blueprint, has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/nhat-ky")


def record(
    action: str,
    summary: str,
    *,
    entity: object | None = None,
    conference_id: int | None = None,
    actor: str | None = None,
    **details,
) -> AuditEntry:
    """Add an audit entry for ``action`` to the session; it commits (or rolls back) with the change."""
    user = current_user if has_request_context() and current_user.is_authenticated else None
    entry = AuditEntry(
        user_id=user.id if user else None,
        actor=(actor or (user.full_name if user else "Hệ thống"))[:200],
        action=action[:60],
        entity=type(entity).__name__ if entity is not None else "",
        entity_id=getattr(entity, "id", None),
        conference_id=conference_id if conference_id is not None else getattr(entity, "conference_id", None),
        summary=summary[:1000],
        details_json=json.dumps(details, ensure_ascii=False, default=str),
        ip=(request.remote_addr or "")[:64] if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


from . import routes  # noqa: E402,F401
