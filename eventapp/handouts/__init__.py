"""Conference documents for delegates (tài liệu hội nghị): accepted papers and files the organizer publishes,
each public, for delegates only, or not yet, and from when; read from the pass or the public page."""

from flask import Blueprint

bp = Blueprint("handouts", __name__)

from . import routes  # noqa: E402,F401
