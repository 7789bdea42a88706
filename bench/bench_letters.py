"""Printed invitation letters for a list of 400 invitations: the batch as HTML (to print from the browser),
as one .docx and as one PDF. Target (issue 3): each batch ready in under 5 s.

In-process (Flask's test client, signed in as an organizer), BENCH_RUNS runs (default 5) of each download.

    .venv/bin/python bench/bench_letters.py        # DATABASE_URL, else a temporary SQLite file
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_label, database_url, emit, figure, make_app, median_spread, say

LETTERS = 400
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_S = 5.0
PASSWORD = "mat-khau-bench-123"


def seed(db) -> int:
    from eventapp.agencies.services import agency_search_text, ensure_default_groups
    from eventapp.invitations.services import refresh_search_text
    from eventapp.models import Agency, Conference, Department, HostAgency, Invitation, User, Venue
    from eventapp.models.base import utcnow

    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. Giám đốc",
                              signer_title="Phó Giám đốc", signer_name="Nguyễn Văn Bình"))
    user = User(username="bench-organizer", full_name="Cán bộ tổ chức", role="organizer")
    user.set_password(PASSWORD)
    db.session.add(user)
    department = Department(name="Phòng Quản lý KH&CN cơ sở", abbreviation="QLCS")
    venue = Venue(name="Khách sạn Hùng Vương", room="Hội trường tầng 7", address="45 Hùng Vương, TP. Quảng Ngãi",
                  phone="02553710477", capacity=450)
    db.session.add_all([department, venue])
    db.session.flush()
    start = utcnow().replace(microsecond=0) + timedelta(days=20)
    conference = Conference(kind="tong_ket", title="Hội nghị tổng kết Chương trình nông thôn miền núi giai đoạn "
                            "2021 - 2025", starts_at=start, ends_at=start + timedelta(hours=4), venue_id=venue.id,
                            lead_department_id=department.id, contact_name="Trần Thị Hạnh",
                            contact_phone="0912345678", chair="Đồng chí Giám đốc Sở",
                            content="Đánh giá kết quả 5 năm; khen thưởng tập thể, cá nhân có thành tích.",
                            preparation="Báo cáo tham luận (nếu được phân công).", rsvp_deadline=start - timedelta(days=3))
    db.session.add(conference)
    groups = ensure_default_groups()
    db.session.flush()
    for n in range(LETTERS):
        agency = Agency(name=f"UBND xã Nghĩa Hành số {n:03d}" if n % 2 else f"Sở Nông nghiệp và Môi trường {n:03d}",
                        group_id=groups[n % len(groups)].id)
        agency.search_text = agency_search_text(agency)
        db.session.add(agency)
        db.session.flush()
        invitation = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=1 + n % 3,
                                role_text="Đại diện lãnh đạo", position=n)
        refresh_search_text(invitation, agency)
        db.session.add(invitation)
    db.session.commit()
    return conference.id


def main() -> None:
    url = database_url()
    app = make_app(url)
    with app.app_context():
        from eventapp.extensions import db

        conference_id = seed(db)
    client = app.test_client()
    response = client.post("/dang-nhap", data={"username": "bench-organizer", "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    say(f"Database: {database_label(url)}; {LETTERS} invitations")
    figures = []
    for label, path, check in (
        ("HTML", f"/hoi-nghi/{conference_id}/khach-moi/giay-moi", b"<article"),
        ("docx", f"/hoi-nghi/{conference_id}/khach-moi/giay-moi.docx", b"PK"),
        ("PDF", f"/hoi-nghi/{conference_id}/khach-moi/giay-moi.pdf", b"%PDF"),
    ):
        samples = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - begin)
            assert response.status_code == 200 and check in response.data[:200_000], (label, response.status_code)
        size = len(response.data) / 1024
        median, spread = median_spread(samples, 2, "s")
        say(f"  {label}: median {median:.2f} s ({spread}), {size:,.0f} KiB")
        figures.append(figure(f"letters batch of {LETTERS}, {label}", round(median, 3), "s", f"< {TARGET_S:g} s",
                              median < TARGET_S, spread))
    emit(figures)


if __name__ == "__main__":
    main()
