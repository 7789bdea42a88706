"""The enrolled device's desk (/ban/<id>) and the desk's service worker, as a client sees them."""

from __future__ import annotations

import re


def test_the_desk_shell_opens_without_sign_in_and_holds_no_personal_data(client, make_conference, make_delegate):
    conference = make_conference()
    delegate = make_delegate(conference, "Nguyễn Thị Bảo Mật", position="Giám đốc", agency_name="Sở Nội vụ")
    response = client.get(f"/ban/{conference.id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    html = response.get_data(as_text=True)
    for private in (delegate.full_name, delegate.pass_code, "Sở Nội vụ"):
        assert private not in html
    assert 'data-auth="device"' in html
    assert 'data-api-delegates="/api/v1/delegates"' in html  # the token, not the URL, names the conference
    assert f'data-sw-scope="/ban/{conference.id}"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " on" + "click=" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_desk_shell_of_a_conference_that_does_not_exist_is_not_found(client):
    assert client.get("/ban/987654").status_code == 404


def test_the_desk_service_worker_may_control_both_desks_and_keeps_its_own_caches(client, reception_client,
                                                                                 make_conference):
    response = client.get("/ban/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert 'CACHE = "desk-shell-v1"' in body and "delegate-pages-" in body  # named apart from the delegate pages'
    conference = make_conference()
    desk = reception_client.get(f"/hoi-nghi/{conference.id}/don-tiep").get_data(as_text=True)
    assert 'data-sw="/ban/sw.js"' in desk and f'data-sw-scope="/hoi-nghi/{conference.id}/don-tiep"' in desk
    assert "jsQR" not in desk and "zxing-wasm@3.1.6/reader/zxing_reader.wasm" in desk
    wasm = client.get("/static/vendor/zxing-wasm@3.1.6/reader/zxing_reader.wasm")
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm"  # compiled while it downloads
    assert wasm.data[:4] == b"\0asm"
