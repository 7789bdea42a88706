"""The closed vocabularies of the domain, with their Vietnamese labels."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Vietnamese label for the interface."""

    @property
    def label(self) -> str:
        return self._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        """Value -> label; each enum defines its own."""
        return {}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Role(LabelledEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    RECEPTION = "reception"
    DEPARTMENT = "department"

    @classmethod
    def _labels(cls):
        return {
            "admin": "Quản trị hệ thống",
            "organizer": "Cán bộ tổ chức",
            "reception": "Bộ phận đón tiếp",
            "department": "Cán bộ phòng, đơn vị",
        }


class ConferenceKind(LabelledEnum):
    GIAO_BAN = "giao_ban"
    SO_KET = "so_ket"
    TONG_KET = "tong_ket"
    HOI_THAO = "hoi_thao"
    DIEN_DAN = "dien_dan"
    LE = "le"
    KHAC = "khac"

    @classmethod
    def _labels(cls):
        return {
            "giao_ban": "Hội nghị giao ban",
            "so_ket": "Hội nghị sơ kết",
            "tong_ket": "Hội nghị tổng kết",
            "hoi_thao": "Hội thảo",
            "dien_dan": "Diễn đàn",
            "le": "Lễ (phát động, trao giải...)",
            "khac": "Sự kiện khác",
        }


class ConferenceStatus(LabelledEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {"planned": "Theo kế hoạch", "cancelled": "Đã hủy"}


class InvitationKind(LabelledEnum):
    AGENCY = "agency"
    PERSON = "person"

    @classmethod
    def _labels(cls):
        return {"agency": "Mời cơ quan, đơn vị", "person": "Mời cá nhân"}


class InvitationStatus(LabelledEnum):
    PENDING = "pending"
    ATTENDING = "attending"
    DECLINED = "declined"

    @classmethod
    def _labels(cls):
        return {"pending": "Chưa trả lời", "attending": "Tham dự", "declined": "Không tham dự"}


class DelegateKind(LabelledEnum):
    INVITEE = "invitee"
    NAMED = "named"
    SUBSTITUTE = "substitute"
    WALK_IN = "walk_in"

    @classmethod
    def _labels(cls):
        return {
            "invitee": "Người được mời",
            "named": "Do cơ quan cử",
            "substitute": "Người đi thay",
            "walk_in": "Đến không báo trước",
        }


class DelegateStatus(LabelledEnum):
    ATTENDING = "attending"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {"attending": "Tham dự", "cancelled": "Đã hủy"}


class CheckInMethod(LabelledEnum):
    SCAN = "scan"
    SEARCH = "search"
    WALK_IN = "walk_in"

    @classmethod
    def _labels(cls):
        return {"scan": "Quét mã", "search": "Tìm theo tên", "walk_in": "Đăng ký tại chỗ"}


class PaperStatus(LabelledEnum):
    INVITED = "invited"
    SUBMITTED = "submitted"
    REVISION_REQUESTED = "revision_requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            "invited": "Đã mời viết",
            "submitted": "Đã nộp",
            "revision_requested": "Yêu cầu chỉnh sửa",
            "accepted": "Đã duyệt",
            "declined": "Không sử dụng",
            "withdrawn": "Tác giả rút",
        }


class AgendaKind(LabelledEnum):
    OPENING = "opening"
    REPORT = "report"
    PAPER = "paper"
    FILM = "film"
    DISCUSSION = "discussion"
    BREAK = "break"
    CONCLUSION = "conclusion"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            "opening": "Khai mạc, giới thiệu đại biểu",
            "report": "Báo cáo",
            "paper": "Tham luận",
            "film": "Phim tư liệu",
            "discussion": "Thảo luận",
            "break": "Giải lao",
            "conclusion": "Kết luận",
            "other": "Nội dung khác",
        }


class BudgetCategory(LabelledEnum):
    """Spending items allowed for conferences by Circular 40/2017/TT-BTC."""

    HALL = "hall"
    DOCUMENTS = "documents"
    SPEAKERS = "speakers"
    WATER = "water"
    MEALS = "meals"
    DECORATION = "decoration"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            "hall": "Thuê hội trường, thiết bị",
            "documents": "Tài liệu, văn phòng phẩm",
            "speakers": "Báo cáo viên, tham luận",
            "water": "Nước uống",
            "meals": "Hỗ trợ tiền ăn, nghỉ cho khách mời",
            "decoration": "Trang trí, khánh tiết",
            "other": "Chi khác",
        }


class TaskStatus(LabelledEnum):
    NOT_STARTED = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {
            "todo": "Chưa thực hiện",
            "in_progress": "Đang thực hiện",
            "done": "Hoàn thành",
            "cancelled": "Hủy",
        }


class MailStatus(LabelledEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def _labels(cls):
        return {"queued": "Chờ gửi", "sending": "Đang gửi", "sent": "Đã gửi", "failed": "Gửi lỗi"}


class ScanResult(LabelledEnum):
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_CODE = "unknown_code"
    INVALID_CODE = "invalid_code"
    OTHER_CONFERENCE = "other_conference"
    NOT_ADMITTED = "not_admitted"
    OUTSIDE_WINDOW = "outside_window"

    @classmethod
    def _labels(cls):
        return {
            "ok": "Check-in thành công",
            "already_checked_in": "Đã check-in trước đó",
            "unknown_code": "Mã không có trong danh sách",
            "invalid_code": "Mã không hợp lệ",
            "other_conference": "Thẻ của hội nghị khác",
            "not_admitted": "Không được vào",
            "outside_window": "Ngoài thời gian đón tiếp",
        }


class AttendanceStatus(LabelledEnum):
    """How a delegate attended the meeting, as the secretary marks it in the hall (a door check-in means
    in person)."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    EXCUSED = "excused"
    REPRESENTED = "represented"

    @classmethod
    def _labels(cls):
        return {
            "in_person": "Có mặt (trực tiếp)",
            "online": "Dự trực tuyến",
            "excused": "Vắng có lý do",
            "represented": "Cử người dự thay",
        }


class Audience(LabelledEnum):
    """Who may read a conference document or the program from the delegates' pages."""

    PUBLIC = "public"
    DELEGATES = "delegates"
    HIDDEN = "hidden"

    @classmethod
    def _labels(cls):
        return {"public": "Công khai", "delegates": "Chỉ đại biểu", "hidden": "Chưa công bố"}
