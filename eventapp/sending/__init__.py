"""Sending: invitations and reminders by email for one conference, with the progress of the mail."""

from flask import Blueprint

bp = Blueprint("sending", __name__, url_prefix="/hoi-nghi/<int:conference_id>/gui-giay-moi")

from . import routes  # noqa: E402,F401
