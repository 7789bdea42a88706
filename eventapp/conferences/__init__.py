"""Conferences: the list, the plan (kế hoạch) form, the overview page and cloning."""

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/hoi-nghi")

from . import clone, routes  # noqa: E402,F401
