"""The agency directory: agencies and their groups, reused by every conference's invitation list."""

from flask import Blueprint

bp = Blueprint("agencies", __name__, url_prefix="/co-quan")

from . import routes  # noqa: E402,F401
