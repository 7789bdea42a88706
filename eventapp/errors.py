"""The one kind of error a service raises when it refuses what a user asked for.

A service checks its inputs and the state of the database and raises :class:`UserError` with a message in
Vietnamese that tells the user what to do. Views do not catch it: the handler in :mod:`eventapp.web` rolls
the session back and answers the form again (htmx: its fragment) at 422, or flashes the message and sends a
plain request back with a 303, or answers the JSON API's contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from .extensions import db


class UserError(Exception):
    """A request refused for a reason the user can act on.

    ``message`` is Vietnamese, shown as it is; ``field`` is the name of the form field it belongs to, when it
    belongs to one (the form shows it next to that field); ``result`` is the JSON API's answer code.
    """

    result = "invalid_request"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


@contextmanager
def refused_if_duplicate(message: str, field: str | None = None) -> Iterator[None]:
    """The database is the last word on what must be unique (two people saving the same name at once, a name
    the service's own check could not compare): its refusal becomes this UserError, with the session rolled
    back."""
    try:
        yield
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise UserError(message, field) from exc
