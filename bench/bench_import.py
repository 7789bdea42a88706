"""Import preview of a 10,000-row invitation list (.xlsx): time of ``preview_import`` and its peak memory.

Generates a realistic file (Vietnamese agencies and names, some rows with problems), with a directory of
300 agencies and 200 invitations already in the database, then times BENCH_RUNS (default 5) previews.
Targets (issue 3): under 5 s and under 300 MB peak.

    .venv/bin/python bench/bench_import.py        # DATABASE_URL, else a temporary SQLite file
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_label, database_url, emit, figure, make_app, median_spread, say

ROWS = 10_000
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_S = 5.0
TARGET_MB = 300

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Hoài", "Công"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hạnh", "Hùng", "Hương", "Khoa", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vy", "Yến"]
POSITIONS = ["Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chủ tịch UBND",
             "Phó Chủ tịch UBND", "Công chức Văn phòng - Thống kê"]
GROUPS = ["Sở, ban, ngành", "UBND cấp xã, phường", "Tổ chức khoa học và công nghệ", "Doanh nghiệp",
          "Cơ quan báo chí", "Đoàn thể, hội"]
PLACES = ["Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Đức Phổ", "Ba Tơ", "Minh Long", "Sơn Hà",
          "Sơn Tây", "Trà Bồng", "Lý Sơn", "Cẩm Thành", "Trương Quang Trọng", "Nghĩa Lộ", "Chánh Lộ"]
ROLES = ["Đại diện lãnh đạo", "Lãnh đạo và chuyên viên phụ trách", "Lãnh đạo đơn vị", ""]


def agency_name(i: int) -> tuple[str, str]:
    kind = i % 6
    place = PLACES[i % len(PLACES)]
    if kind == 0:
        return GROUPS[0], f"Sở {['Tài chính', 'Xây dựng', 'Y tế', 'Nội vụ', 'Công Thương', 'Tư pháp'][i % 6]} số {i}"
    if kind == 1:
        return GROUPS[1], f"UBND {'xã' if i % 2 else 'phường'} {place} {i}"
    if kind == 2:
        return GROUPS[2], f"Trung tâm Ứng dụng tiến bộ KH&CN {place} {i}"
    if kind == 3:
        return GROUPS[3], f"Công ty Cổ phần Nông sản {place} {i}"
    if kind == 4:
        return GROUPS[4], f"Báo {place} {i}"
    return GROUPS[5], f"Hội Nông dân {place} {i}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def make_file(rng: random.Random) -> bytes:
    from openpyxl import Workbook

    from eventapp.invitations.importing import HEADINGS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Khách mời")
    sheet.append(HEADINGS)
    for n in range(1, ROWS + 1):
        group, agency = agency_name(rng.randrange(3000))
        name = person(rng) if n % 3 else ""
        email = f"vanthu{n}@quangngai.gov.vn" if n % 4 else ("sai-email" if n % 97 == 0 else "")
        phone = f"09{rng.randrange(10**8):08d}" if n % 5 else ""
        seats = rng.choice([1, 1, 1, 2, 3]) if n % 211 else "hai"
        sheet.append([n, group if n % 151 else "Nhóm lạ", agency, name, rng.choice(POSITIONS) if name else "",
                      seats, rng.choice(ROLES), email, phone])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    url = database_url()
    app = make_app(url)
    rng = random.Random(2026)
    with app.app_context():
        from eventapp.agencies.services import agency_search_text, ensure_default_groups
        from eventapp.extensions import db
        from eventapp.invitations.importing import preview_import
        from eventapp.models import Agency, Conference, Invitation
        from eventapp.models.base import utcnow

        groups = {g.name: g for g in ensure_default_groups()}
        agencies = []
        for i in range(300):
            group, name = agency_name(i)
            agency = Agency(name=name, group_id=groups[group].id)
            agency.search_text = agency_search_text(agency)
            agencies.append(agency)
        db.session.add_all(agencies)
        from datetime import timedelta

        start = utcnow() + timedelta(days=30)
        conference = Conference(kind="tong_ket", title="Hội nghị tổng kết (benchmark)", starts_at=start,
                                ends_at=start + timedelta(hours=4))
        db.session.add(conference)
        db.session.flush()
        for n, agency in enumerate(agencies[:200]):
            db.session.add(Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, position=n))
        db.session.commit()

        data = make_file(rng)
        say(f"Database: {database_label(url)}; file: {ROWS:,} rows, {len(data) / 1024:.0f} KiB (.xlsx)")
        times, peaks = [], []
        for run in range(RUNS):
            tracemalloc.start()
            begin = time.perf_counter()
            preview = preview_import(conference.id, data, "danh-sach.xlsx")
            elapsed = time.perf_counter() - begin
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            times.append(elapsed)
            peaks.append(peak / 1024 / 1024)
            say(f"  run {run + 1}: {elapsed:.2f} s, peak {peak / 1024 / 1024:.0f} MB (tracemalloc), "
                f"{preview.valid_count:,} valid, {preview.error_count:,} with problems")
        # tracemalloc slows Python down; time once more without it for the plain figure.
        plain = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            preview_import(conference.id, data, "danh-sach.xlsx")
            plain.append(time.perf_counter() - begin)
        median_s, spread_s = median_spread(plain, 2, "s")
        median_mb, spread_mb = median_spread(peaks, 0, "MB")
        say(f"preview_import of {ROWS:,} rows: median {median_s:.2f} s ({spread_s}); peak memory {median_mb:.0f} MB")
        emit([
            figure(f"import preview, {ROWS:,} rows (.xlsx)", round(median_s, 3), "s", f"< {TARGET_S:g} s",
                   median_s < TARGET_S, spread_s),
            figure("import preview peak memory (tracemalloc)", round(median_mb, 1), "MB", f"< {TARGET_MB} MB",
                   max(peaks) < TARGET_MB, spread_mb),
        ])


if __name__ == "__main__":
    main()
