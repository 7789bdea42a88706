"""The Văn bản tab and the printed dự toán in a real browser, at 1366×768 and 360×740: the clerk numbers the
báo cáo, downloads it, prints the estimate (``KEEP_SCREENSHOTS=1`` refreshes docs/screenshots)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventapp.demo.loader import load_demo
from eventapp.models import Conference, User

from .conftest import ROOT, axe_violations, browser_login, screenshot

pytestmark = pytest.mark.browser
DOCS = ROOT / "docs" / "screenshots"


def _keep(page, name: str) -> None:
    path = screenshot(page, name)
    if os.environ.get("KEEP_SCREENSHOTS") == "1":
        shutil.copy(path, DOCS / f"{name}.png")


def test_the_clerk_numbers_downloads_and_prints(axe_page, phone_page, live_server, db):
    page = axe_page
    load_demo(password="mat-khau-demo-1")
    conference = db.session.scalar(sa.select(Conference).where(Conference.number_symbol == "254/KH-SKHCN"))
    organizer = db.session.scalar(sa.select(User).where(User.username == "tochuc"))
    browser_login(page, live_server.url, organizer, "mat-khau-demo-1")
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/van-ban")
    card = page.locator("#bao_cao")
    card.get_by_label("Số, ký hiệu").fill("45/BC-SKHCN")
    card.get_by_label("Ngày ký").fill("2021-04-09")
    card.get_by_role("button", name="Lưu số, ngày ký").click()
    page.wait_for_load_state("networkidle")
    assert "Đã lưu số và ngày ký của báo cáo kết quả." in page.content()
    assert page.locator("#bao_cao").get_by_label("Số, ký hiệu").input_value() == "45/BC-SKHCN"
    assert not axe_violations(page)
    _keep(page, "documents-laptop")
    with page.expect_download() as download_info:
        page.locator("#bao_cao").get_by_role("link", name="PDF").click()
    text = " ".join(PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes())).pages[0]
                    .extract_text().split())
    assert "Số: 45/BC-SKHCN" in text and "Quảng Ngãi, ngày 09 tháng 4 năm 2021" in text

    page.locator("#du_toan").get_by_role("link", name="Xem, in").click()
    assert page.locator("table.doc-table tbody tr", has_text="TỔNG CỘNG").count() == 1
    assert "Bằng chữ: Năm mươi tư triệu đồng chẵn." in page.content()
    _keep(page, "budget-estimate-laptop")
    page.emulate_media(media="print")
    _keep(page, "budget-appendix-print")
    page.emulate_media(media="screen")

    browser_login(phone_page, live_server.url, organizer, "mat-khau-demo-1")
    phone_page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/van-ban")
    assert phone_page.locator("#ky_nhan").get_by_role("link", name="PDF").count() == 2  # đã đến, để trống
    _keep(phone_page, "documents-phone")
    phone_page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/kinh-phi/in?loai=quyet-toan")
    assert "QUYẾT TOÁN KINH PHÍ" in phone_page.content()
    _keep(phone_page, "budget-final-account-phone")
