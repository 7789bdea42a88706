"""The demo's hall: who spoke, who was online or excused, what the chair concluded and the notice of it, the
documents delegates read. Made together with each demo conference (by eventapp.demo.loader), so loading the
demo twice adds nothing.

- 254/KH-SKHCN (Quảng Ngãi, 06/04/2021, over): five delegates spoke in the discussion; three were excused, one
  sent someone in their place, two followed online; six conclusions, their tasks done, the notice issued on
  09/04/2021 (within 5 working days); the accepted papers and the program public.
- 312/KH-SKHCN (Quảng Ngãi, 15/12/2026, coming): the discussion's list is open and on the projector, three
  delegates have registered from their phones; the accepted papers are for delegates from 08/12/2026.
- The Bắc Giang giao ban (28/07/2020, over): hybrid, three districts online; four conclusions recorded, the
  notice drafted but not issued, so its reminder is late on the lead department's board.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import vntime
from ..extensions import db
from ..issuer import letterhead_for
from ..models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    CheckIn,
    Conclusion,
    ConclusionNotice,
    Conference,
    Delegate,
    Department,
    Hall,
    Handout,
    Paper,
    PaperStatus,
    Speaker,
    SpeakerList,
    Task,
    User,
)
from . import data

ONLINE_URL = "https://hop.quangngai.gov.vn/phong/skhcn-hoi-nghi"

#: (speaker's agency as in the invitation list, topic): who spoke in the discussion of 06/04/2021.
SPOKEN_2021 = [
    ("UBND huyện Sơn Tây", "Đề nghị tiếp tục hỗ trợ giống sâm Ngọc Linh cho các hộ đồng bào Ca Dong"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Lồng ghép Chương trình với Chương trình mục tiêu quốc gia xây dựng nông thôn mới"),
    ("UBND huyện Trà Bồng", "Kinh nghiệm duy trì mô hình quế hữu cơ sau khi dự án kết thúc"),
    ("Hợp tác xã", "Khó khăn về tiêu thụ sản phẩm của mô hình, đề xuất liên kết với doanh nghiệp"),
    ("Sở Tài chính", "Cơ chế bố trí vốn đối ứng của địa phương giai đoạn 2021 - 2025"),
]

#: (agenda item kind or None for the meeting as a whole, content, lead, coordinating, days after the meeting)
CONCLUSIONS = {
    data.QN2021: [
        (None, "Hội nghị đánh giá cao kết quả thực hiện Chương trình giai đoạn 2016 - 2020: 27 nhiệm vụ được "
               "triển khai tại 14 huyện, nhiều mô hình được nhân rộng, góp phần nâng cao thu nhập cho người dân "
               "vùng nông thôn, miền núi.", None, [], None),
        (AgendaKind.REPORT, "Hoàn chỉnh Báo cáo tổng kết Chương trình giai đoạn 2016 - 2020 trên cơ sở tiếp thu ý "
                            "kiến của đại biểu, trình UBND tỉnh.", "QLKHCNCS", ["QLKH", "KHTC"], 14),
        (AgendaKind.DISCUSSION, "Xây dựng Chương trình giai đoạn 2021 - 2025 theo hướng tập trung vào các sản phẩm "
                                "chủ lực, sản phẩm OCOP của vùng miền núi, ưu tiên các mô hình có doanh nghiệp "
                                "tham gia tiêu thụ.", "QLKHCNCS", ["QLCN", "QLKH"], 45),
        (AgendaKind.DISCUSSION, "Phối hợp với Sở Nông nghiệp và Phát triển nông thôn đề xuất lồng ghép nguồn vốn "
                                "của Chương trình với các chương trình mục tiêu quốc gia.", "KHTC", ["QLKHCNCS"], 30),
        (AgendaKind.DISCUSSION, "Hướng dẫn UBND các huyện xây dựng kế hoạch nhân rộng các mô hình hiệu quả sau "
                                "khi kết thúc dự án.", "QLKHCNCS", ["TTUDDV"], 60),
        (AgendaKind.FILM, "Hoàn thiện phim tư liệu, đăng tải trên Cổng thông tin điện tử của Sở để tuyên truyền "
                          "kết quả Chương trình.", "TTUDDV", ["VP"], 20),
    ],
    data.BG2020: [
        (None, "6 tháng đầu năm 2020, dù chịu ảnh hưởng của dịch COVID-19, hoạt động KH&CN của các huyện, thành "
               "phố được duy trì; công tác phối hợp giữa Sở và UBND các huyện tiếp tục được tăng cường.",
         None, [], None),
        (AgendaKind.REPORT, "Đôn đốc UBND các huyện, thành phố gửi đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh năm "
                            "2021 đúng thời hạn.", "QLKHCNCS", ["QLKH"], 20),
        (AgendaKind.DISCUSSION, "Hướng dẫn các huyện kiện toàn Hội đồng KH&CN cấp huyện và bố trí cán bộ theo dõi "
                                "hoạt động KH&CN.", "QLKHCNCS", ["VP"], 30),
        (AgendaKind.DISCUSSION, "Tổng hợp kiến nghị về kinh phí sự nghiệp KH&CN cấp huyện, báo cáo Giám đốc Sở.",
         "KHTC", ["QLKHCNCS"], 15),
    ],
}

#: (agency, topic) of the delegates registered to speak at the coming session.
REGISTERED_2026 = [
    ("Sở Nông nghiệp và Môi trường", "Nhân rộng mô hình liên kết chuỗi sau khi sắp xếp đơn vị hành chính cấp xã"),
    ("Công ty TNHH Quế Trà Bồng Xanh", "Doanh nghiệp đề nghị hỗ trợ chứng nhận hữu cơ cho vùng quế"),
    ("Trường Đại học Phạm Văn Đồng", ""),
]


def _utc(local: datetime) -> datetime:
    return vntime.local_to_utc(local)


def _delegates(conference: Conference) -> list[Delegate]:
    return list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference.id,
                                                             Delegate.status == "attending").order_by(Delegate.id)))


def _first_of(delegates: list[Delegate], agency_part: str, taken: set[int]) -> Delegate | None:
    found = next((d for d in delegates if agency_part in d.agency_name and d.id not in taken), None)
    if found is not None:
        taken.add(found.id)
    return found


def _item(conference: Conference, kind: str) -> AgendaItem | None:
    return db.session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference.id,
                                                         AgendaItem.kind == kind).order_by(AgendaItem.position))


def _speakers(conference: Conference, item: AgendaItem, people: list[tuple[Delegate, str]], *, start: datetime | None,
              is_open: bool) -> None:
    """A list of speakers: with ``start``, everyone spoke from then on, 7 minutes each; else all wait."""
    speaker_list = SpeakerList(conference_id=conference.id, agenda_item_id=item.id, is_open=is_open)
    db.session.add(speaker_list)
    db.session.flush()
    for position, (delegate, topic) in enumerate(people, start=1):
        begun = start + timedelta(minutes=7 * (position - 1)) if start else None
        db.session.add(Speaker(
            conference_id=conference.id, list_id=speaker_list.id, delegate_id=delegate.id, topic=topic,
            position=position, requested_at=(begun or conference.starts_at) - timedelta(minutes=40 - position),
            started_at=begun, ended_at=begun + timedelta(minutes=6) if begun else None))


def _attendance(conference: Conference, delegates: list[Delegate], marks: list[tuple[str, str, str]],
                marked_by: User | None, online_url: str = "") -> None:
    """Marks of the hall for delegates who did not come through the door: (status, reason, substitute)."""
    checked_in = set(db.session.scalars(sa.select(CheckIn.delegate_id).where(CheckIn.conference_id == conference.id)))
    absent = [d for d in delegates if d.id not in checked_in and d.kind != "walk_in"]
    day = vntime.to_local(conference.starts_at).date()
    moment = conference.starts_at + timedelta(minutes=45)
    for delegate, (status, reason, substitute) in zip(absent, marks, strict=False):
        db.session.add(Attendance(conference_id=conference.id, delegate_id=delegate.id, day=day, status=status,
                                  reason=reason, substitute_name=substitute, marked_at=moment,
                                  marked_by_id=marked_by.id if marked_by else None,
                                  link_sent_at=moment - timedelta(hours=16) if status == "online" else None))
    db.session.add(Hall(conference_id=conference.id, online_url=online_url, speaking_minutes=7,
                        program_public=conference.agenda_published_at is not None))


def _task(conference: Conference, title: str, description: str, lead: Department, coordinating: list[Department],
          due: date, done_on: date | None, position: int) -> Task:
    task = Task(conference_id=conference.id, title=title[:500], description=description, lead_department=lead,
                due_date=due, status="done" if done_on else "todo", position=position,
                completed_at=_utc(datetime.combine(done_on, datetime.min.time().replace(hour=16))) if done_on else None,
                created_at=conference.ends_at + timedelta(hours=3))
    task.coordinating_departments = coordinating
    db.session.add(task)
    return task


def _conclusions(conference: Conference, key: str, departments: dict[str, Department], *, done: bool,
                 issued: tuple[str, date] | None, host_signer: dict) -> None:
    """The chair's conclusions, their tasks, and the notice (issued, or only drafted)."""
    last_day = vntime.to_local(conference.ends_at).date()
    position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Task.position), 0))
                                 .where(Task.conference_id == conference.id))
    for number, (kind, content, lead, coordinating, days) in enumerate(CONCLUSIONS[key], start=1):
        item = _item(conference, kind) if kind else None
        conclusion = Conclusion(conference_id=conference.id, agenda_item=item, position=number, content=content,
                                created_at=conference.ends_at + timedelta(hours=2))
        if lead:
            position += 1
            due = last_day + timedelta(days=days)
            conclusion.task = _task(conference, content, f"{content}\n\n(Theo kết luận tại {conference.title})",
                                    departments[lead], [departments[c] for c in coordinating], due,
                                    due - timedelta(days=3) if done else None, position)
        db.session.add(conclusion)
    deadline = vntime.add_working_days(last_day, 5)
    lead = conference.lead_department
    reminder = _task(conference, f"Ban hành Thông báo kết luận {conference.title}",
                     "Quyết định 45/2018/QĐ-TTg: thông báo kết luận ban hành trong 5 ngày làm việc sau hội nghị.",
                     lead, [], deadline, issued[1] if issued else None, position + 1)
    notice = ConclusionNotice(conference_id=conference.id, task=reminder, recipients="", **host_signer)
    if issued:
        notice.number_symbol, notice.issued_on = issued
        notice.issued_at = _utc(datetime.combine(issued[1], datetime.min.time().replace(hour=15)))
    else:
        notice.number_symbol = f"/TB-{letterhead_for(conference).issuer.abbreviation}"
    db.session.add(notice)


def _handouts(conference: Conference, audience: str, visible_from: datetime | None) -> None:
    papers = db.session.scalars(sa.select(Paper).where(Paper.conference_id == conference.id,
                                                       Paper.status == PaperStatus.ACCEPTED.value).order_by(Paper.id))
    for position, paper in enumerate(papers, start=1):
        db.session.add(Handout(conference_id=conference.id, position=position, paper_id=paper.id,
                               title=f"Tham luận: {paper.title or paper.topic}"[:500],
                               description=", ".join(p for p in (paper.speaker_name, paper.speaker_agency) if p),
                               audience=audience, visible_from=visible_from))


def load_hall(conference: Conference, key: str, departments: dict[str, Department], users: dict[str, User]) -> int:
    """The hall of one demo conference, just created; returns how many rows were added."""
    secretary = users.get("qlkhcncs")
    letterhead = letterhead_for(conference)  # the Bắc Giang giao ban is signed by its own Sở's director
    signer = {"signer_authority": letterhead.signer_authority, "signer_title": letterhead.signer_title,
              "signer_name": letterhead.signer_name}
    delegates = _delegates(conference)
    taken: set[int] = set()
    db.session.flush()
    if key == data.QN2021:
        discussion = _item(conference, AgendaKind.DISCUSSION)
        people = [(d, topic) for agency, topic in SPOKEN_2021 if (d := _first_of(delegates, agency, taken))]
        begun = conference.starts_at + timedelta(hours=2, minutes=35)
        _speakers(conference, discussion, people, start=begun, is_open=False)
        _attendance(conference, delegates, [
            ("excused", "Đi công tác tại Hà Nội", ""), ("excused", "Ốm", ""),
            ("excused", "Dự họp HĐND huyện cùng ngày", ""),
            ("represented", "", "Nguyễn Văn Hòa, Phó Trưởng phòng Nông nghiệp và PTNT huyện"),
            ("online", "", ""), ("online", "", "")], secretary, ONLINE_URL)
        _conclusions(conference, key, departments, done=True, issued=("62/TB-SKHCN", date(2021, 4, 9)),
                     host_signer=signer)
        _handouts(conference, "public", None)
    elif key == data.QN2026:
        discussion = _item(conference, AgendaKind.DISCUSSION)
        people = [(d, topic) for agency, topic in REGISTERED_2026 if (d := _first_of(delegates, agency, taken))]
        _speakers(conference, discussion, people, start=None, is_open=True)
        db.session.add(Hall(conference_id=conference.id, online_url="", speaking_minutes=5,
                            projected_item_id=discussion.id))
        _handouts(conference, "delegates", _utc(datetime(2026, 12, 8, 7, 0)))
    elif key == data.BG2020:
        _attendance(conference, delegates, [
            ("online", "", ""), ("online", "", ""), ("online", "", ""),
            ("excused", "Tiếp đoàn công tác của tỉnh", "")], secretary,
            "https://vhop.bacgiang.gov.vn/skhcn/giao-ban")
        _conclusions(conference, key, departments, done=True, issued=None, host_signer=signer)
    db.session.flush()
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(t).where(t.conference_id == conference.id))
               for t in (Speaker, Attendance, Conclusion, Handout))
