"""QR codes: a PNG (mails, pages, printed letters) or an inline SVG (badges), drawn from one matrix per text.

Every code has error correction M and a fixed mask pattern. qrcode's default tries all eight masks and scores each,
which costs ~7 ms a code; a fixed mask is as valid for any reader and brings a code down to ~1 ms, so a batch of
letters or a sheet of a thousand badges is drawn in about a second. Matrices and images are kept in small
in-process caches.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

import qrcode
from flask import Response, request
from markupsafe import Markup
from PIL import Image

#: Any of the eight is valid; this one is fixed so that no time goes into choosing.
MASK_PATTERN = 2


@lru_cache(maxsize=8192)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of ``data``'s QR code, row by row (True is dark), without the quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.modules)


@lru_cache(maxsize=4096)
def qr_png(data: str, box_size: int = 8, border: int = 2) -> bytes:
    """A PNG of ``data`` as a QR code, black on white: ``box_size`` pixels a module, a quiet zone of ``border``
    modules."""
    matrix = qr_matrix(data)
    size = len(matrix) + 2 * border
    quiet_rows, quiet = [1] * size * border, [1] * border
    pixels = quiet_rows + [v for row in matrix for v in (*quiet, *(0 if dark else 1 for dark in row), *quiet)]
    image = Image.new("1", (size, size))
    image.putdata(pixels + quiet_rows)
    image = image.resize((size * box_size, size * box_size), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@lru_cache(maxsize=8192)
def qr_svg(data: str, label: str = "Mã QR") -> Markup:
    """An inline SVG of ``data`` as a QR code, sharp at any size: one path (a run of dark modules a rectangle),
    a quiet zone of 2 modules, ``label`` for screen readers."""
    matrix = qr_matrix(data)
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    full = size + 4
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {full} {full}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{Markup.escape(label)}">'
        f'<rect x="-2" y="-2" width="{full}" height="{full}" fill="#fff"/>'
        f'<path d="{"".join(parts)}" fill="#000"/></svg>'
    )


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
