"""The task templates (phân công thực hiện): what the departments of a Sở Khoa học và Công nghệ do for a conference,
by kind of conference, as its plans assign it. ``ensure_task_templates`` loads them into the table an administrator
edits (`TaskTemplateItem`); applying a template gives a new conference its tasks in one step.

A task names its lead and coordinating departments by abbreviation (`DEPARTMENTS`); a department the host agency
does not have yet is created from this list.
"""

from __future__ import annotations

#: The departments of a Sở KH&CN that the templates name.
DEPARTMENTS = [
    {"abbreviation": "VP", "name": "Văn phòng Sở"},
    {"abbreviation": "QLKHCNCS", "name": "Phòng Quản lý KH&CN cơ sở"},
    {"abbreviation": "QLKH", "name": "Phòng Quản lý Khoa học"},
    {"abbreviation": "QLCN", "name": "Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành"},
    {"abbreviation": "KHTC", "name": "Phòng Kế hoạch - Tài chính"},
    {"abbreviation": "TTra", "name": "Thanh tra Sở"},
    {"abbreviation": "TTUDDV", "name": "Trung tâm Ứng dụng và Dịch vụ KH&CN"},
    {"abbreviation": "CCTCĐLCL", "name": "Chi cục Tiêu chuẩn Đo lường Chất lượng"},
]


def _t(title: str, lead: str, coordinating=(), offset: int = 0) -> dict:
    return {"title": title, "lead": lead, "coordinating": list(coordinating), "offset_days": offset}


#: A hội nghị tổng kết (the plan's §VII "Tổ chức thực hiện" and §VIII.2), one task per bullet; offsets in days
#: from the conference's first day.
TONG_KET = [
    _t("Chủ trì, phối hợp với các phòng, đơn vị chuẩn bị nội dung, tài liệu phục vụ Hội nghị", "QLKHCNCS",
       ["QLKH", "KHTC", "QLCN", "VP"], -7),
    _t("Xây dựng Báo cáo đánh giá tình hình, kết quả thực hiện Chương trình NTMN giai đoạn trước; định hướng "
       "giai đoạn tiếp theo", "QLKHCNCS", ["QLKH", "KHTC"], -7),
    _t("Tổng hợp chung và báo cáo số lượng đại biểu tham dự tại Hội trường", "QLKHCNCS", [], 0),
    _t("Gửi giấy mời, xác nhận đại biểu của các sở, ban, ngành, đơn vị cấp tỉnh, UBND các huyện, thành phố và chủ "
       "nhiệm nhiệm vụ do Phòng Quản lý KH&CN cơ sở theo dõi", "QLKHCNCS", ["VP"], -10),
    _t("Phối hợp với Văn phòng Sở chuẩn bị công tác hậu cần phục vụ Hội nghị", "QLKHCNCS", ["VP"], -2),
    _t("Viết và gửi giấy mời, xác nhận đại biểu của cơ quan chủ trì, chủ nhiệm nhiệm vụ KH&CN do Phòng Quản lý "
       "Khoa học theo dõi", "QLKH", ["VP"], -10),
    _t("Chuẩn bị nội dung, tài liệu theo sự phân công (nhiệm vụ do Phòng Quản lý Khoa học quản lý)", "QLKH", [], -7),
    _t("Phối hợp đón tiếp, phát tài liệu đại biểu", "QLKH", ["VP"], 0),
    _t("Tuyên bố lý do, giới thiệu đại biểu (MC hội nghị)", "QLCN", [], 0),
    _t("Viết và gửi giấy mời, xác nhận đại biểu của các tổ chức KH&CN, doanh nghiệp và chủ nhiệm nhiệm vụ do "
       "Phòng Quản lý Công nghệ theo dõi", "QLCN", ["VP"], -10),
    _t("Tham mưu công tác kinh phí, chế độ phục vụ hội nghị", "KHTC", [], -14),
    _t("Chuẩn bị nội dung, tài liệu theo sự phân công (số liệu kinh phí của Chương trình)", "KHTC", [], -7),
    _t("Viết và gửi giấy mời, xác nhận đại biểu của cơ quan chủ trì, chủ nhiệm nhiệm vụ KH&CN do Phòng Kế hoạch - "
       "Tài chính theo dõi", "KHTC", ["VP"], -10),
    _t("Thực hiện chứng từ thanh toán kinh phí Hội nghị", "KHTC", ["VP"], 14),
    _t("Xây dựng phim tư liệu về kết quả thực hiện nhiệm vụ KH&CN thuộc Chương trình NTMN (15 phút)", "TTUDDV",
       ["QLKHCNCS"], -5),
    _t("Giới thiệu, quảng bá sản phẩm từ các đề tài, dự án nông thôn miền núi tại Hội nghị", "TTUDDV",
       ["QLKHCNCS"], -1),
    _t("Cử viên chức tham dự, đưa tin về Hội nghị", "TTUDDV", [], 0),
    _t("Phát hành giấy mời", "VP", ["QLKHCNCS", "QLKH", "QLCN", "KHTC"], -10),
    _t("Hợp đồng thuê hội trường; khánh tiết", "VP", [], -7),
    _t("Đón tiếp đại biểu", "VP", ["QLKHCNCS", "QLKH"], 0),
    _t("Thực hiện chế độ trà, nước, giải lao cho đại biểu", "VP", [], 0),
    _t("Văn phòng phẩm phục vụ Hội nghị", "VP", [], -3),
    _t("Theo dõi, đôn đốc các phòng, đơn vị thực hiện Kế hoạch", "QLKHCNCS", ["VP"], -1),
]

#: A hội nghị giao ban (the plan's §7 "Phân công", and the invitation that "follows later" of §4).
GIAO_BAN = [
    _t("Gửi giấy mời kèm gợi ý thảo luận tới UBND các huyện, thành phố", "QLKHCNCS", ["VP"], -7),
    _t("Chuẩn bị nội dung và điều kiện phục vụ hội nghị", "QLKHCNCS",
       ["VP", "QLKH", "QLCN", "KHTC", "TTra", "TTUDDV", "CCTCĐLCL"], -3),
    _t("Tham mưu thẩm định, chuẩn bị kinh phí tổ chức hội nghị bảo đảm thiết thực, hiệu quả", "KHTC", [], -10),
    _t("In ấn tài liệu hội nghị", "VP", ["QLKHCNCS"], -2),
    _t("Tổ chức đón tiếp các đại biểu và các điều kiện phục vụ hội nghị", "VP", ["QLKHCNCS"], 0),
]

#: The templates by conference kind (``ConferenceKind`` values).
TEMPLATES = {"tong_ket": TONG_KET, "giao_ban": GIAO_BAN}
