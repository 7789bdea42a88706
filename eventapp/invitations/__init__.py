"""Invitation lists: who is invited to a conference (agencies, groups, persons), imports from Excel or CSV,
printed letters (giấy mời) and the answers. Sending lives in ``eventapp.sending``."""

from flask import Blueprint

bp = Blueprint("invitations", __name__)

from . import routes  # noqa: E402,F401
