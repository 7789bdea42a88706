"""Conferences: the list, the plan (kế hoạch) form, the overview page and cloning."""

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/hoi-nghi")

from . import routes  # noqa: E402,F401
