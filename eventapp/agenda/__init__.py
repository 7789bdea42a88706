"""The conference agenda (chương trình hội nghị): items, computed times, publishing, the printed programme."""

from flask import Blueprint

bp = Blueprint("agenda", __name__, url_prefix="/hoi-nghi/<int:conference_id>/chuong-trinh")

from . import routes  # noqa: E402,F401
