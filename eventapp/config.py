"""Configuration from the environment. README.md lists every variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def database_url(instance_path: str) -> str:
    """DATABASE_URL, with PostgreSQL URLs pointed at psycopg 3; an SQLite file in instance/ by default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "eventapp.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/secret_key."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, from environment variables with safe defaults."""
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # A pooled connection the database closed (a restart, an idle timeout) is replaced before it is used.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Links in mails and QR codes point here (e.g. https://hoinghi.skhcn.quangngai.gov.vn).
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        "BACKUP_FOLDER": os.environ.get("BACKUP_FOLDER") or str(Path(instance_path) / "backups"),
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 25) * 1024 * 1024,
        "MAIL_HOST": os.environ.get("MAIL_HOST", "127.0.0.1"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_STARTTLS": _bool("MAIL_USE_STARTTLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "hoinghi@localhost"),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 20),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Keys in Redis start with this (two installations may share one Redis).
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "eventapp"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # Failed sign-ins are counted over LOGIN_FAILURE_WINDOW seconds; past the free ones (per username or
        # device, per address) each attempt waits 1, 2, 4... seconds after the last failure, at most
        # LOGIN_MAX_DELAY (eventapp.auth.throttle).
        "LOGIN_FAILURE_WINDOW": _int("LOGIN_FAILURE_WINDOW", 900),
        "LOGIN_FREE_FAILURES_PER_USER": _int("LOGIN_FREE_FAILURES_PER_USER", 5),
        "LOGIN_FREE_FAILURES_PER_ADDRESS": _int("LOGIN_FREE_FAILURES_PER_ADDRESS", 20),
        "LOGIN_MAX_DELAY": _int("LOGIN_MAX_DELAY", 300),
        # Cookies are Secure unless the app is served over plain HTTP on purpose (make run, tests).
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_HOURS", 12) * 3600,
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "WTF_CSRF_TIME_LIMIT": None,
    }
