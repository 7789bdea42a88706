"""The list of speakers of each agenda item (đăng ký phát biểu), after OpenSlides' list of speakers.

A delegate registers from their phone with a topic line while the item's list is open; the secretary opens
and closes lists, adds people (a delegate, or a guest by name), orders the waiting list, starts and ends each
speech or marks someone as having spoken; the projector shows the current speaker, the next ones and a
countdown.

Order is kept by the database: positions are unique within a list, a delegate waits at most once on a list,
and a list has at most one current speaker (unique indexes). Two registrations at the same moment race for
the same position; the list's row is locked first (FOR UPDATE on PostgreSQL; SQLite takes one writer at a
time), and a write that still loses a race ends in an IntegrityError and is tried again, so both land, one
after the other.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from .. import audit, text
from ..errors import UserError
from ..extensions import db
from ..models import (
    AgendaItem,
    AgendaKind,
    Conference,
    Delegate,
    DelegateStatus,
    Hall,
    Speaker,
    SpeakerList,
    utcnow,
)

MAX_ATTEMPTS = 12
#: How many of the next speakers the projector shows.
NEXT_SHOWN = 5
TOPIC_MAX = 300

Result = TypeVar("Result")


def _retrying(write: Callable[[], Result]) -> Result:
    """Run ``write`` (which commits) again when it lost a race to another writer of the same list."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return write()
        except IntegrityError:
            db.session.rollback()
        except OperationalError as exc:  # SQLite: the write lock was not free in time
            db.session.rollback()
            if "locked" not in str(exc.orig).lower():
                raise
        time.sleep(random.uniform(0.002, 0.02) * (attempt + 1))
    raise UserError("Đang có nhiều người cùng đăng ký; vui lòng bấm gửi lại.")


# --- the hall's settings ---------------------------------------------------------------------------

def hall_of(conference: Conference) -> Hall:
    """The hall settings of a conference; defaults (not saved) until the secretary changes one."""
    hall = db.session.scalar(sa.select(Hall).where(Hall.conference_id == conference.id))
    return hall or Hall(conference_id=conference.id, online_url="", speaking_minutes=5, program_public=False)


def saved_hall(conference: Conference) -> Hall:
    """The hall settings row of a conference, added to the session when there was none."""
    hall = hall_of(conference)
    if hall.id is None:
        db.session.add(hall)
    return hall


def set_speaking_minutes(conference: Conference, minutes: int) -> None:
    """Change the speaking time each speaker gets (the projector's countdown)."""
    if not 1 <= minutes <= 60:
        raise UserError("Thời gian phát biểu từ 1 đến 60 phút.", field="speaking_minutes")
    hall = saved_hall(conference)
    hall.speaking_minutes = minutes
    audit.record("hall.speaking_minutes", f"Thời gian mỗi lượt phát biểu: {minutes} phút",
                 conference_id=conference.id, minutes=minutes)
    db.session.commit()


def project_item(conference: Conference, item: AgendaItem) -> None:
    """Show ``item``'s list of speakers on the projector."""
    hall = saved_hall(conference)
    hall.projected_item_id = item.id
    db.session.commit()


# --- reading the lists --------------------------------------------------------------------------

@dataclass
class ItemRow:
    """An agenda item with its list's figures, for the list of items."""

    item: AgendaItem
    is_open: bool
    waiting: int
    done: int
    speaking: bool


def item_rows(conference: Conference) -> list[ItemRow]:
    """Every agenda item with whether its list is open and how many wait and have spoken (one query)."""
    waiting = sa.func.count(Speaker.id).filter(Speaker.started_at.is_(None))
    done = sa.func.count(Speaker.id).filter(Speaker.ended_at.is_not(None))
    speaking = sa.func.count(Speaker.id).filter(Speaker.started_at.is_not(None), Speaker.ended_at.is_(None))
    rows = db.session.execute(
        sa.select(AgendaItem, SpeakerList.is_open, waiting, done, speaking)
        .outerjoin(SpeakerList, SpeakerList.agenda_item_id == AgendaItem.id)
        .outerjoin(Speaker, Speaker.list_id == SpeakerList.id)
        .where(AgendaItem.conference_id == conference.id)
        .group_by(AgendaItem.id, SpeakerList.is_open)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    return [ItemRow(item, bool(is_open), w, d, bool(s)) for item, is_open, w, d, s in rows]


@dataclass
class ListView:
    """One item's list as the secretary and the projector see it."""

    item: AgendaItem
    speaker_list: SpeakerList | None
    current: Speaker | None
    waiting: list[Speaker]
    done: list[Speaker]
    speaking_minutes: int

    @property
    def is_open(self) -> bool:
        return self.speaker_list is not None and self.speaker_list.is_open

    @property
    def next_speakers(self) -> list[Speaker]:
        return self.waiting[:NEXT_SHOWN]

    @property
    def ends_at(self) -> datetime | None:
        """When the current speaker's time is up."""
        if self.current is None or self.current.started_at is None:
            return None
        return self.current.started_at + timedelta(minutes=self.speaking_minutes)


def list_view(item: AgendaItem, hall: Hall) -> ListView:
    """The list of ``item``: the current speaker, those waiting (in order) and those who have spoken."""
    speaker_list = db.session.scalar(sa.select(SpeakerList).where(SpeakerList.agenda_item_id == item.id))
    speakers = [] if speaker_list is None else db.session.scalars(
        sa.select(Speaker).where(Speaker.list_id == speaker_list.id)
        .options(joinedload(Speaker.delegate)).order_by(Speaker.position)
    ).all()
    current = next((s for s in speakers if s.state == "speaking"), None)
    waiting = [s for s in speakers if s.state == "waiting"]
    done = sorted((s for s in speakers if s.state == "done"), key=lambda s: (s.started_at, s.position))
    return ListView(item, speaker_list, current, waiting, done, hall.speaking_minutes)


def projected_item(conference: Conference, hall: Hall) -> AgendaItem | None:
    """The item the projector shows: the one the secretary chose, else the one with a current speaker,
    else the first open list."""
    if hall.projected_item_id is not None:
        return db.session.get(AgendaItem, hall.projected_item_id)
    rows = item_rows(conference)
    chosen = next((r for r in rows if r.speaking), None) or next((r for r in rows if r.is_open), None)
    return chosen.item if chosen else None


def default_item(conference: Conference, rows: list[ItemRow]) -> AgendaItem | None:
    """The item the secretary's page opens on: one being spoken on, else an open list, else a discussion."""
    for test in (lambda r: r.speaking, lambda r: r.is_open, lambda r: r.item.kind == AgendaKind.DISCUSSION):
        row = next((r for r in rows if test(r)), None)
        if row is not None:
            return row.item
    return rows[0].item if rows else None


# --- the delegate's side -----------------------------------------------------------------------------

@dataclass
class DelegateItem:
    """An open list as a delegate sees it: where they stand on it, if they registered."""

    item: AgendaItem
    entry: Speaker | None
    rank: int | None
    waiting: int


def lists_for_delegate(delegate: Delegate) -> list[DelegateItem]:
    """The open lists of the delegate's conference, and the delegate's place on each."""
    lists = db.session.scalars(
        sa.select(SpeakerList).join(SpeakerList.agenda_item)
        .where(SpeakerList.conference_id == delegate.conference_id, SpeakerList.is_open.is_(True))
        .options(joinedload(SpeakerList.agenda_item)).order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    own = {s.list_id: s for s in db.session.scalars(
        sa.select(Speaker).where(Speaker.delegate_id == delegate.id, Speaker.ended_at.is_(None)))}
    waiting = dict(db.session.execute(
        sa.select(Speaker.list_id, sa.func.count()).where(Speaker.conference_id == delegate.conference_id,
                                                          Speaker.started_at.is_(None))
        .group_by(Speaker.list_id)).all())
    result = []
    for speaker_list in lists:
        entry = own.get(speaker_list.id)
        result.append(DelegateItem(speaker_list.agenda_item, entry, rank_of(entry) if entry else None,
                                   waiting.get(speaker_list.id, 0)))
    return result


def rank_of(speaker: Speaker) -> int | None:
    """A waiting speaker's place in the queue (1 = next); None once they have started."""
    if speaker.started_at is not None:
        return None
    return 1 + db.session.scalar(
        sa.select(sa.func.count()).select_from(Speaker)
        .where(Speaker.list_id == speaker.list_id, Speaker.started_at.is_(None), Speaker.position < speaker.position))


def _locked_list(list_id: int) -> SpeakerList:
    """The list's row, locked until commit (PostgreSQL; SQLite has one writer at a time)."""
    return db.session.scalar(
        sa.select(SpeakerList).where(SpeakerList.id == list_id).with_for_update().execution_options(
            populate_existing=True))


def _next_position(list_id: int) -> int:
    return 1 + db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Speaker.position), 0)).where(Speaker.list_id == list_id))


def _clean_topic(topic: str) -> str:
    topic = text.nfc(topic or "")
    if len(topic) > TOPIC_MAX:
        raise UserError(f"Nội dung đăng ký phát biểu tối đa {TOPIC_MAX} ký tự.", field="topic")
    return topic


def register(delegate: Delegate, item: AgendaItem, topic: str) -> tuple[Speaker, bool]:
    """A delegate registers to speak on ``item`` from their phone; (their entry, whether it is new).

    Registering again while waiting keeps the first place (a double tap, a second tab) and changes nothing.
    """
    topic = _clean_topic(topic)
    if delegate.status != DelegateStatus.ATTENDING or delegate.erased_at is not None:
        raise UserError("Thẻ đại biểu này không còn hiệu lực.")
    speaker_list = db.session.scalar(sa.select(SpeakerList).where(SpeakerList.agenda_item_id == item.id))
    if speaker_list is None or not speaker_list.is_open or item.conference_id != delegate.conference_id:
        raise UserError("Mục này chưa mở hoặc đã khóa đăng ký phát biểu.")
    list_id = speaker_list.id

    def write() -> tuple[Speaker, bool]:
        locked = _locked_list(list_id)
        if not locked.is_open:
            raise UserError("Thư ký vừa khóa đăng ký phát biểu ở mục này.")
        existing = db.session.scalar(sa.select(Speaker).where(
            Speaker.list_id == list_id, Speaker.delegate_id == delegate.id, Speaker.ended_at.is_(None)))
        if existing is not None:
            return existing, False
        speaker = Speaker(conference_id=delegate.conference_id, list_id=list_id, delegate_id=delegate.id,
                          topic=topic, position=_next_position(list_id), requested_at=utcnow())
        db.session.add(speaker)
        db.session.flush()
        audit.record("speaker.register", f"{delegate.full_name} đăng ký phát biểu: {item.title[:200]}",
                     entity=speaker, conference_id=delegate.conference_id, actor=f"Đại biểu {delegate.full_name}",
                     topic=topic)
        db.session.commit()
        return speaker, True

    return _retrying(write)


def withdraw(delegate: Delegate, speaker: Speaker) -> None:
    """A delegate takes their name off a list they are still waiting on."""
    if speaker.delegate_id != delegate.id:
        raise UserError("Không tìm thấy đăng ký phát biểu này.")
    if speaker.started_at is not None:
        raise UserError("Anh/chị đã được mời phát biểu; không rút tên được nữa.")
    audit.record("speaker.withdraw", f"{delegate.full_name} rút đăng ký phát biểu", entity=speaker,
                 actor=f"Đại biểu {delegate.full_name}")
    db.session.delete(speaker)
    db.session.commit()


# --- the secretary's side ------------------------------------------------------------------------------

def _list_for_update(item: AgendaItem) -> SpeakerList:
    """The item's list, made (open) when it has none yet."""
    speaker_list = db.session.scalar(sa.select(SpeakerList).where(SpeakerList.agenda_item_id == item.id))
    if speaker_list is None:
        speaker_list = SpeakerList(conference_id=item.conference_id, agenda_item_id=item.id, is_open=True)
        db.session.add(speaker_list)
        db.session.flush()
    return speaker_list


def set_open(item: AgendaItem, is_open: bool) -> None:
    """Open or close the item's list to registrations from delegates' phones."""

    def write() -> None:
        speaker_list = _list_for_update(item)
        speaker_list.is_open = is_open
        audit.record("speaker.list_open" if is_open else "speaker.list_close",
                     f"{'Mở' if is_open else 'Khóa'} đăng ký phát biểu: {item.title[:200]}",
                     entity=speaker_list, conference_id=item.conference_id)
        db.session.commit()

    _retrying(write)


def add_speaker(item: AgendaItem, *, delegate: Delegate | None = None, name: str = "", agency_name: str = "",
                topic: str = "", user=None) -> Speaker:
    """The secretary puts someone on the item's list, at its end: a delegate, or a guest by name."""
    topic = _clean_topic(topic)
    name, agency_name = text.nfc(name or ""), text.nfc(agency_name or "")
    if delegate is None and not name:
        raise UserError("Chọn đại biểu hoặc nhập họ và tên người phát biểu.", field="name")
    if delegate is not None and (delegate.conference_id != item.conference_id
                                 or delegate.status != DelegateStatus.ATTENDING):
        raise UserError("Đại biểu không có trong danh sách tham dự hội nghị này.", field="delegate_id")

    def write() -> Speaker:
        speaker_list = _list_for_update(item)
        _locked_list(speaker_list.id)
        if delegate is not None and db.session.scalar(sa.select(Speaker.id).where(
                Speaker.list_id == speaker_list.id, Speaker.delegate_id == delegate.id, Speaker.ended_at.is_(None))):
            raise UserError(f"{delegate.full_name} đã có tên trong danh sách phát biểu của mục này.",
                            field="delegate_id")
        speaker = Speaker(conference_id=item.conference_id, list_id=speaker_list.id,
                          delegate_id=delegate.id if delegate else None, name="" if delegate else name[:120],
                          agency_name="" if delegate else agency_name[:300], topic=topic,
                          position=_next_position(speaker_list.id), added_by_id=getattr(user, "id", None))
        db.session.add(speaker)
        db.session.flush()
        audit.record("speaker.add", f"Thêm {speaker.display_name} vào danh sách phát biểu: {item.title[:200]}",
                     entity=speaker, conference_id=item.conference_id, topic=topic)
        db.session.commit()
        return speaker

    return _retrying(write)


def reorder(item: AgendaItem, order: list[int]) -> None:
    """Put the waiting speakers in the secretary's ``order`` (their ids). The new places are numbered after
    every place taken on the list, so no two entries share one even for an instant."""

    def write() -> None:
        speaker_list = _list_for_update(item)
        _locked_list(speaker_list.id)
        waiting = {s.id: s for s in db.session.scalars(sa.select(Speaker).where(
            Speaker.list_id == speaker_list.id, Speaker.started_at.is_(None)))}
        if sorted(order) != sorted(waiting):
            raise UserError("Danh sách vừa thay đổi (có người đăng ký hoặc rút tên); đã tải lại, "
                            "vui lòng sắp xếp lại.")
        start = _next_position(speaker_list.id)
        for offset, speaker_id in enumerate(order):
            waiting[speaker_id].position = start + offset
        audit.record("speaker.reorder", f"Sắp xếp danh sách phát biểu: {item.title[:200]}",
                     entity=speaker_list, conference_id=item.conference_id, order=order)
        db.session.commit()

    _retrying(write)


def move(speaker: Speaker, direction: str) -> None:
    """Move a waiting speaker one place up or down (the page without JavaScript)."""
    item = speaker.speaker_list.agenda_item
    ids = [s.id for s in db.session.scalars(sa.select(Speaker).where(
        Speaker.list_id == speaker.list_id, Speaker.started_at.is_(None)).order_by(Speaker.position))]
    if speaker.id not in ids:
        raise UserError("Chỉ sắp xếp được người đang chờ phát biểu.")
    index = ids.index(speaker.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        reorder(item, ids)


def start(speaker: Speaker, now: datetime | None = None) -> None:
    """Give the floor to ``speaker``; whoever is speaking on the list ends now."""
    speaker_id, list_id = speaker.id, speaker.list_id

    def write() -> None:
        moment = now or utcnow()
        _locked_list(list_id)
        chosen = db.session.get(Speaker, speaker_id, populate_existing=True)
        if chosen is None or chosen.started_at is not None:
            raise UserError("Người này đã phát biểu hoặc không còn trong danh sách.")
        current = db.session.scalar(sa.select(Speaker).where(
            Speaker.list_id == list_id, Speaker.started_at.is_not(None), Speaker.ended_at.is_(None)))
        if current is not None:
            current.ended_at = max(moment, current.started_at)
            db.session.flush()
        chosen.started_at = moment
        audit.record("speaker.start", f"Mời {chosen.display_name} phát biểu", entity=chosen,
                     conference_id=chosen.conference_id)
        db.session.commit()

    _retrying(write)


def finish(speaker: Speaker, now: datetime | None = None) -> None:
    """End the current speaker's turn."""
    if speaker.state != "speaking":
        raise UserError("Người này không đang phát biểu.")
    speaker.ended_at = max(now or utcnow(), speaker.started_at)
    audit.record("speaker.finish", f"{speaker.display_name} kết thúc phát biểu", entity=speaker,
                 conference_id=speaker.conference_id)
    db.session.commit()


def mark_spoken(speaker: Speaker, now: datetime | None = None) -> None:
    """Record that a waiting speaker has spoken (when the floor was given without the system)."""
    if speaker.state != "waiting":
        raise UserError("Người này đã phát biểu hoặc đang phát biểu.")
    moment = now or utcnow()
    speaker.started_at = speaker.ended_at = moment
    audit.record("speaker.spoken", f"Ghi nhận {speaker.display_name} đã phát biểu", entity=speaker,
                 conference_id=speaker.conference_id)
    db.session.commit()


def remove(speaker: Speaker) -> None:
    """Take an entry off the list (a registration made by mistake)."""
    audit.record("speaker.remove", f"Xóa {speaker.display_name} khỏi danh sách phát biểu", entity=speaker,
                 conference_id=speaker.conference_id)
    db.session.delete(speaker)
    db.session.commit()


def attending_delegates(conference: Conference) -> list[Delegate]:
    """The delegates the secretary can put on a list, leaders first."""
    return db.session.scalars(
        sa.select(Delegate).where(Delegate.conference_id == conference.id,
                                  Delegate.status == DelegateStatus.ATTENDING.value, Delegate.erased_at.is_(None))
        .order_by(Delegate.precedence, Delegate.full_name, Delegate.id)
    ).all()
