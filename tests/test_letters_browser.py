"""In a real browser, with the demo's data: the letters page with the clerk's forms, on a laptop and a phone,
and the print of the batch as Chromium makes it (one A4 page per letter, like the PDF and the .docx)."""

import io

import pytest
import sqlalchemy as sa

from eventapp.demo.loader import load_demo
from eventapp.invitations import letters
from eventapp.models import Conference, User

from .conftest import SCREENSHOTS, axe_violations, browser_login

pytestmark = pytest.mark.browser
PASSWORD = "matkhau-demo-1"


def test_the_letters_page_and_its_print(db, live_server, browser):
    from pypdf import PdfReader

    load_demo(password=PASSWORD)
    user = db.session.scalar(sa.select(User).filter_by(username="tochuc"))
    conference = db.session.scalar(sa.select(Conference).where(Conference.title.contains("giao ban")))
    expected = len(letters.letters_for(conference))
    url = f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi/giay-moi"
    for size, viewport in (("laptop", {"width": 1366, "height": 768}), ("phone", {"width": 360, "height": 740})):
        context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                      is_mobile=size == "phone", has_touch=size == "phone", bypass_csp=True)
        page = context.new_page()
        browser_login(page, live_server.url, user, PASSWORD)
        page.goto(url)
        if size == "laptop":
            page.get_by_label("Số").fill("45")
            page.get_by_label("Ngày ký").fill("2020-07-27")
            page.get_by_role("button", name="Lưu", exact=True).click()
            page.wait_for_load_state("networkidle")
            assert "chưa đủ 3 ngày làm việc" in page.locator(".letter-tools").inner_text()
            page.get_by_label("Ngày ký").fill("2020-07-21")
            page.get_by_role("button", name="Lưu", exact=True).click()
            page.wait_for_load_state("networkidle")
        page.wait_for_load_state("networkidle")
        assert page.locator("article.letter").count() == expected
        assert "Số: 45/GM-KHCN" in page.locator("article.letter").first.inner_text()
        assert "Bắc Giang, ngày 21 tháng 7 năm 2020" in page.locator("article.letter").first.inner_text()
        assert axe_violations(page) == []
        # The tools and the first letter (the whole batch would be a dozen A4 pages tall).
        SCREENSHOTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": viewport["width"], "height": 1500 if size == "laptop" else 2200})
        page.screenshot(path=str(SCREENSHOTS / f"invitations-letters-{size}.png"))
        context.close()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, live_server.url, user, PASSWORD)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == expected  # one page per letter, as the PDF and the .docx
    # The longest demo letters (the Quảng Ngãi tổng kết: a long title and two long content items) too.
    longest = db.session.scalar(sa.select(Conference).where(Conference.title.contains("tổng kết")))
    page.goto(f"{live_server.url}/hoi-nghi/{longest.id}/khach-moi/giay-moi")
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(letters.letters_for(longest))
    context.close()
