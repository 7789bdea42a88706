"""The agenda: computed times, warnings, reordering (htmx and the no-JS fallback), publishing, printing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp.agenda import services
from eventapp.errors import UserError
from eventapp.models import AgendaItem, AuditEntry
from eventapp.vntime import local_to_utc


@pytest.fixture()
def conference(make_conference):
    start = local_to_utc(datetime(2030, 4, 2, 7, 30))
    return make_conference(starts_at=start, ends_at=start + timedelta(hours=4), chair="Giám đốc Sở")


def add(db, conference, kind, title, minutes, position, **fields):
    item = AgendaItem(conference_id=conference.id, kind=kind, title=title, duration_minutes=minutes,
                      position=position, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def url(conference, suffix=""):
    return f"/hoi-nghi/{conference.id}/chuong-trinh{suffix}"


def times(conference):
    return [(r.item.title, r.start.strftime("%H:%M"), r.end.strftime("%H:%M"))
            for r in services.compute(conference).rows]


def order(db, conference):
    db.session.expire_all()
    return [i.title for i in services.items_of(conference.id)]


def test_times_follow_start_and_order(db, conference):
    add(db, conference, "opening", "Khai mạc", 10, 0)
    add(db, conference, "report", "Báo cáo tổng kết", 30, 1)
    add(db, conference, "break", "Giải lao", 15, 2)
    assert times(conference) == [("Khai mạc", "07:30", "07:40"), ("Báo cáo tổng kết", "07:40", "08:10"),
                                 ("Giải lao", "08:10", "08:25")]
    assert services.compute(conference).warnings == []


def test_warning_when_running_past_the_end(db, conference):
    add(db, conference, "report", "Báo cáo", 200, 0)
    add(db, conference, "discussion", "Thảo luận", 60, 1)
    agenda = services.compute(conference)
    assert any("quá giờ kết thúc hội nghị (11:30) 20 phút" in w for w in agenda.warnings)
    assert agenda.rows[1].warnings == ["Quá giờ kết thúc hội nghị."] and agenda.rows[0].warnings == []


def test_warning_when_the_presenter_is_not_attending(db, conference, make_paper, make_delegate):
    attending = make_delegate(conference, "Nguyễn Văn An")
    linked = make_paper(conference, status="accepted", delegate_id=attending.id)
    by_name = make_paper(conference, status="accepted", speaker_name="Trần Thị Bình")
    make_delegate(conference, "Trần Thị Bình")
    absent = make_paper(conference, status="accepted", speaker_name="Lê Văn Vắng")
    cancelled = make_delegate(conference, "Phạm Hủy", status="cancelled")
    gone = make_paper(conference, status="accepted", speaker_name="Phạm Hủy", delegate_id=cancelled.id)
    for n, paper in enumerate((linked, by_name, absent, gone)):
        add(db, conference, "paper", paper.speaker_name, 10, n, paper_id=paper.id)
    agenda = services.compute(conference)
    flagged = [r.item.title for r in agenda.rows if r.warnings]
    assert flagged == ["Lê Văn Vắng", "Phạm Hủy"]
    assert "Lê Văn Vắng chưa có trong danh sách đại biểu tham dự." in agenda.rows[2].warnings
    assert any("2 người trình bày" in w for w in agenda.warnings)


def test_warning_when_a_scheduled_paper_is_no_longer_accepted(db, conference, make_paper, make_delegate):
    make_delegate(conference, "Nguyễn Văn An")
    paper = make_paper(conference, status="withdrawn")
    add(db, conference, "paper", "Bài đã rút", 10, 0, paper_id=paper.id)
    assert "chưa được duyệt" in services.compute(conference).rows[0].warnings[0]


def test_add_items_through_the_form(db, conference, organizer_client):
    response = organizer_client.post(url(conference, "/them"), data={
        "kind": "opening", "title": "", "presenter": "", "duration_minutes": "10"})
    assert response.status_code == 303
    item = db.session.scalar(sa.select(AgendaItem))
    assert item.title == "Tuyên bố lý do, giới thiệu đại biểu" and item.position == 0
    response = organizer_client.post(url(conference, "/them"), data={
        "kind": "report", "title": "Báo cáo tổng kết", "presenter": "Lãnh đạo Sở", "duration_minutes": "30"})
    assert response.status_code == 303
    assert order(db, conference) == ["Tuyên bố lý do, giới thiệu đại biểu", "Báo cáo tổng kết"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "agenda.add")) == 2
    body = organizer_client.get(url(conference)).get_data(as_text=True)
    assert "07:30" in body and "07:40" in body and "08:10" in body


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "report", "title": "X", "duration_minutes": "0"}, "Thời lượng phải từ 1 đến 720 phút."),
    ({"kind": "report", "title": "X", "duration_minutes": "ba mươi"}, "Vui lòng nhập một số nguyên."),
    ({"kind": "report", "title": "", "duration_minutes": "10"}, "Vui lòng nhập nội dung"),
    ({"kind": "paper", "title": "X", "duration_minutes": "10"}, "Vui lòng chọn tham luận đã được duyệt."),
    ({"kind": "khong-co", "title": "X", "duration_minutes": "10"}, "Lựa chọn không hợp lệ"),
    ({"kind": "paper", "paper_id": "999", "duration_minutes": "10"}, "Lựa chọn không hợp lệ"),
])
def test_bad_items_get_vietnamese_messages(db, conference, organizer_client, data, message):
    response = organizer_client.post(url(conference, "/them"), data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 0


def test_paper_item_needs_an_accepted_paper(db, conference, organizer_client, make_paper):
    submitted = make_paper(conference, status="submitted")
    with pytest.raises(UserError, match="đã được duyệt"):
        services.save_item(conference, {"kind": "paper", "paper_id": submitted.id, "duration_minutes": 10})
    accepted = make_paper(conference, status="accepted", title="Chuyển đổi số", speaker_position="Giám đốc",
                          speaker_agency="Sở Nông nghiệp")
    response = organizer_client.post(url(conference, "/them"), data={
        "kind": "paper", "paper_id": str(accepted.id), "duration_minutes": "15"})
    assert response.status_code == 303
    item = db.session.scalar(sa.select(AgendaItem))
    assert item.title == "Chuyển đổi số" and item.presenter == "Nguyễn Văn An, Giám đốc, Sở Nông nghiệp"
    assert organizer_client.post(url(conference, "/them"), data={
        "kind": "paper", "paper_id": str(accepted.id), "duration_minutes": "15"}).status_code == 422


def test_add_accepted_paper_goes_before_discussion_and_conclusion(db, conference, organizer_client, make_paper):
    add(db, conference, "opening", "Khai mạc", 10, 0)
    add(db, conference, "discussion", "Thảo luận", 30, 1)
    add(db, conference, "conclusion", "Kết luận", 15, 2)
    paper = make_paper(conference, status="accepted", title="Bài mới")
    page = organizer_client.get(url(conference)).get_data(as_text=True)
    assert "Tham luận đã duyệt chưa xếp" in page and "Bài mới" in page
    assert organizer_client.post(url(conference, f"/tham-luan/{paper.id}")).status_code == 303
    assert order(db, conference) == ["Khai mạc", "Bài mới", "Thảo luận", "Kết luận"]
    assert "Tham luận đã duyệt chưa xếp" not in organizer_client.get(url(conference)).get_data(as_text=True)


def test_move_without_javascript(db, conference, organizer_client):
    add(db, conference, "opening", "Khai mạc", 10, 0)
    second = add(db, conference, "report", "Báo cáo", 30, 1)
    add(db, conference, "break", "Giải lao", 15, 2)
    response = organizer_client.post(url(conference, f"/{second.id}/di-chuyen"), data={"direction": "up"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#agenda-block")
    assert order(db, conference) == ["Báo cáo", "Khai mạc", "Giải lao"]
    assert times(conference)[1] == ("Khai mạc", "08:00", "08:10")
    organizer_client.post(url(conference, f"/{second.id}/di-chuyen"), data={"direction": "up"})
    assert order(db, conference) == ["Báo cáo", "Khai mạc", "Giải lao"]
    assert organizer_client.post(url(conference, f"/{second.id}/di-chuyen"), data={"direction": "x"}).status_code == 400


def test_move_with_htmx_returns_the_recomputed_fragment(db, conference, organizer_client):
    first = add(db, conference, "opening", "Khai mạc", 10, 0)
    add(db, conference, "report", "Báo cáo", 30, 1)
    response = organizer_client.post(url(conference, f"/{first.id}/di-chuyen"), data={"direction": "down"},
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="agenda-block"' in fragment
    assert fragment.index("Báo cáo") < fragment.index("Khai mạc")
    assert "08:00" in fragment


def test_reorder_by_drag_and_drop(db, conference, organizer_client):
    a = add(db, conference, "opening", "A", 10, 0)
    b = add(db, conference, "report", "B", 20, 1)
    c = add(db, conference, "break", "C", 30, 2)
    response = organizer_client.post(url(conference, "/sap-xep"), data={"order": [str(c.id), str(a.id), str(b.id)]},
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert order(db, conference) == ["C", "A", "B"]
    assert times(conference) == [("C", "07:30", "08:00"), ("A", "08:00", "08:10"), ("B", "08:10", "08:30")]
    stale = organizer_client.post(url(conference, "/sap-xep"), data={"order": [str(a.id), str(b.id)]},
                                  headers={"HX-Request": "true"})
    assert "vừa được người khác thay đổi" in stale.get_data(as_text=True)
    assert order(db, conference) == ["C", "A", "B"]
    bad = organizer_client.post(url(conference, "/sap-xep"), data={"order": ["abc"]})
    assert bad.status_code == 303
    assert order(db, conference) == ["C", "A", "B"]


def test_edit_and_delete(db, conference, organizer_client):
    a = add(db, conference, "opening", "Khai mạc", 10, 0)
    b = add(db, conference, "report", "Báo cáo", 30, 1)
    assert organizer_client.get(url(conference, f"/{b.id}/sua")).status_code == 200
    response = organizer_client.post(url(conference, f"/{b.id}/sua"), data={
        "kind": "report", "title": "Báo cáo kết quả 5 năm", "presenter": "Phó Giám đốc Sở", "duration_minutes": "45"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(AgendaItem, b.id).duration_minutes == 45
    assert organizer_client.post(url(conference, f"/{a.id}/xoa")).status_code == 303
    assert order(db, conference) == ["Báo cáo kết quả 5 năm"]
    assert times(conference)[0][1] == "07:30"


def test_publish_and_agenda_for_delegates(db, conference, organizer_client):
    assert services.agenda_for_delegates(conference) == []
    body = organizer_client.post(url(conference, "/cong-bo"), data={"publish": "1"}, follow_redirects=True)
    assert "chưa có nội dung" in body.get_data(as_text=True)
    add(db, conference, "opening", "Khai mạc", 10, 0)
    add(db, conference, "film", "Phim tư liệu", 15, 1, presenter="Ban tổ chức")
    assert services.agenda_for_delegates(conference) == []
    organizer_client.post(url(conference, "/cong-bo"), data={"publish": "1"})
    db.session.expire_all()
    rows = services.agenda_for_delegates(conference)
    assert [(r["start"].strftime("%H:%M"), r["end"].strftime("%H:%M"), r["title"], r["presenter"], r["kind_label"])
            for r in rows] == [("07:30", "07:40", "Khai mạc", "", "Khai mạc, giới thiệu đại biểu"),
                               ("07:40", "07:55", "Phim tư liệu", "Ban tổ chức", "Phim tư liệu")]
    organizer_client.post(url(conference, "/cong-bo"), data={"publish": "0"})
    db.session.expire_all()
    assert services.agenda_for_delegates(conference) == []


def test_printable_programme(db, conference, organizer_client):
    from eventapp.models import HostAgency

    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi"))
    db.session.commit()
    add(db, conference, "opening", "Khai mạc", 10, 0)
    body = organizer_client.get(url(conference, "/in")).get_data(as_text=True)
    assert "UBND TỈNH QUẢNG NGÃI" in body and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "Quảng Ngãi, ngày" in body and "CHƯƠNG TRÌNH" in body and "07:30 – 07:40" in body
    assert "Kế hoạch số 254/KH-SKHCN" in body and "agenda-print.css" in body


@pytest.mark.parametrize("role", ["reception", "department"])
def test_only_organizers(db, conference, login_as, role):
    item = add(db, conference, "opening", "Khai mạc", 10, 0)
    staff = login_as(role)
    assert staff.get(url(conference)).status_code == 403
    assert staff.get(url(conference, "/in")).status_code == 403
    assert staff.post(url(conference, f"/{item.id}/di-chuyen"), data={"direction": "up"}).status_code == 403


def test_items_of_another_conference_are_not_found(db, conference, make_conference, organizer_client):
    other = make_conference()
    item = add(db, other, "opening", "Khai mạc", 10, 0)
    assert organizer_client.get(url(conference, f"/{item.id}/sua")).status_code == 404
    assert organizer_client.post(url(conference, f"/{item.id}/xoa")).status_code == 404
    _ = datetime.now(UTC)


def test_the_printed_programme_reads_as_a_clerk_writes_it(db, conference, organizer_client):
    """"Tham luận:" once, the presenter's agency named once, the reception slot, "Thứ Ba" as everywhere, the
    conference's own letterhead, and the plan's signing day rather than the day it is printed."""
    from datetime import date

    from eventapp.issuer import save_issued_document
    from eventapp.models import Paper

    conference.issuer_name, conference.issuer_parent_name = "Sở Khoa học và Công nghệ tỉnh Bắc Giang", "UBND tỉnh Bắc Giang"
    conference.place_name, conference.reception_minutes = "Bắc Giang", 30
    paper = Paper(conference_id=conference.id, speaker_name="Đinh Văn Thành", speaker_position="Phó Chủ tịch UBND huyện",
                  speaker_agency="UBND huyện Ba Tơ", topic="Cây dược liệu", title="Tham luận: Cây dược liệu", status="accepted",
                  deadline=conference.starts_at)
    db.session.add(paper)
    db.session.commit()
    assert services.presenter_of(paper) == "Đinh Văn Thành, Phó Chủ tịch UBND huyện Ba Tơ"
    services.add_paper(conference, paper.id)
    add(db, conference, "paper", "Chuyển giao công nghệ nuôi cấy mô", 12, 5, presenter="Trần Ngọc Sơn, Phó Hiệu trưởng")
    body = " ".join(organizer_client.get(url(conference, "/in")).get_data(as_text=True).split())
    assert "Tham luận: Tham luận" not in body
    assert "<td>Tham luận: Cây dược liệu</td>" in body and "<td>Tham luận: Chuyển giao công nghệ nuôi cấy mô</td>" in body
    assert "Đinh Văn Thành, Phó Chủ tịch UBND huyện Ba Tơ</td>" in body
    assert "07:00 – 07:30</td> <td>Đón tiếp đại biểu, phát tài liệu</td>" in body
    assert "07:30, Thứ Ba, ngày 02/04/2030" in body
    assert "UBND TỈNH BẮC GIANG" in body and "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẮC GIANG" in body
    assert "Bắc Giang, ngày tháng năm" in body  # blanks for the clerk
    save_issued_document(conference, "ke_hoach", "254", date(2030, 3, 16))
    body = organizer_client.get(url(conference, "/in")).get_data(as_text=True)
    assert "Bắc Giang, ngày 16 tháng 3 năm 2030" in body


def test_a_reception_slot_outside_its_range_is_refused(organizer_client, db):
    from tests.test_issuer import PLAN

    response = organizer_client.post("/hoi-nghi/moi", data=PLAN | {"reception_minutes": "300"})
    assert response.status_code == 422 and "từ 1 đến 240 phút" in response.get_data(as_text=True)
