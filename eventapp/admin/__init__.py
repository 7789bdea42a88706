"""Administration: the host agency's settings, departments, accounts, personal-data requests; the backup,
restore and purge commands."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/quan-tri", cli_group=None)

from . import commands, routes  # noqa: E402,F401
