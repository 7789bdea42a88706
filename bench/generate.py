"""The data set of issue 7: a national conference of 5,000 delegates from 400 agencies, with 30 papers,
200 budget lines and 300 tasks, plus 50 past conferences of a few hundred delegates each.

Everything goes in with bulk INSERTs (a few seconds on SQLite or PostgreSQL). Re-running on the same
database adds new conferences and reuses the agencies, departments, venue and bench users already there.

As a library (the benchmarks and tests/test_query_counts.py)::

    from bench.generate import generate
    data = generate(app)                       # the full set
    data = generate(app, scale=0.2)            # 1,000 delegates, 80 agencies, 60 tasks...
    data = generate(app, delegates=10, agencies=4, budget_lines=10, tasks=10, papers=3, past_conferences=0)
    data.conference_id, data.organizer_username, data.password, data.rsvp_tokens, data.pass_codes

From the command line: ``.venv/bin/python bench/generate.py [--scale 1.0] [--sqlite PATH]`` (DATABASE_URL
when set, else the SQLite file given, else a temporary file).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "bench-mat-khau-2026"

# --- realistic Vietnamese pools (used unless eventapp.demo.data provides its own) -----------------

FAMILY_NAMES = (
    ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 4 + ["Huỳnh"] * 4 + ["Phan"] * 4
    + ["Vũ"] * 3 + ["Võ"] * 3 + ["Đặng"] * 2 + ["Bùi"] * 2 + ["Đỗ"] * 2 + ["Hồ"] * 2 + ["Ngô"] * 2 + ["Dương"] * 2
    + ["Lý", "Đinh", "Trương", "Lương", "Mai", "Tạ", "Cao", "Đoàn", "Lâm", "Châu", "Thái", "Hà", "Tô", "Kiều",
       "La", "Quách", "Từ", "Lưu", "Triệu", "Văn", "Đào", "Chu"]
)
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Ngọc", "Xuân", "Đình",
               "Trọng", "Anh", "Quốc", "Tiến", "Hoàng", "Thế", "Bá", "Duy", "Mạnh", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mỹ", "Phương", "Thùy", "Bích",
                 "Minh", "Hoài", "Diệu", "Khánh", "Tuyết", "Quỳnh"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khang", "Khoa", "Long", "Nam",
              "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh", "Đức",
              "Hiếu", "Lộc", "Nghĩa", "Toàn", "Tùng", "Hưng", "Khải", "Lâm", "Quý", "Thịnh", "Trí", "Tú",
              "Vũ", "Hòa", "Kiên", "Lực", "Nhân", "Tâm", "Thông", "Thuận", "Bảo", "Chiến", "Định", "Giang"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai",
                "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Tuyết", "Vân", "Yến",
                "Loan", "Hiền", "Thủy", "Huyền", "Liên", "Ly", "My", "Ngọc", "Nhi", "Thư", "Trâm", "Uyên", "Vy"]

LEADER_POSITIONS = ["Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Viện trưởng", "Phó Viện trưởng",
                    "Hiệu trưởng", "Tổng Giám đốc", "Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban"]
STAFF_POSITIONS = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên chính", "Kế toán trưởng",
                   "Nghiên cứu viên", "Cán bộ phụ trách KH&CN", "Phóng viên", "Kỹ sư", "Giảng viên"]

PROVINCES = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
             "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa",
             "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long",
             "Đồng Tháp", "Cà Mau", "An Giang"]
DEPARTMENTS_OF_PROVINCE = ["Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường",
                           "Sở Công Thương", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp",
                           "Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ", "Sở Dân tộc và Tôn giáo",
                           "Văn phòng UBND tỉnh", "Văn phòng Tỉnh ủy", "Thanh tra tỉnh", "Công an tỉnh",
                           "Bộ Chỉ huy Quân sự tỉnh", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ban Quản lý Khu kinh tế",
                           "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "Quỹ Phát triển KH&CN tỉnh"]
PLACES = ["Tịnh Ấn", "Nghĩa Hành", "Tư Nghĩa", "Bình Sơn", "Sơn Tịnh", "Đức Phổ", "Mộ Đức", "Ba Tơ", "Minh Long",
          "Trà Bồng", "Sơn Hà", "Sơn Tây", "Lý Sơn", "Trương Quang Trọng", "Cẩm Thành", "Nghĩa Lộ", "Trà Câu",
          "Phổ Phong", "Long Phụng", "Vạn Tường", "Đông Sơn", "Thạnh Hòa", "Ba Vì", "Kon Plông", "Măng Đen",
          "Đăk Tô", "Sa Thầy", "Ngọc Hồi", "Đăk Hà", "Ia H'Drai", "Tu Mơ Rông", "Bình Minh", "Hòa Bình",
          "Tân Phú", "An Phú", "Phước Long", "Thuận Hòa", "Xuân Lộc", "Hưng Lợi"]
PLACE_SUFFIXES = ["", " Đông", " Tây", " Nam", " Bắc"]
SCIENCE_ORGS = ["Viện Nghiên cứu Nông nghiệp", "Trung tâm Ứng dụng Tiến bộ KH&CN", "Trường Đại học",
                "Viện Công nghệ Sinh học", "Trung tâm Thông tin và Thống kê KH&CN", "Trung tâm Đo lường Chất lượng",
                "Viện Khoa học Thủy lợi", "Trung tâm Khuyến nông", "Trường Cao đẳng Kỹ thuật Công nghiệp"]
ENTERPRISE_KINDS = ["Công ty Cổ phần", "Công ty TNHH", "Hợp tác xã"]
ENTERPRISE_TRADES = ["Nông sản", "Thủy sản", "Dược liệu", "Cơ khí", "Chè", "Cà phê", "Quế", "Tôm giống", "Nấm",
                     "Công nghệ Thông tin", "Năng lượng Sạch", "Bao bì", "Thực phẩm", "Gỗ", "Mía đường", "Yến sào"]
PRESS = ["Báo", "Đài Phát thanh và Truyền hình"]

AGENCY_GROUPS = ["Sở, ban, ngành", "UBND cấp xã, phường", "Tổ chức khoa học và công nghệ", "Doanh nghiệp", "Báo chí", "Đoàn thể chính trị - xã hội"]
DEPARTMENTS = [
    ("Phòng Quản lý KH&CN cơ sở", "QLCS"),
    ("Phòng Quản lý Khoa học", "QLKH"),
    ("Phòng Quản lý Công nghệ", "QLCN"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Trung tâm Ứng dụng và Dịch vụ KH&CN", "TTUD"),
    ("Văn phòng Sở", "VP"),
]
PAPER_TOPICS = ["Ứng dụng tiến bộ kỹ thuật trong sản xuất {}", "Chuyển giao công nghệ chế biến {}",
                "Xây dựng mô hình liên kết chuỗi giá trị {}", "Phát triển nhãn hiệu tập thể {}",
                "Kết quả thực hiện dự án nhân giống {}", "Đổi mới sáng tạo trong doanh nghiệp {}"]
BUDGET_ITEMS = [
    ("hall", "Thuê hội trường", "ngày", 15_000_000), ("hall", "Thuê âm thanh, ánh sáng, màn hình LED", "ngày", 8_000_000),
    ("documents", "In tài liệu hội nghị", "bộ", 60_000), ("documents", "Văn phòng phẩm", "bộ", 25_000),
    ("speakers", "Bồi dưỡng báo cáo tham luận", "bài", 1_000_000), ("speakers", "Bồi dưỡng chủ trì", "người", 400_000),
    ("water", "Nước uống đại biểu", "người", 40_000), ("meals", "Hỗ trợ tiền ăn đại biểu không hưởng lương", "người", 150_000),
    ("decoration", "Trang trí khánh tiết, phông nền", "gói", 5_000_000), ("other", "Chụp ảnh, quay phim", "gói", 3_000_000),
]
TASK_TITLES = ["Xây dựng kế hoạch tổ chức hội nghị", "Dự thảo báo cáo tổng kết", "Gửi giấy mời đại biểu",
               "Tổng hợp danh sách đại biểu xác nhận", "Liên hệ thuê hội trường", "Chuẩn bị tài liệu hội nghị",
               "Đôn đốc các đơn vị gửi tham luận", "Chuẩn bị phim tài liệu 15 phút", "Bố trí đón tiếp đại biểu",
               "Chuẩn bị nước uống, giải khát giữa giờ", "Dự toán kinh phí", "Thanh quyết toán kinh phí",
               "Kiểm tra âm thanh, máy chiếu", "In thẻ đại biểu", "Mời báo chí đưa tin", "Dự thảo thông báo kết luận"]
TASK_STATUSES = ["todo"] * 4 + ["in_progress"] * 3 + ["done"] * 5 + ["cancelled"]


#: The demo's agencies (eventapp.demo.data.AGENCIES: name, group, address, email...), when it exists.
DEMO_AGENCIES: list[dict] = []


def _demo_pools() -> None:
    """Use the demo's name pools and agencies when eventapp.demo.data provides them."""
    global FAMILY_NAMES, MIDDLE_MALE, MIDDLE_FEMALE, GIVEN_MALE, GIVEN_FEMALE
    try:
        from eventapp.demo import data as demo
    except Exception:
        return
    global DEMO_AGENCIES
    agencies = getattr(demo, "AGENCIES", None)
    if isinstance(agencies, list) and all(isinstance(a, dict) and "name" in a and "group" in a for a in agencies):
        DEMO_AGENCIES = agencies
    for ours, theirs in (("FAMILY_NAMES", ("FAMILY_NAMES", "_FAMILY")),
                         ("MIDDLE_MALE", ("MIDDLE_MALE", "_MIDDLE_M")),
                         ("MIDDLE_FEMALE", ("MIDDLE_FEMALE", "_MIDDLE_F")),
                         ("GIVEN_MALE", ("GIVEN_MALE", "_GIVEN_M")),
                         ("GIVEN_FEMALE", ("GIVEN_FEMALE", "_GIVEN_F"))):
        for name in theirs:
            pool = getattr(demo, name, None)
            if isinstance(pool, list | tuple) and len(pool) >= 5 and all(isinstance(x, str) for x in pool):
                globals()[ours] = list(pool)
                break


# --- the result --------------------------------------------------------------------------------------

@dataclass
class GeneratedSet:
    conference_id: int
    past_conference_ids: list[int]
    organizer_username: str
    reception_username: str
    password: str
    #: RSVP tokens of invitations that answered "attending" (for the delegate's page).
    rsvp_tokens: list[str] = field(default_factory=list)
    #: (invitation token, delegate id, pass code) of attending delegates, for pass pages.
    passes: list[tuple[str, int, str]] = field(default_factory=list)
    #: Pass codes of attending delegates not checked in yet.
    unchecked_pass_codes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pass_codes(self) -> list[str]:
        return [p[2] for p in self.passes]


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        r = self.rng
        if r.random() < 0.55:
            return f"{r.choice(FAMILY_NAMES)} {r.choice(MIDDLE_MALE)} {r.choice(GIVEN_MALE)}"
        return f"{r.choice(FAMILY_NAMES)} {r.choice(MIDDLE_FEMALE)} {r.choice(GIVEN_FEMALE)}"

    def phone(self) -> str:
        r = self.rng
        return r.choice(["09", "08", "03", "07", "05"]) + "".join(r.choice("0123456789") for _ in range(8))


def _agency_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(group name, agency name) pairs, unique, in a realistic mix."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(group: str, name: str) -> None:
        if name not in seen:
            seen.add(name)
            out.append((group, name))

    for agency in DEMO_AGENCIES:  # the demo's real agencies of Quảng Ngãi and Bắc Giang first
        add(agency["group"], agency["name"])
    for p in PROVINCES:
        add("Sở, ban, ngành", f"Sở Khoa học và Công nghệ {'thành phố' if p in {'Hà Nội', 'Huế', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ'} else 'tỉnh'} {p}".replace("thành phố Thành phố", "Thành phố"))
    for d in DEPARTMENTS_OF_PROVINCE:
        add("Sở, ban, ngành", f"{d} Quảng Ngãi")
    for group, names in (
        ("Đoàn thể chính trị - xã hội", ["Ủy ban MTTQ Việt Nam tỉnh Quảng Ngãi", "Tỉnh đoàn Quảng Ngãi", "Hội Liên hiệp Phụ nữ tỉnh",
                      "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh", "Hội Cựu chiến binh tỉnh"]),
        ("Báo chí", [f"{k} {p}" for p in PROVINCES[:14] for k in PRESS] + ["Báo Nhân Dân", "Báo Khoa học và Phát triển",
                                                                          "Đài Truyền hình Việt Nam"]),
    ):
        for n in names:
            add(group, n)
    rest = count - len(out)
    i = 0
    while len(out) < count and i < 100_000:
        i += 1
        bucket = rng.random()
        if bucket < 0.45:
            kind = rng.choice(["xã", "xã", "phường"])
            add("UBND cấp xã, phường", f"UBND {kind} {rng.choice(PLACES)}{rng.choice(PLACE_SUFFIXES)}")
        elif bucket < 0.7:
            add("Tổ chức khoa học và công nghệ", f"{rng.choice(SCIENCE_ORGS)} {rng.choice(PROVINCES)}")
        else:
            add("Doanh nghiệp", f"{rng.choice(ENTERPRISE_KINDS)} {rng.choice(ENTERPRISE_TRADES)} "
                                f"{rng.choice(PLACES)}{rng.choice(PLACE_SUFFIXES)}")
    del rest
    rng.shuffle(out)
    return out[:count]


# --- the generator -----------------------------------------------------------------------------------

def generate(app, scale: float = 1.0, *, delegates: int | None = None, agencies: int | None = None,
             papers: int | None = None, budget_lines: int | None = None, tasks: int | None = None,
             past_conferences: int | None = None, past_delegates: tuple[int, int] = (200, 400),
             checked_in_fraction: float = 0.4, seed: int = 2026, migrate: bool = True,
             quiet: bool = True) -> GeneratedSet:
    """Fill the app's database with the issue-7 data set (scaled) and return what benchmarks need."""
    _demo_pools()
    t0 = time.perf_counter()
    n_delegates = delegates if delegates is not None else max(1, round(5000 * scale))
    n_agencies = agencies if agencies is not None else max(1, round(400 * scale))
    n_papers = papers if papers is not None else max(1, round(30 * scale))
    n_budget = budget_lines if budget_lines is not None else max(1, round(200 * scale))
    n_tasks = tasks if tasks is not None else max(1, round(300 * scale))
    n_past = past_conferences if past_conferences is not None else round(50 * scale)
    rng = random.Random(seed)

    with app.app_context():
        if migrate:
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "migrations"))
        result = _fill(rng, n_delegates, n_agencies, n_papers, n_budget, n_tasks, n_past, past_delegates,
                       checked_in_fraction)
        analyze()
    result.seconds = time.perf_counter() - t0
    if not quiet:
        print(f"generated in {result.seconds:.1f} s: {result.counts}", flush=True)
    return result


def analyze() -> None:
    """PostgreSQL: refresh the planner's statistics, as autovacuum does within a minute of a bulk load.

    Without them the planner takes the freshly filled tables for empty ones and picks nested loops: the
    board's "still missing" query then takes seconds instead of milliseconds (see BENCHMARKS.md).
    SQLite is left as deployed (no ANALYZE is ever run there)."""
    from eventapp.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))


def _get_or_create_users(db, models) -> tuple[str, str, int]:
    from werkzeug.security import generate_password_hash

    User = models.User
    names = {"bench_organizer": ("organizer", "Trần Thị Thu Hà"), "bench_reception": ("reception", "Lê Văn Tâm")}
    existing = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(names)))}
    hashed = None
    for username, (role, full_name) in names.items():
        if username not in existing:
            hashed = hashed or generate_password_hash(BENCH_PASSWORD)
            user = User(username=username, full_name=full_name, role=role, password_hash=hashed)
            db.session.add(user)
            existing[username] = user
    db.session.flush()
    return "bench_organizer", "bench_reception", existing["bench_organizer"].id


def _fill(rng, n_delegates, n_agencies, n_papers, n_budget, n_tasks, n_past, past_delegates, checked_in_fraction):
    from eventapp import models as m
    from eventapp import text
    from eventapp.extensions import db

    names = _Names(rng)
    now = datetime.now(UTC).replace(microsecond=0)
    counts: dict[str, int] = {}

    organizer, reception, organizer_id = _get_or_create_users(db, m)

    # Agency groups, agencies (reused across runs), departments, a venue.
    wanted = _agency_names(rng, n_agencies)
    groups = {g.name: g.id for g in db.session.scalars(sa.select(m.AgencyGroup))}
    group_names = list(dict.fromkeys([a["group"] for a in DEMO_AGENCIES] + AGENCY_GROUPS + [g for g, _ in wanted]))
    for pos, name in enumerate(group_names):
        if name not in groups:
            group = m.AgencyGroup(name=name, position=pos + 1)
            db.session.add(group)
            db.session.flush()
            groups[name] = group.id
    demo = {a["name"]: a for a in DEMO_AGENCIES}
    have = {a.name: a.id for a in db.session.scalars(sa.select(m.Agency).where(
        m.Agency.name.in_([n for _, n in wanted])))}
    new_rows = []
    for group, name in wanted:
        if name not in have:
            row = {
                "group_id": groups[group], "name": name, "address": f"{rng.randint(1, 300)} đường Hùng Vương",
                "email": f"vanthu{len(new_rows)}@{text.initials_slug(name)[:20] or 'coquan'}.gov.vn",
                "phone": names.phone(), "contact_name": names.person(),
                "contact_position": rng.choice(STAFF_POSITIONS), "search_text": text.search_key(name),
            }
            for key in ("short_name", "address", "email", "phone", "contact_name", "contact_position"):
                if demo.get(name, {}).get(key):
                    row[key] = demo[name][key]
            new_rows.append(row)
    if new_rows:
        ids = db.session.scalars(sa.insert(m.Agency).returning(m.Agency.id, sort_by_parameter_order=True),
                                 new_rows).all()
        for row, agency_id in zip(new_rows, ids, strict=True):
            have[row["name"]] = agency_id
    agencies = [(have[n], n) for _, n in wanted]
    counts["agencies"] = len(agencies)

    departments = {d.name: d.id for d in db.session.scalars(sa.select(m.Department))}
    for pos, (name, abbr) in enumerate(DEPARTMENTS):
        if name not in departments and not db.session.scalar(
                sa.select(m.Department.id).where(m.Department.abbreviation == abbr)):
            dep = m.Department(name=name, abbreviation=abbr, position=pos + 1)
            db.session.add(dep)
            db.session.flush()
            departments[name] = dep.id
    department_ids = list(departments.values())

    venue = db.session.scalar(sa.select(m.Venue).where(m.Venue.name == "Trung tâm Hội nghị tỉnh",
                                                       m.Venue.room == "Hội trường lớn"))
    if venue is None:
        venue = m.Venue(name="Trung tâm Hội nghị tỉnh", room="Hội trường lớn", address="45 Hùng Vương, TP. Quảng Ngãi",
                        phone="02553710477", capacity=6000)
        db.session.add(venue)
        db.session.flush()

    # The national conference, and the past ones.
    starts = (now + timedelta(days=21)).replace(hour=1, minute=30, second=0)
    conference = _conference(m, text, "tong_ket", starts, venue.id, organizer_id, department_ids[0],
                             "Hội nghị toàn quốc tổng kết Chương trình KH&CN phục vụ phát triển kinh tế - xã hội "
                             "nông thôn, miền núi giai đoạn 2021 - 2025", "254/KH-SKHCN", n_delegates, venue)
    db.session.add(conference)
    db.session.flush()
    main = _conference_content(db, m, text, rng, names, conference.id, agencies, n_delegates, n_papers, n_budget,
                               n_tasks, department_ids, checked_in_fraction, starts, past=False)
    counts.update({k: v for k, v in main.items() if isinstance(v, int)})

    past_ids = []
    past_counts = {"past_delegates": 0}
    for i in range(n_past):
        p_starts = (now - timedelta(days=30 + 14 * i)).replace(hour=1, minute=30, second=0)
        size = rng.randint(*past_delegates)
        kind = rng.choice(["giao_ban", "so_ket", "tong_ket", "hoi_thao", "dien_dan", "le"])
        title = rng.choice(["Hội nghị giao ban KH&CN", "Hội thảo khoa học", "Diễn đàn đổi mới sáng tạo",
                            "Hội nghị sơ kết", "Lễ trao giải sáng tạo kỹ thuật"]) + f" lần thứ {i + 1}"
        past = _conference(m, text, kind, p_starts, venue.id, organizer_id, rng.choice(department_ids), title,
                           f"{100 + i}/KH-SKHCN", size, venue)
        db.session.add(past)
        db.session.flush()
        past_ids.append(past.id)
        subset = rng.sample(agencies, min(len(agencies), max(5, size // 10)))
        content = _conference_content(db, m, text, rng, names, past.id, subset, size, rng.randint(2, 6), 10, 10,
                                      department_ids, 0.85, p_starts, past=True)
        past_counts["past_delegates"] += content["delegates"]
    counts["past_conferences"] = n_past
    counts.update(past_counts)
    db.session.commit()
    return GeneratedSet(conference_id=conference.id, past_conference_ids=past_ids, organizer_username=organizer,
                        reception_username=reception, password=BENCH_PASSWORD, rsvp_tokens=main["tokens"],
                        passes=main["passes"], unchecked_pass_codes=main["unchecked"], counts=counts)


def _conference(m, text, kind, starts, venue_id, organizer_id, department_id, title, number, expected, venue):
    conference = m.Conference(
        kind=kind, title=title, number_symbol=number, starts_at=starts, ends_at=starts + timedelta(hours=8),
        venue_id=venue_id, expected_attendance=expected, rsvp_deadline=starts - timedelta(days=4),
        lead_department_id=department_id, approved_budget=54_000_000 * max(1, expected // 150),
        funding_source="Ngân sách sự nghiệp KH&CN năm 2026", chair="Đồng chí Giám đốc Sở",
        purpose="Đánh giá kết quả thực hiện, rút ra bài học kinh nghiệm, đề xuất nhiệm vụ giai đoạn tới.",
        content="Báo cáo tổng kết; tham luận; thảo luận; kết luận của Chủ trì.",
        preparation="Nghiên cứu tài liệu gửi kèm; chuẩn bị ý kiến phát biểu.",
        contact_name="Trần Thị Thu Hà", contact_phone="0905123456", contact_email="vanphong@skhcn.gov.vn",
        created_by_id=organizer_id,
    )
    conference.search_text = text.search_key(title, number, venue.full_name, conference.chair)[:1000]
    return conference


def _split(total: int, parts: int, rng: random.Random, lo: int = 1, hi: int = 500) -> list[int]:
    """``parts`` integers in [lo, hi] summing to ``total`` (as near as the bounds allow), uneven like real lists."""
    if parts <= 0:
        return []
    weights = [rng.paretovariate(2.5) for _ in range(parts)]
    s = sum(weights)
    seats = [max(lo, min(hi, round(w / s * total))) for w in weights]
    diff = total - sum(seats)
    i = 0
    while diff and i < 100_000:
        j = i % parts
        if diff > 0 and seats[j] < hi:
            seats[j] += 1
            diff -= 1
        elif diff < 0 and seats[j] > lo:
            seats[j] -= 1
            diff += 1
        i += 1
    return seats


def _conference_content(db, m, text, rng, names, cid, agencies, n_delegates, n_papers, n_budget, n_tasks,
                        department_ids, checked_in_fraction, starts, past):
    """Invitations, delegates, check-ins, papers, agenda, budget lines and tasks of one conference."""
    sent = starts - timedelta(days=20)
    # Named persons: about 6% of delegates (at least one when there are few), the rest through agency seats.
    n_person = max(1, min(n_delegates // 16, 400)) if n_delegates > 1 else 0
    person_agencies = [rng.choice(agencies) for _ in range(n_person)]
    # Statuses: most agencies answered attending, some declined, some have not answered yet.
    agency_status = [rng.choices(["attending", "declined", "pending"], [80, 7, 13] if not past else [90, 10, 0])[0]
                     for _ in agencies]
    if "attending" not in agency_status and agency_status:
        agency_status[0] = "attending"
    person_status = ["attending"] * n_person
    attending_agencies = [i for i, s in enumerate(agency_status) if s == "attending"]
    agency_seats_total = max(len(attending_agencies), n_delegates - n_person)
    seats_attending = _split(agency_seats_total, len(attending_agencies), rng)
    seats = [rng.randint(2, 15) for _ in agencies]
    for i, s in zip(attending_agencies, seats_attending, strict=True):
        seats[i] = s

    inv_rows = []
    for i, (agency_id, agency_name) in enumerate(agencies):
        status = agency_status[i]
        inv_rows.append({
            "conference_id": cid, "kind": "agency", "agency_id": agency_id, "seats": seats[i],
            "role_text": rng.choice(["Đại diện lãnh đạo", "Lãnh đạo và chuyên viên phụ trách"]),
            "email": f"vanthu{agency_id}@coquan.gov.vn", "status": status,
            "decline_reason": "Trùng lịch công tác" if status == "declined" else "",
            "responded_at": sent + timedelta(days=rng.randint(1, 10)) if status != "pending" else None,
            "first_sent_at": sent, "position": i, "search_text": text.search_key(agency_name),
            "_agency_name": agency_name,
        })
    for j, (agency_id, agency_name) in enumerate(person_agencies):
        person = names.person()
        position = rng.choice(LEADER_POSITIONS)
        inv_rows.append({
            "conference_id": cid, "kind": "person", "agency_id": agency_id, "invitee_name": person,
            "invitee_position": position, "seats": 1, "email": f"nguoi{j}.{cid}@coquan.gov.vn",
            "phone": names.phone(), "status": person_status[j],
            "responded_at": sent + timedelta(days=rng.randint(1, 10)), "first_sent_at": sent,
            "position": len(agencies) + j, "search_text": text.search_key(person, agency_name),
            "_agency_name": agency_name,
        })
    clean = [{k: v for k, v in row.items() if not k.startswith("_")} for row in inv_rows]
    inv_ids = db.session.scalars(
        sa.insert(m.Invitation).returning(m.Invitation.id, sort_by_parameter_order=True), clean).all()
    tokens = dict(db.session.execute(
        sa.select(m.Invitation.id, m.Invitation.rsvp_token).where(m.Invitation.conference_id == cid)).all())

    # Delegates: one per seat of each attending invitation.
    del_rows = []
    del_tokens = []
    for row, inv_id in zip(inv_rows, inv_ids, strict=True):
        if row["status"] != "attending":
            continue
        for k in range(row["seats"]):
            if len(del_rows) >= n_delegates:
                break
            if row["kind"] == "person":
                substitute = rng.random() < 0.08
                full_name = names.person() if substitute else row["invitee_name"]
                kind = "substitute" if substitute else "invitee"
                position = rng.choice(STAFF_POSITIONS) if substitute else row["invitee_position"]
                replaces = row["invitee_name"] if substitute else ""
            else:
                full_name, kind, replaces = names.person(), "named", ""
                position = rng.choice(LEADER_POSITIONS) if k == 0 else rng.choice(STAFF_POSITIONS)
            leader = position in LEADER_POSITIONS
            del_rows.append({
                "conference_id": cid, "invitation_id": inv_id, "kind": kind, "full_name": full_name,
                "position": position, "agency_name": row["_agency_name"], "agency_id": row["agency_id"],
                "email": f"daibieu{len(del_rows)}.{cid}@example.vn" if rng.random() < 0.7 else "",
                "phone": names.phone(), "replaces_name": replaces,
                "status": "cancelled" if rng.random() < 0.02 else "attending",
                "precedence": 10 if leader else 100,
                "search_text": text.search_key(full_name, position, row["_agency_name"])[:700],
            })
            del_tokens.append(tokens[inv_id])
    del_ids = db.session.scalars(
        sa.insert(m.Delegate).returning(m.Delegate.id, sort_by_parameter_order=True), del_rows).all() if del_rows else []
    codes = dict(db.session.execute(
        sa.select(m.Delegate.id, m.Delegate.pass_code).where(m.Delegate.conference_id == cid)).all())

    # Check-ins of a share of the attending delegates, arrivals spread over 40 minutes before the start.
    checkin_rows, unchecked, passes = [], [], []
    for row, did, token in zip(del_rows, del_ids, del_tokens, strict=True):
        if row["status"] != "attending":
            continue
        passes.append((token, did, codes[did]))
        if rng.random() < checked_in_fraction:
            at = starts - timedelta(minutes=40) + timedelta(seconds=rng.randint(0, 45 * 60))
            checkin_rows.append({"conference_id": cid, "delegate_id": did, "checked_in_at": at, "recorded_at": at,
                                 "method": rng.choices(["scan", "search", "walk_in"], [90, 9, 1])[0]})
        else:
            unchecked.append(codes[did])
    if checkin_rows:
        db.session.execute(sa.insert(m.CheckIn), checkin_rows)

    # Papers (tham luận) and the agenda.
    paper_rows = []
    for i in range(n_papers):
        row = rng.choice(del_rows) if del_rows else None
        status = rng.choice(["invited", "submitted", "revision_requested", "accepted", "accepted", "declined"])
        paper_rows.append({
            "conference_id": cid, "speaker_name": row["full_name"] if row else names.person(),
            "speaker_position": row["position"] if row else "", "speaker_agency": row["agency_name"] if row else "",
            "speaker_email": f"thamluan{i}.{cid}@example.vn", "topic": rng.choice(PAPER_TOPICS).format(
                rng.choice(ENTERPRISE_TRADES).lower()), "deadline": starts - timedelta(days=10),
            "status": status, "submitted_at": starts - timedelta(days=12) if status not in ("invited", "declined") else None,
        })
    paper_ids = db.session.scalars(
        sa.insert(m.Paper).returning(m.Paper.id, sort_by_parameter_order=True), paper_rows).all() if paper_rows else []
    agenda = [{"conference_id": cid, "position": 0, "kind": "opening", "title": "Khai mạc hội nghị",
               "presenter": "Lãnh đạo Sở", "duration_minutes": 15}]
    for i, (pid, prow) in enumerate(zip(paper_ids, paper_rows, strict=True)):
        if prow["status"] == "accepted" and i < 12:
            agenda.append({"conference_id": cid, "position": len(agenda), "kind": "paper", "title": prow["topic"],
                           "presenter": prow["speaker_name"], "duration_minutes": 15, "paper_id": pid})
    agenda.append({"conference_id": cid, "position": len(agenda), "kind": "conclusion",
                   "title": "Kết luận hội nghị", "presenter": "Chủ trì", "duration_minutes": 20})
    db.session.execute(sa.insert(m.AgendaItem), agenda)

    # Budget lines.
    budget_rows = []
    for i in range(n_budget):
        category, content, unit, price = BUDGET_ITEMS[i % len(BUDGET_ITEMS)]
        quantity = n_delegates if unit == "người" else rng.randint(1, 30)
        budget_rows.append({
            "conference_id": cid, "position": i, "category": category,
            "content": content if i < len(BUDGET_ITEMS) else f"{content} (đợt {i // len(BUDGET_ITEMS) + 1})",
            "unit": unit, "quantity": min(quantity, 1_000_000), "days": 1, "unit_price": price,
            "funding_source": "Ngân sách sự nghiệp KH&CN",
            "actual_amount": price * quantity if past else None,
        })
    if budget_rows:
        db.session.execute(sa.insert(m.BudgetLine), budget_rows)

    # Tasks, with coordinating departments.
    task_rows = []
    today = date.today()
    for i in range(n_tasks):
        status = "done" if past else rng.choice(TASK_STATUSES)
        offset = rng.randint(-30, 5)
        task_rows.append({
            "conference_id": cid, "title": TASK_TITLES[i % len(TASK_TITLES)] + (f" (phần {i // len(TASK_TITLES) + 1})"
                                                                               if i >= len(TASK_TITLES) else ""),
            "lead_department_id": rng.choice(department_ids), "assignee_name": names.person(),
            "due_date": (starts.date() + timedelta(days=offset)) if not past else today - timedelta(days=40),
            "due_offset_days": offset, "status": status, "position": i,
            "completed_at": starts - timedelta(days=1) if status == "done" else None,
        })
    task_ids = db.session.scalars(
        sa.insert(m.Task).returning(m.Task.id, sort_by_parameter_order=True), task_rows).all() if task_rows else []
    coordinators = []
    for tid in task_ids:
        for dep in rng.sample(department_ids, min(len(department_ids), rng.randint(0, 2))):
            coordinators.append({"task_id": tid, "department_id": dep})
    if coordinators:
        db.session.execute(sa.insert(m.task_coordinator), coordinators)

    rsvp_tokens = [tokens[i] for i, row in zip(inv_ids, inv_rows, strict=True) if row["status"] == "attending"]
    return {"invitations": len(inv_rows), "delegates": len(del_rows), "checkins": len(checkin_rows),
            "papers": len(paper_rows), "budget_lines": len(budget_rows), "tasks": len(task_rows),
            "tokens": rsvp_tokens, "passes": passes, "unchecked": unchecked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sqlite", help="an SQLite file to fill (when DATABASE_URL is not set)")
    args = parser.parse_args()
    import os

    from bench.common import make_app

    url = None
    if not os.environ.get("DATABASE_URL") and args.sqlite:
        url = "sqlite:///" + str(Path(args.sqlite).resolve())
    app = make_app(url)
    data = generate(app, args.scale, quiet=False)
    print(f"conference {data.conference_id} on {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}; "
          f"sign in as {data.organizer_username} / {data.password}")


if __name__ == "__main__":
    main()
