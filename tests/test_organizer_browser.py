"""Issue 17 in a real browser: a row fixed in the import preview (htmx, in place) and imported; the pages of the
organizer's week at 1366×768 and 360×740 (``KEEP_SCREENSHOTS=1`` refreshes docs/screenshots)."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.agencies import services as agencies
from eventapp.invitations import services
from eventapp.models import Invitation

from .conftest import ROOT, browser_login, screenshot

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent / "data"
DOCS = ROOT / "docs" / "screenshots"


def _keep(page, name: str) -> None:
    """A screenshot for people to look at (screenshots/); KEEP_SCREENSHOTS=1 copies it to docs/screenshots."""
    path = screenshot(page, name)
    if os.environ.get("KEEP_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / f"{name}.png")


@pytest.fixture()
def week(db, make_conference, make_user, make_venue):
    groups = agencies.ensure_default_groups()
    agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Tài chính", "phone": "02553822123"})
    health = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Y tế", "phone": "02553822456"})
    conference = make_conference(venue=make_venue(), contact_name="Trần Thị Hoa", contact_phone="0912345678",
                                 starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=20))
    services.invite_agency(conference, health, seats=2, role_text="Lãnh đạo Sở")
    return conference, make_user("organizer")


def test_a_row_is_fixed_in_the_preview_and_imported(page, phone_page, live_server, db, week):
    conference, user = week
    base = live_server.url + f"/hoi-nghi/{conference.id}"
    browser_login(page, live_server.url, user)
    page.goto(base + "/khach-moi/nhap")
    page.set_input_files("#import-file", str(DATA / "danh-sach-van-phong.xls"))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Cột không dùng").is_visible()
    assert page.get_by_text("Nhập 2 dòng hợp lệ").is_visible()
    _keep(page, "import-preview-fix-laptop")

    # One group for all new agencies, in place.
    page.select_option("#nhom_chung", "Cơ quan báo chí")
    page.get_by_role("button", name="Áp dụng cho cả 3 cơ quan").click()
    page.get_by_text("Đã chọn nhóm cho 3 dòng").wait_for()
    # Lê Văn Bình's commune is no press office: correct his row's group in the row itself.
    page.get_by_role("link", name="Sửa dòng 9").click()
    editor = page.locator("#dong-9 form")
    editor.wait_for()
    assert page.url.endswith("/nhap/" + page.url.rsplit("/nhap/", 1)[1])  # htmx: still the preview page
    editor.get_by_label("Nhóm (cho cơ quan mới)").select_option("UBND cấp xã, phường")
    editor.get_by_label("Chức vụ").fill("Chủ tịch UBND xã")
    _keep(page, "import-preview-row-editor-laptop")
    editor.get_by_role("button", name="Lưu và kiểm tra lại").click()
    page.get_by_text("Đã sửa dòng 9: hợp lệ.").wait_for()
    page.get_by_role("button", name="Thêm cả 1 người vào lời mời của cơ quan").click()
    page.get_by_text("Sẽ thêm 1 chỗ đích danh").wait_for()
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(page.url)
    _keep(phone_page, "import-preview-fix-phone")
    page.get_by_role("button", name="Nhập 5 dòng hợp lệ").click()
    page.get_by_text("Đã nhập 5 khách mời").wait_for()

    person = db.session.scalar(sa.select(Invitation).where(Invitation.invitee_name == "Lê Văn Bình"))
    assert person.invitee_position == "Chủ tịch UBND xã" and person.agency.group.name == "UBND cấp xã, phường"
    assert person.phone == "0987654321"
    named = db.session.scalar(sa.select(Invitation).where(Invitation.invitee_name == "Nguyễn Văn An"))
    assert named.kind == "agency" and named.seats == 3


def test_screenshots_of_the_organizer_pages(page, phone_page, live_server, db, week, make_invitation, make_agency):
    conference, user = week
    for n, name in enumerate(["UBND xã Bình Sơn", "Báo Quảng Ngãi", "Công ty Cổ phần Đường Quảng Ngãi"]):
        make_invitation(conference, "agency", agency=make_agency(name, phone=f"091234567{n}"),
                        email=f"vanthu{n}@example.vn")
    make_invitation(conference, invitee_name="Nguyễn Văn Đức", phone="0905123456")
    base = live_server.url + f"/hoi-nghi/{conference.id}"
    for p in (page, phone_page):
        browser_login(p, live_server.url, user)
    size = {page: "laptop", phone_page: "phone"}
    for p in (page, phone_page):
        p.goto(base + "/khach-moi?trang_thai=pending")
        _keep(p, f"organizer-invitations-filtered-{size[p]}")
        p.goto(base + "/khach-moi/can-goi-dien")
        _keep(p, f"organizer-call-list-{size[p]}")
        p.goto(base + "/gui-giay-moi/noi-dung-thu")
        _keep(p, f"organizer-mail-wording-{size[p]}")
    page.goto(base + "/gui-giay-moi/")
    page.get_by_role("button", name="Nhắc người chưa trả lời").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Sẽ gửi").is_visible()
    _keep(page, "organizer-send-confirm-laptop")
    page.get_by_role("button", name="Gửi 4 thư nhắc").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Đã nhắc lúc").is_visible()
    _keep(page, "organizer-send-laptop")
    phone_page.goto(base + "/gui-giay-moi/")
    _keep(phone_page, "organizer-send-phone")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.invitee_name == "Nguyễn Văn Đức"))
    for p in (page, phone_page):
        p.goto(base + f"/gui-giay-moi/{invitation.id}/tra-loi-qua-dien-thoai")
        _keep(p, f"organizer-phone-answer-{size[p]}")
    page.locator("input[name=choice][value=decline]").check()
    page.locator("#decline_reason").fill("Trùng lịch họp HĐND tỉnh")
    page.get_by_role("button", name="Ghi nhận trả lời").click()
    page.get_by_text("Đã ghi nhận câu trả lời qua điện thoại").wait_for()
    page.goto(base + f"/khach-moi/{invitation.id}/xoa")
    page.get_by_role("button", name="Xóa").click()
    page.goto(base + "/khach-moi/da-xoa")
    _keep(page, "organizer-removed-laptop")
    phone_page.goto(base + "/khach-moi/da-xoa")
    _keep(phone_page, "organizer-removed-phone")
