"""A camera test set: a pass's QR code as a phone or laptop camera films it at the door, written as videos for
Chromium's fake camera (``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE``).

Each :class:`Shot` describes one way of holding the pass: the QR's width in a 640×480 frame (80–400 px), its
rotation (0–45°), a perspective tilt (up to 30°), blur, dim light with sensor noise, and a phone screen with a
glare spot. :func:`frame` draws it (PIL), :func:`write_y4m` and :func:`write_mjpeg` write the video. Frames are
drawn, never hard-coded: the tests compare what the desk decodes with what zxing-cpp decodes on the same frame.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

WIDTH, HEIGHT = 640, 480


@dataclass(frozen=True)
class Shot:
    """One way the pass is held in front of the camera."""

    name: str
    qr_px: int = 220            #: the QR code's width in the frame, quiet zone excluded
    rotate: float = 0.0         #: degrees, in the image plane
    tilt: float = 0.0           #: degrees, the card tilted away from the camera (perspective)
    blur: float = 0.0           #: Gaussian blur radius, px
    dim: float = 1.0            #: brightness factor (0.3: a dark hall), with sensor noise below 1
    glare: bool = False         #: shown on a phone screen with a bright reflection
    with_code: bool = True      #: False: the card without its QR (nothing to decode)


#: The set the tests film: what the issue lists (rotated 0–45°, perspective up to 30°, 80–400 px, blur, dim,
#: glare), one property at a time and a few together.
SHOTS = (
    Shot("straight"),
    Shot("rotated-15", rotate=15),
    Shot("rotated-45", rotate=45),
    Shot("tilted-30", tilt=30),
    Shot("small-80", qr_px=80),
    Shot("small-95-rotated", qr_px=95, rotate=10),
    Shot("large-400", qr_px=400),
    Shot("blurred", blur=1.6),
    Shot("dim", dim=0.35),
    Shot("phone-glare", glare=True),
    Shot("tilted-rotated-small", qr_px=130, rotate=25, tilt=20),
)


def _qr_module_image(png: bytes, qr_px: int) -> Image.Image:
    """The QR of ``png`` (black modules, its own quiet zone) scaled so that the modules span ``qr_px``."""
    qr = Image.open(io.BytesIO(png)).convert("L")
    bbox = Image.eval(qr, lambda v: 255 - v).getbbox()  # the modules, without the quiet zone
    modules = qr.crop(bbox)
    side = qr_px + 2 * max(qr_px // 8, 8)  # a quiet zone of about 4 modules
    out = Image.new("L", (side, side), 255)
    out.paste(modules.resize((qr_px, qr_px), Image.NEAREST), ((side - qr_px) // 2, (side - qr_px) // 2))
    return out


def _card(png: bytes, shot: Shot) -> Image.Image:
    """The printed pass (a white card with a title bar) or a phone screen showing it, upright, RGBA."""
    qr = _qr_module_image(png, shot.qr_px).convert("RGB")
    if not shot.with_code:
        qr = Image.new("RGB", qr.size, "white")
    pad = max(6, shot.qr_px // 10)
    w, h = qr.width + 2 * pad, qr.height + 2 * pad + max(10, shot.qr_px // 5)
    if shot.glare:  # a phone: black bezel, bright screen
        card = Image.new("RGB", (w + 2 * pad, h + 4 * pad), (15, 15, 18))
        screen = Image.new("RGB", (w, h), (250, 250, 250))
        screen.paste(qr, (pad, pad + max(10, shot.qr_px // 5)))
        card.paste(screen, (pad, 2 * pad))
    else:
        card = Image.new("RGB", (w, h), (252, 252, 248))
        ImageDraw.Draw(card).rectangle((0, 0, w, max(10, shot.qr_px // 5)), fill=(160, 20, 30))
        card.paste(qr, (pad, pad + max(10, shot.qr_px // 5)))
    return card.convert("RGBA")


def _tilt(card: Image.Image, degrees: float) -> Image.Image:
    """The card tilted back by ``degrees`` about its horizontal axis, seen by a camera in front of it: the far
    (top) edge shorter and the card shorter."""
    if not degrees:
        return card
    w, h = card.size
    angle = math.radians(degrees)
    shrink = 1 - 0.5 * math.sin(angle)           # the far edge's width, relative
    height = h * math.cos(angle)
    inset = w * (1 - shrink) / 2
    out_w, out_h = w, max(1, round(height))
    # the corners of the card in the output: top-left, top-right, bottom-right, bottom-left
    target = [(inset, 0), (w - inset, 0), (w, out_h), (0, out_h)]
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    coefficients = _perspective_coefficients(target, source)
    return card.transform((out_w, out_h), Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=(0, 0, 0, 0))


def _perspective_coefficients(target, source):
    """PIL's 8 perspective coefficients mapping output points ``target`` to input points ``source``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return _solve(rows, rhs)


def _solve(a, b):
    """Gaussian elimination with partial pivoting (8×8): no numpy needed."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                factor = m[r][col] / m[col][col]
                m[r] = [vr - factor * vc for vr, vc in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def frame(png: bytes, shot: Shot, seed: int = 0) -> Image.Image:
    """One 640×480 RGB frame of the pass held as ``shot`` says, on a desk-grey background."""
    rng = random.Random(seed)
    background = Image.new("RGB", (WIDTH, HEIGHT), (118, 112, 104))
    ImageDraw.Draw(background).rectangle((0, HEIGHT * 2 // 3, WIDTH, HEIGHT), fill=(92, 70, 52))  # the table
    card = _tilt(_card(png, shot), shot.tilt).rotate(shot.rotate, resample=Image.BICUBIC, expand=True)
    x = (WIDTH - card.width) // 2 + rng.randint(-10, 10)
    y = (HEIGHT - card.height) // 2 + rng.randint(-8, 8)
    background.paste(card, (x, y), card)
    image = background
    if shot.glare:
        spot = Image.new("L", (WIDTH, HEIGHT), 0)
        cx, cy, r = x + card.width * 0.62, y + card.height * 0.4, max(18, min(card.size) * 0.16)
        ImageDraw.Draw(spot).ellipse((cx - r, cy - r, cx + r, cy + r), fill=190)
        spot = spot.filter(ImageFilter.GaussianBlur(r * 0.5))
        image = Image.composite(Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255)), image, spot)
    if shot.blur:
        image = image.filter(ImageFilter.GaussianBlur(shot.blur))
    if shot.dim < 1:
        image = ImageEnhance.Brightness(image).enhance(shot.dim)
        noise = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
        image = Image.blend(image, noise, 0.12)
    return image


def write_y4m(frames: list[Image.Image], path: Path, fps: int = 10) -> Path:
    """A YUV4MPEG2 video (4:2:0), what Chromium's fake camera reads from a ``.y4m`` file."""
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for image in frames:
            y, u, v = image.convert("YCbCr").split()
            f.write(b"FRAME\n" + y.tobytes() + u.resize((WIDTH // 2, HEIGHT // 2)).tobytes()
                    + v.resize((WIDTH // 2, HEIGHT // 2)).tobytes())
    return path


def write_mjpeg(frames: list[Image.Image], path: Path, quality: int = 85) -> Path:
    """Motion JPEG (JPEG frames one after another), which Chromium's fake camera reads from a ``.mjpeg`` file."""
    with open(path, "wb") as f:
        for image in frames:
            image.save(f, "JPEG", quality=quality)
    return path


def video(png: bytes, shot: Shot, path: Path, frames: int = 6) -> Path:
    """The shot as a short video (the camera shakes a little between frames); .y4m or .mjpeg after ``path``."""
    images = [frame(png, shot, seed=i) for i in range(frames)]
    return (write_mjpeg if path.suffix == ".mjpeg" else write_y4m)(images, path)
