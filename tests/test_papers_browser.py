"""The whole paper journey in a real browser: invitation mail, phone upload, revision, acceptance, agenda,
the delegate's page; screenshots of the paper list, the speaker's phone page and the printed programme."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventapp.models import AgendaItem, Delegate, Paper, PaperStatus
from eventapp.vntime import local_to_utc, today
from tests.conftest import axe_violations, browser_login, screenshot
from tests.documents import docx_bytes


def send_outbox():
    """Send what is queued with the mail worker (A2's eventapp.mail.worker)."""
    from eventapp.mail.worker import drain

    return drain()


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/tham-luan/[A-Za-z0-9_-]+", body).group(0)


@pytest.mark.browser
def test_paper_journey(app, db, live_server, page, phone_page, axe_page, smtp_server, make_user, make_conference,
                       make_venue, make_invitation):
    from datetime import datetime

    from eventapp.models import HostAgency

    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi", abbreviation="SKHCN",
                              place_name="Quảng Ngãi", address="149 Hùng Vương, TP. Quảng Ngãi", phone="02553822605"))
    day = today() + timedelta(days=20)
    start = local_to_utc(datetime.combine(day, datetime.min.time()).replace(hour=7, minute=30))
    conference = make_conference(starts_at=start, ends_at=start + timedelta(hours=4), venue_id=make_venue().id,
                                 chair="Đồng chí Giám đốc Sở", contact_name="Chị Nguyễn Thị Hoa, Văn phòng Sở",
                                 contact_phone="0255371047")
    invitation = make_invitation(conference, invitee_name="Lê Văn Cường", invitee_position="Giám đốc HTX Sơn Tây",
                               email="cuong@example.vn", status="attending")
    db.session.add(Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="invitee",
                            full_name="Lê Văn Cường", position="Giám đốc", agency_name="HTX Nông nghiệp Sơn Tây",
                            email="cuong@example.vn"))
    for position, (kind, title, minutes, presenter) in enumerate([
        ("opening", "Tuyên bố lý do, giới thiệu đại biểu", 10, "Ban tổ chức"),
        ("report", "Báo cáo tổng kết Chương trình giai đoạn 2021 - 2025", 30, "Lãnh đạo Sở KH&CN"),
        ("film", "Chiếu phim tư liệu", 15, "Ban tổ chức"),
        ("conclusion", "Phát biểu kết luận của chủ trì hội nghị", 15, "Đồng chí Giám đốc Sở"),
    ]):
        db.session.add(AgendaItem(conference_id=conference.id, position=position, kind=kind, title=title,
                                  duration_minutes=minutes, presenter=presenter))
    db.session.commit()
    organizer = make_user("organizer", full_name="Trần Minh Tâm")
    old_base = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = live_server.url
    try:
        base = live_server.url
        browser_login(page, base, organizer)

        # The organizer invites a speaker who is an attending delegate.
        page.goto(f"{base}/hoi-nghi/{conference.id}/tham-luan/moi")
        delegate_id = db.session.scalar(sa.select(Delegate.id))
        page.get_by_label("Đại biểu").select_option(value=str(delegate_id))
        page.get_by_label("Chủ đề tham luận").fill("Mô hình trồng sâm Ngọc Linh dưới tán rừng")
        page.get_by_label("Hạn nộp (ngày)").fill((day - timedelta(days=5)).isoformat())
        page.get_by_role("button", name="Mời và gửi thư").click()
        page.wait_for_url(re.compile(r"/tham-luan/\d+$"))
        assert page.get_by_role("button", name="Sao chép").is_visible()

        # The invitation mail arrives; the speaker opens its link on a phone and uploads a DOCX.
        send_outbox()
        assert len(smtp_server.messages) == 1
        mail = smtp_server.messages[0]
        assert mail["To"].addresses[0].addr_spec == "cuong@example.vn"
        link = link_in(mail)
        assert link.startswith(base)
        phone_page.goto(link)
        phone_page.get_by_label("Tên tham luận").fill("Phát triển sâm Ngọc Linh dưới tán rừng tại Sơn Tây")
        phone_page.get_by_label("Tóm tắt").fill("Kết quả 5 năm chuyển giao quy trình trồng và chăm sóc sâm.")
        phone_page.set_input_files("#file", files=[{"name": "Tham luận sâm Ngọc Linh.docx",
                                                   "mimeType": "application/octet-stream",
                                                   "buffer": docx_bytes("Phiên bản 1")}])
        phone_page.get_by_role("button", name="Gửi tham luận").click()
        phone_page.get_by_text("Đã nhận phiên bản 1").wait_for()

        # The organizer requests a revision; the speaker sees the comment and sends a second version.
        page.reload()
        page.get_by_label("Nội dung cần chỉnh sửa (tác giả sẽ thấy)").fill(
            "Đề nghị bổ sung số liệu năm 2025 và rút gọn còn 6 trang.")
        page.get_by_role("button", name="Yêu cầu chỉnh sửa").click()
        page.get_by_text("yêu cầu chỉnh sửa", exact=False).first.wait_for()
        send_outbox()
        assert "chỉnh sửa" in smtp_server.messages[-1]["Subject"]
        phone_page.goto(link_in(smtp_server.messages[-1]))
        assert phone_page.get_by_text("Đề nghị bổ sung số liệu năm 2025").is_visible()
        phone_page.set_input_files("#file", files=[{"name": "Tham luận sâm Ngọc Linh - bản sửa.docx",
                                                   "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                                   "buffer": docx_bytes("Phiên bản 2")}])
        phone_page.get_by_role("button", name="Gửi phiên bản mới").click()
        phone_page.get_by_text("Đã nhận phiên bản 2").wait_for()
        screenshot(phone_page, "papers-speaker-phone")

        # The organizer accepts it and places it in the agenda, then drags it above the film.
        page.reload()
        assert page.get_by_text("Bản 2", exact=True).is_visible()
        screenshot(page, "paper-detail")
        page.get_by_role("button", name="Duyệt tham luận").click()
        page.get_by_text("đã duyệt").first.wait_for()
        paper = db.session.scalar(sa.select(Paper))
        db.session.refresh(paper)
        assert paper.status == PaperStatus.ACCEPTED and len(paper.files) == 2

        page.goto(f"{base}/hoi-nghi/{conference.id}/tham-luan")
        screenshot(page, "papers-list")
        page.goto(f"{base}/hoi-nghi/{conference.id}/chuong-trinh")
        page.get_by_role("button", name="Đưa vào chương trình").click()
        page.wait_for_load_state("networkidle")
        titles = page.locator(".agenda-item .agenda-title")
        assert titles.nth(3).inner_text().startswith("Phát triển sâm Ngọc Linh")
        handle = page.locator(".agenda-item").nth(3).locator(".drag-handle")
        target = page.locator(".agenda-item").nth(2)
        box_from, box_to = handle.bounding_box(), target.bounding_box()
        page.mouse.move(box_from["x"] + box_from["width"] / 2, box_from["y"] + box_from["height"] / 2)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(box_from["x"] + 5, box_from["y"] - (box_from["y"] - box_to["y"] - 5) * step / 10)
        with page.expect_response(re.compile(r"/chuong-trinh/sap-xep$")):
            page.mouse.up()
        page.wait_for_function(
            "() => document.querySelectorAll('.agenda-item .agenda-time')[2].textContent.trim().startsWith('08:10')")
        db.session.expire_all()
        ordered = db.session.scalars(sa.select(AgendaItem.kind).where(AgendaItem.conference_id == conference.id)
                                     .order_by(AgendaItem.position)).all()
        assert ordered == ["opening", "report", "paper", "film", "conclusion"]
        assert page.locator(".agenda-item").nth(2).locator(".agenda-time").inner_text().startswith("08:10")

        # The ▲ button also moves it (htmx), and back with ▼.
        page.get_by_role("button", name=re.compile("Chuyển «Phát triển sâm.*» lên")).click()
        page.wait_for_function(
            "() => document.querySelectorAll('.agenda-item .agenda-title')[1].textContent.startsWith('Phát triển')")
        page.get_by_role("button", name=re.compile("Chuyển «Phát triển sâm.*» xuống")).click()
        page.wait_for_function(
            "() => document.querySelectorAll('.agenda-item .agenda-title')[2].textContent.startsWith('Phát triển')")

        page.get_by_role("button", name="Công bố tới đại biểu").click()
        page.get_by_text("Đã công bố chương trình").wait_for()
        screenshot(page, "agenda-editor")

        page.goto(f"{base}/hoi-nghi/{conference.id}/chuong-trinh/in")
        screenshot(page, "agenda-print")
        # As printed: A4 less the margins (210 - 30 - 15 mm ≈ 624 px) with the print styles.
        page.set_viewport_size({"width": 624, "height": 900})
        page.emulate_media(media="print")
        assert not page.locator(".print-toolbar").is_visible()
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith('"Times New Roman"')
        screenshot(page, "agenda-print-media")
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1366, "height": 768})

        # No serious accessibility problems on the speaker's page, the list, the detail and the agenda editor.
        axe_page.goto(link)
        assert axe_violations(axe_page) == []
        browser_login(axe_page, base, organizer)
        for path in ("/tham-luan", f"/tham-luan/{paper.id}", "/chuong-trinh"):
            axe_page.goto(f"{base}/hoi-nghi/{conference.id}{path}")
            assert axe_violations(axe_page) == [], path

        # The delegate's page shows the published agenda with the paper.
        phone_page.goto(f"{base}/moi/{invitation.rsvp_token}")
        assert phone_page.get_by_text("Phát triển sâm Ngọc Linh dưới tán rừng tại Sơn Tây").is_visible()
    finally:
        app.config["PUBLIC_BASE_URL"] = old_base
