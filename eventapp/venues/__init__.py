"""Venues (hội trường) reused across conferences."""

from flask import Blueprint

bp = Blueprint("venues", __name__, url_prefix="/dia-diem")

from . import routes  # noqa: E402,F401
