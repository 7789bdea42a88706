"""The meeting itself: the list of speakers and the projector, attendance in the hall, the conclusions with
the tasks they assign and their notice (thông báo kết luận)."""

from flask import Blueprint

bp = Blueprint("hall", __name__)

from . import routes  # noqa: E402,F401
