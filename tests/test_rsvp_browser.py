"""The delegate's journey in a real browser: invitation mail → phone page → substitute → pass with a QR."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import url_for

from eventapp.mail import worker
from eventapp.models import AgendaItem, Delegate, HostAgency, utcnow
from eventapp.passes import qr_text
from tests.conftest import browser_login, screenshot

pytestmark = pytest.mark.browser


def _setup(db, make_conference, make_venue):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", phone="02553822780", address="137 Phan Đình Phùng, TP. Quảng Ngãi"))
    starts = datetime.now(UTC).replace(hour=0, minute=30, second=0, microsecond=0) + timedelta(days=30)
    conference = make_conference(
        starts_at=starts, ends_at=starts + timedelta(hours=4), venue=make_venue(), chair="Đồng chí Giám đốc Sở",
        contact_name="Trần Thị Hoa, Văn phòng Sở", contact_phone="0912345678", contact_email="hoa@skhcn.example.vn",
        preparation="Báo cáo kết quả thực hiện dự án (nếu có), gửi về Văn phòng Sở trước ngày 30/03.",
        rsvp_deadline=starts - timedelta(days=3), agenda_published_at=utcnow())
    for position, (kind, title, presenter, minutes) in enumerate([
        ("opening", "Khai mạc, giới thiệu đại biểu", "Văn phòng Sở", 15),
        ("report", "Báo cáo tổng kết Chương trình giai đoạn 2021 - 2025", "Phòng Quản lý KH&CN cơ sở", 30),
        ("film", "Phim tư liệu về Chương trình", "", 15),
        ("break", "Giải lao", "", 15),
        ("paper", "Tham luận: Ứng dụng tiến bộ kỹ thuật trong trồng keo", "UBND xã Ba Tơ", 15),
        ("conclusion", "Phát biểu kết luận", "Đồng chí Giám đốc Sở", 20),
    ]):
        db.session.add(AgendaItem(conference_id=conference.id, position=position, kind=kind, title=title,
                                  presenter=presenter, duration_minutes=minutes))
    db.session.commit()
    return conference


def test_invitation_mail_to_substitute_to_pass(app, db, live_server, page, phone_page, make_user, make_conference,
                                               make_venue, smtp_server, make_invitation):
    import zxingcpp
    from PIL import Image

    app.config["PUBLIC_BASE_URL"] = live_server.url
    try:
        conference = _setup(db, make_conference, make_venue)
        invitation = make_invitation(conference, invitee_name="Nguyễn Văn Đức", invitee_position="Giám đốc Sở Tài chính",
                                   email="duc@stc.example.vn")
        for n in range(1, 4):
            make_invitation(conference, "agency", seats=2, email=f"vanthu{n}@example.vn" if n != 2 else "")
        organizer = make_user("organizer", full_name="Phạm Thị Thu")

        # The organizer sends the invitations; the page follows the mail without reloading.
        browser_login(page, live_server.url, organizer)
        page.goto(live_server.url + f"/hoi-nghi/{conference.id}/gui-giay-moi/")
        page.get_by_role("button", name=re.compile("^Gửi giấy mời")).click()
        page.get_by_role("button", name="Gửi 3 giấy mời").click()  # the confirmation, with the count
        page.wait_for_load_state("networkidle")
        assert "đang gửi 3" in page.locator("#progress").inner_text()
        report = worker.drain()
        assert report.sent == 3
        page.locator("#progress").get_by_text(re.compile(r"Đã gửi 3\s*/\s*3")).wait_for(timeout=6000)
        page.locator(f"#mail-{invitation.id}").get_by_text("Đã gửi").wait_for(timeout=3000)  # the row, too
        screenshot(page, "sending-page")

        # The delegate opens the link from the mail on a phone.
        mail = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == "duc@stc.example.vn")
        text = mail.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"https?://\S+/moi/[A-Za-z0-9_-]+", text)[0]
        assert link == f"{live_server.url}/moi/{invitation.rsvp_token}"
        phone_page.goto(link)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone_page, "rsvp-phone")
        phone_page.get_by_text("Cử người đi thay", exact=True).click()
        phone_page.locator("#substitute-full_name").fill("Lê Thị Mai")
        phone_page.locator("#substitute-position").fill("Phó Trưởng phòng Ngân sách")
        phone_page.locator("#substitute-phone").fill("0905 123 456")
        phone_page.locator("#substitute-email").fill("mai@stc.example.vn")
        assert not phone_page.locator("#decline_reason").is_visible()
        phone_page.get_by_role("button", name="Gửi câu trả lời").click()
        phone_page.get_by_text("Đã ghi nhận câu trả lời").wait_for()
        assert "đi thay Nguyễn Văn Đức" in phone_page.inner_text("body")
        screenshot(phone_page, "rsvp-phone-answered")

        # The organizer's list shows the substitute.
        db.session.expire_all()
        substitute = db.session.scalar(sa.select(Delegate).where(Delegate.kind == "substitute"))
        assert substitute.full_name == "Lê Thị Mai" and substitute.invitation_id == invitation.id
        with app.test_request_context():
            answers_url = url_for("invitations.answers", conference_id=conference.id) \
                if "invitations.answers" in app.view_functions else None
        if answers_url:
            page.goto(live_server.url + answers_url)
            assert "Lê Thị Mai" in page.inner_text("body")

        # The pass: its QR decodes to the check-in code, and it does not lead back to the answer.
        phone_page.get_by_role("link", name="Thẻ đại biểu").first.click()
        phone_page.wait_for_load_state("networkidle")
        assert invitation.rsvp_token not in phone_page.content()
        image = phone_page.locator(".pass-qr img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        png = phone_page.request.get(live_server.url + image.get_attribute("src")).body()
        [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert code.text == qr_text(conference.id, substitute.pass_code)
        shot = screenshot(phone_page, "pass-phone")
        [from_screen] = zxingcpp.read_barcodes(Image.open(shot))
        assert from_screen.text == code.text

        # Her pass also went out by mail, with the same QR attached; the outbox shows every mail.
        worker.drain()
        page.goto(live_server.url + "/thu-di/")
        assert "mai@stc.example.vn" in page.inner_text("body")
        screenshot(page, "outbox")
        pass_mail = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == "mai@stc.example.vn")
        [attachment] = list(pass_mail.iter_attachments())
        [mailed] = zxingcpp.read_barcodes(Image.open(io.BytesIO(attachment.get_content())))
        assert mailed.text == code.text
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://localhost"
