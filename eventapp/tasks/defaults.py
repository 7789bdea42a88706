"""Task templates built from the assignments of the seeds: 004 §VII (tổng kết) and 001 §7 (giao ban).

Used when the demo data set is not installed. Format (the same as ``eventapp.demo.data.TASK_TEMPLATES`` may provide): ``{kind: [item, ...]}`` where an item is a
dict with ``title``, ``lead`` (a department's abbreviation or name), optional ``coordinating`` (same) and
``offset_days`` (relative to the conference's first day; negative = before).
"""

from __future__ import annotations

#: The departments the seeds name; created when a template needs one that is missing.
DEPARTMENTS = [
    {"abbreviation": "QLKHCNCS", "name": "Phòng Quản lý KH&CN cơ sở"},
    {"abbreviation": "QLKH", "name": "Phòng Quản lý Khoa học"},
    {"abbreviation": "QLCN", "name": "Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành"},
    {"abbreviation": "KHTC", "name": "Phòng Kế hoạch - Tài chính"},
    {"abbreviation": "TTUDDV", "name": "Trung tâm Ứng dụng và Dịch vụ KH&CN"},
    {"abbreviation": "VP", "name": "Văn phòng Sở"},
]


def _t(title, lead, offset, *coordinators):
    return {"title": title, "lead": lead, "offset_days": offset, "coordinating": list(coordinators)}


TONG_KET = [
    _t("Tham mưu kinh phí, chế độ phục vụ hội nghị (lập dự toán)", "KHTC", -21),
    _t("Xây dựng báo cáo đánh giá kết quả thực hiện và định hướng giai đoạn tới", "QLKHCNCS", -14, "QLKH", "KHTC"),
    _t("Gửi giấy mời, xác nhận đại biểu các sở, ban, ngành, UBND cấp xã và đơn vị do Phòng theo dõi",
       "QLKHCNCS", -10, "VP"),
    _t("Viết, gửi giấy mời và xác nhận đại biểu của cơ quan chủ trì, chủ nhiệm nhiệm vụ KH&CN do Phòng quản lý",
       "QLKH", -10, "VP"),
    _t("Viết, gửi giấy mời và xác nhận đại biểu của tổ chức KH&CN, doanh nghiệp", "QLCN", -10, "VP"),
    _t("Viết, gửi giấy mời và xác nhận đại biểu do Phòng Kế hoạch - Tài chính theo dõi", "KHTC", -10, "VP"),
    _t("Phát hành giấy mời", "VP", -10, "QLKHCNCS", "QLKH", "QLCN", "KHTC"),
    _t("Hợp đồng thuê hội trường; khánh tiết", "VP", -7),
    _t("Chuẩn bị nội dung, tài liệu phục vụ hội nghị", "QLKHCNCS", -7, "QLKH", "QLCN", "KHTC", "VP"),
    _t("Chuẩn bị nội dung, tài liệu theo phân công", "QLKH", -7),
    _t("Chuẩn bị nội dung, tài liệu theo phân công", "KHTC", -7),
    _t("Xây dựng phim tư liệu về kết quả thực hiện (15 phút)", "TTUDDV", -5),
    _t("Văn phòng phẩm phục vụ hội nghị", "VP", -3),
    _t("Tổng hợp và báo cáo số lượng đại biểu tham dự tại hội trường", "QLKHCNCS", -2),
    _t("Chuẩn bị công tác hậu cần phục vụ hội nghị", "QLKHCNCS", -1, "VP"),
    _t("Tuyên bố lý do, giới thiệu đại biểu (MC hội nghị)", "QLCN", 0),
    _t("Đón tiếp đại biểu, phát tài liệu", "VP", 0, "QLKH", "QLKHCNCS"),
    _t("Trà nước, giải lao cho đại biểu", "VP", 0),
    _t("Giới thiệu, quảng bá sản phẩm của các đề tài, dự án tại hội nghị", "TTUDDV", 0),
    _t("Cử viên chức tham dự, đưa tin về hội nghị", "TTUDDV", 1),
    _t("Thực hiện chứng từ thanh toán", "KHTC", 10, "VP"),
]

GIAO_BAN = [
    _t("Thẩm định, chuẩn bị kinh phí tổ chức hội nghị", "KHTC", -10),
    _t("Gửi giấy mời kèm gợi ý thảo luận tới UBND cấp xã và phòng chuyên môn", "QLKHCNCS", -7, "VP"),
    _t("Chuẩn bị nội dung và điều kiện phục vụ hội nghị", "QLKHCNCS", -5, "QLKH", "QLCN", "KHTC", "VP"),
    _t("In ấn tài liệu hội nghị", "VP", -2, "QLKHCNCS"),
    _t("Đón tiếp đại biểu và các điều kiện phục vụ hội nghị", "VP", 0, "QLKHCNCS"),
]

TASK_TEMPLATES: dict[str, list[dict]] = {"tong_ket": TONG_KET, "giao_ban": GIAO_BAN}
