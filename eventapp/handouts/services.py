"""The verbs of the conference documents delegates read: publish accepted papers, upload a file, say who
reads each and from when, and the program's own audience."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, text, uploads
from ..errors import UserError
from ..extensions import db
from ..hall.speakers import hall_of, saved_hall
from ..models import Audience, Conference, Handout, Paper, PaperStatus

# --- who reads what --------------------------------------------------------------------------------

def program_visible(conference: Conference, delegate: bool) -> bool:
    """Whether the program shows: to delegates once the agenda is published; to anyone when it is also public."""
    if conference.agenda_published_at is None:
        return False
    return delegate or hall_of(conference).program_public


def handouts_of(conference: Conference) -> list[Handout]:
    """Every document of the conference, in order, with its paper and the paper's files."""
    return list(db.session.scalars(
        sa.select(Handout).where(Handout.conference_id == conference.id)
        .options(joinedload(Handout.paper).selectinload(Paper.files))
        .order_by(Handout.position, Handout.id)
    ).unique().all())


def delegate_handouts(conference: Conference, now: datetime | None = None) -> list[Handout]:
    """The documents a delegate may read now."""
    return [h for h in handouts_of(conference) if h.visible_to(delegate=True, now=now)]


def public_handouts(conference: Conference, now: datetime | None = None) -> list[Handout]:
    """The documents anyone may read now."""
    return [h for h in handouts_of(conference) if h.visible_to(delegate=False, now=now)]


@dataclass(frozen=True)
class HandoutFile:
    stored_name: str
    name: str
    content_type: str
    size_bytes: int


def file_of(handout: Handout) -> HandoutFile | None:
    """The file a document opens: its own, or its paper's latest version; None for a paper without a file."""
    if handout.stored_name:
        return HandoutFile(handout.stored_name, handout.original_name, handout.content_type, handout.size_bytes)
    latest = handout.paper.latest_file if handout.paper is not None else None
    if latest is None:
        return None
    return HandoutFile(latest.stored_name, latest.original_name, latest.content_type, latest.size_bytes)


# --- the organizer's changes -------------------------------------------------------------------------

def _check(audience: str) -> None:
    if audience not in {a.value for a in Audience}:
        raise UserError("Phạm vi công bố không hợp lệ.", field="audience")


def _next_position(conference: Conference) -> int:
    return 1 + db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Handout.position), 0))
                                 .where(Handout.conference_id == conference.id))


def unpublished_papers(conference: Conference) -> list[Paper]:
    """Accepted papers not yet among the documents."""
    published = sa.select(Handout.paper_id).where(Handout.paper_id.is_not(None))
    return list(db.session.scalars(
        sa.select(Paper).where(Paper.conference_id == conference.id, Paper.status == PaperStatus.ACCEPTED.value,
                               Paper.id.not_in(published))
        .options(selectinload(Paper.files)).order_by(Paper.id)
    ).all())


def publish_papers(conference: Conference, audience: str, visible_from: datetime | None = None) -> int:
    """Add every accepted paper not yet published to the documents; returns how many."""
    _check(audience)
    papers = unpublished_papers(conference)
    position = _next_position(conference)
    for offset, paper in enumerate(papers):
        speaker = ", ".join(p for p in (paper.speaker_name, paper.speaker_agency) if p)
        db.session.add(Handout(conference_id=conference.id, position=position + offset, paper_id=paper.id,
                               title=f"Tham luận: {paper.title or paper.topic}"[:500], description=speaker,
                               audience=audience, visible_from=visible_from))
    if papers:
        audit.record("handout.papers", f"Công bố {len(papers)} tham luận cho đại biểu", conference_id=conference.id,
                     audience=audience)
        db.session.commit()
    return len(papers)


def upload_handout(conference: Conference, file_storage, title: str, description: str, audience: str,
                   visible_from: datetime | None) -> Handout:
    """Keep an uploaded document (PDF, Word, PowerPoint: checked by its content) and publish it."""
    _check(audience)
    title = text.nfc(title)
    stored = uploads.save_upload(file_storage)
    try:
        handout = Handout(conference_id=conference.id, position=_next_position(conference),
                          title=(title or stored.original_name.rsplit(".", 1)[0])[:500],
                          description=text.nfc_block(description or ""), stored_name=stored.stored_name,
                          original_name=stored.original_name, content_type=stored.content_type,
                          size_bytes=stored.size_bytes, audience=audience, visible_from=visible_from)
        db.session.add(handout)
        db.session.flush()
        audit.record("handout.upload", f"Tải lên tài liệu «{handout.title}»", entity=handout,
                     conference_id=conference.id, audience=audience)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        uploads.discard(stored.stored_name)
        raise
    return handout


def update_handout(handout: Handout, title: str, audience: str, visible_from: datetime | None) -> None:
    """Change a document's title, who reads it and from when."""
    _check(audience)
    title = text.nfc(title)
    if not title:
        raise UserError("Vui lòng nhập tên tài liệu.", field="title")
    handout.title, handout.audience, handout.visible_from = title[:500], audience, visible_from
    audit.record("handout.update", f"Tài liệu «{handout.title}»: {Audience(audience).label}", entity=handout,
                 conference_id=handout.conference_id)
    db.session.commit()


def delete_handout(handout: Handout) -> None:
    """Take a document off (a paper stays a paper; an uploaded file is removed from disk)."""
    stored = handout.stored_name
    audit.record("handout.delete", f"Gỡ tài liệu «{handout.title}»", entity=handout,
                 conference_id=handout.conference_id)
    db.session.delete(handout)
    db.session.commit()
    if stored:
        uploads.discard(stored)


def move_handout(handout: Handout, direction: str) -> None:
    """Move a document one place up or down in the list delegates see."""
    siblings = list(db.session.scalars(sa.select(Handout).where(Handout.conference_id == handout.conference_id)
                                       .order_by(Handout.position, Handout.id)))
    index = siblings.index(handout)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
        db.session.commit()


def set_program_public(conference: Conference, public: bool) -> None:
    """Whether the published program is public (the conference's public page) or for delegates only."""
    hall = saved_hall(conference)
    hall.program_public = public
    audit.record("handout.program", f"Chương trình: {'công khai' if public else 'chỉ đại biểu'}",
                 conference_id=conference.id)
    db.session.commit()
