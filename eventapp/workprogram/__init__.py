"""The annual work program (chương trình công tác năm): import its table, view it by month, make conferences."""

from flask import Blueprint

bp = Blueprint("workprogram", __name__, url_prefix="/chuong-trinh-cong-tac")

from . import routes  # noqa: E402,F401
