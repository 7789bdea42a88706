"""The camera test set itself (tests/camera_frames.py) is a fair one: zxing-cpp reads the pass in the first frame
of (nearly) every shot, and a frame without the code reads as nothing."""

from __future__ import annotations

from eventapp.passes import qr_text
from eventapp.qr import qr_png

from . import camera_frames


def test_zxing_cpp_reads_the_filmed_passes_and_nothing_where_there_is_no_code(app, tmp_path):
    import zxingcpp

    with app.app_context():
        code = qr_text(12, "1234567890" * 4)
    png = qr_png(code, box_size=8)
    read = {shot.name for shot in camera_frames.SHOTS
            if any(r.text == code for r in zxingcpp.read_barcodes(camera_frames.frame(png, shot)))}
    assert len(read) >= len(camera_frames.SHOTS) - 2, sorted({s.name for s in camera_frames.SHOTS} - read)
    empty = camera_frames.frame(png, camera_frames.Shot("no-code", with_code=False))
    assert zxingcpp.read_barcodes(empty) == []
    assert empty.size == (camera_frames.WIDTH, camera_frames.HEIGHT)


def test_the_videos_are_what_chromium_fake_camera_reads(tmp_path):
    png = qr_png("1-2-3", box_size=8)
    y4m = camera_frames.video(png, camera_frames.SHOTS[1], tmp_path / "a.y4m", frames=3)
    data = y4m.read_bytes()
    header, _, rest = data.partition(b"\n")
    assert header == b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg"
    assert rest.count(b"FRAME\n") == 3 and len(data) == len(header) + 1 + 3 * (6 + 640 * 480 * 3 // 2)
    mjpeg = camera_frames.video(png, camera_frames.SHOTS[1], tmp_path / "a.mjpeg", frames=3).read_bytes()
    assert mjpeg.startswith(b"\xff\xd8") and mjpeg.count(b"\xff\xd9") >= 3
