"""The scanner's statements, run on psycopg itself on PostgreSQL.

A scan makes one or two statements. Through SQLAlchemy Core each costs about 70 µs of Python beyond the
driver's own work (execution context, result metadata, type processing), about as much again as psycopg
needs; under gunicorn's two workers that was about a fifth of a check-in's cost (bench/NOTES.md). A
:class:`DirectStatement` is a Core statement, written like any other, compiled once for PostgreSQL and sent
through the connection's psycopg connection. On SQLite, and on a connection to any other database, it runs
through SQLAlchemy as usual.

What SQLAlchemy would have done, done here:
- parameters: aware datetimes are stored as naive UTC (the rule of :class:`~eventapp.models.base.UTCDateTime`);
- results: columns of that type come back aware, in UTC; rows are named tuples (``row.delegate_id``);
- errors: psycopg's are raised as SQLAlchemy's (``sqlalchemy.exc.IntegrityError``...), so callers catch one kind.

These statements bypass SQLAlchemy's events (``before_cursor_execute``) and its echo log. The tests count
them on the wire instead (``tests/conftest.py``, ``count_statements``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from psycopg.rows import namedtuple_row
from sqlalchemy.dialects import postgresql

from ..models.base import UTCDateTime, aware_utc, naive_utc

_POSTGRESQL = postgresql.psycopg.dialect()


class DirectStatement:
    """A Core statement compiled once for PostgreSQL (psycopg) and run without SQLAlchemy's execution layer."""

    def __init__(self, statement: sa.Executable):
        self.statement = statement
        compiled = statement.compile(dialect=_POSTGRESQL)
        self.sql = compiled.string
        #: the values of the statement's literals (sa.literal, a CASE's results...), sent with the caller's
        self._literals = {name: value for name, value in compiled.params.items() if value is not None}
        self._utc_columns = frozenset(i for i, column in enumerate(statement.exported_columns)
                                      if isinstance(column.type, UTCDateTime))

    def first(self, connection: sa.Connection, params: dict[str, Any]):
        """The first row (attributes named after the columns), or None."""
        if connection.dialect.name != "postgresql":
            return connection.execute(self.statement, params).first()
        cursor = connection.connection.dbapi_connection.cursor(row_factory=namedtuple_row)
        with cursor:
            self._execute(connection, cursor, params)
            row = cursor.fetchone()
        if row is None or not self._utc_columns:
            return row
        return row._make(aware_utc(value) if i in self._utc_columns else value for i, value in enumerate(row))

    def execute(self, connection: sa.Connection, params: dict[str, Any]) -> None:
        """Run a statement that returns nothing."""
        if connection.dialect.name != "postgresql":
            connection.execute(self.statement, params)
            return
        with connection.connection.dbapi_connection.cursor() as cursor:
            self._execute(connection, cursor, params)

    def _execute(self, connection: sa.Connection, cursor, params: dict[str, Any]) -> None:
        values = {**self._literals, **{name: naive_utc(value) if isinstance(value, datetime) else value
                                       for name, value in params.items()}}
        dbapi = connection.dialect.loaded_dbapi
        try:
            cursor.execute(self.sql, values)
        except dbapi.Error as exc:
            raise sa.exc.DBAPIError.instance(self.sql, values, exc, dbapi.Error, dialect=connection.dialect) from exc
