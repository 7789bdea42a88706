"""QR code images (PNG and SVG), generated once per text and kept in a small in-process cache."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import Response, request


@lru_cache(maxsize=4096)
def qr_png(data: str, box_size: int = 8, border: int = 2) -> bytes:
    """A PNG of ``data`` as a QR code (error correction M), black on white."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=4096)
def qr_svg(data: str, border: int = 2) -> str:
    """An SVG of ``data`` as a QR code, for printing sharp at any size."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")


def qr_response(data: str, *, box_size: int = 8, filename: str | None = None, private: bool = True) -> Response:
    """A PNG response with an ETag and caching headers; answers 304 to a matching If-None-Match."""
    etag = hashlib.sha256(f"{box_size}:{data}".encode()).hexdigest()[:32]
    cache = ("private" if private else "public") + ", max-age=86400"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(qr_png(data, box_size), mimetype="image/png")
        if filename:
            response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache
    return response
