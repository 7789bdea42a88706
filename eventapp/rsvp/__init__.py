"""RSVP: the delegate's pages by personal link (no account), and the pass they receive."""

from flask import Blueprint

bp = Blueprint("rsvp", __name__)

from . import routes  # noqa: E402,F401
