"""What a delegate keeps on their phone: the conference as a calendar file (.ics, RFC 5545), the pass as an
image to save in the photo gallery ("Lưu thẻ"), and the picture a link shows when pasted into Zalo or
Messenger (Open Graph), which names the conference only, never the delegate."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import text, vntime
from ..models import Conference, Delegate, HostAgency, utcnow
from ..qr import qr_png

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
INK, MUTED, ACCENT, PRIMARY = (23, 32, 42), (86, 98, 112), (200, 30, 30), (18, 74, 140)


# --- the calendar file -----------------------------------------------------------------------------

def _escape(value: str) -> str:
    """A TEXT value of RFC 5545: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(conference: Conference, uid: str, links: list[tuple[str, str]], contact: str,
                  now: datetime | None = None) -> bytes:
    """The conference as one event: time, place, chair, the delegate's links (label, URL) and the contact; a
    reminder an hour before. ``uid`` names this delegate's or invitation's event, so a second download
    updates the event instead of adding another."""
    venue = conference.venue
    place = ", ".join(p for p in (venue.full_name, venue.address) if p) if venue else ""
    description = [f"Chủ trì: {conference.chair}"] if conference.chair else []
    description += [f"{label}: {url}" for label, url in links]
    if contact:
        description.append(f"Liên hệ: {contact}")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//eventapp//Hoi nghi//VI", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(now or utcnow())}",
        f"DTSTART:{_utc(conference.starts_at)}",
        f"DTEND:{_utc(conference.ends_at)}",
        f"SUMMARY:{_escape(conference.title)}",
        f"STATUS:{'CANCELLED' if conference.is_cancelled else 'CONFIRMED'}",
    ]
    if place:
        lines.append(f"LOCATION:{_escape(place)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(chr(10).join(description))}")
    if links:
        lines.append(f"URL:{links[0][1]}")
    lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(conference.title[:200])}",
              "TRIGGER:-PT1H", "END:VALARM", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


# --- images ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"LiberationSerif-{style}.ttf"), size)


def _wrap(draw: ImageDraw.ImageDraw, content: str, font, width: int, max_lines: int) -> list[str]:
    """Lines of ``content`` that fit ``width`` pixels, at most ``max_lines`` (the last one cut with "…")."""
    lines, current = [], ""
    for word in content.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and draw.textlength(lines[-1] + "…", font=font) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def _centred(draw, y: int, lines: list[str], font, fill, width: int, spacing: int) -> int:
    for line in lines:
        draw.text(((width - draw.textlength(line, font=font)) / 2, y), line, font=font, fill=fill)
        y += font.size + spacing
    return y


def _when_line(conference: Conference) -> str:
    start = vntime.to_local(conference.starts_at)
    end = vntime.to_local(conference.ends_at)
    line = f"{vntime.weekday_vn(start)}, {vntime.format_date(start)} · {vntime.format_time(start)}–{vntime.format_time(end)}"
    if end.date() != start.date():
        line += f" ngày {vntime.format_date(end)}"
    return line


def pass_card_png(delegate: Delegate, qr_text: str, host: HostAgency | None) -> bytes:
    """The pass as a portrait image (1080 px wide, for a phone's gallery): the conference, when and where,
    the QR the desk scans, and who the delegate is."""
    conference = delegate.conference
    width, height, margin = 1080, 1720, 80
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 18), fill=ACCENT)
    y = 70
    if host is not None:
        y = _centred(draw, y, _wrap(draw, host.name.upper(), _font("Bold", 34), width - 2 * margin, 2), _font("Bold", 34),
                     PRIMARY, width, 10)
    y = _centred(draw, y + 14, ["THẺ ĐẠI BIỂU"], _font("Regular", 32), MUTED, width, 10)
    title = _font("Bold", 44)
    y = _centred(draw, y + 16, _wrap(draw, conference.title, title, width - 2 * margin, 4), title, INK, width, 12)
    y = _centred(draw, y + 12, [_when_line(conference)], _font("Regular", 34), INK, width, 8)
    if conference.venue is not None:
        venue = _font("Regular", 30)
        y = _centred(draw, y, _wrap(draw, conference.venue.full_name, venue, width - 2 * margin, 2), venue, MUTED,
                     width, 8)
    qr = Image.open(io.BytesIO(qr_png(qr_text, 12))).convert("RGB").resize((620, 620), Image.NEAREST)
    y += 30
    image.paste(qr, ((width - 620) // 2, y))
    y += 620 + 36
    name = _font("Bold", 60)
    y = _centred(draw, y, _wrap(draw, delegate.full_name, name, width - 2 * margin, 2), name, INK, width, 10)
    detail = _font("Regular", 36)
    for part in (delegate.position, delegate.agency_name):
        if part:
            y = _centred(draw, y, _wrap(draw, part, detail, width - 2 * margin, 2), detail, MUTED, width, 8)
    code = _font("Regular", 24)
    _centred(draw, height - 90, [f"Mã số: {qr_text}"], code, MUTED, width, 0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def share_image_png(conference: Conference, host: HostAgency | None) -> bytes:
    """The picture of a shared link (1200×630, Open Graph): the host, the conference, when and where."""
    width, height, margin = 1200, 630, 70
    image = Image.new("RGB", (width, height), (247, 249, 252))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, height), fill=ACCENT)
    y = 60
    if host is not None:
        draw.text((margin, y), text.nfc(host.name).upper(), font=_font("Bold", 34), fill=PRIMARY)
        y += 70
    title = _font("Bold", 54)
    for line in _wrap(draw, conference.title, title, width - 2 * margin, 4):
        draw.text((margin, y), line, font=title, fill=INK)
        y += 68
    y += 20
    draw.text((margin, y), _when_line(conference), font=_font("Regular", 36), fill=INK)
    if conference.venue is not None:
        venue = _font("Regular", 32)
        draw.text((margin, y + 52), _wrap(draw, conference.venue.full_name, venue, width - 2 * margin, 1)[0],
                  font=venue, fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
