"""In a real browser: import agencies from .xlsx on the invitation page, preview, confirm, see the totals;
screenshots of the invitation list and the printed letter."""

import io

import pytest
from openpyxl import Workbook

from eventapp.agencies import services as agencies
from eventapp.invitations import services
from eventapp.models import Delegate, HostAgency

from .conftest import axe_violations, browser_login, screenshot

pytestmark = pytest.mark.browser

ROWS = [
    [1, "Sở, ban, ngành", "Sở Tài chính", "", "", 2, "Đại diện lãnh đạo", "stc@quangngai.gov.vn", "0255 3822 123"],
    [2, "Sở, ban, ngành", "Sở Nông nghiệp và Môi trường", "", "", 3, "Lãnh đạo và chuyên viên phụ trách", "", ""],
    [3, "UBND cấp xã, phường", "UBND phường Trương Quang Trọng", "", "", 1, "Lãnh đạo UBND", "", ""],
    [4, "Cơ quan báo chí", "Báo Quảng Ngãi", "", "", 1, "Phóng viên", "", ""],
    [5, "Doanh nghiệp", "Công ty Cổ phần Đường Quảng Ngãi", "", "", 2, "Lãnh đạo công ty", "", "0912 345 678"],
    [6, "Nhóm lạ", "Hội Nông dân tỉnh", "", "", 1, "", "", ""],
    [7, "Sở, ban, ngành", "Sở Tài chính", "", "", 1, "", "", ""],
]


def _xlsx(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ", "Thành phần mời", "Email",
                  "Điện thoại"])
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "danh-sach-khach-moi.xlsx"
    workbook.save(path)
    return path


@pytest.fixture()
def scene(db, make_user, make_conference, make_venue, make_department):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. Giám đốc",
                              signer_title="Phó Giám đốc", signer_name="Nguyễn Văn Bình",
                              address="219 Hùng Vương, TP. Quảng Ngãi", phone="02553822513"))
    db.session.commit()
    agencies.ensure_default_groups()
    department = make_department(name="Phòng Quản lý KH&CN cơ sở", abbreviation="QLCS")
    conference = make_conference(venue_id=make_venue(capacity=150).id, lead_department_id=department.id,
                                 contact_name="Trần Thị Hạnh", contact_phone="0912345678", chair="Đồng chí Giám đốc Sở",
                                 content="Tổng kết 5 năm thực hiện Chương trình; khen thưởng tập thể, cá nhân.",
                                 preparation="Báo cáo tham luận (nếu được phân công).")
    return make_user("organizer"), conference


def test_organizer_imports_xlsx_previews_confirms_and_sees_totals(page, live_server, scene, tmp_path, db):
    user, conference = scene
    browser_login(page, live_server.url, user)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi")
    assert page.get_by_text("Chưa có khách mời nào").is_visible()
    page.set_input_files("#import-file", str(_xlsx(tmp_path)))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_url("**/khach-moi/nhap/**")
    assert page.get_by_text("Nhóm «Nhóm lạ» không có trong danh mục nhóm cơ quan.").is_visible()
    assert page.get_by_text("Trùng với dòng 2 trong tệp.").is_visible()
    screenshot(page, "invitations-import-preview")
    page.get_by_role("button", name="Nhập 5 dòng hợp lệ").click()
    page.wait_for_url(f"**/hoi-nghi/{conference.id}/khach-moi")
    assert page.get_by_text("Đã nhập 5 khách mời").is_visible()
    totals = page.locator(".inv-totals")
    assert "9" in totals.locator(".inv-total").first.inner_text()  # 2 + 3 + 1 + 1 + 2 seats
    assert "còn 141 chỗ so với số mời" in totals.inner_text()
    table = page.locator(".inv-table")
    assert table.get_by_text("Sở Nông nghiệp và Môi trường").is_visible()
    assert table.get_by_text("Công ty Cổ phần Đường Quảng Ngãi").is_visible()
    groups = table.locator(".group-row").all_inner_texts()
    assert groups[0].startswith("I. Sở, ban, ngành")

    # Remove one line with htmx (the browser's confirmation accepted): no reload, totals follow.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text="Báo Quảng Ngãi").get_by_role("button", name="Xóa").click()
    page.wait_for_selector("text=Đã xóa «Báo Quảng Ngãi» khỏi danh sách; có thể khôi phục trong 30 ngày")
    assert "8" in page.locator(".inv-total").first.inner_text()

    # Invite from the directory picker with htmx.
    page.fill("#tim", "tai chinh")
    page.wait_for_timeout(600)
    assert page.locator("#picker-results").get_by_text("Sở Tài chính").count() == 0  # already invited
    page.fill("#tim", "bao")
    page.locator("#picker-results").get_by_role("button", name="Mời").first.click()
    page.wait_for_selector("text=Đã mời «Báo Quảng Ngãi».")


def test_screenshots_of_list_and_letter(browser, live_server, scene, db):
    user, conference = scene
    names = ["Sở Tài chính", "Sở Nông nghiệp và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Công Thương"]
    groups = agencies.ensure_default_groups()
    made = [agencies.save_agency(None, {"group_id": groups[0].id, "name": n}) for n in names]
    made += [agencies.save_agency(None, {"group_id": groups[1].id, "name": n})
             for n in ("UBND phường Cẩm Thành", "UBND xã Bình Sơn", "UBND phường Trương Quang Trọng")]
    invitations = [services.invite_agency(conference, a, 2, "Đại diện lãnh đạo") for a in made]
    invitations[0].status = "attending"
    invitations[1].status = "declined"
    invitations[1].decline_reason = "Trùng lịch tiếp đoàn công tác của Bộ"
    db.session.add(Delegate(conference_id=conference.id, invitation_id=invitations[0].id, kind="named",
                            full_name="Lê Văn Tám", position="Phó Giám đốc"))
    db.session.add(Delegate(conference_id=conference.id, invitation_id=invitations[0].id, kind="substitute",
                            full_name="Phạm Thị Hoa", position="Trưởng phòng", replaces_name="Nguyễn Văn Hùng"))
    db.session.commit()
    services.invite_person(conference, "Lê Thị Ánh Tuyết", "Chuyên gia tư vấn")
    for size, viewport in (("laptop", {"width": 1366, "height": 768}), ("phone", {"width": 360, "height": 740})):
        context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                      is_mobile=size == "phone", has_touch=size == "phone", bypass_csp=True)
        page = context.new_page()
        browser_login(page, live_server.url, user)
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi")
        screenshot(page, f"invitations-list-{size}")
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi/{invitations[0].id}/giay-moi")
        page.wait_for_load_state("networkidle")
        assert page.locator("article.letter img").evaluate("img => img.naturalWidth") > 0
        screenshot(page, f"invitations-letter-{size}")
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/tra-loi")
        screenshot(page, f"invitations-answers-{size}")
        assert axe_violations(page) == []
        context.close()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, live_server.url, user)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi/{invitations[0].id}/giay-moi")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    screenshot(page, "invitations-letter-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # one letter fits on one A4 page
    context.close()
