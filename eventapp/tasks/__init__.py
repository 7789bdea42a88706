"""Assignments to departments (phân công thực hiện): per conference, per department, templates, digest."""

from flask import Blueprint

bp = Blueprint("tasks", __name__)

from . import commands, routes  # noqa: E402,F401
