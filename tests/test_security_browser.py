"""The admin's and the organizer's security pages in a real browser: no CSP violation, no axe issue, the
audit filter swaps by htmx, an erasure goes through the confirmation dialog."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventapp import audit
from eventapp.models import Delegate

from .conftest import axe_violations, browser_login, screenshot
from .test_privacy import make_people

pytestmark = pytest.mark.browser


def _console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


PAGES = ("/quan-tri/", "/quan-tri/phong-ban", "/quan-tri/tai-khoan", "/quan-tri/tai-khoan/moi",
         "/quan-tri/du-lieu-ca-nhan", "/nhat-ky/")


def test_admin_pages_have_no_accessibility_issues(axe_page, live_server, db, make_user):
    browser_login(axe_page, live_server.url, make_user("admin"))
    for path in PAGES:
        axe_page.goto(live_server.url + path)
        assert not axe_violations(axe_page), (path, axe_violations(axe_page))


def test_admin_pages_break_no_csp_rule_and_the_log_filters_by_htmx(page, live_server, db, make_user,
                                                                  make_conference):
    admin = make_user("admin")
    conference = make_conference()
    audit.record("invitation.create", "Mời Sở Tài chính", conference_id=conference.id, actor="Nguyễn An")
    audit.record("budget.update", "Sửa dòng dự toán nước uống", conference_id=conference.id, actor="Lê Chi")
    db.session.commit()
    errors = _console_errors(page)
    browser_login(page, live_server.url, admin)
    for path in PAGES:
        page.goto(live_server.url + path)
    screenshot(page, "security-audit-log")
    page.select_option("#action", "budget")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state("networkidle")
    results = page.locator("#results")
    assert "Sửa dòng dự toán" in results.inner_text() and "Sở Tài chính" not in results.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_organizer_erases_a_delegate_after_confirming(page, live_server, db, make_user, make_conference):
    organizer = make_user("organizer")
    conference = make_conference()
    _, delegate, _ = make_people(db, conference)
    delegate_id = delegate.id
    browser_login(page, live_server.url, organizer)
    page.goto(live_server.url + "/quan-tri/du-lieu-ca-nhan")
    page.fill("#q", "nguyen van duc")
    page.wait_for_selector("text=Nguyễn Văn Đức")
    page.get_by_role("link", name="Nguyễn Văn Đức").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa dữ liệu cá nhân").click()
    page.wait_for_selector("text=Đã xóa dữ liệu cá nhân")
    screenshot(page, "security-privacy-erased")
    db.session.remove()
    assert db.session.scalar(sa.select(Delegate.full_name).where(Delegate.id == delegate_id)) == "Đã xóa theo yêu cầu"


def _declined_invitee(db, conference):
    from eventapp.models import Invitation

    invitation = Invitation(conference=conference, kind="person", invitee_name="Hoàng Thị Thu Trang",
                            invitee_position="Phó Giám đốc Sở Nội vụ", email="trang@example.vn", phone="0905111222",
                            status="declined", decline_reason="Bận họp Ban Thường vụ Tỉnh ủy",
                            search_text="hoang thi thu trang")
    db.session.add(invitation)
    db.session.commit()
    audit.record("invitation.answer", "Hoàng Thị Thu Trang trả lời: không tham dự", entity=invitation)
    db.session.commit()
    return invitation


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_pages_of_accounts_personal_data_and_the_log(request, live_server, db, app, make_user, make_conference,
                                                        size):
    """The sign-in form while it must wait, changing one's password, a declined invitee on the personal-data
    pages, the log as an organizer reads it, the page for too many wrong links: shown at 1366 and 360 px."""
    from .ratelimits import limits_in

    page = request.getfixturevalue("page" if size == "laptop" else "phone_page")
    errors = _console_errors(page)
    organizer = make_user("organizer", full_name="Trần Thị Tổ Chức")
    conference = make_conference()
    make_people(db, conference)
    invitation_id = _declined_invitee(db, conference).id
    with limits_in(app, "memory"):
        for _ in range(12):  # the waits double: one of the attempts soon comes before its wait is over
            page.goto(live_server.url + "/dang-nhap")
            page.get_by_label("Tên đăng nhập").fill(organizer.username)
            page.get_by_label("Mật khẩu").fill("doan-sai-mat-khau")
            page.get_by_role("button", name="Đăng nhập").click()
            if "quá nhiều lần" in page.content():
                break
        assert "quá nhiều lần" in page.content()
        screenshot(page, f"security-login-wait-{size}")
        for n in range(31):
            page.goto(live_server.url + f"/moi/{'z' * 30}{n:02d}")
        assert "Vui lòng chờ một lát" in page.content()
        screenshot(page, f"security-links-too-many-{size}")
    browser_login(page, live_server.url, organizer)
    page.goto(live_server.url + "/doi-mat-khau")
    page.fill("#current", "khong-dung")
    page.fill("#password", "12345678")
    page.fill("#confirm", "12345678")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    assert "ít nhất 12 ký tự" in page.content() or "không đúng" in page.content()
    screenshot(page, f"security-change-password-{size}")
    page.goto(live_server.url + "/quan-tri/du-lieu-ca-nhan?q=thu trang")
    page.wait_for_selector("text=Hoàng Thị Thu Trang")
    screenshot(page, f"security-privacy-search-{size}")
    page.goto(live_server.url + f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation_id}")
    assert "Bận họp Ban Thường vụ Tỉnh ủy" in page.content()
    screenshot(page, f"security-privacy-declined-{size}")
    page.goto(live_server.url + "/nhat-ky/")
    assert "không tham dự" in page.content()
    screenshot(page, f"security-audit-organizer-{size}")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
