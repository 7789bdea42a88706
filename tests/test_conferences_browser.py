"""In a real browser: an organizer's round trip, access of other roles, accessibility, screenshots."""

import pytest

from .conftest import axe_violations, browser_login, screenshot

pytestmark = pytest.mark.browser


def test_organizer_creates_finds_edits_and_signs_out(page, live_server, make_user):
    user = make_user("organizer", full_name="Nguyễn Thị Hoa")
    browser_login(page, live_server.url, user)
    assert page.url.endswith("/hoi-nghi/")

    page.get_by_role("link", name="+ Tạo hội nghị").first.click()
    page.get_by_label("Loại hội nghị").select_option("giao_ban")
    page.get_by_label("Tên hội nghị").fill("Hội nghị giao ban khoa học và công nghệ quý IV năm 2026 tại Đức Phổ")
    page.get_by_label("Số, ký hiệu kế hoạch").fill("415/KH-SKHCN")
    page.get_by_label("Ngày bắt đầu").fill("2027-01-12")
    page.get_by_label("Giờ bắt đầu").fill("07:30")
    page.get_by_label("Ngày kết thúc").fill("2027-01-12")
    page.get_by_label("Giờ kết thúc").fill("11:30")
    page.get_by_label("Kinh phí được duyệt (đồng)").fill("18.500.000")
    page.get_by_role("button", name="Tạo hội nghị").click()
    page.wait_for_load_state("networkidle")
    assert "Đã tạo hội nghị" in page.content()
    assert "18.500.000 đ" in page.content()

    page.goto(live_server.url + "/hoi-nghi/")
    page.get_by_label("Tìm hội nghị").fill("giao ban duc pho")
    page.wait_for_timeout(600)  # htmx search after typing stops
    results = page.locator("#results")
    assert "Đức Phổ" in results.inner_text()
    results.get_by_role("link", name="Hội nghị giao ban khoa học").click()
    page.get_by_role("link", name="Sửa kế hoạch").click()
    page.get_by_label("Số đại biểu dự kiến").fill("50")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.wait_for_load_state("networkidle")
    assert "Đã lưu thay đổi." in page.content()

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    assert "/dang-nhap" in page.url


def test_reception_staff_get_403_on_organizer_pages(page, live_server, make_user, make_conference):
    conference = make_conference()
    browser_login(page, live_server.url, make_user("reception"))
    response = page.goto(f"{live_server.url}/hoi-nghi/{conference.id}")
    assert response.status == 403
    assert "Không có quyền truy cập" in page.content()


def test_no_serious_accessibility_violations(axe_page, live_server, make_user, make_conference):
    page = axe_page
    page.goto(live_server.url + "/dang-nhap")
    assert axe_violations(page) == []
    browser_login(page, live_server.url, make_user("organizer"))
    make_conference()
    page.goto(live_server.url + "/hoi-nghi/")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/hoi-nghi/moi")
    assert axe_violations(page) == []


def test_screenshots_of_the_list_and_the_overview(browser, live_server, make_user, make_conference, make_venue):
    venue = make_venue()
    conference = make_conference(venue_id=venue.id, chair="Đồng chí Giám đốc Sở",
                                 funding_source="Ngân sách được giao cho Sở KH&CN")
    make_conference(title="Hội nghị giao ban khoa học và công nghệ 6 tháng đầu năm", kind="giao_ban")
    user = make_user("organizer", full_name="Nguyễn Thị Hoa")
    for name, viewport in (("laptop", {"width": 1366, "height": 768}), ("phone", {"width": 360, "height": 740})):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        page = context.new_page()
        browser_login(page, live_server.url, user)
        page.goto(live_server.url + "/hoi-nghi/")
        screenshot(page, f"conferences-list-{name}")
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}")
        screenshot(page, f"conference-overview-{name}")
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/sua")
        screenshot(page, f"conference-form-{name}")
        context.close()
