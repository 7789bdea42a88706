"""The desk's camera on a test set of filmed passes (tests/camera_frames.py): Chromium's fake camera plays each
shot, the desk decodes it with zxing-wasm; it must read every shot that zxing-cpp (the same library, native)
reads on the first frame. And while nothing decodes, the hint changes."""

from __future__ import annotations

import base64
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from eventapp.models import CheckIn
from eventapp.passes import qr_text
from eventapp.qr import qr_png

from . import camera_frames, test_checkin_browser
from .conftest import screenshot
from .test_checkin_browser import open_desk

pytestmark = pytest.mark.browser

setup = test_checkin_browser.setup  # the same conference, reception user and delegates

#: The camera's current frame as a PNG data URL, once the video plays.
GRAB_FRAME = """async () => {
  const video = document.getElementById("camera-video");
  while (!video.videoWidth) { await new Promise(r => setTimeout(r, 50)); }
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  return canvas.toDataURL("image/png");
}"""


def camera_page(browser_factory, live_server, video, viewport=None):
    browser = browser_factory("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}")
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize(("shot", "suffix"), [(shot, ".y4m") for shot in camera_frames.SHOTS]
                         + [(camera_frames.SHOTS[0], ".mjpeg")], ids=lambda v: getattr(v, "name", v))
def test_the_desk_reads_a_filmed_pass_whenever_zxing_cpp_reads_it(browser_factory, live_server, setup, db, tmp_path,
                                                                  shot, suffix):
    import zxingcpp

    conference, user, delegates = setup
    code = qr_text(conference.id, delegates[2].pass_code)
    png = qr_png(code, box_size=8)
    page = camera_page(browser_factory, live_server, camera_frames.video(png, shot, tmp_path / (shot.name + suffix)))
    open_desk(page, live_server, conference, user)
    page.click("#camera-toggle")
    # the reference reads the frame as the camera delivered it to the page (Chromium's YUV conversion included)
    seen = Image.open(io.BytesIO(base64.b64decode(page.evaluate(GRAB_FRAME).split(",", 1)[1])))
    assert seen.size == (camera_frames.WIDTH, camera_frames.HEIGHT)
    read_by_zxing_cpp = any(r.text == code for r in zxingcpp.read_barcodes(seen))
    if read_by_zxing_cpp:
        page.wait_for_selector("#result[data-state=confirmed]:has-text('Phạm Minh Quang')", timeout=8_000)
        assert db.session.scalar(sa.select(CheckIn.delegate_id)) == delegates[2].id
    else:  # the reference cannot read it either: the desk only has to keep trying without a false read
        page.wait_for_timeout(3_000)
        assert page.get_attribute("#result", "data-result") in ("", "ok")


def test_the_hint_changes_while_nothing_decodes(browser_factory, live_server, setup, tmp_path):
    conference, user, _delegates = setup
    png = qr_png("nothing", box_size=8)
    video = camera_frames.video(png, camera_frames.Shot("no-code", with_code=False), tmp_path / "empty.y4m")
    for viewport, name in (({"width": 1366, "height": 768}, "laptop"), ({"width": 360, "height": 740}, "phone")):
        page = camera_page(browser_factory, live_server, video, viewport)
        open_desk(page, live_server, conference, user)
        page.click("#camera-toggle")
        page.wait_for_selector(".camera-hint:has-text('Đưa mã QR')")
        page.wait_for_selector(".camera-hint[data-hint-step='1']:has-text('lại gần')", timeout=8_000)
        page.wait_for_selector(".camera-hint[data-hint-step='2']:has-text('phẳng')", timeout=8_000)
        screenshot(page, f"checkin-desk-{name}-camera-hint")
        if page.is_visible("#camera-torch"):  # the fake camera offers a torch: it turns on, or the button goes
            page.click("#camera-torch")
            page.wait_for_selector("#camera-torch[aria-pressed=true], #camera-torch[hidden]", state="attached")
        if page.is_visible("#camera-switch"):  # the next camera opens and is decoded from
            page.click("#camera-switch")
            page.wait_for_function("document.getElementById('camera-video').videoWidth > 0")
            assert page.is_visible("#camera-video")
        assert page.get_attribute("#result", "data-result") == ""
        page.context.browser.close()


def test_the_camera_decodes_offline_from_the_kept_decoder(browser_factory, live_server, setup, app, db, tmp_path):
    """The decoder (script and .wasm) is kept by the desk's service worker: after a reload without network the
    camera still reads passes, queued until the network returns."""
    from .test_desk_browser import VenueNetwork

    conference, user, delegates = setup
    png = qr_png(qr_text(conference.id, delegates[0].pass_code), box_size=8)
    page = camera_page(browser_factory, live_server, camera_frames.video(png, camera_frames.SHOTS[1],
                                                                         tmp_path / "pass.y4m"))
    open_desk(page, live_server, conference, user)
    page.wait_for_selector("#desk[data-offline-ready]")
    venue = VenueNetwork(live_server, app)
    venue.down(page.context)
    try:
        page.reload()
        page.wait_for_selector("#desk[data-ready]")
        page.click("#camera-toggle")
        page.wait_for_selector("#result.result-ok[data-state=queued]:has-text('Nguyễn Văn Đức')")
        venue.up(page.context)
        page.wait_for_selector("#desk[data-queued='0']")
    finally:
        venue.close()
    assert db.session.scalar(sa.select(CheckIn.delegate_id)) == delegates[0].id
