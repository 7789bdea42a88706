"""The delegate's phone and the hall in a real browser: every demo invitation fits a 360 px phone, the calendar
file opens, the pass opens offline after a first visit, a delegate registers to speak and the projector shows
them once the secretary has ordered the list. Screenshots go to docs/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp import text
from eventapp.hall import speakers
from eventapp.models import AgendaItem, Delegate, HostAgency, Invitation, SpeakerList, Venue
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "vi-VN",
         "timezone_id": "Asia/Ho_Chi_Minh"}
WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def shot(page, name: str, full_page: bool = True) -> None:
    """A screenshot to keep with the docs (looked at, not asserted), in 256 colours to stay small."""
    from PIL import Image

    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


@pytest.fixture()
def quiet_phone(browser, live_server):
    """A 360×740 phone without service workers: many pages in a row, none kept."""
    context = browser.new_context(service_workers="block", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_every_demo_invitation_and_its_pages_fit_a_360px_phone(app, db, live_server, quiet_phone):
    from eventapp.demo.loader import load_demo

    load_demo(password="matkhau-demo-1")
    invitations = db.session.execute(sa.select(Invitation.id, Invitation.rsvp_token).order_by(Invitation.id)).all()
    passes = dict(db.session.execute(
        sa.select(Delegate.invitation_id, sa.func.min(Delegate.pass_code))
        .where(Delegate.status == "attending", Delegate.invitation_id.is_not(None)).group_by(Delegate.invitation_id)
    ).all())
    assert len(invitations) > 150 and len(passes) > 80
    too_wide = []
    for invitation_id, token in invitations:
        urls = [f"/moi/{token}"]
        if invitation_id in passes:
            urls.append(f"/the/{passes[invitation_id]}")
        for url in urls:
            quiet_phone.goto(live_server.url + url, wait_until="load")
            width = quiet_phone.evaluate(WIDTH)
            if width > 360:
                too_wide.append((url, width))
    one_per_conference = db.session.execute(
        sa.select(sa.func.min(Delegate.pass_code)).where(Delegate.status == "attending")
        .group_by(Delegate.conference_id)).scalars().all()
    for pass_code in one_per_conference:
        for page in ("chuong-trinh", "tai-lieu", "phat-bieu"):
            quiet_phone.goto(f"{live_server.url}/the/{pass_code}/{page}", wait_until="load")
            width = quiet_phone.evaluate(WIDTH)
            if width > 360:
                too_wide.append((page, width))
    assert not too_wide


def test_long_names_addresses_and_emails_wrap_instead_of_widening_the_page(db, client, live_server, quiet_phone,
                                                                           make_conference, make_invitation):
    """What widened an agency's page to 391 px in the field: long unbroken addresses in the facts column."""
    venue = Venue(name="Trung tâm Hội nghị - Triển lãm Khoa học và Công nghệ tỉnh Quảng Ngãi",
                  room="Hội trường lớn tầng 3 (phòng họp trực tuyến kết nối các xã, phường, đặc khu)",
                  address="Số 1 Đại lộ Hùng Vương nối dài, phường Cẩm Thành, tỉnh Quảng Ngãi", phone="02553710477")
    db.session.add(venue)
    db.session.commit()
    conference = make_conference(
        venue_id=venue.id, chair="Đồng chí Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh Quảng Ngãi",
        contact_name="Nguyễn Thị Phương Thảo, Phòng Quản lý Khoa học và Công nghệ cơ sở",
        contact_phone="0935482617", contact_email="phongquanlykhoahocvacongnghecoso.skhcn@quangngai.gov.vn")
    invitation = make_invitation(conference, kind="agency", seats=3,
                                 email="vanthu.trungtamungdungvadichvukhoahoccongnghe@quangngai.gov.vn")
    client.post(f"/moi/{invitation.rsvp_token}", data={
        "choice": "attend", "people-0-full_name": "Tôn Nữ Thị Hoàng Phương Anh",
        "people-0-position": "Phó Giám đốc phụ trách Trung tâm Ứng dụng và Dịch vụ Khoa học Công nghệ",
        "people-0-email": "tonnuthihoangphuonganh.trungtamungdung@quangngai.gov.vn"})
    pass_code = db.session.scalar(sa.select(Delegate.pass_code).where(Delegate.invitation_id == invitation.id))
    for url in (f"/moi/{invitation.rsvp_token}", f"/the/{pass_code}"):
        quiet_phone.goto(live_server.url + url, wait_until="load")
        assert quiet_phone.evaluate(WIDTH) <= 360, url


def _conference_today(db, make_conference, make_venue, make_department):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", phone="02553822385"))
    now = datetime.now(UTC).replace(microsecond=0)
    conference = make_conference(
        title="Hội nghị sơ kết Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ KH&CN giai đoạn 2021 - 2025",
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3), venue_id=make_venue().id,
        chair="Đồng chí Lê Quang Thịnh, Giám đốc Sở Khoa học và Công nghệ", agenda_published_at=now,
        lead_department_id=make_department("Phòng Quản lý KH&CN cơ sở", "QLKHCNCS").id,
        contact_name="Võ Thị Minh Thư", contact_phone="0935482617")
    items = [("report", "Báo cáo sơ kết Chương trình", "Phan Văn Hiếu, Phó Giám đốc Sở", 30),
             ("discussion", "Thảo luận, đề xuất định hướng giai đoạn tiếp theo", "Các đại biểu", 45),
             ("conclusion", "Kết luận của chủ trì Hội nghị", "Lê Quang Thịnh, Giám đốc Sở", 20)]
    for position, (kind, title, presenter, minutes) in enumerate(items, start=1):
        db.session.add(AgendaItem(conference_id=conference.id, position=position, kind=kind, title=title,
                                  presenter=presenter, duration_minutes=minutes))
    db.session.commit()
    return conference


def _delegate(db, conference, name, agency, position="Phó Giám đốc"):
    invitation = Invitation(conference_id=conference.id, kind="person", invitee_name=name, status="attending")
    db.session.add(invitation)
    db.session.flush()
    delegate = Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="invitee", full_name=name,
                        position=position, agency_name=agency, search_text=text.search_key(name, agency))
    db.session.add(delegate)
    db.session.commit()
    return delegate


def test_the_calendar_file_downloads_and_opens(db, live_server, phone_page, make_conference, make_venue,
                                               make_department):
    import icalendar

    conference = _conference_today(db, make_conference, make_venue, make_department)
    delegate = _delegate(db, conference, "Trần Thị Lan", "Sở Y tế")
    phone_page.goto(f"{live_server.url}/the/{delegate.pass_code}")
    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="Thêm vào lịch").click()
    assert download.value.suggested_filename == "hoi-nghi.ics"
    event = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == conference.title and event.decoded("DTSTART") == conference.starts_at
    with phone_page.expect_download() as card:
        phone_page.get_by_role("link", name="Lưu thẻ (ảnh)").click()
    assert card.value.suggested_filename == "the-dai-bieu.png"
    # «Chia sẻ»: the Web Share API where the phone has it, else the link is copied
    phone_page.evaluate("() => { Object.defineProperty(navigator, 'share', {value: undefined}); }")
    phone_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    phone_page.get_by_role("button", name="Chia sẻ").click()
    phone_page.get_by_role("button", name="Đã sao chép đường liên kết").wait_for()
    assert phone_page.evaluate("() => navigator.clipboard.readText()").endswith(f"/the/{delegate.pass_code}")


def test_the_pass_opens_offline_after_a_first_visit(db, live_server, browser, make_conference, make_venue,
                                                    make_department):
    conference = _conference_today(db, make_conference, make_venue, make_department)
    delegate = _delegate(db, conference, "Trần Thị Lan", "Sở Y tế")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        url = f"{live_server.url}/the/{delegate.pass_code}"
        page.goto(url)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        kept = """async (urls) => { const cache = await caches.open('delegate-pages-v1');
                   const found = await Promise.all(urls.map(u => cache.match(u)));
                   return found.every(Boolean); }"""
        program = f"{url}/chuong-trinh"
        page.wait_for_function(kept, arg=[url, program, f"{url}/qr.png"])
        shot(page, "pass-phone")

        # The venue's network is down: the server cannot be reached at all.
        live_server.shutdown()
        live_server.server_close()
        context.set_offline(True)
        page.reload()
        assert page.get_by_role("heading", name="Trần Thị Lan").is_visible()
        assert page.locator("[data-offline-note]").first.is_visible()  # the kept script runs
        assert page.evaluate("() => getComputedStyle(document.querySelector('.pass-card')).textAlign") == "center"
        assert page.evaluate("() => document.querySelector('.pass-qr img').naturalWidth") > 0
        page.goto(program)
        assert page.get_by_text("Thảo luận, đề xuất định hướng giai đoạn tiếp theo").is_visible()
        page.goto(f"{url}/tai-lieu")
        assert page.get_by_text("Không có mạng").is_visible()
        shot(page, "pass-phone-offline-not-kept")
    finally:
        context.close()


def test_a_delegate_registers_to_speak_and_the_projector_follows_the_secretary(
        db, live_server, page, phone_page, browser, make_user, make_conference, make_venue, make_department):
    conference = _conference_today(db, make_conference, make_venue, make_department)
    discussion = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.kind == "discussion"))
    db.session.add(SpeakerList(conference_id=conference.id, agenda_item_id=discussion.id, is_open=True))
    db.session.commit()
    first = _delegate(db, conference, "Nguyễn Tấn Hưng", "Sở Nông nghiệp và Môi trường")
    second = _delegate(db, conference, "Hồ Văn Lâm", "Công ty TNHH Quế Trà Bồng Xanh", "Giám đốc")
    newcomer = _delegate(db, conference, "Lê Thị Bích Thủy", "Trường Đại học Phạm Văn Đồng", "Trưởng phòng")
    for delegate, topic in ((first, "Nhân rộng mô hình liên kết chuỗi"), (second, "Chứng nhận hữu cơ cho quế")):
        speakers.register(delegate, discussion, topic)

    # The secretary's page and the projector are open before the newcomer registers.
    browser_login(page, live_server.url, make_user("organizer", full_name="Võ Thị Minh Thư"))
    page.goto(f"{live_server.url}/hoi-nghi/{conference.id}/phat-bieu?muc={discussion.id}")
    projector = page.context.new_page()
    projector.goto(f"{live_server.url}/hoi-nghi/{conference.id}/man-chieu")

    # The delegate registers from the phone, with a topic line.
    phone_page.goto(f"{live_server.url}/the/{newcomer.pass_code}")
    phone_page.get_by_role("link", name="Đăng ký phát biểu").click()
    phone_page.get_by_label("Nội dung phát biểu (một dòng)").fill("Đào tạo kỹ thuật viên cho các xã miền núi")
    phone_page.get_by_role("button", name="Đăng ký phát biểu").click()
    phone_page.get_by_text("vị trí thứ 3 trong danh sách chờ").first.wait_for()
    assert phone_page.evaluate(WIDTH) <= 360
    shot(phone_page, "speak-phone")

    # It reaches the secretary's page by itself (htmx polling); the secretary moves them first.
    page.locator(".waiting-item", has_text="Lê Thị Bích Thủy").wait_for(timeout=15_000)
    for _ in range(2):
        page.get_by_role("button", name="Chuyển Lê Thị Bích Thủy lên").click()
        page.wait_for_load_state("networkidle")
    page.wait_for_function("""() => document.querySelector('#waiting-list .waiting-item strong').textContent
                              === 'Lê Thị Bích Thủy'""")
    # and drags the last one above the second (SortableJS, saved by htmx)
    handles = page.locator("#waiting-list .drag-handle")
    handles.nth(1).evaluate("handle => handle.scrollIntoView({block: 'center'})")
    start, target = handles.nth(2).bounding_box(), handles.nth(1).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] - 4, steps=12)
    page.mouse.up()
    page.wait_for_function("""() => [...document.querySelectorAll('#waiting-list .waiting-item strong')]
                              .map(e => e.textContent).join('|') === 'Lê Thị Bích Thủy|Hồ Văn Lâm|Nguyễn Tấn Hưng'""",
                           timeout=15_000)

    # The projector, refreshed by htmx, shows the secretary's order.
    projector.wait_for_function("""() => [...document.querySelectorAll('.stage-queue strong')].map(e => e.textContent)
                                   .join('|') === 'Lê Thị Bích Thủy|Hồ Văn Lâm|Nguyễn Tấn Hưng'""", timeout=15_000)

    # Giving the floor: the projector shows the speaker, the topic and the countdown.
    page.get_by_role("button", name="Mời phát biểu").first.click()
    projector.locator(".stage-name", has_text="Lê Thị Bích Thủy").wait_for(timeout=15_000)
    assert projector.get_by_text("Đào tạo kỹ thuật viên cho các xã miền núi").is_visible()
    projector.wait_for_function("() => /^4:5\\d$|^5:00$/.test(document.querySelector('.stage-countdown').textContent)")
    phone_page.reload()
    assert phone_page.get_by_text("Anh/chị đang được mời phát biểu.").is_visible()
    page.locator(".countdown").wait_for()
    shot(page, "speakers-laptop")
    shot(projector, "projector")
    small = browser.new_context(**PHONE)
    try:
        secretary_phone = small.new_page()
        browser_login(secretary_phone, live_server.url, make_user("organizer", full_name="Trần Văn Thư"))
        secretary_phone.goto(f"{live_server.url}/hoi-nghi/{conference.id}/phat-bieu?muc={discussion.id}")
        assert secretary_phone.evaluate(WIDTH) <= 360
        shot(secretary_phone, "speakers-phone")
    finally:
        small.close()


def test_the_hall_pages_at_a_glance(app, db, live_server, page, browser, make_user):
    """The demo's hall as `make run` shows it, photographed for the docs, laptop and phone."""
    from eventapp.demo.loader import load_demo
    from eventapp.models import Conference

    load_demo(password="matkhau-demo-1")
    past = db.session.scalar(sa.select(Conference).where(Conference.number_symbol == "254/KH-SKHCN"))
    giao_ban = db.session.scalar(sa.select(Conference).where(Conference.kind == "giao_ban"))
    organizer = make_user("organizer", full_name="Nguyễn Thị Mỹ Linh")
    browser_login(page, live_server.url, organizer)
    pages = [("attendance", f"/hoi-nghi/{past.id}/diem-danh"), ("conclusions", f"/hoi-nghi/{past.id}/ket-luan"),
             ("conclusions-overdue", f"/hoi-nghi/{giao_ban.id}/ket-luan"), ("handouts", f"/hoi-nghi/{past.id}/tai-lieu")]
    for name, url in pages:
        page.goto(live_server.url + url)
        shot(page, f"hall-{name}-laptop", full_page=name != "attendance")
    phone = browser.new_context(**PHONE)
    try:
        small = phone.new_page()
        browser_login(small, live_server.url, organizer)
        for name, url in pages[:2]:
            small.goto(live_server.url + url)
            assert small.evaluate(WIDTH) <= 360, url
            shot(small, f"hall-{name}-phone", full_page=name != "attendance")
        delegate = db.session.scalar(sa.select(Delegate).where(Delegate.conference_id == past.id,
                                                               Delegate.status == "attending").limit(1))
        for name in ("chuong-trinh", "tai-lieu"):
            small.goto(f"{live_server.url}/the/{delegate.pass_code}/{name}")
            shot(small, f"delegate-{name}-phone")
        token = db.session.scalar(sa.select(Invitation.rsvp_token).where(Invitation.conference_id == past.id,
                                                                         Invitation.kind == "agency").limit(1))
        small.goto(f"{live_server.url}/moi/{token}")
        shot(small, "rsvp-phone")
    finally:
        phone.close()
