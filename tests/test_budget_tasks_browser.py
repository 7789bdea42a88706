"""In a real browser: the tổng kết template, a department moving a task to done, a budget that goes over its
approved 54.000.000 đ, the appendix download read back with openpyxl; screenshots of the budget, a board, a report."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from eventapp.models import Department, Task

from .conftest import browser_login, screenshot
from .test_reports import build

pytestmark = pytest.mark.browser

LINES = [
    ("hall", "Thuê hội trường (âm thanh, ánh sáng, máy chiếu)", "buổi", "1", "12.000.000"),
    ("documents", "In, đóng quyển tài liệu hội nghị", "bộ", "150", "60.000"),
    ("water", "Nước uống, giải lao giữa giờ", "người", "150", "40.000"),
    ("other", "Xây dựng phim tư liệu 15 phút", "phim", "1", "15.000.000"),
    ("decoration", "Khánh tiết: phông chữ, pano, hoa tươi", "gói", "1", "9.000.000"),
    ("meals", "Hỗ trợ tiền ăn khách mời không hưởng lương", "người", "30", "150.000"),
]


def add_line(page, category, content, unit, quantity, price):
    form = page.locator("#them-khoan-chi form")
    form.get_by_label("Mục chi").select_option(category)
    form.get_by_label("Nội dung chi").fill(content)
    form.get_by_label("Đơn vị tính").fill(unit)
    form.get_by_label("Số lượng").fill(quantity)
    form.get_by_label("Đơn giá (đồng)").fill(price)
    with page.expect_response(lambda r: "/kinh-phi/them" in r.url):
        form.get_by_role("button", name="Thêm vào dự toán").click()
    page.wait_for_selector(f"text={content}")


def test_template_board_budget_and_appendix(page, phone_page, live_server, db, make_user, make_conference):
    organizer = make_user("organizer", full_name="Nguyễn Thị Hoa")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=12)
    conference = make_conference(kind="tong_ket", funding_source="Ngân sách Sở KH&CN năm 2026", starts_at=start,
                                 ends_at=start + timedelta(hours=4))
    browser_login(page, live_server.url, organizer)

    # the tổng kết template in one step
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/phan-cong")
    assert page.get_by_label("Mẫu phân công", exact=True).input_value() == "tong_ket"
    page.get_by_role("button", name="Áp dụng mẫu").click()
    page.wait_for_load_state("networkidle")
    assert "nhiệm vụ từ mẫu phân công" in page.content()
    assert page.locator("table.task-table tbody tr").count() >= 20
    assert page.locator("tr.row-late").count() >= 1  # the budget task is due 14 days before
    screenshot(page, "tasks-laptop")

    # the budget goes over the approved 54.000.000 đ
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/kinh-phi")
    for line in LINES[:-1]:
        add_line(page, *line)
        assert page.locator("#over-budget").count() == 0
    assert page.locator("#budget-total").inner_text() == "51.000.000 đ"
    add_line(page, *LINES[-1])
    assert page.locator("#budget-total").inner_text() == "55.500.000 đ"
    warning = page.locator("#over-budget")
    assert warning.is_visible() and "vượt 54.000.000 đ được duyệt là 1.500.000 đ" in warning.inner_text()
    screenshot(page, "budget-laptop")

    page.get_by_role("link", name="Dự toán kinh phí (in, PDF, Excel)").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    amounts = {}
    for coord, value in values.items():
        if isinstance(value, str) and value.startswith("=D"):
            row = coord[1:]
            assert value == f"=D{row}*E{row}*F{row}"
            amounts[values[f"B{row}"]] = values[f"D{row}"] * values[f"E{row}"] * values[f"F{row}"]
    assert sum(amounts.values()) == 55_500_000
    assert amounts["Xây dựng phim tư liệu 15 phút"] == 15_000_000
    total_row = next(c[1:] for c, v in values.items() if v == "TỔNG CỘNG")
    assert values[f"G{total_row}"].startswith("=G")

    assert "DỰ TOÁN KINH PHÍ" in page.content() and "Năm mươi lăm triệu năm trăm nghìn đồng chẵn" in page.content()
    page.emulate_media(media="print")
    screenshot(page, "budget-appendix-print")
    page.emulate_media(media="screen")

    browser_login(phone_page, live_server.url, organizer)
    phone_page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/kinh-phi")
    screenshot(phone_page, "budget-phone")

    # a department moves its task to done on its board
    office = db.session.scalar(sa.select(Department).where(Department.name == "Văn phòng Sở"))
    staff = make_user("department", full_name="Trương Công Định", department_id=office.id)
    page.get_by_role("button", name="Đăng xuất").click()
    browser_login(page, live_server.url, staff)
    assert page.url.endswith("/phong-ban/nhiem-vu")
    card = page.locator("article.task-card", has_text="Hợp đồng thuê hội trường")
    card.get_by_label("Trạng thái của").select_option("done")
    card.get_by_label("Ghi chú").fill("Đã ký hợp đồng với khách sạn")
    with page.expect_response(lambda r: "/cap-nhat" in r.url):
        card.get_by_role("button", name="Cập nhật").click()
    done_column = page.locator("section.board-col", has=page.locator("#col-done"))
    done_column.locator(".task-title", has_text="Hợp đồng thuê hội trường").wait_for()
    task = db.session.scalar(sa.select(Task).where(Task.title.startswith("Hợp đồng thuê hội trường")))
    db.session.refresh(task)
    assert task.status == "done" and task.notes == "Đã ký hợp đồng với khách sạn"
    screenshot(page, "board-laptop")


def test_report_screenshots(page, phone_page, live_server, db, make_user, make_conference, make_department,
                            make_venue):
    conference = build(db, make_conference, make_department, make_venue, n_agencies=8)
    organizer = make_user("organizer", full_name="Nguyễn Thị Hoa")
    for p in (page, phone_page):
        browser_login(p, live_server.url, organizer)
        p.goto(f"{live_server.url}/hoi-nghi/{conference.id}/bao-cao")
        assert p.locator("svg.chart rect").count() >= 3
    screenshot(page, "report-laptop")
    screenshot(phone_page, "report-phone")
    page.emulate_media(media="print")
    screenshot(page, "report-print")


def test_board_phone_screenshot(phone_page, live_server, db, make_user, make_conference):
    from eventapp.tasks import services

    conference = make_conference(kind="tong_ket")
    services.apply_template(conference, "tong_ket")
    office = db.session.scalar(sa.select(Department).where(Department.name == "Văn phòng Sở"))
    staff = make_user("department", full_name="Trương Công Định", department_id=office.id)
    browser_login(phone_page, live_server.url, staff)
    assert "Nhiệm vụ của Văn phòng Sở" in phone_page.content()
    screenshot(phone_page, "board-phone")
