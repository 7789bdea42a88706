"""Issue 3's whole journey in one browser test: import agencies from .xlsx → send → read the link out of the
received mail → answer with a substitute on a phone → the organizer's list shows the substitute → the pass's QR
decodes (zxing-cpp) to the check-in code."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from eventapp.agencies import services as agencies
from eventapp.mail import worker
from eventapp.models import Delegate, HostAgency, Invitation
from eventapp.passes import qr_text

from .conftest import browser_login

pytestmark = pytest.mark.browser

HEADINGS = ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ", "Thành phần mời", "Email",
            "Điện thoại"]
ROWS = [
    [1, "Sở, ban, ngành", "Sở Tài chính", "Nguyễn Văn Đức", "Giám đốc", 1, "", "duc@stc.example.vn", "0905 111 222"],
    [2, "Sở, ban, ngành", "Sở Nông nghiệp và Môi trường", "", "", 2, "Đại diện lãnh đạo", "snn@example.vn", ""],
]


def test_import_send_answer_with_a_substitute_and_read_the_pass(app, db, live_server, page, phone_page, tmp_path,
                                                               make_user, make_conference, make_venue, smtp_server):
    import zxingcpp
    from PIL import Image

    app.config["PUBLIC_BASE_URL"] = live_server.url
    try:
        db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                                  abbreviation="SKHCN", place_name="Quảng Ngãi"))
        db.session.commit()
        agencies.ensure_default_groups()
        starts = datetime.now(UTC).replace(hour=0, minute=30, second=0, microsecond=0) + timedelta(days=30)
        conference = make_conference(starts_at=starts, ends_at=starts + timedelta(hours=4),
                                     venue_id=make_venue().id, rsvp_deadline=starts - timedelta(days=3),
                                     contact_name="Trần Thị Hoa", contact_phone="0912345678")
        organizer = make_user("organizer", full_name="Phạm Thị Thu")
        workbook = Workbook()
        workbook.active.append(HEADINGS)
        for row in ROWS:
            workbook.active.append(row)
        xlsx = tmp_path / "khach-moi.xlsx"
        workbook.save(xlsx)

        # 1. Import from Excel: preview, then confirm.
        browser_login(page, live_server.url, organizer)
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/khach-moi")
        page.set_input_files("#import-file", str(xlsx))
        page.get_by_role("button", name="Tải lên và xem trước").click()
        page.wait_for_url("**/khach-moi/nhap/**")
        page.get_by_role("button", name="Nhập 2 dòng hợp lệ").click()
        page.wait_for_url(f"**/hoi-nghi/{conference.id}/khach-moi")
        assert page.get_by_text("Đã nhập 2 khách mời").is_visible()
        invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == "duc@stc.example.vn"))
        assert invitation.invitee_name == "Nguyễn Văn Đức"

        # 2. Send by mail through the outbox; the worker delivers to a real SMTP server.
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/gui-giay-moi/")
        page.get_by_role("button", name=re.compile("^Gửi giấy mời")).click()
        page.get_by_role("button", name="Gửi 2 giấy mời").click()  # the confirmation, with the count
        page.wait_for_load_state("networkidle")
        assert worker.drain().sent == 2

        # 3. The delegate reads the link out of the mail and sends a substitute, on a phone.
        mail = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == "duc@stc.example.vn")
        link = re.search(r"https?://\S+/moi/[A-Za-z0-9_-]+", mail.get_body(preferencelist=("plain",)).get_content())[0]
        phone_page.goto(link)
        phone_page.get_by_text("Cử người đi thay", exact=True).click()
        phone_page.locator("#substitute-full_name").fill("Lê Thị Mai")
        phone_page.locator("#substitute-position").fill("Phó Giám đốc")
        phone_page.locator("#substitute-phone").fill("0905 123 456")
        phone_page.get_by_role("button", name="Gửi câu trả lời").click()
        phone_page.get_by_text("Đã ghi nhận câu trả lời").wait_for()

        # 4. The organizer's answers list shows the substitute.
        page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/tra-loi")
        body = page.inner_text("body")
        assert "Lê Thị Mai" in body and "Nguyễn Văn Đức" in body

        # 5. The pass page's QR decodes to the check-in code.
        phone_page.get_by_role("link", name="Thẻ đại biểu").first.click()
        phone_page.wait_for_load_state("networkidle")
        src = phone_page.locator(".pass-qr img").get_attribute("src")
        png = phone_page.request.get(live_server.url + src).body()
        [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        db.session.expire_all()
        substitute = db.session.scalar(sa.select(Delegate).where(Delegate.kind == "substitute"))
        assert substitute.full_name == "Lê Thị Mai"
        assert code.text == qr_text(conference.id, substitute.pass_code)
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://localhost"
