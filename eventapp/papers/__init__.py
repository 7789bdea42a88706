"""Papers (tham luận): inviting speakers, their upload page, review, reminders and the documents pack."""

from flask import Blueprint

#: ``cli_group=None`` puts the blueprint's commands at the top level: ``flask remind-papers``.
bp = Blueprint("papers", __name__, cli_group=None)

from . import cli, routes  # noqa: E402,F401
