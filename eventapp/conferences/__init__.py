"""Conferences: the list, the plan (kế hoạch) form and the overview page."""

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/hoi-nghi")

from . import routes  # noqa: E402,F401
from . import clone  # noqa: E402,F401
