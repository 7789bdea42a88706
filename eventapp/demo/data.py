"""Demo data built from the real plans in ``/work/shared/seeds`` (pure data). The reference data of the features
is not here: the demo's departments and tasks build on the task templates (``eventapp.tasks.templates``), the
spending norms are the budget's (``eventapp.budget.norms``), the work program is read by its parser.

Everything here is deterministic: names, phones and answers that are generated come from
``random.Random`` seeded with fixed strings. Times are *naive local* datetimes (Asia/Ho_Chi_Minh);
the loader converts them with ``eventapp.vntime.local_to_utc``. Money is whole đồng.

Records (dicts) and their keys:

- ``HOST``: name, parent_name, abbreviation, address, phone, email, website, place_name,
  signer_authority, signer_title, signer_name.
- ``DEPARTMENTS``: abbreviation, name, email, position, head_name, head_position.
- ``USERS``: username, full_name, email, role, department (abbreviation or None).
- ``AGENCY_GROUPS``: names, in display order.
- ``AGENCIES``: name, short_name, group, address, email, phone, contact_name, contact_position, province.
- ``VENUES``: name, room, address, phone, capacity, equipment, notes.
- ``CONFERENCES``: key, kind, title, number_symbol, plan_date, purpose, content, preparation, chair,
  starts_at, ends_at, venue (name, room), expected_attendance, rsvp_deadline, lead, approved_budget,
  funding_source, contact_name, contact_phone, contact_email, agenda_published_at, past.
- ``INVITATIONS[key]``: kind ("agency"/"person"), agency (directory name or None), invitee_name,
  invitee_position, role_text, seats, email, phone, status, decline_reason, sent_at, responded_at,
  note, delegates: [kind, full_name, position, agency_name, replaces_name, status, phone, email,
  checked_in_at].
- ``WALK_INS[key]``: full_name, position, agency_name, phone, checked_in_at.
- ``PAPERS[key]``: speaker_name, speaker_position, speaker_agency, speaker_email, speaker_phone, topic,
  title, summary, status, organizer_comment, deadline, submitted_at, events: [at, actor, from_status,
  to_status, comment, by_user (username or None)].
- ``AGENDA[key]``: kind, title, presenter, duration_minutes, paper (index into PAPERS[key] or None), notes.
- ``BUDGET[key]``: category, content, unit, quantity, days, unit_price, funding_source, actual_amount, note.
- ``TASKS[key]``: title, lead, coordinating, offset_days, status, completed_on (date or None), notes.
- Work program (seed 003): ``WORK_PROGRAM_SEED``, the file (read by ``eventapp.workprogram.parser``).
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

from ..tasks.templates import DEPARTMENTS as TEMPLATE_DEPARTMENTS
from ..tasks.templates import GIAO_BAN, TONG_KET

# --- small helpers ---------------------------------------------------------------------------


def _plain(s: str) -> str:
    """Lower-case, accent-free form (đ -> d), for e-mail local parts."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch)).lower()


def has_diacritics(s: str) -> bool:
    """True when ``s`` carries Vietnamese accents or đ (what a real Vietnamese name nearly always has)."""
    return _plain(s) != s.lower()


_MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036",
                    "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084",
                    "085", "086", "088", "089", "056", "058", "059"]


def _mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(7))


def _landline(rng: random.Random, area: str) -> str:
    """11 digits: the 4-digit area code (0255 Quảng Ngãi, 0204 Bắc Giang) and 7 digits starting 3."""
    return area + "3" + "".join(str(rng.randrange(10)) for _ in range(6))


_FAMILY = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Võ",
           "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Đoàn", "Lương", "Tạ",
           "Châu", "Mai", "Tô"]
_MIDDLE_M = ["Văn", "Văn", "Minh", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Ngọc", "Tấn", "Xuân", "Đình",
             "Anh", "Trọng", "Quang", "Duy"]
_MIDDLE_F = ["Thị", "Thị", "Thị Thu", "Thị Minh", "Thị Kim", "Thị Mỹ", "Ngọc", "Thị Hồng", "Thị Thanh",
             "Thị Diệu", "Thị Bích"]
_GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Long", "Lộc",
            "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tín", "Trung", "Tuấn", "Vinh",
            "Vũ", "Toàn", "Nhân", "Lâm", "Thịnh", "Khoa", "Định", "Hưng", "Nghĩa", "Tâm", "Việt"]
_GIVEN_F = ["Anh", "Châu", "Diệu", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai",
            "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Trinh", "Tuyết",
            "Vân", "Yến", "Liên", "Thư"]


class _Namer:
    """Deterministic, realistic Vietnamese names, unique within one namer."""

    def __init__(self, seed: str, taken: set[str] | None = None):
        self.rng = random.Random(seed)
        self.taken = taken if taken is not None else set()

    def name(self, female: bool | None = None) -> str:
        while True:
            is_f = (self.rng.random() < 0.35) if female is None else female
            middle = self.rng.choice(_MIDDLE_F if is_f else _MIDDLE_M)
            given = self.rng.choice(_GIVEN_F if is_f else _GIVEN_M)
            full = f"{self.rng.choice(_FAMILY)} {middle} {given}"
            if full not in self.taken and has_diacritics(full):
                self.taken.add(full)
                return full


def _gov_email(full_name: str, domain: str) -> str:
    """The usual form of a state e-mail: given name + initials ("hieupv@quangngai.gov.vn")."""
    words = _plain(full_name).split()
    return f"{words[-1]}{''.join(w[0] for w in words[:-1])}@{domain}"


# --- the host and its departments (seed 004, Nơi nhận and §VII) --------------------------------

HOST = {
    "name": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
    "parent_name": "UBND TỈNH QUẢNG NGÃI",
    "abbreviation": "SKHCN",
    "address": "66 Trần Hưng Đạo, phường Nguyễn Nghiêm, TP. Quảng Ngãi, tỉnh Quảng Ngãi",
    "phone": "02553822385",
    "email": "skhcn@quangngai.gov.vn",
    "website": "https://skhcn.quangngai.gov.vn",
    "place_name": "Quảng Ngãi",
    "signer_authority": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Phan Văn Hiếu",
}

#: The Sở's leaders (the signer of seed 004 is a deputy director).
LEADERS = [
    {"full_name": "Lê Quang Thịnh", "position": "Giám đốc Sở Khoa học và Công nghệ"},
    {"full_name": "Phan Văn Hiếu", "position": "Phó Giám đốc Sở Khoa học và Công nghệ"},
    {"full_name": "Nguyễn Thị Thu Hà", "position": "Phó Giám đốc Sở Khoa học và Công nghệ"},
]

#: The departments the task templates name, with their mail address and head.
_CONTACTS = {  # abbreviation: (email, head_name, head_position)
    "VP": ("vanphong.skhcn@quangngai.gov.vn", "Trương Công Định", "Chánh Văn phòng Sở"),
    "QLKHCNCS": ("qlkhcncs.skhcn@quangngai.gov.vn", "Võ Văn Trung", "Trưởng phòng Quản lý KH&CN cơ sở"),
    "QLKH": ("qlkh.skhcn@quangngai.gov.vn", "Đặng Thị Kim Oanh", "Trưởng phòng Quản lý Khoa học"),
    "QLCN": ("qlcn.skhcn@quangngai.gov.vn", "Huỳnh Tấn Phúc",
             "Trưởng phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành"),
    "KHTC": ("khtc.skhcn@quangngai.gov.vn", "Lê Thị Hồng Nhung", "Trưởng phòng Kế hoạch - Tài chính"),
    "TTra": ("thanhtra.skhcn@quangngai.gov.vn", "Phạm Đình Khoa", "Chánh Thanh tra Sở"),
    "TTUDDV": ("ttuddv.skhcn@quangngai.gov.vn", "Nguyễn Hữu Phước", "Giám đốc Trung tâm Ứng dụng và Dịch vụ KH&CN"),
    "CCTCĐLCL": ("chicuctdc.skhcn@quangngai.gov.vn", "Đỗ Minh Tuấn",
             "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng"),
}
DEPARTMENTS = [
    dict(unit, position=position, **dict(zip(("email", "head_name", "head_position"),
                                           _CONTACTS[unit["abbreviation"]], strict=True)))
    for position, unit in enumerate(TEMPLATE_DEPARTMENTS, start=1)
]

USERS = [
    {"username": "quantri", "full_name": "Trần Quốc Việt", "email": "viettq@quangngai.gov.vn",
     "role": "admin", "department": "VP"},
    {"username": "tochuc", "full_name": "Nguyễn Thị Mỹ Linh", "email": "linhntm@quangngai.gov.vn",
     "role": "organizer", "department": "VP"},
    {"username": "qlkhcncs", "full_name": "Võ Thị Minh Thư", "email": "thuvtm@quangngai.gov.vn",
     "role": "organizer", "department": "QLKHCNCS"},
    {"username": "letan1", "full_name": "Huỳnh Thị Kim Ngân", "email": "nganhtk@quangngai.gov.vn",
     "role": "reception", "department": "VP"},
    {"username": "letan2", "full_name": "Phạm Minh Tuấn", "email": "tuanpm@quangngai.gov.vn",
     "role": "reception", "department": "VP"},
    {"username": "phong.vp", "full_name": "Đặng Văn Lộc", "email": "locdv@quangngai.gov.vn",
     "role": "department", "department": "VP"},
    {"username": "phong.khtc", "full_name": "Bùi Thị Thanh Hương", "email": "huongbtt@quangngai.gov.vn",
     "role": "department", "department": "KHTC"},
    {"username": "phong.qlcn", "full_name": "Bùi Thanh Tâm", "email": "tambt@quangngai.gov.vn",
     "role": "department", "department": "QLCN"},
    {"username": "phong.qlkh", "full_name": "Trương Thị Diệu Hiền", "email": "hienttd@quangngai.gov.vn",
     "role": "department", "department": "QLKH"},
    {"username": "phong.ttuddv", "full_name": "Lương Văn Nghĩa", "email": "nghialv@quangngai.gov.vn",
     "role": "department", "department": "TTUDDV"},
]

# --- the agency directory ---------------------------------------------------------------------

G_TINH_UY = "Cơ quan tham mưu giúp việc Tỉnh ủy"
G_VAN_PHONG = "Văn phòng HĐND, UBND tỉnh"
G_SO = "Sở, ban, ngành"
G_HUYEN = "UBND cấp huyện (trước 01/7/2025)"
G_XA = "UBND cấp xã, phường"
G_DOAN_THE = "Đoàn thể chính trị - xã hội"
G_KHCN = "Tổ chức khoa học và công nghệ"
G_DN = "Doanh nghiệp"
G_BAO = "Báo chí"
G_SKHCN = "Lãnh đạo, công chức Sở KH&CN"

AGENCY_GROUPS = [G_TINH_UY, G_VAN_PHONG, G_SO, G_HUYEN, G_XA, G_DOAN_THE, G_KHCN, G_DN, G_BAO, G_SKHCN]

QN, BG = "Quảng Ngãi", "Bắc Giang"

# (name, short_name, group, address, email, province); phone and contact are generated.
_AGENCY_ROWS: list[tuple[str, str, str, str, str, str]] = [
    # Tỉnh ủy's advisory bodies (2021) and their 2025 successors
    ("Văn phòng Tỉnh ủy", "VPTU", G_TINH_UY, "02 Hùng Vương, TP. Quảng Ngãi", "vptu@quangngai.gov.vn", QN),
    ("Ban Tuyên giáo Tỉnh ủy", "BTG", G_TINH_UY, "02 Hùng Vương, TP. Quảng Ngãi", "btgtu@quangngai.gov.vn", QN),
    ("Ban Dân vận Tỉnh ủy", "BDV", G_TINH_UY, "02 Hùng Vương, TP. Quảng Ngãi", "bdvtu@quangngai.gov.vn", QN),
    ("Ban Tổ chức Tỉnh ủy", "BTC", G_TINH_UY, "02 Hùng Vương, TP. Quảng Ngãi", "btctu@quangngai.gov.vn", QN),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDV", G_TINH_UY, "02 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
     "btgdv@quangngai.gov.vn", QN),
    ("Ban Chính sách, chiến lược Tỉnh ủy", "BCSCL", G_TINH_UY, "02 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
     "bcscl@quangngai.gov.vn", QN),
    # Văn phòng HĐND, UBND
    ("Văn phòng HĐND tỉnh", "VPHĐND", G_VAN_PHONG, "52 Hùng Vương, TP. Quảng Ngãi", "vphdnd@quangngai.gov.vn", QN),
    ("Văn phòng UBND tỉnh", "VPUBND", G_VAN_PHONG, "52 Hùng Vương, TP. Quảng Ngãi", "vpubnd@quangngai.gov.vn", QN),
    ("Ban Kinh tế - Ngân sách HĐND tỉnh", "BKTNS", G_VAN_PHONG, "52 Hùng Vương, TP. Quảng Ngãi",
     "bktns.hdnd@quangngai.gov.vn", QN),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VPĐĐBQH", G_VAN_PHONG, "52 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
     "vpdbqh-hdnd@quangngai.gov.vn", QN),
    # Sở, ban, ngành
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNN&PTNT", G_SO, "143 Hùng Vương, TP. Quảng Ngãi",
     "snnptnt@quangngai.gov.vn", QN),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", G_SO, "96 Nguyễn Nghiêm, TP. Quảng Ngãi", "skhdt@quangngai.gov.vn", QN),
    ("Sở Tài chính", "STC", G_SO, "98 Hùng Vương, TP. Quảng Ngãi", "stc@quangngai.gov.vn", QN),
    ("Sở Công Thương", "SCT", G_SO, "140 Hùng Vương, TP. Quảng Ngãi", "sct@quangngai.gov.vn", QN),
    ("Sở Tài nguyên và Môi trường", "STNMT", G_SO, "163 Hùng Vương, TP. Quảng Ngãi", "stnmt@quangngai.gov.vn", QN),
    ("Sở Thông tin và Truyền thông", "STTTT", G_SO, "181 Hùng Vương, TP. Quảng Ngãi", "stttt@quangngai.gov.vn", QN),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", G_SO, "164 Hùng Vương, TP. Quảng Ngãi", "sgddt@quangngai.gov.vn", QN),
    ("Sở Y tế", "SYT", G_SO, "321 Nguyễn Nghiêm, TP. Quảng Ngãi", "syt@quangngai.gov.vn", QN),
    ("Sở Nội vụ", "SNV", G_SO, "54 Hùng Vương, TP. Quảng Ngãi", "snv@quangngai.gov.vn", QN),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", G_SO, "155 Hùng Vương, TP. Quảng Ngãi",
     "sldtbxh@quangngai.gov.vn", QN),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", G_SO, "30 Lê Trung Đình, TP. Quảng Ngãi",
     "svhttdl@quangngai.gov.vn", QN),
    ("Sở Xây dựng", "SXD", G_SO, "119 Hùng Vương, TP. Quảng Ngãi", "sxd@quangngai.gov.vn", QN),
    ("Sở Giao thông vận tải", "SGTVT", G_SO, "62 Lê Lợi, TP. Quảng Ngãi", "sgtvt@quangngai.gov.vn", QN),
    ("Sở Tư pháp", "STP", G_SO, "147 Hùng Vương, TP. Quảng Ngãi", "stp@quangngai.gov.vn", QN),
    ("Ban Dân tộc tỉnh", "BDT", G_SO, "178 Hùng Vương, TP. Quảng Ngãi", "bdt@quangngai.gov.vn", QN),
    ("Ban Quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi", "BQL KKT", G_SO,
     "Khu kinh tế Dung Quất, huyện Bình Sơn, tỉnh Quảng Ngãi", "bqlkkt@quangngai.gov.vn", QN),
    ("Sở Nông nghiệp và Môi trường", "SNN&MT", G_SO, "143 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
     "snnmt@quangngai.gov.vn", QN),
    ("Sở Dân tộc và Tôn giáo", "SDTTG", G_SO, "178 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
     "sdttg@quangngai.gov.vn", QN),
    # UBND cấp huyện of 2021 (13)
    ("UBND thành phố Quảng Ngãi", "UBND TP. Quảng Ngãi", G_HUYEN, "156 Hùng Vương, TP. Quảng Ngãi",
     "ubndtp@quangngai.gov.vn", QN),
    ("UBND thị xã Đức Phổ", "UBND TX. Đức Phổ", G_HUYEN, "Phường Nguyễn Nghiêm, thị xã Đức Phổ",
     "ubnddp@quangngai.gov.vn", QN),
    ("UBND huyện Bình Sơn", "", G_HUYEN, "Thị trấn Châu Ổ, huyện Bình Sơn", "ubndbs@quangngai.gov.vn", QN),
    ("UBND huyện Sơn Tịnh", "", G_HUYEN, "Xã Tịnh Hà, huyện Sơn Tịnh", "ubndst@quangngai.gov.vn", QN),
    ("UBND huyện Tư Nghĩa", "", G_HUYEN, "Thị trấn La Hà, huyện Tư Nghĩa", "ubndtn@quangngai.gov.vn", QN),
    ("UBND huyện Nghĩa Hành", "", G_HUYEN, "Thị trấn Chợ Chùa, huyện Nghĩa Hành", "ubndnh@quangngai.gov.vn", QN),
    ("UBND huyện Mộ Đức", "", G_HUYEN, "Thị trấn Mộ Đức, huyện Mộ Đức", "ubndmd@quangngai.gov.vn", QN),
    ("UBND huyện Ba Tơ", "", G_HUYEN, "Thị trấn Ba Tơ, huyện Ba Tơ", "ubndbt@quangngai.gov.vn", QN),
    ("UBND huyện Minh Long", "", G_HUYEN, "Xã Long Hiệp, huyện Minh Long", "ubndml@quangngai.gov.vn", QN),
    ("UBND huyện Sơn Hà", "", G_HUYEN, "Thị trấn Di Lăng, huyện Sơn Hà", "ubndsh@quangngai.gov.vn", QN),
    ("UBND huyện Sơn Tây", "", G_HUYEN, "Xã Sơn Dung, huyện Sơn Tây", "ubndsty@quangngai.gov.vn", QN),
    ("UBND huyện Trà Bồng", "", G_HUYEN, "Thị trấn Trà Xuân, huyện Trà Bồng", "ubndtb@quangngai.gov.vn", QN),
    ("UBND huyện Lý Sơn", "", G_HUYEN, "Xã An Vĩnh, huyện Lý Sơn", "ubndls@quangngai.gov.vn", QN),
    # UBND cấp xã, phường (since 01/7/2025)
    ("UBND phường Cẩm Thành", "", G_XA, "Phường Cẩm Thành, tỉnh Quảng Ngãi", "ubndcamthanh@quangngai.gov.vn", QN),
    ("UBND phường Nghĩa Lộ", "", G_XA, "Phường Nghĩa Lộ, tỉnh Quảng Ngãi", "ubndnghialo@quangngai.gov.vn", QN),
    ("UBND phường Đức Phổ", "", G_XA, "Phường Đức Phổ, tỉnh Quảng Ngãi", "ubndducpho@quangngai.gov.vn", QN),
    ("UBND xã Bình Sơn", "", G_XA, "Xã Bình Sơn, tỉnh Quảng Ngãi", "ubndbinhson@quangngai.gov.vn", QN),
    ("UBND xã Sơn Tịnh", "", G_XA, "Xã Sơn Tịnh, tỉnh Quảng Ngãi", "ubndsontinh@quangngai.gov.vn", QN),
    ("UBND xã Tư Nghĩa", "", G_XA, "Xã Tư Nghĩa, tỉnh Quảng Ngãi", "ubndtunghia@quangngai.gov.vn", QN),
    ("UBND xã Nghĩa Hành", "", G_XA, "Xã Nghĩa Hành, tỉnh Quảng Ngãi", "ubndnghiahanh@quangngai.gov.vn", QN),
    ("UBND xã Mộ Đức", "", G_XA, "Xã Mộ Đức, tỉnh Quảng Ngãi", "ubndmoduc@quangngai.gov.vn", QN),
    ("UBND xã Ba Tơ", "", G_XA, "Xã Ba Tơ, tỉnh Quảng Ngãi", "ubndbato@quangngai.gov.vn", QN),
    ("UBND xã Minh Long", "", G_XA, "Xã Minh Long, tỉnh Quảng Ngãi", "ubndminhlong@quangngai.gov.vn", QN),
    ("UBND xã Sơn Hà", "", G_XA, "Xã Sơn Hà, tỉnh Quảng Ngãi", "ubndsonha@quangngai.gov.vn", QN),
    ("UBND xã Sơn Tây", "", G_XA, "Xã Sơn Tây, tỉnh Quảng Ngãi", "ubndsontay@quangngai.gov.vn", QN),
    ("UBND xã Trà Bồng", "", G_XA, "Xã Trà Bồng, tỉnh Quảng Ngãi", "ubndtrabong@quangngai.gov.vn", QN),
    ("UBND đặc khu Lý Sơn", "", G_XA, "Đặc khu Lý Sơn, tỉnh Quảng Ngãi", "ubndlyson@quangngai.gov.vn", QN),
    # Đoàn thể chính trị - xã hội
    ("Ủy ban MTTQ Việt Nam tỉnh", "MTTQ", G_DOAN_THE, "04 Hùng Vương, TP. Quảng Ngãi", "mttq@quangngai.gov.vn", QN),
    ("Tỉnh đoàn Quảng Ngãi", "Tỉnh đoàn", G_DOAN_THE, "70 Lê Lợi, TP. Quảng Ngãi", "tinhdoan@quangngai.gov.vn", QN),
    ("Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN", G_DOAN_THE, "62 Trần Hưng Đạo, TP. Quảng Ngãi",
     "hoiphunu@quangngai.gov.vn", QN),
    ("Hội Nông dân tỉnh", "Hội ND", G_DOAN_THE, "68 Hai Bà Trưng, TP. Quảng Ngãi", "hoinongdan@quangngai.gov.vn", QN),
    ("Liên đoàn Lao động tỉnh", "LĐLĐ", G_DOAN_THE, "358 Quang Trung, TP. Quảng Ngãi", "ldld@quangngai.gov.vn", QN),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "LHH", G_DOAN_THE, "115 Nguyễn Nghiêm, TP. Quảng Ngãi",
     "lhhkhkt@quangngai.gov.vn", QN),
    # Tổ chức KH&CN, tổ chức chuyển giao
    ("Trường Đại học Phạm Văn Đồng", "ĐH PVĐ", G_KHCN, "509 Phan Đình Phùng, TP. Quảng Ngãi", "dhpvd@pdu.edu.vn", QN),
    ("Trường Đại học Tài chính - Kế toán", "ĐH TCKT", G_KHCN, "Thị trấn La Hà, huyện Tư Nghĩa, tỉnh Quảng Ngãi",
     "dhtckt@tckt.edu.vn", QN),
    ("Phân hiệu Trường Đại học Công nghiệp TP. Hồ Chí Minh tại Quảng Ngãi", "IUH Quảng Ngãi", G_KHCN,
     "938 Quang Trung, TP. Quảng Ngãi", "phanhieuqn@iuh.edu.vn", QN),
    ("Trung tâm Khuyến nông tỉnh Quảng Ngãi", "TTKN", G_KHCN, "151 Hùng Vương, TP. Quảng Ngãi",
     "ttkn@quangngai.gov.vn", QN),
    ("Viện Khoa học Kỹ thuật Nông nghiệp Duyên hải Nam Trung Bộ", "ASISOV", G_KHCN,
     "Phường Nhơn Hưng, thị xã An Nhơn, tỉnh Bình Định", "asisov@vaas.vn", QN),
    ("Trường Cao đẳng Việt Nam - Hàn Quốc - Quảng Ngãi", "CĐ Việt - Hàn", G_KHCN,
     "Xã Tịnh Ấn Tây, TP. Quảng Ngãi", "cdvhqn@quangngai.edu.vn", QN),
    # Doanh nghiệp KH&CN (names of the demo; plausible, not real companies)
    ("Công ty TNHH Nông nghiệp công nghệ cao Thiên Ấn", "Thiên Ấn Agri", G_DN,
     "Lô B5, KCN Tịnh Phong, xã Tịnh Phong, huyện Sơn Tịnh", "lienhe@thienanagri.vn", QN),
    ("Công ty Cổ phần Dược liệu Ba Tơ", "Dược liệu Ba Tơ", G_DN, "Thị trấn Ba Tơ, huyện Ba Tơ",
     "duoclieubato@gmail.com", QN),
    ("Công ty TNHH Quế Trà Bồng Xanh", "Quế Trà Bồng Xanh", G_DN, "Thị trấn Trà Xuân, huyện Trà Bồng",
     "quetrabongxanh@gmail.com", QN),
    ("Công ty Cổ phần Nấm sạch Tư Nghĩa", "Nấm sạch Tư Nghĩa", G_DN, "Xã Nghĩa Kỳ, huyện Tư Nghĩa",
     "namsachtunghia@gmail.com", QN),
    ("Công ty TNHH Chế biến tỏi Lý Sơn Việt", "Tỏi Lý Sơn Việt", G_DN, "Xã An Hải, huyện Lý Sơn",
     "toilysonviet@gmail.com", QN),
    # Báo chí
    ("Báo Quảng Ngãi", "", G_BAO, "06 Nguyễn Công Phương, TP. Quảng Ngãi", "baoquangngai@gmail.com", QN),
    ("Đài Phát thanh - Truyền hình Quảng Ngãi", "PTQ", G_BAO, "20 Phan Đình Phùng, TP. Quảng Ngãi",
     "ptq@quangngai.gov.vn", QN),
    ("Cơ quan thường trú Thông tấn xã Việt Nam tại Quảng Ngãi", "TTXVN", G_BAO,
     "95 Hùng Vương, TP. Quảng Ngãi", "ttxvnquangngai@vnanet.vn", QN),
    # The host itself (its staff are invited as a group)
    ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "Sở KH&CN", G_SKHCN, HOST["address"], HOST["email"], QN),
    # Bắc Giang (seed 001): the 10 district-level UBND of 2020, the press and the host Sở
    ("UBND thành phố Bắc Giang", "UBND TP. Bắc Giang", G_HUYEN, "Số 1 Nghĩa Long, TP. Bắc Giang",
     "ubndtp@bacgiang.gov.vn", BG),
    ("UBND huyện Yên Thế", "", G_HUYEN, "Thị trấn Cầu Gồ, huyện Yên Thế", "ubndyenthe@bacgiang.gov.vn", BG),
    ("UBND huyện Tân Yên", "", G_HUYEN, "Thị trấn Cao Thượng, huyện Tân Yên", "ubndtanyen@bacgiang.gov.vn", BG),
    ("UBND huyện Lạng Giang", "", G_HUYEN, "Thị trấn Vôi, huyện Lạng Giang", "ubndlanggiang@bacgiang.gov.vn", BG),
    ("UBND huyện Lục Nam", "", G_HUYEN, "Thị trấn Đồi Ngô, huyện Lục Nam", "ubndlucnam@bacgiang.gov.vn", BG),
    ("UBND huyện Lục Ngạn", "", G_HUYEN, "Thị trấn Chũ, huyện Lục Ngạn", "ubndlucngan@bacgiang.gov.vn", BG),
    ("UBND huyện Sơn Động", "", G_HUYEN, "Thị trấn An Châu, huyện Sơn Động", "ubndsondong@bacgiang.gov.vn", BG),
    ("UBND huyện Yên Dũng", "", G_HUYEN, "Thị trấn Neo, huyện Yên Dũng", "ubndyendung@bacgiang.gov.vn", BG),
    ("UBND huyện Việt Yên", "", G_HUYEN, "Thị trấn Bích Động, huyện Việt Yên", "ubndvietyen@bacgiang.gov.vn", BG),
    ("UBND huyện Hiệp Hòa", "", G_HUYEN, "Thị trấn Thắng, huyện Hiệp Hòa", "ubndhiephoa@bacgiang.gov.vn", BG),
    ("Báo Bắc Giang", "", G_BAO, "Số 1 đường Hoàng Văn Thụ, TP. Bắc Giang", "baobacgiang@bacgiang.gov.vn", BG),
    ("Đài Phát thanh và Truyền hình Bắc Giang", "BGTV", G_BAO, "Số 2 đường Hoàng Văn Thụ, TP. Bắc Giang",
     "bgtv@bacgiang.gov.vn", BG),
    ("Sở Khoa học và Công nghệ tỉnh Bắc Giang", "Sở KH&CN Bắc Giang", G_SKHCN,
     "Lô 10, đường Lý Tự Trọng, TP. Bắc Giang, tỉnh Bắc Giang", "skhcn@bacgiang.gov.vn", BG),
]


def _contact_position(group: str, name: str) -> str:
    if group in (G_HUYEN, G_XA):
        return "Chuyên viên Văn phòng HĐND và UBND"
    if group == G_BAO:
        return "Thư ký tòa soạn" if name.startswith("Báo") else "Phóng viên"
    if group == G_DN:
        return "Trợ lý Giám đốc"
    if group == G_KHCN:
        return "Chuyên viên Phòng Hành chính - Tổng hợp"
    return "Chuyên viên Văn phòng"


def _build_agencies() -> list[dict]:
    out = []
    for name, short, group, address, email, province in _AGENCY_ROWS:
        rng = random.Random(f"agency:{name}")
        area = "0255" if province == QN else "0204"
        phone = _mobile(rng) if group == G_DN and rng.random() < 0.5 else _landline(rng, area)
        if name == HOST["name"]:
            phone = HOST["phone"]
        out.append({
            "name": name, "short_name": short, "group": group, "address": address, "email": email,
            "phone": phone, "contact_name": _Namer(f"contact:{name}").name(),
            "contact_position": _contact_position(group, name), "province": province,
        })
    return out


AGENCIES = _build_agencies()
_AGENCY = {a["name"]: a for a in AGENCIES}

VENUES = [
    {"name": "Khách sạn Hùng Vương", "room": "Hội trường tầng 7",
     "address": "45 Hùng Vương, TP. Quảng Ngãi, tỉnh Quảng Ngãi", "phone": "0255 3710 477", "capacity": 200,
     "equipment": "Âm thanh, máy chiếu, màn hình LED, micro không dây", "notes": "ĐT khác: 0255 3826 794"},
    {"name": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "room": "Phòng họp tầng 3", "address": HOST["address"],
     "phone": "0255 3822 385", "capacity": 40, "equipment": "Máy chiếu, tivi họp trực tuyến", "notes": ""},
    {"name": "Sở Khoa học và Công nghệ tỉnh Bắc Giang", "room": "Hội trường tầng 5",
     "address": "Lô 10, đường Lý Tự Trọng, TP. Bắc Giang, tỉnh Bắc Giang", "phone": "", "capacity": 80,
     "equipment": "Âm thanh, máy chiếu", "notes": ""},
]

# --- conferences ------------------------------------------------------------------------------

_PROGRAM_2016 = ("Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ khoa học và công nghệ thúc đẩy phát triển "
                 "kinh tế - xã hội nông thôn, miền núi tỉnh Quảng Ngãi giai đoạn 2016 - 2020")
_PROGRAM_2021 = ("Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ khoa học và công nghệ thúc đẩy phát triển "
                 "kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu số tỉnh Quảng Ngãi giai đoạn 2021 - 2025")

QN2021, QN2026, BG2020 = "qn-2021-tong-ket", "qn-2026-so-ket", "bg-2020-giao-ban"

_CHAIR_QN = "Đồng chí Lê Quang Thịnh, Giám đốc Sở Khoa học và Công nghệ"

CONFERENCES = [
    {
        "key": QN2021,
        "kind": "tong_ket",
        "title": f"Hội nghị tổng kết {_PROGRAM_2016}",
        "number_symbol": "254/KH-SKHCN",
        "plan_date": date(2021, 3, 16),
        "purpose": (
            "- Tổng kết và đánh giá kết quả triển khai thực hiện Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ "
            "khoa học và công nghệ (KH&CN) thúc đẩy phát triển kinh tế - xã hội nông thôn, miền núi tỉnh Quảng Ngãi "
            "giai đoạn 2016 - 2020 và định hướng thực hiện Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ KH&CN "
            "thúc đẩy phát triển kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu số tỉnh Quảng Ngãi giai "
            "đoạn 2021 - 2025.\n"
            "- Hội nghị được tổ chức chu đáo, trang trọng, tiết kiệm, hiệu quả, tạo động lực cho hoạt động ứng dụng, "
            "chuyển giao tiến bộ KH&CN thúc đẩy phát triển kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu "
            "số tỉnh Quảng Ngãi trong giai đoạn tới."
        ),
        "content": (
            "- Đánh giá kết quả triển khai thực hiện các mô hình, dự án ứng dụng, chuyển giao tiến bộ KH&CN thuộc "
            f"{_PROGRAM_2016};\n"
            "- Định hướng mục tiêu, nội dung, giải pháp thực hiện Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ "
            "KH&CN thúc đẩy phát triển kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu số tỉnh Quảng Ngãi "
            "giai đoạn 2021 - 2025."
        ),
        # What invitees prepare (the giấy mời prints it); the Sở's own work of §VII is in the tasks.
        "preparation": (
            "Các địa phương, đơn vị được mời tham luận chuẩn bị nội dung báo cáo trình bày tại Hội nghị (báo cáo "
            "bằng lời hoặc PowerPoint), gửi về Sở Khoa học và Công nghệ trước ngày 30/3/2021."
        ),
        "chair": _CHAIR_QN,
        "starts_at": datetime(2021, 4, 6, 7, 30),
        "ends_at": datetime(2021, 4, 6, 11, 30),
        "venue": ("Khách sạn Hùng Vương", "Hội trường tầng 7"),
        "expected_attendance": 150,
        "reception_minutes": 30,  # §VII.6: Văn phòng Sở đón tiếp, phát tài liệu đại biểu
        "rsvp_deadline": datetime(2021, 4, 2, 17, 0),
        "lead": "QLKHCNCS",
        "approved_budget": 54_000_000,
        "funding_source": "Từ nguồn kinh phí ngân sách được giao cho Sở KH&CN năm 2021 "
                          "(Phụ lục dự toán kèm theo Kế hoạch số 254/KH-SKHCN)",
        "contact_name": "Võ Thị Minh Thư, Phòng Quản lý KH&CN cơ sở",
        "contact_phone": "0935482617",
        "contact_email": "qlkhcncs.skhcn@quangngai.gov.vn",
        "agenda_published_at": datetime(2021, 4, 1, 16, 30),
        "past": True,
    },
    {
        "key": QN2026,
        "kind": "so_ket",
        "title": f"Hội nghị sơ kết {_PROGRAM_2021}",
        "number_symbol": "312/KH-SKHCN",
        "plan_date": date(2026, 11, 9),
        "purpose": (
            "- Sơ kết, đánh giá kết quả triển khai thực hiện các mô hình, dự án ứng dụng, chuyển giao tiến bộ KH&CN "
            f"thuộc {_PROGRAM_2021}; chỉ ra tồn tại, hạn chế và nguyên nhân.\n"
            "- Đề xuất nội dung, giải pháp nhân rộng các mô hình hiệu quả sau khi sắp xếp đơn vị hành chính cấp xã; "
            "hội nghị tổ chức chu đáo, tiết kiệm, hiệu quả."
        ),
        "content": (
            "- Báo cáo sơ kết kết quả thực hiện Chương trình giai đoạn 2021 - 2025;\n"
            "- Tham luận của các địa phương, tổ chức chủ trì và doanh nghiệp về chuyển giao, nhân rộng mô hình;\n"
            "- Thảo luận, đề xuất định hướng hỗ trợ ứng dụng, chuyển giao tiến bộ KH&CN cho vùng nông thôn, miền núi, "
            "vùng dân tộc thiểu số giai đoạn tiếp theo."
        ),
        "preparation": "Các đơn vị được mời tham luận gửi bài (bản điện tử, tối đa 8 trang) trước ngày 04/12/2026.",
        "chair": _CHAIR_QN,
        "starts_at": datetime(2026, 12, 15, 7, 30),
        "ends_at": datetime(2026, 12, 15, 11, 30),
        "venue": ("Khách sạn Hùng Vương", "Hội trường tầng 7"),
        "expected_attendance": 150,
        "rsvp_deadline": datetime(2026, 12, 10, 17, 0),
        "lead": "QLKHCNCS",
        "approved_budget": 54_000_000,
        "funding_source": "Từ nguồn kinh phí sự nghiệp khoa học và công nghệ năm 2026 giao cho Sở KH&CN",
        "contact_name": "Võ Thị Minh Thư, Phòng Quản lý KH&CN cơ sở",
        "contact_phone": "0935482617",
        "contact_email": "qlkhcncs.skhcn@quangngai.gov.vn",
        "agenda_published_at": None,
        "past": False,
    },
    {
        "key": BG2020,
        "kind": "giao_ban",
        "title": "Hội nghị giao ban hoạt động khoa học và công nghệ năm 2020",
        "number_symbol": "",
        "plan_date": date(2020, 7, 10),
        "purpose": (
            "- Nhằm nâng cao hiệu quả hoạt động khoa học và công nghệ của UBND các huyện, thành phố trong thúc đẩy "
            "phát triển kinh tế - xã hội.\n"
            "- Đánh giá chính xác, khách quan công tác quản lý nhà nước về khoa học và công nghệ 6 tháng đầu năm, từ "
            "đó đề ra nhiệm vụ thực hiện trong thời gian tiếp theo.\n"
            "- Trao đổi kinh nghiệm, cách làm hay của các địa phương trong hoạt động khoa học và công nghệ.\n"
            "- Việc tổ chức hội nghị đảm bảo kế hoạch đề ra; nội dung thực hiện chất lượng, tiết kiệm, hiệu quả "
            "thiết thực."
        ),
        "content": (
            "- Báo cáo kết quả hoạt động khoa học và công nghệ 6 tháng đầu năm; phương hướng, nhiệm vụ 6 tháng cuối "
            "năm 2020;\n"
            "- Công tác phối hợp với UBND các huyện, thành phố góp phần thực hiện Nghị quyết Đại hội Đảng bộ các "
            "huyện, thành phố giai đoạn 2020-2025;\n"
            "- Đặt hàng và đăng ký nhiệm vụ khoa học và công nghệ cấp tỉnh; cấp cơ sở do UBND các huyện, thành phố "
            "thực hiện năm 2021 và giai đoạn 2021-2025."
        ),
        "preparation": "UBND các huyện, thành phố chuẩn bị nội dung phát biểu (có gợi ý thảo luận kèm theo giấy mời).",
        "chair": "Đồng chí Nguyễn Thanh Bình, Giám đốc Sở Khoa học và Công nghệ tỉnh Bắc Giang",
        # Seed 001 is the Bắc Giang Sở's own plan ("Số: /KH-KHCN", "Bắc Giang, ngày ...", signed by its director).
        "issuer": {"issuer_name": "Sở Khoa học và Công nghệ tỉnh Bắc Giang", "issuer_parent_name": "UBND tỉnh Bắc Giang",
                   "issuer_abbreviation": "KHCN", "place_name": "Bắc Giang", "signer_authority": "",
                   "signer_title": "Giám đốc", "signer_name": "Nguyễn Thanh Bình"},
        "starts_at": datetime(2020, 7, 28, 8, 0),
        "ends_at": datetime(2020, 7, 28, 11, 30),
        "venue": ("Sở Khoa học và Công nghệ tỉnh Bắc Giang", "Hội trường tầng 5"),
        "expected_attendance": 50,
        "rsvp_deadline": datetime(2020, 7, 24, 17, 0),
        "lead": "QLKHCNCS",
        "approved_budget": None,
        "funding_source": "Chi từ nguồn kinh phí sự nghiệp khoa học và công nghệ của Sở Khoa học và Công nghệ "
                          "năm 2020",
        "contact_name": "Phòng Quản lý khoa học và công nghệ cơ sở",
        "contact_phone": "02043854722",
        "contact_email": "skhcn@bacgiang.gov.vn",
        "agenda_published_at": datetime(2020, 7, 24, 10, 0),
        "past": True,
    },
]
CONFERENCE = {c["key"]: c for c in CONFERENCES}

# --- invitations ------------------------------------------------------------------------------

_DECLINE_REASONS = [
    "Trùng lịch họp của UBND tỉnh",
    "Lãnh đạo đi công tác ngoài tỉnh",
    "Lãnh đạo đơn vị tham dự hội nghị khác cùng thời gian",
    "Đơn vị đang tổ chức đoàn kiểm tra tại cơ sở",
    "Trùng lịch tiếp công dân định kỳ",
]


def _seat_positions(agency: str, group: str, seats: int, year: int) -> list[str]:
    """Who an agency sends, by its kind, most senior first."""
    if group == G_TINH_UY:
        head = "Phó Chánh Văn phòng Tỉnh ủy" if agency.startswith("Văn phòng") else f"Phó {agency[:1].lower()}{agency[1:]}"
        head = head.replace("Phó ban", "Phó Trưởng ban")
        return [head] + ["Chuyên viên"] * (seats - 1)
    if group == G_VAN_PHONG:
        head = "Phó Trưởng ban" if agency.startswith("Ban") else "Phó Chánh Văn phòng"
        return [head] + ["Chuyên viên Phòng Kinh tế"] * (seats - 1)
    if group == G_SO:
        head = "Phó Trưởng ban" if agency.startswith("Ban") else "Phó Giám đốc Sở"
        staff = ["Trưởng phòng Kế hoạch - Tài chính", "Chuyên viên phụ trách khoa học và công nghệ"]
        return [head] + staff[: seats - 1] + ["Chuyên viên"] * max(0, seats - 3)
    if group == G_HUYEN:
        level = "thành phố" if "thành phố" in agency else "thị xã" if "thị xã" in agency else "huyện"
        if level == "huyện" and year >= 2021:
            office = "Trưởng phòng Kinh tế - Hạ tầng"
        elif level == "huyện":
            office = "Trưởng phòng Nông nghiệp và PTNT"
        else:
            office = "Trưởng phòng Kinh tế"
        if level != "huyện":
            extra = ["Chuyên viên phòng Kinh tế"]
        elif year < 2021:
            extra = ["Phó Trưởng phòng Kinh tế và Hạ tầng"]
        else:
            extra = ["Chuyên viên phòng Kinh tế - Hạ tầng"]
        return [f"Phó Chủ tịch UBND {level}", office] + extra * (seats - 2)
    if group == G_XA:
        return ["Phó Chủ tịch UBND", "Trưởng phòng Kinh tế"] + ["Chuyên viên phòng Kinh tế"] * (seats - 2)
    if group == G_DOAN_THE:
        head = "Phó Bí thư Tỉnh đoàn" if agency.startswith("Tỉnh đoàn") else "Phó Chủ tịch"
        return [head] + ["Chuyên viên"] * (seats - 1)
    if group == G_KHCN:
        if agency.startswith(("Trường", "Phân hiệu")):
            head, staff = ("Phó Hiệu trưởng" if agency.startswith("Trường") else "Phó Giám đốc Phân hiệu",
                           "Trưởng phòng Khoa học và Hợp tác quốc tế")
        elif agency.startswith("Viện"):
            head, staff = "Phó Viện trưởng", "Trưởng phòng Chuyển giao công nghệ"
        else:
            head, staff = "Phó Giám đốc", "Trưởng phòng Kỹ thuật"
        return [head, staff][:seats] + ["Nghiên cứu viên"] * max(0, seats - 2)
    if group == G_DN:
        return ["Giám đốc", "Phó Giám đốc kỹ thuật"][:seats]
    if group == G_BAO:
        return ["Phóng viên", "Quay phim", "Biên tập viên"][:seats]
    return ["Chuyên viên"] * seats


_SKHCN_STAFF = [
    "Phó Chánh Văn phòng Sở", "Chuyên viên Văn phòng Sở", "Chuyên viên Văn phòng Sở", "Kế toán Văn phòng Sở",
    "Phó Trưởng phòng Quản lý KH&CN cơ sở", "Chuyên viên Phòng Quản lý KH&CN cơ sở",
    "Chuyên viên Phòng Quản lý KH&CN cơ sở", "Chuyên viên Phòng Quản lý KH&CN cơ sở",
    "Phó Trưởng phòng Quản lý Khoa học", "Chuyên viên Phòng Quản lý Khoa học",
    "Chuyên viên Phòng Quản lý Khoa học", "Phó Trưởng phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành",
    "Chuyên viên Phòng Quản lý Công nghệ", "Chuyên viên Phòng Quản lý Công nghệ",
    "Phó Trưởng phòng Kế hoạch - Tài chính", "Chuyên viên Phòng Kế hoạch - Tài chính",
    "Phó Chánh Thanh tra Sở", "Thanh tra viên", "Phó Giám đốc Trung tâm Ứng dụng và Dịch vụ KH&CN",
    "Viên chức Trung tâm Ứng dụng và Dịch vụ KH&CN", "Viên chức Trung tâm Ứng dụng và Dịch vụ KH&CN",
    "Viên chức Trung tâm Ứng dụng và Dịch vụ KH&CN", "Kỹ thuật viên Trung tâm Ứng dụng và Dịch vụ KH&CN",
    "Phó Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Công chức Chi cục Tiêu chuẩn Đo lường Chất lượng", "Công chức Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Kiểm soát viên Chi cục Tiêu chuẩn Đo lường Chất lượng", "Chuyên viên Phòng Kế hoạch - Tài chính",
    "Chuyên viên Thanh tra Sở", "Nhân viên Văn phòng Sở",
]

# Chủ nhiệm dự án (project leaders) of the two programmes: (project, agency or None, organisation text)
_PROJECTS_2016 = [
    ("Ứng dụng tiến bộ KH&CN xây dựng mô hình trồng và sơ chế quế theo hướng hữu cơ tại huyện Trà Bồng",
     "Công ty TNHH Quế Trà Bồng Xanh"),
    ("Xây dựng mô hình sản xuất nấm linh chi, nấm bào ngư theo hướng hàng hóa tại huyện Tư Nghĩa",
     "Công ty Cổ phần Nấm sạch Tư Nghĩa"),
    ("Ứng dụng tiến bộ kỹ thuật nuôi thương phẩm heo kiềng sắt tại huyện Sơn Hà", "Trung tâm Khuyến nông tỉnh Quảng Ngãi"),
    ("Xây dựng mô hình trồng bưởi da xanh theo tiêu chuẩn VietGAP tại huyện Nghĩa Hành", None),
    ("Ứng dụng công nghệ tưới tiết kiệm nước cho cây hành, tỏi tại huyện Lý Sơn",
     "Công ty TNHH Chế biến tỏi Lý Sơn Việt"),
    ("Xây dựng mô hình nuôi bò lai Zebu vỗ béo tại huyện Ba Tơ", "Trung tâm Khuyến nông tỉnh Quảng Ngãi"),
    ("Ứng dụng tiến bộ KH&CN trồng cây dược liệu dưới tán rừng tại huyện Minh Long", "Công ty Cổ phần Dược liệu Ba Tơ"),
    ("Xây dựng mô hình nuôi tôm thẻ chân trắng trong ao lót bạt tại thị xã Đức Phổ", None),
    ("Ứng dụng chế phẩm sinh học xử lý chất thải chăn nuôi tại huyện Mộ Đức", "Trường Đại học Phạm Văn Đồng"),
    ("Trồng keo lai bằng cây giống nuôi cấy mô tại huyện Sơn Tây",
     "Viện Khoa học Kỹ thuật Nông nghiệp Duyên hải Nam Trung Bộ"),
    ("Sản xuất giống lúa xác nhận theo chuỗi liên kết tại huyện Bình Sơn", None),
    ("Ứng dụng công nghệ nhà màng sản xuất rau an toàn tại TP. Quảng Ngãi",
     "Công ty TNHH Nông nghiệp công nghệ cao Thiên Ấn"),
]
_PROJECTS_2021 = [
    ("Phát triển cây quế Trà Bồng theo chuỗi giá trị gắn với chỉ dẫn địa lý", "Công ty TNHH Quế Trà Bồng Xanh"),
    ("Xây dựng mô hình nuôi ong lấy mật dưới tán rừng keo tại huyện Sơn Hà", "Trung tâm Khuyến nông tỉnh Quảng Ngãi"),
    ("Trồng cây ba kích tím dưới tán rừng tại huyện Sơn Tây", "Công ty Cổ phần Dược liệu Ba Tơ"),
    ("Xây dựng mô hình nuôi gà thả vườn an toàn sinh học tại huyện Nghĩa Hành", None),
    ("Sản xuất phân hữu cơ vi sinh từ phụ phẩm nông nghiệp tại huyện Mộ Đức", "Trường Đại học Phạm Văn Đồng"),
    ("Sản xuất hành tím Lý Sơn theo tiêu chuẩn VietGAP", "Công ty TNHH Chế biến tỏi Lý Sơn Việt"),
    ("Nuôi trồng nấm đông trùng hạ thảo quy mô hộ gia đình tại TP. Quảng Ngãi",
     "Công ty TNHH Nông nghiệp công nghệ cao Thiên Ấn"),
    ("Trồng chè xanh Minh Long theo hướng hữu cơ", None),
    ("Ứng dụng IoT giám sát môi trường ao nuôi tôm tại thị xã Đức Phổ",
     "Phân hiệu Trường Đại học Công nghiệp TP. Hồ Chí Minh tại Quảng Ngãi"),
    ("Phục tráng và phát triển giống lúa hồng quân tại huyện Ba Tơ",
     "Viện Khoa học Kỹ thuật Nông nghiệp Duyên hải Nam Trung Bộ"),
]

#: People named in the plans or speaking, placed first in their agency's delegation: agency -> (name, position).
_PINNED = {
    QN2021: {
        "UBND huyện Ba Tơ": ("Đinh Văn Thành", "Phó Chủ tịch UBND huyện"),
        "Sở Nông nghiệp và Phát triển nông thôn": ("Nguyễn Tấn Hưng", "Phó Giám đốc Sở"),
        "Trường Đại học Phạm Văn Đồng": ("Trần Ngọc Sơn", "Phó Hiệu trưởng"),
        "Công ty Cổ phần Nấm sạch Tư Nghĩa": ("Phạm Thị Yến", "Giám đốc"),
        "UBND huyện Minh Long": ("Đinh Thị Hoa", "Phó Chủ tịch UBND huyện"),
    },
    QN2026: {
        "UBND xã Ba Tơ": ("Phạm Văn Tín", "Phó Chủ tịch UBND"),
        "Sở Nông nghiệp và Môi trường": ("Nguyễn Tấn Hưng", "Phó Giám đốc Sở"),
        "Trường Đại học Phạm Văn Đồng": ("Lê Thị Bích Thủy", "Trưởng phòng Khoa học và Hợp tác quốc tế"),
        "Công ty TNHH Quế Trà Bồng Xanh": ("Hồ Văn Lâm", "Giám đốc"),
    },
    BG2020: {},
}

_QN2021_AGENCIES = [  # (agency, seats, role_text)
    ("Văn phòng Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Tuyên giáo Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Dân vận Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Tổ chức Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Văn phòng HĐND tỉnh", 1, "Đại diện lãnh đạo"),
    ("Văn phòng UBND tỉnh", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Ban Kinh tế - Ngân sách HĐND tỉnh", 1, "Đại diện lãnh đạo"),
    ("Sở Nông nghiệp và Phát triển nông thôn", 3, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Kế hoạch và Đầu tư", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Tài chính", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Công Thương", 1, "Đại diện lãnh đạo"),
    ("Sở Tài nguyên và Môi trường", 1, "Đại diện lãnh đạo"),
    ("Sở Thông tin và Truyền thông", 1, "Đại diện lãnh đạo"),
    ("Sở Giáo dục và Đào tạo", 1, "Đại diện lãnh đạo"),
    ("Sở Y tế", 1, "Đại diện lãnh đạo"),
    ("Sở Nội vụ", 1, "Đại diện lãnh đạo"),
    ("Sở Lao động - Thương binh và Xã hội", 1, "Đại diện lãnh đạo"),
    ("Sở Văn hóa, Thể thao và Du lịch", 1, "Đại diện lãnh đạo"),
    ("Sở Xây dựng", 1, "Đại diện lãnh đạo"),
    ("Sở Giao thông vận tải", 1, "Đại diện lãnh đạo"),
    ("Sở Tư pháp", 1, "Đại diện lãnh đạo"),
    ("Ban Dân tộc tỉnh", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Ban Quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    *[(f"UBND {d}", 3, "Lãnh đạo UBND; lãnh đạo và chuyên viên phòng Kinh tế - Hạ tầng/phòng Kinh tế")
      for d in ["thành phố Quảng Ngãi", "thị xã Đức Phổ", "huyện Bình Sơn", "huyện Sơn Tịnh", "huyện Tư Nghĩa",
                "huyện Nghĩa Hành", "huyện Mộ Đức", "huyện Ba Tơ", "huyện Minh Long", "huyện Sơn Hà",
                "huyện Sơn Tây", "huyện Trà Bồng", "huyện Lý Sơn"]],
    ("Ủy ban MTTQ Việt Nam tỉnh", 1, "Đại diện lãnh đạo"),
    ("Tỉnh đoàn Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Hội Liên hiệp Phụ nữ tỉnh", 2, "Lãnh đạo và cán bộ phụ trách"),
    ("Hội Nông dân tỉnh", 2, "Lãnh đạo và cán bộ phụ trách"),
    ("Liên đoàn Lao động tỉnh", 1, "Đại diện lãnh đạo"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Trường Đại học Phạm Văn Đồng", 3, "Lãnh đạo và cán bộ phụ trách khoa học"),
    ("Trường Đại học Tài chính - Kế toán", 1, "Đại diện lãnh đạo"),
    ("Phân hiệu Trường Đại học Công nghiệp TP. Hồ Chí Minh tại Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Trung tâm Khuyến nông tỉnh Quảng Ngãi", 3, "Lãnh đạo và cán bộ kỹ thuật"),
    ("Viện Khoa học Kỹ thuật Nông nghiệp Duyên hải Nam Trung Bộ", 1, "Đại diện tổ chức chuyển giao"),
    ("Trường Cao đẳng Việt Nam - Hàn Quốc - Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Công ty TNHH Nông nghiệp công nghệ cao Thiên Ấn", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty Cổ phần Dược liệu Ba Tơ", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty TNHH Quế Trà Bồng Xanh", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty Cổ phần Nấm sạch Tư Nghĩa", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty TNHH Chế biến tỏi Lý Sơn Việt", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Báo Quảng Ngãi", 1, "Phóng viên dự, đưa tin"),
    ("Đài Phát thanh - Truyền hình Quảng Ngãi", 2, "Phóng viên dự, đưa tin"),
    ("Cơ quan thường trú Thông tấn xã Việt Nam tại Quảng Ngãi", 1, "Phóng viên dự, đưa tin"),
    ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", 30, "Công chức, viên chức các phòng, đơn vị thuộc Sở"),
]

_QN2026_AGENCIES = [
    ("Văn phòng Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Tổ chức Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Ban Chính sách, chiến lược Tỉnh ủy", 1, "Đại diện lãnh đạo"),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", 1, "Đại diện lãnh đạo"),
    ("Văn phòng UBND tỉnh", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Nông nghiệp và Môi trường", 3, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Tài chính", 3, "Lãnh đạo và chuyên viên phụ trách"),
    ("Sở Công Thương", 1, "Đại diện lãnh đạo"),
    ("Sở Giáo dục và Đào tạo", 1, "Đại diện lãnh đạo"),
    ("Sở Y tế", 1, "Đại diện lãnh đạo"),
    ("Sở Nội vụ", 1, "Đại diện lãnh đạo"),
    ("Sở Văn hóa, Thể thao và Du lịch", 1, "Đại diện lãnh đạo"),
    ("Sở Xây dựng", 1, "Đại diện lãnh đạo"),
    ("Sở Tư pháp", 1, "Đại diện lãnh đạo"),
    ("Sở Dân tộc và Tôn giáo", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Ban Quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    *[(f"UBND {x}", 3, "Lãnh đạo UBND; lãnh đạo và chuyên viên phòng Kinh tế")
      for x in ["phường Cẩm Thành", "phường Nghĩa Lộ", "phường Đức Phổ", "xã Bình Sơn", "xã Sơn Tịnh",
                "xã Tư Nghĩa", "xã Nghĩa Hành", "xã Mộ Đức", "xã Ba Tơ", "xã Minh Long", "xã Sơn Hà", "xã Sơn Tây",
                "xã Trà Bồng", "đặc khu Lý Sơn"]],
    ("Ủy ban MTTQ Việt Nam tỉnh", 2, "Đại diện lãnh đạo"),
    ("Tỉnh đoàn Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Hội Liên hiệp Phụ nữ tỉnh", 2, "Lãnh đạo và cán bộ phụ trách"),
    ("Hội Nông dân tỉnh", 2, "Lãnh đạo và cán bộ phụ trách"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", 2, "Lãnh đạo và chuyên viên phụ trách"),
    ("Trường Đại học Phạm Văn Đồng", 3, "Lãnh đạo và cán bộ phụ trách khoa học"),
    ("Trường Đại học Tài chính - Kế toán", 2, "Lãnh đạo và cán bộ phụ trách khoa học"),
    ("Phân hiệu Trường Đại học Công nghiệp TP. Hồ Chí Minh tại Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Trung tâm Khuyến nông tỉnh Quảng Ngãi", 3, "Lãnh đạo và cán bộ kỹ thuật"),
    ("Viện Khoa học Kỹ thuật Nông nghiệp Duyên hải Nam Trung Bộ", 2, "Đại diện tổ chức chuyển giao"),
    ("Trường Cao đẳng Việt Nam - Hàn Quốc - Quảng Ngãi", 1, "Đại diện lãnh đạo"),
    ("Liên đoàn Lao động tỉnh", 1, "Đại diện lãnh đạo"),
    ("Công ty TNHH Nông nghiệp công nghệ cao Thiên Ấn", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty Cổ phần Dược liệu Ba Tơ", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty TNHH Quế Trà Bồng Xanh", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty Cổ phần Nấm sạch Tư Nghĩa", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Công ty TNHH Chế biến tỏi Lý Sơn Việt", 1, "Đại diện lãnh đạo doanh nghiệp"),
    ("Báo Quảng Ngãi", 1, "Phóng viên dự, đưa tin"),
    ("Đài Phát thanh - Truyền hình Quảng Ngãi", 2, "Phóng viên dự, đưa tin"),
    ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", 30, "Công chức, viên chức các phòng, đơn vị thuộc Sở"),
]

_BG_DISTRICTS = ["thành phố Bắc Giang", "huyện Yên Thế", "huyện Tân Yên", "huyện Lạng Giang", "huyện Lục Nam",
                 "huyện Lục Ngạn", "huyện Sơn Động", "huyện Yên Dũng", "huyện Việt Yên", "huyện Hiệp Hòa"]
_BG2020_AGENCIES = [
    *[(f"UBND {d}", 3 if d in ("thành phố Bắc Giang", "huyện Lục Ngạn", "huyện Hiệp Hòa", "huyện Việt Yên",
                               "huyện Yên Dũng") else 2,
       "Đại diện lãnh đạo UBND; lãnh đạo phòng Nông nghiệp và PTNT hoặc phòng Kinh tế hạ tầng")
      for d in _BG_DISTRICTS],
    ("Báo Bắc Giang", 1, "Phóng viên dự, đưa tin"),
    ("Đài Phát thanh và Truyền hình Bắc Giang", 2, "Phóng viên dự, đưa tin"),
    ("Sở Khoa học và Công nghệ tỉnh Bắc Giang", 16, "Trưởng, phó các phòng, đơn vị thuộc Sở"),
]
_BG_STAFF = [
    "Chánh Văn phòng Sở", "Phó Chánh Văn phòng Sở", "Chánh Thanh tra Sở", "Trưởng phòng Kế hoạch - Tài chính",
    "Phó Trưởng phòng Kế hoạch - Tài chính", "Trưởng phòng Quản lý khoa học", "Phó Trưởng phòng Quản lý khoa học",
    "Trưởng phòng Quản lý công nghệ và thị trường công nghệ",
    "Phó Trưởng phòng Quản lý công nghệ và thị trường công nghệ",
    "Trưởng phòng Quản lý khoa học và công nghệ cơ sở", "Phó Trưởng phòng Quản lý khoa học và công nghệ cơ sở",
    "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng", "Phó Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Giám đốc Trung tâm Thông tin và Ứng dụng khoa học công nghệ",
    "Phó Giám đốc Trung tâm Thông tin và Ứng dụng khoa học công nghệ",
    "Chuyên viên Phòng Quản lý khoa học và công nghệ cơ sở",
]


def _delegate(kind, full_name, position, agency_name, domain, rng, status="attending", replaces=""):
    return {
        "kind": kind, "full_name": full_name, "position": position, "agency_name": agency_name,
        "replaces_name": replaces, "status": status, "phone": _mobile(rng) if rng.random() < 0.8 else "",
        "email": _gov_email(full_name, domain) if rng.random() < 0.6 else "", "checked_in_at": None,
    }


def _domain(email: str) -> str:
    return email.split("@", 1)[1] if "@" in email else "quangngai.gov.vn"


def _build_invitations(key: str) -> list[dict]:
    conf = CONFERENCE[key]
    year = conf["starts_at"].year
    rng = random.Random(f"invitations:{key}")
    namer = _Namer(f"names:{key}", taken={p[0] for p in _PINNED[key].values()})
    out: list[dict] = []

    def agency_inv(agency: str, seats: int, role_text: str) -> dict:
        a = _AGENCY[agency]
        if key == BG2020 and a["group"] == G_SKHCN:
            positions = _BG_STAFF[:seats]
        elif a["group"] == G_SKHCN:
            positions = _SKHCN_STAFF[:seats]
        else:
            positions = _seat_positions(agency, a["group"], seats, year)
        delegates = []
        for i, pos in enumerate(positions):
            if i == 0 and agency in _PINNED[key]:
                name, pos = _PINNED[key][agency]
            else:
                name = namer.name()
            delegates.append(_delegate("named", name, pos, agency, _domain(a["email"]), rng))
        return {"kind": "agency", "agency": agency, "invitee_name": "", "invitee_position": "", "role_text": role_text,
                "seats": seats, "email": a["email"], "phone": a["phone"], "status": "pending", "decline_reason": "",
                "responded_at": None, "note": "", "delegates": delegates}

    def person_inv(name: str, position: str, agency: str | None, role_text: str = "") -> dict:
        a = _AGENCY.get(agency) if agency else None
        domain = _domain(a["email"]) if a else "gmail.com"
        d = _delegate("invitee", name, position, agency or "", domain, rng)
        return {"kind": "person", "agency": agency, "invitee_name": name, "invitee_position": position,
                "role_text": role_text, "seats": 1, "email": d["email"] or _gov_email(name, domain),
                "phone": d["phone"] or _mobile(rng), "status": "pending", "decline_reason": "", "responded_at": None,
                "note": "", "delegates": [d]}

    specs = {QN2021: _QN2021_AGENCIES, QN2026: _QN2026_AGENCIES, BG2020: _BG2020_AGENCIES}[key]
    if key == BG2020:
        host = "Sở Khoa học và Công nghệ tỉnh Bắc Giang"
        out.append(person_inv("Nguyễn Thanh Bình", "Giám đốc Sở Khoa học và Công nghệ", host, "Lãnh đạo Sở"))
        for _ in range(2):
            out.append(person_inv(namer.name(), "Phó Giám đốc Sở Khoa học và Công nghệ", host, "Lãnh đạo Sở"))
    else:
        host = HOST["name"]
        for leader in LEADERS:
            namer.taken.add(leader["full_name"])
            out.append(person_inv(leader["full_name"], leader["position"], host, "Lãnh đạo Sở"))
        for dep in DEPARTMENTS:
            namer.taken.add(dep["head_name"])
            out.append(person_inv(dep["head_name"], dep["head_position"], host, "Trưởng các phòng, đơn vị thuộc Sở"))
    for agency, seats, role_text in specs:
        out.append(agency_inv(agency, seats, role_text))
    if key != BG2020:
        projects = _PROJECTS_2016 if key == QN2021 else _PROJECTS_2021
        for project, agency in projects:
            out.append(person_inv(namer.name(), f"Chủ nhiệm dự án “{project}”", agency,
                                  "Chủ nhiệm dự án thuộc Chương trình NTMN"))
    for pos, inv in enumerate(out):
        inv["position"] = pos
    _answer(key, out, rng, namer)
    return out


def _at(rng: random.Random, first: datetime, last: datetime) -> datetime:
    """A working-hours moment between two local datetimes (weekends moved to Monday)."""
    span = int((last - first).total_seconds() // 60)
    t = first + timedelta(minutes=rng.randrange(max(span, 1)))
    if t.weekday() >= 5:
        t += timedelta(days=7 - t.weekday())
    if not 7 <= t.hour < 17:
        t = t.replace(hour=rng.choice([8, 9, 10, 14, 15, 16]), minute=rng.randrange(60))
    return min(t, last)


def _answer(key: str, invs: list[dict], rng: random.Random, namer: _Namer) -> None:
    conf = CONFERENCE[key]
    start = conf["starts_at"]
    sent = {QN2021: datetime(2021, 3, 23, 9, 0), QN2026: datetime(2026, 11, 16, 9, 0),
            BG2020: datetime(2020, 7, 21, 9, 0)}[key]
    last_answer = {QN2021: datetime(2021, 4, 5, 16, 0), QN2026: datetime(2026, 11, 20, 16, 30),
                   BG2020: datetime(2020, 7, 27, 16, 0)}[key]
    pinned_agencies = set(_PINNED[key])
    for inv in invs:
        inv["sent_at"] = sent

    def decline(inv, reason):
        inv["status"] = "declined"
        inv["decline_reason"] = reason
        inv["responded_at"] = _at(rng, sent, last_answer)
        for d in inv["delegates"]:
            d["status"] = "cancelled"
        if inv["kind"] == "agency":
            inv["delegates"] = []

    def attend(inv):
        inv["status"] = "attending"
        inv["responded_at"] = _at(rng, sent, last_answer)

    def substitute(inv, position):
        invitee = inv["delegates"][0]
        invitee["status"] = "cancelled"
        a = _AGENCY.get(inv["agency"]) if inv["agency"] else None
        sub = _delegate("substitute", namer.name(), position, invitee["agency_name"],
                        _domain(a["email"]) if a else "gmail.com", rng, replaces=invitee["full_name"])
        inv["delegates"].append(sub)
        inv["note"] = f"Cử {sub['full_name']} ({position}) đi thay {invitee['full_name']}"
        attend(inv)

    by_agency = {inv["agency"]: inv for inv in invs if inv["kind"] == "agency"}
    by_name = {inv["invitee_name"]: inv for inv in invs if inv["kind"] == "person"}

    if key == QN2021:
        for inv in invs:
            attend(inv)
        decline(by_agency["Sở Y tế"], "Lãnh đạo Sở tập trung chỉ đạo công tác phòng, chống dịch COVID-19")
        decline(by_agency["Ban Dân vận Tỉnh ủy"], "Trùng lịch công tác tại huyện Sơn Hà")
        decline(by_agency["UBND huyện Lý Sơn"], "Dự báo thời tiết xấu, tàu khách Sa Kỳ - Lý Sơn tạm ngừng chạy")
        decline(by_agency["Trường Đại học Tài chính - Kế toán"], "Trùng lịch thi kết thúc học phần của Trường")
        decline(by_agency["Sở Tư pháp"], _DECLINE_REASONS[4])
        project_people = [inv for inv in invs if inv["invitee_position"].startswith("Chủ nhiệm")]
        decline(project_people[7], "Chủ nhiệm dự án đi công tác ngoài tỉnh")
        substitute(by_name["Đặng Thị Kim Oanh"], "Phó Trưởng phòng Quản lý Khoa học")
        substitute(project_people[3], "Thành viên thực hiện chính của dự án")
        # An agency replaces the person it first named.
        sonTay = by_agency["UBND huyện Sơn Tây"]
        first = sonTay["delegates"][0]
        first["status"] = "cancelled"
        sonTay["delegates"].append(_delegate("substitute", namer.name(), "Phó Chủ tịch UBND huyện", "UBND huyện Sơn Tây",
                                             "quangngai.gov.vn", rng, replaces=first["full_name"]))
        sonTay["note"] = "UBND huyện báo thay đổi người dự ngày 05/4/2021"
        # Two never answered; one agency sends fewer people than seats.
        for agency in ["Cơ quan thường trú Thông tấn xã Việt Nam tại Quảng Ngãi", "Công ty TNHH Chế biến tỏi Lý Sơn Việt"]:
            inv = by_agency[agency]
            inv["status"], inv["responded_at"], inv["delegates"] = "pending", None, []
        by_agency["Sở Kế hoạch và Đầu tư"]["delegates"].pop()
        # Check-ins: most who attend, between 07:00 and 07:40.
        for inv in invs:
            for d in inv["delegates"]:
                if d["status"] == "attending" and rng.random() < 0.93:
                    d["checked_in_at"] = start.replace(hour=7, minute=0) + timedelta(seconds=rng.randrange(40 * 60))
        for agency in pinned_agencies:  # speakers were there
            d = by_agency[agency]["delegates"][0]
            d["checked_in_at"] = d["checked_in_at"] or start.replace(hour=7, minute=12)
    elif key == QN2026:
        leaders = {inv["invitee_name"] for inv in invs[: len(LEADERS) + len(DEPARTMENTS)]}
        order = [inv for inv in invs if inv["agency"] not in pinned_agencies and inv["invitee_name"] not in leaders]
        rng.shuffle(order)
        n = len(invs)
        n_declined = round(n * 0.10)
        n_pending = round(n * 0.40)
        for inv in invs:
            if inv["agency"] in pinned_agencies or inv["invitee_name"] in leaders:
                attend(inv)
        for i, inv in enumerate(order):
            if i < n_declined:
                decline(inv, rng.choice(_DECLINE_REASONS))
            elif i < n_declined + n_pending:
                inv["status"] = "pending"
                if inv["kind"] == "agency":
                    inv["delegates"] = []
            else:
                attend(inv)
        substitute(by_name["Huỳnh Tấn Phúc"], "Phó Trưởng phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành")
        projects = [inv for inv in order if inv["invitee_position"].startswith("Chủ nhiệm") and inv["status"] == "attending"]
        if projects:
            substitute(projects[0], "Thành viên thực hiện chính của dự án")
    else:  # Bắc Giang 2020: everyone answers; Sơn Động follows the COVID-19 meeting of the province.
        for inv in invs:
            attend(inv)
        decline(by_agency["UBND huyện Sơn Động"],
                "Lãnh đạo huyện dự họp trực tuyến với UBND tỉnh về công tác phòng, chống dịch COVID-19")
        by_agency["UBND huyện Lục Nam"]["delegates"][0]["status"] = "cancelled"
        by_agency["UBND huyện Lục Nam"]["delegates"].append(
            _delegate("substitute", namer.name(), "Trưởng phòng Nông nghiệp và PTNT", "UBND huyện Lục Nam",
                      "bacgiang.gov.vn", rng, replaces=by_agency["UBND huyện Lục Nam"]["delegates"][0]["full_name"]))
        for inv in invs:
            for d in inv["delegates"]:
                if d["status"] == "attending" and rng.random() < 0.95:
                    d["checked_in_at"] = start.replace(hour=7, minute=35) + timedelta(seconds=rng.randrange(30 * 60))


INVITATIONS = {key: _build_invitations(key) for key in (QN2021, QN2026, BG2020)}

WALK_INS = {
    QN2021: [
        {"full_name": "Trần Văn Thắng", "position": "Phóng viên",
         "agency_name": "Văn phòng đại diện Báo Nông nghiệp Việt Nam tại miền Trung", "phone": "0905318264",
         "checked_in_at": datetime(2021, 4, 6, 7, 41)},
        {"full_name": "Lê Văn Hòa", "position": "Giám đốc",
         "agency_name": "Hợp tác xã Dịch vụ nông nghiệp Tịnh Hiệp", "phone": "0914205773",
         "checked_in_at": datetime(2021, 4, 6, 7, 35)},
        {"full_name": "Nguyễn Thị Thanh Tuyết", "position": "Chuyên viên phòng Kinh tế - Hạ tầng",
         "agency_name": "UBND huyện Nghĩa Hành", "phone": "0983471209",
         "checked_in_at": datetime(2021, 4, 6, 7, 28)},
        {"full_name": "Hồ Ngọc Bảo", "position": "Kỹ thuật viên",
         "agency_name": "Trạm Khuyến nông huyện Sơn Hà", "phone": "0367912458",
         "checked_in_at": datetime(2021, 4, 6, 7, 39)},
    ],
    QN2026: [],
    BG2020: [
        {"full_name": "Ngô Thị Thu Trang", "position": "Phóng viên",
         "agency_name": "Cổng Thông tin điện tử tỉnh Bắc Giang", "phone": "0977254186",
         "checked_in_at": datetime(2020, 7, 28, 7, 52)},
        {"full_name": "Dương Văn Tuấn", "position": "Chuyên viên phòng Nông nghiệp và PTNT",
         "agency_name": "UBND huyện Yên Thế", "phone": "0389417725",
         "checked_in_at": datetime(2020, 7, 28, 7, 58)},
    ],
}

# --- papers (tham luận) and agenda ------------------------------------------------------------


def _paper(key: str, agency: str, topic: str, title: str, summary: str, status: str, *, submitted: datetime | None,
           deadline: datetime, invited: datetime, comment: str = "", reviewed: datetime | None = None) -> dict:
    name, position = _PINNED[key][agency]
    inv = next(i for i in INVITATIONS[key] if i["agency"] == agency)
    d = inv["delegates"][0]
    events = [{"at": invited, "actor": "Võ Thị Minh Thư", "by_user": "qlkhcncs", "from_status": None,
               "to_status": "invited", "comment": ""}]
    if submitted:
        events.append({"at": submitted, "actor": name, "by_user": None, "from_status": "invited",
                       "to_status": "submitted", "comment": ""})
    if status in ("accepted", "revision_requested"):
        events.append({"at": reviewed, "actor": "Võ Thị Minh Thư", "by_user": "qlkhcncs", "from_status": "submitted",
                       "to_status": status, "comment": comment})
    return {"speaker_name": name, "speaker_position": position, "speaker_agency": agency,
            "speaker_email": d["email"] or _gov_email(name, _domain(_AGENCY[agency]["email"])),
            "speaker_phone": d["phone"], "topic": topic, "title": title, "summary": summary, "status": status,
            "organizer_comment": comment if status == "revision_requested" else "", "deadline": deadline,
            "submitted_at": submitted, "events": events}


_D21 = datetime(2021, 3, 29, 17, 0)
_I21 = datetime(2021, 3, 17, 9, 30)
_D26 = datetime(2026, 12, 4, 17, 0)
_I26 = datetime(2026, 11, 16, 10, 0)

PAPERS = {
    QN2021: [
        _paper(QN2021, "UBND huyện Ba Tơ", "Kết quả ứng dụng tiến bộ KH&CN tại huyện miền núi",
               "Kết quả ứng dụng tiến bộ KH&CN phát triển cây dược liệu và chăn nuôi bò lai tại huyện Ba Tơ "
               "giai đoạn 2016 - 2020",
               "Các mô hình bò lai Zebu, trồng dược liệu; hiệu quả kinh tế và khả năng nhân rộng.", "accepted",
               submitted=datetime(2021, 3, 26, 15, 10), deadline=_D21, invited=_I21, reviewed=datetime(2021, 3, 30, 9, 0)),
        _paper(QN2021, "Sở Nông nghiệp và Phát triển nông thôn", "Vai trò của KH&CN trong tái cơ cấu nông nghiệp",
               "Vai trò của khoa học và công nghệ trong tái cơ cấu ngành nông nghiệp tỉnh Quảng Ngãi",
               "Liên kết chuỗi giá trị, giống mới, cơ giới hóa; đề xuất cho giai đoạn 2021 - 2025.", "accepted",
               submitted=datetime(2021, 3, 29, 10, 5), deadline=_D21, invited=_I21, reviewed=datetime(2021, 3, 30, 14, 0)),
        _paper(QN2021, "Trường Đại học Phạm Văn Đồng", "Chuyển giao công nghệ cho vùng nông thôn, miền núi",
               "Chuyển giao công nghệ nhân giống cây trồng bằng nuôi cấy mô cho các huyện miền núi",
               "Kinh nghiệm chuyển giao quy trình nuôi cấy mô keo lai, chuối; đào tạo kỹ thuật viên cơ sở.",
               "accepted", submitted=datetime(2021, 3, 25, 16, 40), deadline=_D21, invited=_I21,
               reviewed=datetime(2021, 3, 29, 8, 30)),
        _paper(QN2021, "Công ty Cổ phần Nấm sạch Tư Nghĩa", "Doanh nghiệp tham gia chuyển giao tiến bộ KH&CN",
               "Mô hình liên kết sản xuất nấm ăn, nấm dược liệu với hộ nông dân",
               "Doanh nghiệp cung cấp phôi, bao tiêu sản phẩm; thu nhập của hộ tham gia.", "accepted",
               submitted=datetime(2021, 3, 29, 16, 55), deadline=_D21, invited=_I21, reviewed=datetime(2021, 3, 31, 9, 0)),
        _paper(QN2021, "UBND huyện Minh Long", "Nhân rộng mô hình sau khi dự án kết thúc",
               "Nhân rộng mô hình trồng cây dược liệu dưới tán rừng tại huyện Minh Long sau dự án",
               "Cách huyện bố trí vốn sự nghiệp nông nghiệp để nhân rộng mô hình.", "accepted",
               submitted=datetime(2021, 3, 30, 8, 20), deadline=_D21, invited=_I21, reviewed=datetime(2021, 3, 31, 10, 0)),
    ],
    QN2026: [
        _paper(QN2026, "UBND xã Ba Tơ", "Kết quả ứng dụng tiến bộ KH&CN tại xã miền núi sau sắp xếp",
               "", "", "invited", submitted=None, deadline=_D26, invited=_I26),
        _paper(QN2026, "Sở Nông nghiệp và Môi trường", "Liên kết chuỗi giá trị sản phẩm nông nghiệp miền núi",
               "Liên kết chuỗi giá trị các sản phẩm OCOP vùng miền núi từ kết quả Chương trình 2021 - 2025",
               "Chuỗi quế, dược liệu, chè; vai trò hợp tác xã và doanh nghiệp.", "submitted",
               submitted=datetime(2026, 11, 19, 15, 30), deadline=_D26, invited=_I26),
        _paper(QN2026, "Trường Đại học Phạm Văn Đồng", "Chuyển giao công nghệ cho vùng dân tộc thiểu số",
               "Chuyển giao công nghệ sản xuất phân hữu cơ vi sinh cho đồng bào dân tộc thiểu số",
               "Kết quả thử nghiệm tại 3 xã; chi phí, hiệu quả.", "revision_requested",
               submitted=datetime(2026, 11, 18, 9, 45), deadline=_D26, invited=_I26,
               comment="Đề nghị bổ sung số liệu hiệu quả kinh tế của mô hình (so với đối chứng) và rút gọn còn tối "
                       "đa 8 trang.", reviewed=datetime(2026, 11, 20, 10, 15)),
        _paper(QN2026, "Công ty TNHH Quế Trà Bồng Xanh", "Doanh nghiệp đồng hành cùng nông dân trồng quế",
               "Phát triển cây quế Trà Bồng theo chuỗi giá trị gắn với chỉ dẫn địa lý",
               "Kinh nghiệm liên kết với 320 hộ; chứng nhận hữu cơ; xuất khẩu.", "accepted",
               submitted=datetime(2026, 11, 17, 14, 0), deadline=_D26, invited=_I26,
               reviewed=datetime(2026, 11, 19, 8, 40)),
    ],
    BG2020: [],
}


def _paper_items(key: str) -> list[dict]:
    # The programme prints "Tham luận: " before a paper's title and its presenter as agenda.presenter_of does.
    return [{"kind": "paper", "title": p["title"] or p["topic"], "presenter": None,
             "duration_minutes": 12, "paper": i, "notes": ""} for i, p in enumerate(PAPERS[key])]


AGENDA = {
    QN2021: [
        {"kind": "opening", "title": "Tuyên bố lý do, giới thiệu đại biểu",
         "presenter": "Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành (MC)", "duration_minutes": 10,
         "paper": None, "notes": ""},
        {"kind": "opening", "title": "Phát biểu khai mạc Hội nghị", "presenter": "Lê Quang Thịnh, Giám đốc Sở KH&CN",
         "duration_minutes": 10, "paper": None, "notes": ""},
        {"kind": "report", "title": f"Báo cáo tổng kết {_PROGRAM_2016}; định hướng giai đoạn 2021 - 2025",
         "presenter": "Phan Văn Hiếu, Phó Giám đốc Sở KH&CN", "duration_minutes": 30, "paper": None, "notes": ""},
        {"kind": "film", "title": "Phim tư liệu về kết quả thực hiện nhiệm vụ KH&CN giai đoạn 2016 - 2020 thuộc "
                                  "Chương trình NTMN", "presenter": "Trung tâm Ứng dụng và Dịch vụ KH&CN",
         "duration_minutes": 15, "paper": None, "notes": ""},
        *_paper_items(QN2021),
        {"kind": "break", "title": "Giải lao", "presenter": "", "duration_minutes": 15, "paper": None,
         "notes": "Tham quan gian trưng bày sản phẩm của các dự án"},
        {"kind": "discussion", "title": "Thảo luận", "presenter": "Các đại biểu", "duration_minutes": 40,
         "paper": None, "notes": ""},
        {"kind": "conclusion", "title": "Kết luận của chủ trì Hội nghị", "presenter": "Lê Quang Thịnh, Giám đốc Sở KH&CN",
         "duration_minutes": 20, "paper": None, "notes": ""},
    ],
    QN2026: [
        {"kind": "opening", "title": "Tuyên bố lý do, giới thiệu đại biểu",
         "presenter": "Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành (MC)", "duration_minutes": 10,
         "paper": None, "notes": ""},
        {"kind": "report", "title": f"Báo cáo sơ kết {_PROGRAM_2021}", "presenter": "Phan Văn Hiếu, Phó Giám đốc Sở KH&CN",
         "duration_minutes": 30, "paper": None, "notes": ""},
        {"kind": "film", "title": "Phóng sự về các mô hình ứng dụng tiến bộ KH&CN giai đoạn 2021 - 2025",
         "presenter": "Trung tâm Ứng dụng và Dịch vụ KH&CN", "duration_minutes": 10, "paper": None, "notes": ""},
        *_paper_items(QN2026),
        {"kind": "break", "title": "Giải lao", "presenter": "", "duration_minutes": 15, "paper": None, "notes": ""},
        {"kind": "discussion", "title": "Thảo luận, đề xuất định hướng giai đoạn tiếp theo", "presenter": "Các đại biểu",
         "duration_minutes": 45, "paper": None, "notes": ""},
        {"kind": "conclusion", "title": "Kết luận của chủ trì Hội nghị", "presenter": "Lê Quang Thịnh, Giám đốc Sở KH&CN",
         "duration_minutes": 20, "paper": None, "notes": ""},
    ],
    BG2020: [
        {"kind": "opening", "title": "Tuyên bố lý do, giới thiệu đại biểu", "presenter": "Văn phòng Sở",
         "duration_minutes": 10, "paper": None, "notes": ""},
        {"kind": "report", "title": "Báo cáo kết quả hoạt động khoa học và công nghệ 6 tháng đầu năm; phương hướng, "
                                    "nhiệm vụ 6 tháng cuối năm 2020",
         "presenter": "Lãnh đạo Sở Khoa học và Công nghệ", "duration_minutes": 30, "paper": None, "notes": ""},
        {"kind": "report", "title": "Công tác phối hợp với UBND các huyện, thành phố thực hiện Nghị quyết Đại hội Đảng "
                                    "bộ các huyện, thành phố giai đoạn 2020-2025",
         "presenter": "Phòng Quản lý khoa học và công nghệ cơ sở", "duration_minutes": 20, "paper": None, "notes": ""},
        {"kind": "report", "title": "Đặt hàng và đăng ký nhiệm vụ KH&CN cấp tỉnh, cấp cơ sở năm 2021 và giai đoạn "
                                    "2021-2025", "presenter": "Phòng Quản lý khoa học", "duration_minutes": 20,
         "paper": None, "notes": ""},
        {"kind": "break", "title": "Giải lao", "presenter": "", "duration_minutes": 15, "paper": None, "notes": ""},
        {"kind": "discussion", "title": "Thảo luận: ý kiến của UBND các huyện, thành phố",
         "presenter": "Đại diện UBND các huyện, thành phố", "duration_minutes": 60, "paper": None,
         "notes": "Theo gợi ý thảo luận gửi kèm giấy mời"},
        {"kind": "conclusion", "title": "Kết luận Hội nghị",
         "presenter": "Nguyễn Thanh Bình, Giám đốc Sở Khoa học và Công nghệ", "duration_minutes": 20, "paper": None,
         "notes": ""},
    ],
}

# --- budget (Phụ lục dự toán) and spending norms ---------------------------------------------

_F21 = "Ngân sách được giao cho Sở KH&CN năm 2021"
_F26 = "Kinh phí sự nghiệp KH&CN năm 2026"


def _line(category, content, unit, quantity, days, unit_price, funding, actual=None, note=""):
    return {"category": category, "content": content, "unit": unit, "quantity": quantity, "days": days,
            "unit_price": unit_price, "funding_source": funding, "actual_amount": actual, "note": note}


BUDGET = {
    QN2021: [
        _line("hall", "Thuê hội trường (gồm âm thanh, ánh sáng, máy chiếu)", "buổi", 1, 1, 8_000_000, _F21, 8_000_000,
              "Sở không có hội trường đủ 150 chỗ"),
        _line("decoration", "Khánh tiết: phông chữ, pano, băng rôn", "gói", 1, 1, 3_500_000, _F21, 3_500_000),
        _line("decoration", "Hoa tươi trang trí bàn đại biểu, bục phát biểu", "gói", 1, 1, 1_500_000, _F21, 1_350_000),
        _line("documents", "In, đóng quyển tài liệu hội nghị", "bộ", 150, 1, 60_000, _F21, 8_700_000),
        _line("documents", "Văn phòng phẩm (cặp tài liệu, sổ, bút)", "bộ", 150, 1, 40_000, _F21, 5_800_000),
        _line("speakers", "Chi viết báo cáo tham luận", "bài", 5, 1, 500_000, _F21, 2_500_000),
        _line("speakers", "Chi xây dựng báo cáo tổng kết Chương trình", "báo cáo", 1, 1, 1_500_000, _F21, 1_500_000),
        _line("other", "Xây dựng phim tư liệu 15 phút về kết quả Chương trình NTMN", "phim", 1, 1, 10_000_000, _F21,
              10_000_000),
        _line("water", "Nước uống, giải lao giữa giờ", "người", 150, 1, 40_000, _F21, 5_680_000,
              "Thực tế 142 người"),
        _line("meals", "Hỗ trợ tiền ăn cho khách mời không hưởng lương từ NSNN (chủ nhiệm dự án, nông dân, HTX)",
              "người", 20, 1, 150_000, _F21, 2_550_000, "Thực tế 17 người"),
        _line("other", "Trưng bày, giới thiệu sản phẩm từ các đề tài, dự án NTMN", "gói", 1, 1, 2_000_000, _F21,
              2_000_000),
        _line("other", "Bồi dưỡng người phục vụ hội nghị (kỹ thuật, đón tiếp, bảo vệ)", "người", 10, 1, 100_000, _F21,
              1_000_000),
    ],
    QN2026: [
        _line("hall", "Thuê hội trường (gồm âm thanh, ánh sáng, màn hình LED)", "buổi", 1, 1, 9_000_000, _F26),
        _line("decoration", "Khánh tiết: phông chữ, băng rôn, hoa tươi", "gói", 1, 1, 4_500_000, _F26),
        _line("documents", "In tài liệu hội nghị", "bộ", 150, 1, 60_000, _F26),
        _line("documents", "Văn phòng phẩm (cặp tài liệu, sổ, bút)", "bộ", 150, 1, 40_000, _F26),
        _line("speakers", "Chi viết báo cáo tham luận", "bài", 4, 1, 500_000, _F26),
        _line("speakers", "Chi xây dựng báo cáo sơ kết Chương trình", "báo cáo", 1, 1, 1_500_000, _F26),
        _line("other", "Xây dựng phóng sự 10 phút về kết quả Chương trình", "phóng sự", 1, 1, 8_000_000, _F26),
        _line("water", "Nước uống, giải lao giữa giờ", "người", 150, 1, 40_000, _F26),
        _line("meals", "Hỗ trợ tiền ăn cho khách mời không hưởng lương từ NSNN", "người", 20, 1, 150_000, _F26),
        _line("other", "Trưng bày, giới thiệu sản phẩm của các dự án", "gói", 1, 1, 3_800_000, _F26),
        _line("other", "Bồi dưỡng người phục vụ hội nghị (kỹ thuật, đón tiếp, bảo vệ)", "người", 12, 1, 100_000, _F26),
    ],
    BG2020: [],
}

# --- tasks (phân công thực hiện) ----------------------------------------------------------------


def _tasks(key: str, base: list[dict]) -> list[dict]:
    conf = CONFERENCE[key]
    first_day = conf["starts_at"].date()
    rng = random.Random(f"tasks:{key}")
    out = []
    for t in base:
        due = first_day + timedelta(days=t["offset_days"])
        task = dict(t, coordinating=list(t["coordinating"]), status="todo", completed_on=None, notes="")
        if conf["past"]:
            task["status"] = "done"
            task["completed_on"] = due - timedelta(days=rng.choice([0, 0, 1, 2]))
        else:
            today = date(2026, 11, 21)
            if due < today - timedelta(days=3):
                task["status"] = "done"
                task["completed_on"] = due
            elif t["offset_days"] <= -10:
                task["status"] = "in_progress"
        out.append(task)
    if key == QN2021:  # the payment vouchers were late
        late = next(t for t in out if t["title"].startswith("Thực hiện chứng từ thanh toán"))
        late.update(status="in_progress", completed_on=None,
                    notes="Còn thiếu hóa đơn thuê hội trường của khách sạn; đã đề nghị bổ sung.")
    if key == QN2026:
        for t in out:
            if t["title"] == "Phát hành giấy mời":
                t.update(status="done", completed_on=date(2026, 11, 16))
            if t["title"].startswith("Tham mưu công tác kinh phí"):
                t.update(status="done", completed_on=date(2026, 11, 13))
    return out


TASKS = {
    QN2021: _tasks(QN2021, TONG_KET),
    QN2026: _tasks(QN2026, TONG_KET),
    BG2020: _tasks(BG2020, GIAO_BAN),
}

# --- the annual work program (seed 003, imported as it is) ------------------------------------

#: The work program of the Liên hiệp các Hội KH&KT Thanh Hóa, 2021: 72 events, a table pasted from Word.
WORK_PROGRAM_SEED = Path(__file__).parent / "seeds" / "003_54e21b32e5af48e3.txt"
