"""The tabs of a conference's pages. Features register their endpoints under these names."""

from flask_login import current_user

from ..access import rule_of
from ..web import url_if

#: (label, endpoint) of each section; a section shows once its endpoint exists and the user may open it.
SECTIONS = [
    ("Tổng quan", "conferences.overview"),
    ("Khách mời", "invitations.index"),
    ("Gửi giấy mời", "sending.index"),
    ("Trả lời", "invitations.answers"),
    ("Đón tiếp", "checkin.desk"),
    ("Theo dõi", "checkin.board"),
    ("Tham luận", "papers.index"),
    ("Chương trình", "agenda.index"),
    ("Kinh phí", "budget.index"),
    ("Phân công", "tasks.conference_tasks"),
    ("Báo cáo", "reports.conference"),
]


def conference_sections(conference) -> list[tuple[str, str, str]]:
    """(label, url, endpoint) of the sections the current user can open for this conference."""
    sections = []
    for label, endpoint in SECTIONS:
        rule = rule_of(endpoint)
        if rule is None:
            continue
        kind, allowed = rule
        if kind == "roles" and (not current_user.is_authenticated or current_user.role not in allowed):
            continue
        url = url_if(endpoint, conference_id=conference.id)
        if url:
            sections.append((label, url, endpoint))
    return sections
