"""The budget estimate (dự toán kinh phí) of a conference and the spending norms it is checked against."""

from flask import Blueprint

bp = Blueprint("budget", __name__)

from . import routes  # noqa: E402,F401
