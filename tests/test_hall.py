"""The hall: the list of speakers (phone, secretary, projector, two at once), attendance beyond the door, the
conclusions and the tasks they assign, the notice of conclusions and its 5-working-day reminder."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventapp import vntime
from eventapp.errors import UserError
from eventapp.hall import attendance, conclusions, notice, speakers
from eventapp.models import (
    AgendaItem,
    Attendance,
    CheckIn,
    Conclusion,
    ConclusionNotice,
    Conference,
    Department,
    HostAgency,
    OutboxMessage,
    Speaker,
    SpeakerList,
    Task,
    Venue,
)

from .conftest import count_queries, login

NOW = datetime.now(UTC).replace(microsecond=0)


def local(y, m, d, hh=8, mm=0):
    return vntime.local_to_utc(datetime(y, m, d, hh, mm))


@pytest.fixture()
def host(db):
    agency = HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", parent_name="UBND tỉnh Quảng Ngãi",
                        abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. GIÁM ĐỐC",
                        signer_title="PHÓ GIÁM ĐỐC", signer_name="Phan Văn Hiếu", phone="02553822385")
    db.session.add(agency)
    db.session.commit()
    return agency


@pytest.fixture()
def conference(make_conference, make_venue, make_department):
    """A conference on today (the hall is in use), chaired, with a lead department and a discussion item."""
    venue = make_venue()
    lead = make_department("Phòng Quản lý KH&CN cơ sở", "QLKHCNCS")
    return make_conference(starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=3), venue_id=venue.id,
                           chair="Đồng chí Lê Quang Thịnh, Giám đốc Sở Khoa học và Công nghệ",
                           lead_department_id=lead.id, contact_name="Võ Thị Minh Thư",
                           contact_phone="0935482617", contact_email="qlkhcncs.skhcn@quangngai.gov.vn")


@pytest.fixture()
def item(db, conference):
    report = AgendaItem(conference_id=conference.id, position=1, kind="report", title="Báo cáo tổng kết",
                        duration_minutes=30)
    discussion = AgendaItem(conference_id=conference.id, position=2, kind="discussion", title="Thảo luận",
                            duration_minutes=40)
    db.session.add_all([report, discussion])
    db.session.commit()
    return discussion


def open_list(db, item):
    db.session.add(SpeakerList(conference_id=item.conference_id, agenda_item_id=item.id, is_open=True))
    db.session.commit()


def waiting(db, item) -> list[tuple[int, str]]:
    """(rank, name) of the waiting speakers of ``item``, as the projector orders them."""
    db.session.expire_all()
    fresh = db.session.get(AgendaItem, item.id)
    view = speakers.list_view(fresh, speakers.hall_of(db.session.get(Conference, fresh.conference_id)))
    return [(n, s.display_name) for n, s in enumerate(view.waiting, start=1)]


# --- the list of speakers: the delegate's phone -------------------------------------------------------

def test_a_delegate_registers_from_the_phone_with_a_topic_and_sees_their_place(db, client, conference, item,
                                                                               make_delegate):
    first, second = make_delegate(conference, "Trần Thị Lan"), make_delegate(conference, "Lê Văn Bình")
    open_list(db, item)
    page = client.get(f"/the/{first.pass_code}/phat-bieu")
    assert page.status_code == 200 and "Thảo luận" in page.get_data(as_text=True)
    response = client.post(f"/the/{first.pass_code}/phat-bieu",
                           data={"agenda_item_id": str(item.id), "topic": "  Kiến nghị  về giống sâm  "})
    assert response.status_code == 303
    client.post(f"/the/{second.pass_code}/phat-bieu", data={"agenda_item_id": str(item.id), "topic": ""})
    html = client.get(f"/the/{second.pass_code}/phat-bieu").get_data(as_text=True)
    assert "vị trí thứ <strong>2</strong>" in html
    speaker = db.session.scalar(sa.select(Speaker).where(Speaker.delegate_id == first.id))
    assert speaker.topic == "Kiến nghị về giống sâm" and speaker.position == 1 and speaker.added_by_id is None
    assert waiting(db, item) == [(1, "Trần Thị Lan"), (2, "Lê Văn Bình")]


def test_registering_twice_keeps_the_first_place(db, client, conference, item, make_delegate):
    delegate = make_delegate(conference)
    open_list(db, item)
    for _ in range(3):
        response = client.post(f"/the/{delegate.pass_code}/phat-bieu", data={"agenda_item_id": str(item.id)})
        assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Speaker)) == 1
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "đã có tên trong danh sách" in html


def test_a_closed_list_or_another_conference_refuses_a_registration(db, client, conference, item, make_delegate,
                                                                    make_conference):
    delegate = make_delegate(conference)
    response = client.post(f"/the/{delegate.pass_code}/phat-bieu", data={"agenda_item_id": str(item.id)})
    assert response.status_code == 303
    assert "chưa mở hoặc đã khóa" in client.get(response.headers["Location"]).get_data(as_text=True)
    other = make_conference(title="Hội thảo khác")
    stranger = make_delegate(other)
    open_list(db, item)
    response = client.post(f"/the/{stranger.pass_code}/phat-bieu", data={"agenda_item_id": str(item.id)})
    assert "chưa mở hoặc đã khóa" in client.get(response.headers["Location"]).get_data(as_text=True)
    too_long = client.post(f"/the/{delegate.pass_code}/phat-bieu",
                           data={"agenda_item_id": str(item.id), "topic": "x" * 301})
    assert too_long.status_code == 422 and "300" in too_long.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Speaker)) == 0


def test_a_delegate_withdraws_only_their_own_waiting_entry(db, client, conference, item, make_delegate):
    mine, theirs = make_delegate(conference), make_delegate(conference)
    open_list(db, item)
    mine_id = speakers.register(mine, item, "")[0].id
    theirs_id = speakers.register(theirs, item, "")[0].id
    refused = client.post(f"/the/{mine.pass_code}/phat-bieu/{theirs_id}/rut")
    assert refused.status_code == 303
    assert db.session.get(Speaker, theirs_id) is not None
    client.post(f"/the/{mine.pass_code}/phat-bieu/{mine_id}/rut")
    db.session.expire_all()
    assert db.session.get(Speaker, mine_id) is None
    assert [name for _, name in waiting(db, item)] == [theirs.full_name]


# --- the list of speakers: the secretary and the projector ----------------------------------------------

def test_the_secretary_orders_the_list_and_the_projector_shows_it(db, organizer_client, conference, item,
                                                                  make_delegate):
    people = [make_delegate(conference, name) for name in ("Trần Thị Lan", "Lê Văn Bình", "Phạm Thị Cúc")]
    open_list(db, item)
    entries = [speakers.register(d, item, f"Ý kiến {n}")[0] for n, d in enumerate(people, start=1)]
    base = f"/hoi-nghi/{conference.id}/phat-bieu"
    order = [entries[2].id, entries[0].id, entries[1].id]
    response = organizer_client.post(f"{base}/{item.id}/sap-xep", data={"order": order},
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert waiting(db, item) == [(1, "Phạm Thị Cúc"), (2, "Trần Thị Lan"), (3, "Lê Văn Bình")]
    organizer_client.post(f"{base}/{item.id}/chieu")
    stage = organizer_client.get(f"/hoi-nghi/{conference.id}/man-chieu", headers={"HX-Request": "true"})
    html = stage.get_data(as_text=True)
    assert "<html" not in html and html.index("Phạm Thị Cúc") < html.index("Trần Thị Lan") < html.index("Lê Văn Bình")

    organizer_client.post(f"{base}/nguoi/{entries[2].id}/bat-dau")
    html = organizer_client.get(f"/hoi-nghi/{conference.id}/man-chieu").get_data(as_text=True)
    assert "Đang phát biểu" in html and "data-ends-at" in html and "Ý kiến 3" in html
    organizer_client.post(f"{base}/nguoi/{entries[0].id}/bat-dau")  # the next one: the first ends
    db.session.expire_all()
    assert db.session.get(Speaker, entries[2].id).state == "done"
    assert db.session.get(Speaker, entries[0].id).state == "speaking"
    organizer_client.post(f"{base}/nguoi/{entries[0].id}/ket-thuc")
    organizer_client.post(f"{base}/nguoi/{entries[1].id}/da-phat-bieu")
    db.session.expire_all()
    assert {s.state for s in db.session.scalars(sa.select(Speaker))} == {"done"}


def test_a_stale_order_is_refused_and_changes_nothing(db, organizer_client, conference, item, make_delegate):
    open_list(db, item)
    entries = [speakers.register(make_delegate(conference), item, "")[0] for _ in range(3)]
    before = waiting(db, item)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/phat-bieu/{item.id}/sap-xep",
                                     data={"order": [entries[1].id, entries[0].id]}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "vừa thay đổi" in response.get_data(as_text=True)
    assert waiting(db, item) == before


def test_the_secretary_adds_a_guest_and_moves_people_without_javascript(db, organizer_client, conference, item,
                                                                        make_delegate):
    delegate = make_delegate(conference, "Trần Thị Lan")
    base = f"/hoi-nghi/{conference.id}/phat-bieu/{item.id}"
    assert organizer_client.post(f"{base}/them", data={"delegate_id": str(delegate.id), "topic": "Đề xuất"}
                                 ).status_code == 303
    assert organizer_client.post(f"{base}/them", data={"name": "Ông Nguyễn Khách", "agency_name": "Báo Quảng Ngãi"}
                                 ).status_code == 303
    again = organizer_client.post(f"{base}/them", data={"delegate_id": str(delegate.id)})
    assert again.status_code == 422 and "đã có tên" in again.get_data(as_text=True)
    nobody = organizer_client.post(f"{base}/them", data={})
    assert nobody.status_code == 422 and "Chọn đại biểu hoặc nhập họ và tên" in nobody.get_data(as_text=True)
    guest = db.session.scalar(sa.select(Speaker).where(Speaker.delegate_id.is_(None)))
    assert guest.display_agency == "Báo Quảng Ngãi" and guest.added_by_id is not None
    organizer_client.post(f"/hoi-nghi/{conference.id}/phat-bieu/nguoi/{guest.id}/chuyen", data={"direction": "up"})
    assert waiting(db, item) == [(1, "Ông Nguyễn Khách"), (2, "Trần Thị Lan")]
    organizer_client.post(f"/hoi-nghi/{conference.id}/phat-bieu/nguoi/{guest.id}/xoa")
    assert waiting(db, item) == [(1, "Trần Thị Lan")]


def test_the_database_keeps_places_unique_and_one_speaker_at_a_time(db, conference, item, make_delegate):
    open_list(db, item)
    speaker_list = db.session.scalar(sa.select(SpeakerList))
    a, b = make_delegate(conference), make_delegate(conference)
    db.session.add_all([Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=a.id, position=1),
                        Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=b.id, position=1)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add_all([
        Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=a.id, position=1, started_at=NOW),
        Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=b.id, position=2, started_at=NOW)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add_all([Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=a.id, position=1),
                        Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=a.id, position=2)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_delegates_registering_at_the_same_moment_keep_a_consistent_order(app, db, conference, item, make_delegate):
    """Eight delegates tap «Đăng ký» at the same instant, each twice (a double tap): every one is on the list
    once, in one order with no shared place, and nobody gets an error."""
    people = [make_delegate(conference, f"Đại biểu {n}") for n in range(8)]
    passes = [(d.pass_code, d.full_name) for d in people]
    ids = sorted(d.id for d in people)
    open_list(db, item)
    item_id = str(item.id)
    start = threading.Barrier(len(people))
    answers, errors = [], []

    def phone(pass_code, name):
        client = app.test_client()
        try:
            start.wait()
            for _ in range(2):
                response = client.post(f"/the/{pass_code}/phat-bieu", data={"agenda_item_id": item_id, "topic": name})
                answers.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=phone, args=p) for p in passes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert answers == [303] * 16
    db.session.expire_all()
    rows = db.session.execute(sa.select(Speaker.delegate_id, Speaker.position).order_by(Speaker.position)).all()
    assert sorted(d for d, _ in rows) == ids
    assert len({p for _, p in rows}) == 8
    assert [rank for rank, _ in waiting(db, item)] == list(range(1, 9))


def test_registrations_while_the_secretary_reorders_stay_consistent(app, db, conference, item, make_delegate):
    """The secretary drags the list while delegates keep registering: no place is ever shared, nobody is lost
    (a reorder that missed a newcomer is refused and made again)."""
    open_list(db, item)
    first = [speakers.register(make_delegate(conference), item, "")[0].id for _ in range(3)]
    newcomers = [make_delegate(conference).pass_code for _ in range(6)]
    item_id = item.id
    errors = []

    def register(pass_code):
        try:
            response = app.test_client().post(f"/the/{pass_code}/phat-bieu", data={"agenda_item_id": str(item_id)})
            assert response.status_code == 303
        except BaseException as exc:
            errors.append(exc)

    def secretary():
        try:
            from eventapp.extensions import db as _db

            with app.app_context():
                for _ in range(6):
                    fresh = _db.session.get(AgendaItem, item_id)
                    try:
                        ids = [s.id for s in _db.session.scalars(sa.select(Speaker).where(
                            Speaker.started_at.is_(None)).order_by(Speaker.position))]
                        speakers.reorder(fresh, list(reversed(ids)))
                    except UserError:
                        _db.session.rollback()
                _db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(d,)) for d in newcomers] + [threading.Thread(target=secretary)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    db.session.expire_all()
    rows = db.session.execute(sa.select(Speaker.id, Speaker.position)).all()
    assert len(rows) == 9 and len({p for _, p in rows}) == 9
    assert set(first) <= {i for i, _ in rows}


def test_the_secretary_page_and_its_refresh_take_a_fixed_number_of_queries(db, organizer_client, conference, item,
                                                                           make_delegate):
    open_list(db, item)
    url = f"/hoi-nghi/{conference.id}/phat-bieu?muc={item.id}"
    for _ in range(3):
        speakers.register(make_delegate(conference), item, "")
    organizer_client.get(url, headers={"HX-Request": "true"})
    with count_queries() as few:
        organizer_client.get(url, headers={"HX-Request": "true"})
    for _ in range(20):
        speakers.register(make_delegate(conference), item, "")
    organizer_client.get(url, headers={"HX-Request": "true"})
    with count_queries() as many:
        assert organizer_client.get(url, headers={"HX-Request": "true"}).status_code == 200
    assert many() == few()


# --- attendance -------------------------------------------------------------------------------------

def check_in(db, delegate, at):
    db.session.add(CheckIn(conference_id=delegate.conference_id, delegate_id=delegate.id, checked_in_at=at,
                           recorded_at=at))
    db.session.commit()


def statuses(conference, day=None):
    day = day or vntime.to_local(conference.starts_at).date()
    return {line.full_name: line.status for line in attendance.lines(conference, day)}


def test_the_doors_check_ins_feed_attendance_and_later_marks_win(db, organizer_client, conference, make_delegate):
    came, excused, late = (make_delegate(conference, n) for n in ("Trần Thị Lan", "Lê Văn Bình", "Phạm Thị Cúc"))
    check_in(db, came, NOW - timedelta(minutes=50))
    today = vntime.to_local(conference.starts_at).date()
    url = f"/hoi-nghi/{conference.id}/diem-danh"
    response = organizer_client.post(url, data={"day": today.isoformat(), "delegate_ids": [excused.id, late.id],
                                                "status": "excused", "reason": "Đi công tác"})
    assert response.status_code == 303
    assert statuses(conference) == {"Trần Thị Lan": "in_person", "Lê Văn Bình": "excused", "Phạm Thị Cúc": "excused"}
    check_in(db, late, datetime.now(UTC) + timedelta(seconds=1))  # marked absent, then arrived: the door wins
    assert statuses(conference)["Phạm Thị Cúc"] == "in_person"
    organizer_client.post(url, data={"day": today.isoformat(), "delegate_ids": [came.id], "status": "online"})
    # no link yet: refused, nothing saved
    assert statuses(conference)["Trần Thị Lan"] == "in_person"
    organizer_client.post(f"{url}/truc-tuyen", data={"online_url": "https://hop.quangngai.gov.vn/phong/1"})
    organizer_client.post(url, data={"day": today.isoformat(), "delegate_ids": [came.id], "status": "online"})
    assert statuses(conference)["Trần Thị Lan"] == "online"  # marked after the check-in
    organizer_client.post(url, data={"day": today.isoformat(), "delegate_ids": [came.id], "status": "clear"})
    assert statuses(conference)["Trần Thị Lan"] == "in_person"
    counts = attendance.counts(conference, today)
    assert counts.by_status == {"in_person": 2, "online": 0, "excused": 1, "represented": 0}
    assert counts.from_door == 2 and counts.unmarked == 0


def test_bad_marks_are_refused_with_a_message_and_nothing_saved(db, organizer_client, conference, make_delegate,
                                                                make_conference):
    a, b = make_delegate(conference), make_delegate(conference)
    stranger = make_delegate(make_conference(title="Hội thảo khác"))
    today = vntime.to_local(conference.starts_at).date().isoformat()
    url = f"/hoi-nghi/{conference.id}/diem-danh"
    cases = [
        ({"delegate_ids": [a.id], "status": "excused"}, "lý do"),
        ({"delegate_ids": [a.id, b.id], "status": "represented", "substitute_name": "Ông Hòa"}, "từng đại biểu"),
        ({"delegate_ids": [a.id], "status": "represented"}, "người dự thay"),
        ({"delegate_ids": [a.id], "status": ""}, "Chọn trạng thái"),
        ({"delegate_ids": [], "status": "in_person"}, "ít nhất một"),
        ({"delegate_ids": [a.id, stranger.id], "status": "in_person"}, "không thuộc danh sách"),
    ]
    for data, message in cases:
        response = organizer_client.post(url, data={"day": today, **data}, headers={"HX-Request": "true"})
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_online_delegates_get_the_meeting_link_once(db, organizer_client, conference, make_delegate):
    with_mail = make_delegate(conference, email="lan@example.vn")
    without = make_delegate(conference)
    today = vntime.to_local(conference.starts_at).date().isoformat()
    url = f"/hoi-nghi/{conference.id}/diem-danh"
    organizer_client.post(f"{url}/truc-tuyen", data={"online_url": "https://hop.quangngai.gov.vn/phong/1"})
    bad = organizer_client.post(f"{url}/truc-tuyen", data={"online_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "https://" in bad.get_data(as_text=True)
    response = organizer_client.post(url, data={"day": today, "delegate_ids": [with_mail.id, without.id],
                                                "status": "online"})
    flash = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi đường dẫn họp trực tuyến cho 1 đại biểu" in flash and "1 đại biểu chưa có email" in flash
    organizer_client.post(url, data={"day": today, "delegate_ids": [with_mail.id], "status": "online"})
    organizer_client.post(f"{url}/gui-duong-dan", data={"day": today})
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "online_link")).all()
    assert len(mails) == 1 and mails[0].to_addr == "lan@example.vn"
    assert "https://hop.quangngai.gov.vn/phong/1" in mails[0].body_text


def test_attendance_is_per_day_on_a_conference_of_several_days(db, organizer_client, make_conference, make_delegate):
    conference = make_conference(starts_at=local(2026, 12, 15, 7, 30), ends_at=local(2026, 12, 16, 11, 30))
    delegate = make_delegate(conference, "Trần Thị Lan")
    check_in(db, delegate, local(2026, 12, 15, 7, 20))
    assert attendance.conference_days(conference) == [date(2026, 12, 15), date(2026, 12, 16)]
    assert statuses(conference, date(2026, 12, 15)) == {"Trần Thị Lan": "in_person"}
    assert statuses(conference, date(2026, 12, 16)) == {"Trần Thị Lan": None}
    organizer_client.post(f"/hoi-nghi/{conference.id}/diem-danh",
                          data={"day": "2026-12-16", "delegate_ids": [delegate.id], "status": "represented",
                                "substitute_name": "Nguyễn Văn Hòa, chuyên viên"})
    assert statuses(conference, date(2026, 12, 16)) == {"Trần Thị Lan": "represented"}
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/diem-danh?ngay=2026-12-16").get_data(as_text=True)
    assert "Nguyễn Văn Hòa, chuyên viên" in page and "Thứ Tư, 16/12/2026" in page
    report = organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao").get_data(as_text=True)
    assert "Điểm danh tại hội trường" in report and "16/12/2026" in report


def test_the_attendance_page_takes_a_fixed_number_of_queries(db, organizer_client, conference, make_delegate):
    url = f"/hoi-nghi/{conference.id}/diem-danh"
    make_delegate(conference)
    organizer_client.get(url)
    with count_queries() as few:
        organizer_client.get(url)
    for _ in range(30):
        check_in(db, make_delegate(conference), NOW)
    organizer_client.get(url)
    with count_queries() as many:
        organizer_client.get(url)
    assert many() == few()


# --- conclusions, their tasks, the department board ------------------------------------------------------

def test_a_conclusion_that_assigns_work_becomes_the_departments_task_on_their_board(
        app, db, organizer_client, conference, item, make_department, make_user):
    lead = db.session.get(Department, conference.lead_department_id)
    coordinating = make_department("Phòng Kế hoạch - Tài chính", "KHTC")
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/ket-luan/them", data={
        "agenda_item_id": str(item.id), "content": "Hoàn chỉnh báo cáo tổng kết, trình UBND tỉnh.",
        "lead_department_id": str(lead.id), "coordinating_ids": [str(coordinating.id)], "deadline": "30/06/2027"})
    assert response.status_code == 303
    conclusion = db.session.scalar(sa.select(Conclusion))
    task = conclusion.task
    assert task.lead_department_id == lead.id and [d.id for d in task.coordinating_departments] == [coordinating.id]
    assert task.due_date == date(2027, 6, 30) and task.status == "todo"
    for department in (lead, coordinating):
        staff = login(app.test_client(), make_user("department", department_id=department.id))
        board = staff.get("/phong-ban/nhiem-vu").get_data(as_text=True)
        assert "Hoàn chỉnh báo cáo tổng kết, trình UBND tỉnh." in board
    # the reminder to issue the notice is the lead department's task too
    reminder = db.session.scalar(sa.select(ConclusionNotice)).task
    assert reminder.lead_department_id == lead.id and reminder.title.startswith("Ban hành Thông báo kết luận")


def test_conclusions_refuse_half_an_assignment(db, organizer_client, conference, item, make_department):
    other = make_department()
    url = f"/hoi-nghi/{conference.id}/ket-luan/them"
    for data, message in [
        ({"content": "Giao việc", "lead_department_id": str(conference.lead_department_id)}, "thời hạn"),
        ({"content": "Giao việc", "deadline": "30/06/2027"}, "đơn vị chủ trì"),
        ({"content": "Giao việc", "coordinating_ids": [str(other.id)]}, "đơn vị chủ trì"),
        ({"content": "", "lead_department_id": "0"}, "nội dung kết luận"),
        ({"content": "Giao việc", "agenda_item_id": "999999"}, "không hợp lệ"),
    ]:
        response = organizer_client.post(url, data=data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conclusion)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_editing_a_conclusion_changes_or_removes_its_task_unless_begun(db, organizer_client, conference, item):
    lead_id = conference.lead_department_id
    conclusion = conclusions.add_conclusion(conference, {
        "agenda_item_id": item.id, "content": "Nhân rộng mô hình.", "lead_department_id": lead_id,
        "coordinating_ids": [], "deadline": date(2027, 3, 1)})
    url = f"/hoi-nghi/{conference.id}/ket-luan/{conclusion.id}/sua"
    assert "Nhân rộng mô hình." in organizer_client.get(url).get_data(as_text=True)
    organizer_client.post(url, data={"agenda_item_id": str(item.id), "content": "Nhân rộng mô hình hiệu quả.",
                                     "lead_department_id": str(lead_id), "deadline": "15/03/2027"})
    task = db.session.get(Conclusion, conclusion.id).task
    assert task.title == "Nhân rộng mô hình hiệu quả." and task.due_date == date(2027, 3, 15)
    task.status = "in_progress"
    db.session.commit()
    refused = organizer_client.post(url, data={"agenda_item_id": str(item.id), "content": "Không giao việc nữa."})
    assert refused.status_code == 422 and "đã được triển khai" in refused.get_data(as_text=True)
    assert db.session.get(Conclusion, conclusion.id).content == "Nhân rộng mô hình hiệu quả."
    task.status = "todo"
    db.session.commit()
    task_id = task.id
    organizer_client.post(url, data={"agenda_item_id": "0", "content": "Không giao việc nữa."})
    db.session.expire_all()
    assert db.session.get(Conclusion, conclusion.id).task is None
    assert db.session.get(Task, task_id) is None


# --- the notice and its 5-working-day reminder ----------------------------------------------------------

@pytest.mark.parametrize("meeting,deadline", [
    (date(2021, 4, 28), date(2021, 5, 7)),   # 30/4, 1/5 and the compensatory Monday 3/5 are days off
    (date(2026, 2, 13), date(2026, 2, 27)),  # Tết Bính Ngọ: 16-20/02/2026
    (date(2026, 8, 28), date(2026, 9, 9)),   # National Day: 31/08-02/09/2026
    (date(2026, 12, 15), date(2026, 12, 22)),
])
def test_the_notice_is_due_five_working_days_after_the_meeting(db, make_conference, meeting, deadline):
    conference = make_conference(starts_at=local(meeting.year, meeting.month, meeting.day, 7, 30),
                                 ends_at=local(meeting.year, meeting.month, meeting.day, 11, 30))
    assert conclusions.notice_deadline(conference) == deadline


def test_the_reminder_shows_until_the_notice_is_issued(db, organizer_client, make_conference, make_department, host):
    lead = make_department()
    conference = make_conference(starts_at=local(2021, 4, 28, 7, 30), ends_at=local(2021, 4, 28, 11, 30),
                                 lead_department_id=lead.id)
    conclusions.add_conclusion(conference, {"content": "Tổng kết tốt.", "lead_department_id": 0})
    state = conclusions.notice_state(conference, today=date(2021, 5, 4))
    assert not state.overdue and state.working_days_left == 4  # 4, 5, 6 and 7 May
    assert conclusions.notice_state(conference, today=date(2021, 5, 10)).overdue
    reminder = conclusions.notice_of(conference).task
    assert reminder.due_date == date(2021, 5, 7) and reminder.status == "todo"
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/ket-luan").get_data(as_text=True)
    assert "Quá hạn ban hành Thông báo kết luận" in page and "07/05/2021" in page

    url = f"/hoi-nghi/{conference.id}/ket-luan/thong-bao"
    refused = organizer_client.post(f"{url}/ban-hanh")
    assert "Nhập số của thông báo" in organizer_client.get(refused.headers["Location"]).get_data(as_text=True)
    before = organizer_client.post(url, data={"number_symbol": "62/TB-SKHCN", "issued_on": "27/04/2021"})
    assert before.status_code == 422 and "trước ngày hội nghị" in before.get_data(as_text=True)
    organizer_client.post(url, data={"number_symbol": "62/TB-SKHCN", "issued_on": "06/05/2021",
                                     "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
                                     "signer_name": "Phan Văn Hiếu", "recipients": "- Như trên;\nLưu: VT, QLKH."})
    assert organizer_client.post(f"{url}/ban-hanh").status_code == 303
    db.session.expire_all()
    issued = conclusions.notice_of(conference)
    assert issued.issued_at is not None and issued.task.status == "done"
    assert "Đã ban hành Thông báo kết luận số 62/TB-SKHCN ngày 06/05/2021" in organizer_client.get(
        f"/hoi-nghi/{conference.id}/ket-luan").get_data(as_text=True)


def _notice_for(db, conference, item, make_department):
    lead = db.session.get(Department, conference.lead_department_id)
    helper = make_department("Phòng Kế hoạch - Tài chính", "KHTC")
    conclusions.add_conclusion(conference, {"content": "Hội nghị đánh giá cao kết quả thực hiện Chương trình.",
                                            "lead_department_id": 0})
    conclusions.add_conclusion(conference, {
        "agenda_item_id": item.id, "content": "Hoàn chỉnh báo cáo tổng kết, trình UBND tỉnh.",
        "lead_department_id": lead.id, "coordinating_ids": [helper.id], "deadline": date(2027, 6, 30)})
    return lead, helper


def test_the_notice_docx_is_in_decree_30_form(db, host, conference, item, make_department):
    from docx import Document

    lead, helper = _notice_for(db, conference, item, make_department)
    data = notice.notice_docx(notice.build_notice(conference))
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert section.different_first_page_header_footer
    assert 'instr="PAGE"' in section.header._element.xml
    header = document.tables[0]
    assert [round(c.width.mm) for c in header.columns] == [70, 95]
    assert [round(c.width.mm) for c in header.rows[0].cells] == [70, 95]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "THÔNG BÁO" in body
    assert "Kết luận của đồng chí Lê Quang Thịnh, Giám đốc Sở Khoa học và Công nghệ tại Hội nghị tổng kết" in body
    assert (f"Giao {lead.name} chủ trì, phối hợp với {helper.name} thực hiện; hoàn thành trước ngày 30/06/2027."
            in body)
    cells = "\n".join(c.text for t in document.tables for c in t._cells)
    assert "Số:\u2003\u2003/TB-SKHCN" in cells and "Quảng Ngãi, ngày\u2003\u2003tháng" in cells
    where = next(r for t in document.tables for c in t._cells for p in c.paragraphs for r in p.runs
                 if r.text == "Nơi nhận:")
    assert where.bold and where.italic
    assert f"- {lead.name};" in cells and "- Lưu: VT, QLKHCNCS." in cells and "Phan Văn Hiếu" in cells


def test_the_notice_pdf_carries_the_clerks_number_and_date(db, host, organizer_client, conference, item,
                                                           make_department):
    from pypdf import PdfReader

    _notice_for(db, conference, item, make_department)
    organizer_client.post(f"/hoi-nghi/{conference.id}/ket-luan/thong-bao",
                          data={"number_symbol": "15/TB-SKHCN", "issued_on": vntime.format_date(NOW),
                                "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
                                "signer_name": "Phan Văn Hiếu"})
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/ket-luan/thong-bao.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    content = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Số: 15/TB-SKHCN" in content
    assert vntime.long_date("Quảng Ngãi", NOW) in content
    assert "Hoàn chỉnh báo cáo tổng kết, trình UBND tỉnh." in content and "hoàn thành trước ngày 30/06/2027" in content
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert all("LiberationSerif" in f for f in fonts) and len(fonts) >= 3
    docx = organizer_client.get(f"/hoi-nghi/{conference.id}/ket-luan/thong-bao.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


# --- the demo ------------------------------------------------------------------------------------------

def test_the_demo_has_a_hall_to_try(db):
    from eventapp.demo import data
    from eventapp.demo.loader import load_demo
    from eventapp.models import Handout

    load_demo(password="matkhau-demo-1")
    counted = [db.session.scalar(sa.select(sa.func.count()).select_from(m))
               for m in (Speaker, Attendance, Conclusion, Handout, ConclusionNotice)]
    load_demo(password="matkhau-demo-1")
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Speaker, Attendance, Conclusion, Handout, ConclusionNotice)] == counted

    def conference(symbol, title=None):
        return db.session.scalar(sa.select(Conference).where(Conference.number_symbol == symbol)
                                 if title is None else sa.select(Conference).where(Conference.title == title))

    coming = conference("312/KH-SKHCN")
    hall = speakers.hall_of(coming)
    view = speakers.list_view(speakers.projected_item(coming, hall), hall)
    assert view.is_open and len(view.waiting) == 3 and view.current is None
    past = conference("254/KH-SKHCN")
    issued = conclusions.notice_state(past)
    assert issued.issued and issued.notice.issued_on <= issued.deadline == date(2021, 4, 13)
    giao_ban = conference(None, data.CONFERENCE[data.BG2020]["title"])
    assert conclusions.notice_state(giao_ban).overdue
    counts = attendance.counts(giao_ban, date(2020, 7, 28))
    assert counts.by_status["online"] == 3 and counts.by_status["in_person"] > 30


def test_a_venue_less_conference_still_makes_a_notice(db, host, make_conference):
    conference = make_conference(chair="")
    conclusions.add_conclusion(conference, {"content": "Giao các phòng thực hiện.", "lead_department_id": 0})
    document = notice.build_notice(conference)
    assert document.summary.startswith("Kết luận Hội nghị") and "tại Hội trường" not in document.opening[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 0
