"""The QR module: PNG and SVG of the same matrix, which any reader decodes."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from eventapp import qr

TEXTS = ["https://hoinghi.skhcn.quangngai.gov.vn/moi/Zk3q9Lx2VtW8yHc1RmN5pQa7sE0uJ4oB", "12-3456-7890-1234-5678"]


def _decode(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]


def _svg_to_image(svg: str, scale: int = 6) -> Image.Image:
    """Draw the SVG's path (rectangles "M x y h w v1 h-w z") as a reader would see it printed."""
    size = int(re.search(r'viewBox="-2 -2 (\d+) ', svg)[1])
    image = Image.new("L", (size * scale, size * scale), 255)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        x, y, width = int(x) + 2, int(y) + 2, int(width)
        image.paste(0, (x * scale, y * scale, (x + width) * scale, (y + 1) * scale))
    return image


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("box_size", [4, 6, 8])
def test_png_decodes_at_every_size(text, box_size):
    image = Image.open(io.BytesIO(qr.qr_png(text, box_size)))
    modules = len(qr.qr_matrix(text)) + 4  # a quiet zone of 2 modules each side
    assert image.size == (modules * box_size, modules * box_size) and image.mode == "1"
    assert _decode(image) == [text]


@pytest.mark.parametrize("text", TEXTS)
def test_svg_decodes_and_is_labelled(text):
    svg = str(qr.qr_svg(text, label="Mã QR của thẻ <đại biểu>"))
    assert svg.startswith('<svg class="qr"') and 'aria-label="Mã QR của thẻ &lt;đại biểu&gt;"' in svg
    assert _decode(_svg_to_image(svg)) == [text]


def test_one_matrix_with_the_fixed_mask():
    import qrcode

    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2)
    reference.add_data(TEXTS[0])
    reference.make(fit=True)
    assert qr.qr_matrix(TEXTS[0]) == tuple(tuple(row) for row in reference.modules)


def test_qr_response_is_cached_by_etag(app):
    with app.test_request_context():
        first = qr.qr_response(TEXTS[1], box_size=6)
        assert first.status_code == 200 and first.mimetype == "image/png"
        assert first.headers["Cache-Control"] == "private, max-age=86400"
    with app.test_request_context(headers={"If-None-Match": first.get_etag()[0]}):
        assert qr.qr_response(TEXTS[1], box_size=6).status_code == 304
    with app.test_request_context(headers={"If-None-Match": first.get_etag()[0]}):
        assert qr.qr_response(TEXTS[1], box_size=8).status_code == 200
