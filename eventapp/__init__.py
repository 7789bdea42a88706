"""eventapp: conferences of a Vietnamese public agency, from invitation to report."""

from __future__ import annotations

import os
import select
from pathlib import Path

from flask import Flask
from psycopg import pq
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import csrf, db, htmx, login, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, web layer, features, commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    configure_settings(app, config)
    configure_extensions(app)
    configure_web(app)
    register_features(app)
    register_commands(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)


def configure_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = "Vui lòng đăng nhập để tiếp tục."
    login.login_message_category = "warning"
    login.session_protection = "strong"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, write-ahead log for concurrent readers, wait on locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


@event.listens_for(Pool, "checkout")
def _discard_closed_postgresql_connection(dbapi_connection, connection_record, connection_proxy):
    """PostgreSQL: never hand out a pooled connection the server has closed (a restart, an administrator's
    pg_terminate_backend, an idle timeout), and usually find out without a round trip: an idle connection's
    socket has nothing to read unless the server has said something. When it has, an empty query tells a
    goodbye (the pool throws the connection away and takes another or opens a new one) from a harmless
    message (a notification, a reloaded setting: the connection is kept). ``pool_pre_ping`` asks with a
    ``SELECT 1`` on every checkout, a round trip per request that under load waits for the database's turn
    on the CPU."""
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # SQLite: in-process, nothing to lose
        return
    try:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise DisconnectionError("connection closed")
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
        if not poller.poll(0):
            return
        result = pgconn.exec_(b"")
        if result.status != pq.ExecStatus.EMPTY_QUERY or pgconn.status != pq.ConnStatus.OK:
            raise DisconnectionError("the server closed the connection")
    except DisconnectionError:
        raise
    except Exception as exc:  # the socket gone, libpq's send failed...
        raise DisconnectionError(str(exc)) from exc


def configure_web(app: Flask) -> None:
    from .access import enforce_access
    from .web import register_web

    register_web(app)
    app.before_request(enforce_access)


#: The feature packages, in the order their blueprints register. Each exposes ``bp``.
FEATURES = [
    "auth",
    "home",
    "conferences",
    "agencies",
    "invitations",
    "sending",
    "rsvp",
    "mail",
    "checkin",
    "papers",
    "agenda",
    "venues",
    "budget",
    "tasks",
    "workprogram",
    "reports",
    "audit",
    "admin",
]


def register_features(app: Flask) -> None:
    """Each feature is a blueprint package named after what its users do; packages without ``bp`` are libraries."""
    import importlib
    import importlib.util

    for name in FEATURES:
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        blueprint = getattr(module, "bp", None)
        if blueprint is not None:
            app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)
