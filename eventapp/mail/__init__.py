"""Mail: the outbox that every feature queues into, the worker that drains it, and its page."""

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/thu-di", cli_group=None)

from . import commands, routes  # noqa: E402,F401
