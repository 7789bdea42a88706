"""Reception in a real Chromium: a handheld scanner, the camera, going offline; screenshots of each state."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from eventapp import text
from eventapp.models import CheckIn, Delegate, Invitation
from eventapp.passes import qr_text
from eventapp.qr import qr_png

from .conftest import browser_login, screenshot

pytestmark = pytest.mark.browser

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture()
def setup(db, make_conference, make_user):
    """A conference under way, a reception user and a few delegates."""
    conference = make_conference(starts_at=NOW - timedelta(hours=1))
    user = make_user("reception", full_name="Lê Thị Đón Tiếp")
    people = [("Nguyễn Văn Đức", "Giám đốc", "Sở Khoa học và Công nghệ"),
              ("Trần Thị Mai", "Phó Chủ tịch", "UBND xã Nghĩa Hành"),
              ("Phạm Minh Quang", "Trưởng phòng", "Sở Tài chính"),
              ("Hoàng Văn Bình", "Chuyên viên", "Báo Quảng Ngãi")]
    delegates = []
    for n, (name, position, agency) in enumerate(people):
        invitation = Invitation(conference_id=conference.id, kind="person", invitee_name=name, status="attending")
        db.session.add(invitation)
        db.session.flush()
        delegate = Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="invitee", full_name=name,
                            position=position, agency_name=agency, precedence=n,
                            search_text=text.search_key(name, position, agency))
        db.session.add(delegate)
        delegates.append(delegate)
    db.session.commit()
    return conference, user, delegates


def open_desk(page, live_server, conference, user):
    browser_login(page, live_server.url, user)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/don-tiep")
    page.wait_for_selector("#desk[data-synced-at]")


def scan(page, code):
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def confirmed(page, tone, text=""):
    """Wait for the server's answer in the panel (the desk shows its own judgement first)."""
    selector = f"#result.result-{tone}[data-state=confirmed]"
    page.wait_for_selector(f"{selector}:has-text('{text}')" if text else selector)


def test_scanner_typing_checks_in_and_screenshots(page, phone_page, live_server, setup, db):
    conference, user, delegates = setup
    open_desk(page, live_server, conference, user)
    assert page.evaluate("document.activeElement.id") == "scan-code"
    screenshot(page, "checkin-desk-laptop-ready")
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    confirmed(page, "ok")
    assert "Nguyễn Văn Đức" in page.inner_text("#result")
    assert "Sở Khoa học và Công nghệ" in page.inner_text("#result")
    screenshot(page, "checkin-desk-laptop-green")
    # focus stays in the scan box: clicking elsewhere does not take it away
    page.click("h1")
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    confirmed(page, "again")
    assert "Đã check-in lúc" in page.inner_text("#result")
    screenshot(page, "checkin-desk-laptop-amber")
    scan(page, "123-456")
    confirmed(page, "bad")
    screenshot(page, "checkin-desk-laptop-red")
    # and it keeps working after a bad code
    scan(page, qr_text(conference.id, delegates[1].pass_code))
    confirmed(page, "ok", "Trần Thị Mai")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 2

    # search without accents, then check in from the result
    page.fill("#search-q", "pham minh")
    page.wait_for_selector("#search-results .found-item")
    page.click("#search-results button[type=submit]")
    page.wait_for_selector("#result.result-ok:has-text('Phạm Minh Quang')")

    open_desk(phone_page, live_server, conference, user)
    screenshot(phone_page, "checkin-desk-phone-ready")
    scan(phone_page, qr_text(conference.id, delegates[3].pass_code))
    confirmed(phone_page, "ok")
    screenshot(phone_page, "checkin-desk-phone-green")
    scan(phone_page, qr_text(conference.id, delegates[3].pass_code))
    confirmed(phone_page, "again")
    screenshot(phone_page, "checkin-desk-phone-amber")
    scan(phone_page, qr_text(conference.id + 1, delegates[3].pass_code))
    confirmed(phone_page, "bad")
    screenshot(phone_page, "checkin-desk-phone-red")

    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/theo-doi")
    assert page.inner_text(".board-big").replace(" ", "").replace("\n", "") == "4/4"
    screenshot(page, "checkin-board-laptop")
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/the-dai-bieu")
    screenshot(page, "checkin-badges")


def _y4m_of(png: bytes, path, width=640, height=480, frames=10) -> None:
    """A YUV4MPEG2 video (4:2:0) showing ``png`` centred on white, for Chromium's fake camera."""
    qr = Image.open(io.BytesIO(png)).convert("RGB")
    side = min(width, height) - 80
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("RGB", (width, height), "white")
    frame.paste(qr, ((width - side) // 2, (height - side) // 2))
    y, u, v = frame.convert("YCbCr").split()
    u = u.resize((width // 2, height // 2))
    v = v.resize((width // 2, height // 2))
    data = y.tobytes() + u.tobytes() + v.tobytes()
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + data)


def test_camera_reads_a_pass(browser_factory, live_server, setup, db, tmp_path):
    conference, user, delegates = setup
    video = tmp_path / "pass.y4m"
    _y4m_of(qr_png(qr_text(conference.id, delegates[2].pass_code), box_size=8), video)
    browser = browser_factory("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    open_desk(page, live_server, conference, user)
    page.click("#camera-toggle")
    confirmed(page, "ok", "Phạm Minh Quang")
    screenshot(page, "checkin-desk-camera")
    page.click("#camera-toggle")
    context.close()
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert checkin.delegate_id == delegates[2].id


def test_organizer_creates_a_device_token_and_the_board_fits_a_phone(page, phone_page, live_server, setup, make_user):
    conference, reception_user, delegates = setup
    organizer = make_user("organizer", full_name="Võ Văn Tổ Chức")
    browser_login(page, live_server.url, organizer)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/thiet-bi")
    page.get_by_label("Tên thiết bị").fill("Máy quét cửa Đông")
    page.get_by_role("button", name="Tạo mã").click()
    token = page.get_attribute("code.token", "data-token")
    assert token and len(token) > 30
    screenshot(page, "checkin-devices")
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/thiet-bi")
    assert token not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector(".flash-success:has-text('Đã thu hồi mã của thiết bị «Máy quét cửa Đông»')")
    assert "Đã thu hồi" in page.inner_text("table")
    screenshot(page, "checkin-devices-revoked")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "checkin-devices-phone-revoked")

    browser_login(phone_page, live_server.url, reception_user)
    phone_page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/theo-doi")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "checkin-board-phone")


def test_a_refused_desk_action_says_why_and_leaves_the_last_answer(page, phone_page, live_server, setup, db):
    """Refusals of the desk's forms (a substitute for nobody chosen, an undo with nothing left to undo) are
    answered in the flash area, and the result panel keeps showing the last answer."""
    conference, user, delegates = setup
    open_desk(page, live_server, conference, user)
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    confirmed(page, "ok")
    page.click("#substitute-box summary")
    page.fill("#sub-full_name", "Hồ Thị Thu")
    page.click("#substitute-box button[type=submit]")
    page.wait_for_selector("#flash-area .flash-error:has-text('Vui lòng chọn đại biểu được mời')")
    assert "Nguyễn Văn Đức" in page.inner_text("#result")
    screenshot(page, "checkin-desk-laptop-refused")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)) == len(delegates)

    open_desk(phone_page, live_server, conference, user)
    phone_page.on("dialog", lambda dialog: dialog.accept())
    phone_page.click("#undo-form button[type=submit]")  # this user's last check-in, made on the laptop
    phone_page.wait_for_selector("#result:has-text('Đã hoàn tác check-in')")
    phone_page.click("#undo-form button[type=submit]")
    phone_page.wait_for_selector("#flash-area .flash-error:has-text('Không có lượt check-in nào để hoàn tác')")
    assert "Đã hoàn tác check-in" in phone_page.inner_text("#result")
    screenshot(phone_page, "checkin-desk-phone-refused")
    db.session.expire_all()
    assert db.session.scalars(sa.select(CheckIn)).one().undone_at is not None
