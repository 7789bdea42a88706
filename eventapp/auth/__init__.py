"""Signing in and out, one's own password; staff pages are never kept in the browser's cache."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401
