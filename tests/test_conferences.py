"""The conference list, the plan form and the overview page."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventapp.models import AuditEntry, BudgetLine, Conference, Invitation, InvitationStatus, Task

from .conftest import count_queries

VALID = {
    "kind": "tong_ket",
    "title": "Hội nghị tổng kết Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ KH&CN",
    "number_symbol": "254/KH-SKHCN",
    "purpose": "Tổng kết và đánh giá kết quả triển khai thực hiện Chương trình.",
    "content": "Đánh giá kết quả; định hướng giai đoạn 2021 - 2025.",
    "chair": "Đồng chí Giám đốc Sở",
    "preparation": "Chuẩn bị ý kiến thảo luận.",
    "start_date": "06/04/2027",
    "start_time": "07:30",
    "end_date": "06/04/2027",
    "end_time": "11:30",
    "venue_id": "0",
    "expected_attendance": "150",
    "rsvp_date": "02/04/2027",
    "rsvp_time": "",
    "lead_department_id": "0",
    "approved_budget": "54.000.000",
    "funding_source": "Ngân sách được giao cho Sở KH&CN năm 2027",
    "contact_name": "Nguyễn Thị Hoa",
    "contact_phone": "0912 345 678",
    "contact_email": "Hoa.NT@QuangNgai.gov.vn",
}


def test_create_conference_with_vietnamese_text(organizer_client, db):
    response = organizer_client.post("/hoi-nghi/moi", data=VALID)
    assert response.status_code == 303
    conference = db.session.scalar(sa.select(Conference))
    assert conference.title == VALID["title"]
    assert conference.approved_budget == 54_000_000
    assert conference.contact_phone == "0912345678"
    assert conference.contact_email == "hoa.nt@quangngai.gov.vn"
    # 07:30 in Hanoi is 00:30 UTC
    assert conference.starts_at == datetime(2027, 4, 6, 0, 30, tzinfo=UTC)
    assert conference.rsvp_deadline == datetime(2027, 4, 2, 10, 0, tzinfo=UTC)
    assert db.session.scalar(sa.select(AuditEntry.action)) == "conference.create"
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "54.000.000 đ" in page and "06/04/2027" in page and "Thứ Ba" in page


def test_empty_title_and_end_before_start_are_shown_next_to_fields(organizer_client, db):
    data = VALID | {"title": "   ", "end_time": "07:00"}
    response = organizer_client.post("/hoi-nghi/moi", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vui lòng nhập tên hội nghị." in page
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in page
    assert VALID["purpose"] in page  # what the user typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0


def test_numbers_in_the_wrong_format_get_vietnamese_messages(organizer_client, db):
    data = VALID | {"approved_budget": "năm mươi tư triệu", "expected_attendance": "một trăm",
                    "start_date": "31/02/2027", "contact_phone": "12345"}
    response = organizer_client.post("/hoi-nghi/moi", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Số tiền không hợp lệ" in page
    assert "Vui lòng nhập một số nguyên." in page
    assert "Số điện thoại không hợp lệ" in page
    assert "ngày" in page.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0


def test_budget_in_millions_is_understood(organizer_client, db):
    response = organizer_client.post("/hoi-nghi/moi", data=VALID | {"approved_budget": "54 triệu"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Conference.approved_budget)) == 54_000_000


def test_unknown_conference_is_a_friendly_404(organizer_client):
    for url in ("/hoi-nghi/999999", "/hoi-nghi/999999/sua"):
        response = organizer_client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy" in response.get_data(as_text=True)


def test_edit_keeps_values_and_moves_relative_deadlines(organizer_client, db, make_conference, make_department):
    conference = make_conference(starts_at=datetime(2027, 4, 6, 0, 30, tzinfo=UTC))
    department = make_department()
    db.session.add(Task(conference_id=conference.id, title="Gửi giấy mời", lead_department_id=department.id,
                        due_offset_days=-7, due_date=datetime(2027, 3, 30).date()))
    db.session.commit()
    form_page = organizer_client.get(f"/hoi-nghi/{conference.id}/sua").get_data(as_text=True)
    assert 'value="2027-04-06"' in form_page and 'value="07:30"' in form_page
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/sua",
                                     data=VALID | {"start_date": "04/05/2027", "end_date": "04/05/2027"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).starts_at == datetime(2027, 5, 4, 0, 30, tzinfo=UTC)
    assert db.session.scalar(sa.select(Task.due_date)) == datetime(2027, 4, 27).date()


def test_search_ignores_accents(organizer_client, make_conference):
    make_conference(title="Hội nghị giao ban khoa học và công nghệ huyện Đức Phổ")
    make_conference(title="Hội thảo chuyển đổi số")
    page = organizer_client.get("/hoi-nghi/?q=giao+ban+duc+pho").get_data(as_text=True)
    assert "Đức Phổ" in page and "chuyển đổi số" not in page


def test_search_as_htmx_returns_only_the_results(organizer_client, make_conference):
    make_conference(title="Hội nghị sơ kết 6 tháng")
    response = organizer_client.get("/hoi-nghi/?q=so+ket", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "sơ kết" in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_tabs_split_upcoming_ongoing_and_past(organizer_client, make_conference):
    now = datetime.now(UTC)
    make_conference(title="Sắp tới A", starts_at=now + timedelta(days=3))
    make_conference(title="Đang họp B", starts_at=now - timedelta(hours=1))
    make_conference(title="Đã xong C", starts_at=now - timedelta(days=30))
    upcoming = organizer_client.get("/hoi-nghi/?tab=sap-toi").get_data(as_text=True)
    ongoing = organizer_client.get("/hoi-nghi/?tab=dang-dien-ra").get_data(as_text=True)
    past = organizer_client.get("/hoi-nghi/?tab=da-qua").get_data(as_text=True)
    assert "Sắp tới A" in upcoming and "Đang họp B" not in upcoming
    assert "Đang họp B" in ongoing and "Đã xong C" not in ongoing
    assert "Đã xong C" in past and "Sắp tới A" not in past


def test_list_paginates_with_a_constant_number_of_queries(organizer_client, make_conference, db):
    for i in range(21):  # more than a page: the count query runs in both cases
        make_conference(title=f"Hội nghị giao ban số {i}")
    organizer_client.get("/hoi-nghi/")  # warm up: the signed-in user and settings are then in the session
    with count_queries() as few:
        assert organizer_client.get("/hoi-nghi/").status_code == 200
    for i in range(25):
        make_conference(title=f"Hội nghị số {i}")
    organizer_client.get("/hoi-nghi/?page=2")
    with count_queries() as many:
        page = organizer_client.get("/hoi-nghi/?page=2").get_data(as_text=True)
    assert few() == many()
    assert "21–40 / 46" in page


def test_overview_counts_what_each_feature_holds(organizer_client, db, make_conference, make_venue):
    venue = make_venue(capacity=10)
    conference = make_conference(venue_id=venue.id)
    for n in range(3):
        db.session.add(Invitation(conference_id=conference.id, kind="person", invitee_name=f"Lê Văn {n}",
                                  seats=4, status=InvitationStatus.PENDING))
    db.session.add(BudgetLine(conference_id=conference.id, category="water", content="Nước uống",
                              quantity=150, days=1, unit_price=40_000))
    db.session.commit()
    page = organizer_client.get(f"/hoi-nghi/{conference.id}").get_data(as_text=True)
    assert ">12<" in page  # seats invited
    assert "6.000.000 đ" in page  # budget total computed by the database
    assert "Khách sạn Hùng Vương" in page


def test_overview_queries_do_not_grow(organizer_client, db, make_conference):
    conference = make_conference()
    organizer_client.get(f"/hoi-nghi/{conference.id}")
    with count_queries() as before:
        organizer_client.get(f"/hoi-nghi/{conference.id}")
    db.session.add_all(
        Invitation(conference_id=conference.id, kind="person", invitee_name=f"Trần Văn {n}") for n in range(50)
    )
    db.session.commit()
    organizer_client.get(f"/hoi-nghi/{conference.id}")
    with count_queries() as after:
        organizer_client.get(f"/hoi-nghi/{conference.id}")
    assert before() == after()


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_a_choice_that_is_not_a_number_gets_a_vietnamese_message(organizer_client, db):
    response = organizer_client.post("/hoi-nghi/moi", data=VALID | {"venue_id": "abc"})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ." in response.get_data(as_text=True)


def test_an_impossible_date_in_a_required_field_says_the_date_does_not_exist(organizer_client, db):
    response = organizer_client.post("/hoi-nghi/moi", data=VALID | {"start_date": "31/02/2027",
                                                                     "end_date": "30/02/2027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày không tồn tại: “31/02/2027”" in page and "Ngày không tồn tại: “30/02/2027”" in page
    assert "Vui lòng nhập ngày bắt đầu" not in page
    empty = organizer_client.post("/hoi-nghi/moi", data=VALID | {"start_date": ""}).get_data(as_text=True)
    assert "ngày bắt đầu" in empty.lower() and "không tồn tại" not in empty


def test_a_conference_dated_in_the_past_is_saved_with_a_warning(organizer_client, db):
    page = organizer_client.post("/hoi-nghi/moi", data=VALID | {"start_date": "04/05/2021", "end_date": "04/05/2021",
                                                                      "rsvp_date": ""},
                                 follow_redirects=True).get_data(as_text=True)
    assert "Đã tạo hội nghị" in page and "Lưu ý: ngày họp 04/05/2021 đã qua" in page
