"""Column types and helpers shared by every model."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def naive_utc(value: datetime) -> datetime:
    """How a datetime is stored: naive, in UTC. A naive datetime is refused (its zone is unknown)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None)


def aware_utc(value: datetime | None) -> datetime | None:
    """A stored (naive UTC) datetime as it is used: aware, in UTC."""
    return None if value is None else value.replace(tzinfo=UTC)


def new_token(nbytes: int = 24) -> str:
    """A random URL-safe secret (default 192 bits) for links, passes and devices."""
    return secrets.token_urlsafe(nbytes)


#: Letters and digits a person reads off paper without confusing them (no 0/o, 1/l/i).
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    """A code to type from a printed letter (``/m/<code>``): 8 of 31 characters, about 40 random bits."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as naive UTC; returns them aware in UTC on every database."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        return None if value is None else naive_utc(value)

    def process_result_value(self, value: datetime | None, dialect):
        return aware_utc(value)


def choice_check(column: str, values) -> sa.CheckConstraint:
    """A CHECK constraint that keeps ``column`` within ``values`` (an enum's members)."""
    allowed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")
