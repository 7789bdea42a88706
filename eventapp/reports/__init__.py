"""The report of a conference after the event: attendance, papers, budget, tasks; printable and .xlsx."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import routes  # noqa: E402,F401
