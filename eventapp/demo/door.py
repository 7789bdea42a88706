"""The conference of the door: held on the day the demo is first loaded (today and tomorrow), so that its
check-in window is open at once and a newcomer signed in as reception can scan passes, print badges and watch
the board without changing any date. Its invitations and delegates are those of the upcoming sơ kết (the same
agencies are invited to both); it has no check-ins yet."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from . import data

KEY = "door-today"


def door_conference(today: date) -> dict:
    """The conference, as ``data.CONFERENCES`` describes one, on ``today`` (local) and the day after."""
    base = data.CONFERENCE[data.QN2026]
    return base | {
        "key": KEY,
        "kind": "giao_ban",
        "title": "Hội nghị giao ban khoa học và công nghệ với các địa phương (buổi tập dượt đón tiếp)",
        "number_symbol": "",
        "plan_date": today - timedelta(days=14),
        "purpose": "- Tập dượt quy trình đón tiếp đại biểu bằng mã QR trước Hội nghị sơ kết: quét thẻ, tìm theo tên, "
                   "đăng ký khách tại chỗ, in thẻ đeo, theo dõi số người đến từng ngày.",
        "content": "- Ngày thứ nhất: giao ban với các Sở, ngành và UBND các xã, phường;\n"
                   "- Ngày thứ hai: làm việc với các tổ chức chủ trì dự án và doanh nghiệp.",
        "starts_at": datetime.combine(today, time(8, 0)),
        "ends_at": datetime.combine(today + timedelta(days=1), time(11, 30)),
        "rsvp_deadline": datetime.combine(today - timedelta(days=3), time(17, 0)),
        "approved_budget": None,
        "agenda_published_at": None,
        "past": False,
    }
