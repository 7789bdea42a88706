"""The desk in real conditions, in a real Chromium: a scanner burst wherever the focus is, an app shell that opens
without network (service worker + IndexedDB), local-first answers corrected by the server, an enrolled device's
desk with its bearer token."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp import vntime
from eventapp.checkin.devices import create_device, revoke_device
from eventapp.models import CheckIn, Device
from eventapp.passes import qr_text

from . import test_checkin_browser
from .conftest import screenshot
from .test_checkin_browser import confirmed, open_desk, scan

setup = test_checkin_browser.setup  # the same conference, reception user and delegates

pytestmark = pytest.mark.browser


def laptop(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                               timezone_id="Asia/Ho_Chi_Minh")


class VenueNetwork:
    """The venue's network going down and coming back: the browser is told it is offline, and the server cannot
    be reached at all (Chromium's offline emulation does not cover what a service worker fetches, so the server's
    socket is closed and later opened again on the same port)."""

    def __init__(self, live_server, app):
        self.server, self.app, self.port = live_server, app, live_server.server_port
        self.thread = None

    def down(self, *contexts):
        for context in contexts:
            context.set_offline(True)
        self.server.shutdown()
        self.server.socket.close()

    def up(self, *contexts):
        from werkzeug.serving import make_server

        server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()
        self.server = server
        for context in contexts:
            context.set_offline(False)

    def close(self):
        if self.thread is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)


@pytest.fixture()
def venue(live_server, app):
    network = VenueNetwork(live_server, app)
    yield network
    network.close()


def checkins(db):
    db.session.expire_all()
    return db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)).all()


def test_a_scanner_burst_in_the_search_box_is_a_scan_not_a_search(page, live_server, setup, db):
    conference, user, delegates = setup
    open_desk(page, live_server, conference, user)
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    confirmed(page, "ok", "Nguyễn Văn Đức")

    page.fill("#search-q", "pham minh")
    page.wait_for_selector("#search-results .found-item:has-text('Phạm Minh Quang')")
    page.focus("#search-q")
    page.keyboard.type(qr_text(conference.id, delegates[1].pass_code))  # a burst, keys ms apart
    page.keyboard.press("Enter")
    # the previous person's panel is gone at once, the search keeps what the clerk typed
    assert "Nguyễn Văn Đức" not in page.inner_text("#result")
    confirmed(page, "ok", "Trần Thị Mai")
    assert page.input_value("#search-q") == "pham minh"
    page.wait_for_timeout(500)  # the search box's own (debounced) search has had its chance
    assert "Không tìm thấy" not in page.inner_text("#search-results")
    assert "Phạm Minh Quang" in page.inner_text("#search-results")
    assert page.evaluate("document.activeElement.id") == "scan-code"

    # a pass's text pasted into a field and Enter: a scan too, and the field is emptied
    page.click("summary:has-text('Khách đến không báo trước')")
    page.fill("#walkin-full_name", qr_text(conference.id, delegates[2].pass_code))
    page.press("#walkin-full_name", "Enter")
    confirmed(page, "ok", "Phạm Minh Quang")
    assert page.input_value("#walkin-full_name") == ""

    # a person typing a name slowly and pressing Enter still searches
    page.fill("#search-q", "")
    page.type("#search-q", "hoang", delay=120)
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-results .found-item:has-text('Hoàng Văn Bình')")
    assert sorted(c.delegate_id for c in checkins(db)) == sorted(d.id for d in delegates[:3])


def test_the_desk_opens_offline_with_its_list_and_queue_and_uploads_each_scan_once(browser, live_server, venue, setup,
                                                                                   db):
    conference, user, delegates = setup
    context = laptop(browser)
    page = context.new_page()
    page.set_default_timeout(15_000)
    open_desk(page, live_server, conference, user)
    page.wait_for_selector("#desk[data-offline-ready]")

    desk_url = page.url

    venue.down(context)
    page.reload()
    page.wait_for_selector("#desk[data-ready]")
    assert page.is_visible("#offline-banner")
    assert "Danh sách tải lúc" in page.inner_text("#list-age")
    before = datetime.now(UTC) - timedelta(seconds=1)
    for delegate in delegates[:3]:
        scan(page, qr_text(conference.id, delegate.pass_code))
        page.wait_for_selector(f"#result.result-ok[data-state=queued]:has-text('{delegate.full_name}')")
    after = datetime.now(UTC) + timedelta(seconds=1)
    assert "3 lượt quét chờ gửi" in page.inner_text("#queue-status")

    page.close()  # the tab is closed; a new one is opened, still without network
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(desk_url)
    page.wait_for_selector("#desk[data-ready][data-queued='3']")
    assert "Danh sách tải lúc" in page.inner_text("#list-age")
    assert "danh sách tải lúc" in page.inner_text("#offline-banner")
    waiting = page.locator("#recent li").all_inner_texts()
    assert len(waiting) == 3 and all("chờ gửi" in item for item in waiting)
    assert {d.full_name for d in delegates[:3]} == {item.split("\n")[1] for item in waiting}
    screenshot(page, "checkin-desk-laptop-offline-reopened")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "checkin-desk-phone-offline-reopened")
    page.set_viewport_size({"width": 1366, "height": 768})
    # a scan already queued is a repeat here too
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    page.wait_for_selector("#result.result-again[data-state=queued]")
    assert checkins(db) == []

    time.sleep(1.5)
    venue.up(context)
    page.wait_for_selector("#desk[data-queued='0']")
    page.wait_for_selector("#offline-banner", state="hidden")
    found = checkins(db)
    assert sorted(c.delegate_id for c in found) == sorted(d.id for d in delegates[:3])
    for checkin in found:
        assert before <= checkin.checked_in_at <= after  # the scan's own time, not the upload's
        assert checkin.recorded_at > after
    page.reload()
    page.wait_for_selector("#desk[data-synced-at][data-queued='0']")
    assert len(checkins(db)) == 3
    context.close()


def test_two_offline_desks_scan_one_pass_and_the_second_is_told_it_was_a_repeat(browser, live_server, setup, db):
    conference, user, delegates = setup
    code = qr_text(conference.id, delegates[0].pass_code)
    desks = []
    for _ in range(2):
        context = laptop(browser)
        page = context.new_page()
        page.set_default_timeout(15_000)
        open_desk(page, live_server, conference, user)
        context.set_offline(True)
        desks.append((context, page))
    for _context, page in desks:
        scan(page, code)
        page.wait_for_selector("#result.result-ok[data-state=queued]")

    first, second = desks
    first[0].set_offline(False)
    first[1].wait_for_selector("#desk[data-queued='0']")
    first[1].wait_for_selector("#result.result-ok[data-state=confirmed]")
    second[0].set_offline(False)
    second[1].wait_for_selector("#result.result-again[data-state=corrected]", timeout=5_000)
    item = second[1].inner_text("#recent li:first-child")
    first_time = vntime.format_time(checkins(db)[0].checked_in_at)
    assert "Lặp lại" in item and f"lúc {first_time}" in item  # "đã vào lúc 07:42 ở Bàn 2" once desks are named
    screenshot(second[1], "checkin-desk-laptop-repeat-corrected")
    assert len(checkins(db)) == 1
    for context, _page in desks:
        context.close()


def test_an_enrolled_desk_keeps_its_token_shows_no_personal_data_and_says_when_refused(browser, live_server, setup,
                                                                                        db, client, venue):
    conference, _user, delegates = setup
    device, token = create_device(conference, "Bàn 2")
    device_id = device.id
    html = client.get(f"/ban/{conference.id}").get_data(as_text=True)
    assert all(d.full_name not in html for d in delegates) and token not in html

    context = laptop(browser)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/ban/{conference.id}#token={token}")
    page.wait_for_selector("#desk[data-synced-at]")
    assert token not in page.url  # taken out of the address bar (and the history)
    page.reload()  # the token is kept on the machine
    page.wait_for_selector("#desk[data-synced-at]")
    scan(page, qr_text(conference.id, delegates[0].pass_code))
    confirmed(page, "ok", "Nguyễn Văn Đức")
    screenshot(page, "checkin-desk-shell-laptop")
    assert checkins(db)[0].device_id == device_id

    # opened again without network: the page, the list and the token are on the machine
    page.wait_for_selector("#desk[data-offline-ready]")
    venue.down(context)
    page.reload()
    page.wait_for_selector("#desk[data-ready]")
    assert "Danh sách tải lúc" in page.inner_text("#list-age") and page.is_hidden("#desk-refused")
    # a name found in the list kept on the machine is checked in as a scan, queued until the network returns
    page.fill("#search-q", "tran thi")
    page.click("#search-results button:has-text('Check-in')")
    page.wait_for_selector("#result.result-ok[data-state=queued]:has-text('Trần Thị Mai')")
    venue.up(context)
    confirmed(page, "ok", "Trần Thị Mai")
    page.wait_for_selector("#desk[data-queued='0']")

    revoke_device(db.session.get(Device, device_id))
    scan(page, qr_text(conference.id, delegates[2].pass_code))
    page.wait_for_selector("#desk[data-refused]")
    assert "thu hồi" in page.inner_text("#desk-refused")
    assert page.get_attribute("#desk", "data-queued") == "1"  # kept, never lost
    assert "chờ gửi" in page.inner_text("#recent li:first-child")
    assert "giữ trên máy" in page.inner_text("#result")
    screenshot(page, "checkin-desk-shell-laptop-refused")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "checkin-desk-shell-phone-refused")
    assert len(checkins(db)) == 2
    context.close()


def test_an_online_desk_with_an_old_list_is_corrected_by_the_server_within_a_second(browser, live_server, setup, db):
    """Desk B downloaded its list; then desk A checks a delegate in and another one's attendance is cancelled. B
    judges from its list (green), and the server's answer turns the panel amber or red with the reason."""
    conference, user, delegates = setup
    contexts = [laptop(browser), laptop(browser)]
    pages = []
    for context in contexts:
        page = context.new_page()
        page.set_default_timeout(15_000)
        open_desk(page, live_server, conference, user)
        pages.append(page)
    desk_a, desk_b = pages
    scan(desk_a, qr_text(conference.id, delegates[0].pass_code))
    confirmed(desk_a, "ok")
    delegates[1].status = "cancelled"
    db.session.commit()

    desk_b.focus("#undo-form button")  # a scanner's Enter never presses the button that has the focus
    scan(desk_b, qr_text(conference.id, delegates[0].pass_code))
    desk_b.wait_for_selector("#result.result-again[data-state=corrected]", timeout=1_000)
    first_time = vntime.format_time(checkins(db)[0].checked_in_at)
    item = desk_b.inner_text("#recent li:first-child")
    assert "Lặp lại" in item and f"lúc {first_time}" in item  # the server's words: "đã vào lúc 07:42 ở Bàn 2"
    scan(desk_b, qr_text(conference.id, delegates[1].pass_code))
    desk_b.wait_for_selector("#result.result-bad[data-state=corrected]:has-text('Đại biểu đã hủy tham dự')",
                             timeout=1_000)
    assert "Từ chối · Đại biểu đã hủy tham dự" in desk_b.inner_text("#recent li:first-child")
    assert [c.delegate_id for c in checkins(db)] == [delegates[0].id]
    for context in contexts:
        context.close()


def test_a_queue_left_in_local_storage_by_the_old_desk_is_moved_once_and_sent_with_its_times(page, live_server,
                                                                                            setup, db):
    conference, user, delegates = setup
    open_desk(page, live_server, conference, user)
    scanned_at = (datetime.now(UTC) - timedelta(minutes=20)).replace(microsecond=0)
    old_queue = [{"code": qr_text(conference.id, delegates[3].pass_code), "nonce": "cu-1",
                  "scanned_at": scanned_at.isoformat().replace("+00:00", "Z")}]
    page.evaluate("([key, queue]) => localStorage.setItem(key, JSON.stringify(queue))",
                  [f"eventapp.checkin.queue.{conference.id}", old_queue])
    page.reload()
    page.wait_for_selector("#desk[data-synced-at][data-queued='0']")
    assert page.evaluate(f"localStorage.getItem('eventapp.checkin.queue.{conference.id}')") is None
    [checkin] = checkins(db)
    assert checkin.delegate_id == delegates[3].id and checkin.checked_in_at == scanned_at
    page.reload()
    page.wait_for_selector("#desk[data-synced-at][data-queued='0']")
    assert len(checkins(db)) == 1


def test_the_desk_opens_after_the_browser_is_restarted_without_network(playwright_instance, live_server, venue, setup,
                                                                        db, tmp_path):
    """A laptop restarted at the venue while the network is down: the same browser profile opens the desk."""
    from .conftest import CHROMIUM_ARGS, browser_login, chromium_path

    conference, user, delegates = setup

    def launch():
        context = playwright_instance.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(15_000)
        return context, context.pages[0] if context.pages else context.new_page()

    context, page = launch()
    browser_login(page, live_server.url, user)
    desk_url = f"{live_server.url}/hoi-nghi/{conference.id}/don-tiep"
    page.goto(desk_url)
    page.wait_for_selector("#desk[data-synced-at][data-offline-ready]")
    venue.down(context)
    scan(page, qr_text(conference.id, delegates[1].pass_code))
    page.wait_for_selector("#result.result-ok[data-state=queued]")
    context.close()  # the browser is closed (the laptop restarted)

    context, page = launch()
    context.set_offline(True)
    page.goto(desk_url)
    page.wait_for_selector("#desk[data-ready][data-queued='1']")
    assert "Danh sách tải lúc" in page.inner_text("#list-age")
    assert "Trần Thị Mai" in page.inner_text("#recent")
    venue.up(context)
    # the sign-in did not survive the restart (a session cookie): the desk says so and keeps the scan
    page.wait_for_selector("#desk[data-refused]")
    assert "đăng nhập" in page.inner_text("#desk-refused").lower()
    assert page.get_attribute("#desk", "data-queued") == "1" and checkins(db) == []
    browser_login(page, live_server.url, user)
    page.goto(desk_url)
    page.wait_for_selector("#desk[data-synced-at][data-queued='0']")
    assert [c.delegate_id for c in checkins(db)] == [delegates[1].id]
    context.close()
