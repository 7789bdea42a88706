"""Desk enrolment in a real browser: an organizer shows the QR of «Thêm bàn đón tiếp», a phone opens its link and
becomes a named desk with a token in the address's fragment; revoked, the token is refused. The board of a
conference of several days. Screenshots at 1366×768 and 360×740 (``KEEP_SCREENSHOTS=1`` refreshes
docs/screenshots)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eventapp import vntime
from eventapp.checkin import devices
from eventapp.passes import qr_text

from .conftest import browser_login, screenshot

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOW = datetime.now(UTC).replace(microsecond=0)


def _keep(page, name: str) -> None:
    """A screenshot for people to look at (screenshots/); KEEP_SCREENSHOTS=1 copies it to docs/screenshots."""
    path = screenshot(page, name)
    if os.environ.get("KEEP_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / f"{name}.png")


def _api(url: str, token: str, payload: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode() if payload is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture()
def two_days(make_conference):
    today = vntime.to_local(NOW).date()
    starts = vntime.local_to_utc(datetime.combine(today - timedelta(days=1), datetime.min.time())) + timedelta(hours=8)
    return make_conference(title="Hội nghị sơ kết Chương trình nông thôn miền núi giai đoạn 2021 - 2025",
                           starts_at=starts, ends_at=starts + timedelta(days=1, hours=3))


def test_a_phone_enrols_by_the_qr_link_and_is_refused_once_revoked(page, phone_page, live_server, two_days,
                                                                    make_user, make_delegate):
    organizer = make_user("organizer", full_name="Võ Văn Tổ Chức")
    delegate = make_delegate(two_days, "Trần Thị Lan", position="Phó Giám đốc", agency_name="Sở Y tế")
    devices.create_device(two_days, "Máy quét cửa Đông")
    browser_login(page, live_server.url, organizer)
    page.goto(f"{live_server.url}/hoi-nghi/{two_days.id}/thiet-bi")
    page.get_by_role("button", name="Thêm bàn đón tiếp").click()
    page.wait_for_selector(".enrol-qr svg")
    link = page.get_attribute(".enrol-qr .link a", "href")
    assert link.startswith(live_server.url + "/ban/dang-ky/")
    _keep(page, "checkin-devices")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _keep(page, "checkin-devices-phone")

    phone_page.goto(link)
    name = phone_page.get_by_label("Tên bàn đón tiếp")
    assert name.input_value() == "Bàn 1"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    _keep(phone_page, "checkin-enrol-phone")
    name.fill("Bàn 2 cửa chính")
    with phone_page.expect_response(lambda r: "/ban/dang-ky/" in r.url and r.request.method == "POST") as sent:
        phone_page.get_by_role("button", name="Dùng máy này làm bàn đón tiếp").click()
    location = sent.value.headers["location"]
    assert f"/ban/{two_days.id}#token=" in location
    token = location.split("#token=")[1]
    # The desk shell keeps the token and takes it out of the address bar.
    phone_page.wait_for_url(f"**/ban/{two_days.id}")
    status, answer = _api(f"{live_server.url}/api/v1/checkin", token, {"code": qr_text(two_days.id, delegate.pass_code)})
    assert (status, answer["result"], answer["desk"]) == (201, "ok", "Bàn 2 cửa chính")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/hoi-nghi/{two_days.id}/thiet-bi")
    row = page.locator("tr", has_text="Bàn 2 cửa chính")
    assert "Chưa dùng" not in row.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector(".flash-success:has-text('Đã thu hồi mã của thiết bị «Bàn 2 cửa chính»')")
    _keep(page, "checkin-devices-revoked")
    page.set_viewport_size({"width": 360, "height": 740})
    _keep(page, "checkin-devices-phone-revoked")
    status, answer = _api(f"{live_server.url}/api/v1/delegates", token)
    assert status == 401 and "đã bị thu hồi" in answer["message"]

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/hoi-nghi/{two_days.id}/thiet-bi")
    page.get_by_role("button", name="Thêm bàn đón tiếp").click()
    page.goto(page.get_attribute(".enrol-qr .link a", "href"))
    assert page.get_by_label("Tên bàn đón tiếp").input_value() == "Bàn 1"
    _keep(page, "checkin-enrol-laptop")


def test_the_board_of_a_conference_of_two_days(page, phone_page, live_server, two_days, make_user, make_delegate,
                                               client):
    reception = make_user("reception", full_name="Lê Thị Lễ Tân")
    _, token = devices.create_device(two_days, "Bàn 1")
    people = [make_delegate(two_days, f"Nguyễn Văn Đại Biểu {n}", agency_name=f"Sở số {n % 4 + 1}")
              for n in range(12)]
    for n, delegate in enumerate(people[:9]):
        client.post("/api/v1/checkin", headers={"Authorization": f"Bearer {token}"}, json={
            "code": qr_text(two_days.id, delegate.pass_code),
            "scanned_at": (NOW - timedelta(days=1, minutes=3 * n)).isoformat()})
    for delegate in people[:5]:
        client.post("/api/v1/checkin", headers={"Authorization": f"Bearer {token}"},
                    json={"code": qr_text(two_days.id, delegate.pass_code)})
    browser_login(page, live_server.url, reception)
    page.goto(f"{live_server.url}/hoi-nghi/{two_days.id}/theo-doi")
    assert "Ngày 2/2" in page.text_content(".board-eyebrow")
    assert page.inner_text(".board-big").replace(" ", "").replace("\n", "") == "5/12"
    _keep(page, "checkin-board-laptop")
    page.get_by_role("link", name=f"Ngày 1 · {vntime.format_date(two_days.starts_at)}").click()
    page.wait_for_selector(".board-eyebrow:text-matches('Ngày 1/2', 'i')")
    assert page.inner_text(".board-big").replace(" ", "").replace("\n", "") == "9/12"
    browser_login(phone_page, live_server.url, reception)
    phone_page.goto(f"{live_server.url}/hoi-nghi/{two_days.id}/theo-doi")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    _keep(phone_page, "checkin-board-phone")
