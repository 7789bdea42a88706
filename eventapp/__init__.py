"""eventapp: conferences of a Vietnamese public agency, from invitation to report."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .access import enforce_access
from .cli import register_cli
from .extensions import csrf, db, htmx, login, migrate
from .web import register_web
from .workspace import open_conference

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


def configure_web(app: Flask) -> None:
    """Filters, error handlers, headers; then who may open what, and the conference of a conference page."""
    register_web(app)
    app.before_request(enforce_access)
    app.before_request(open_conference)


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
    "handouts",
    "hall",
    "venues",
    "budget",
    "tasks",
    "workprogram",
    "reports",
    "audit",
    "admin",
]


def register_features(app: Flask) -> None:
    """Each feature is a blueprint package named after what its users do."""
    for name in FEATURES:
        app.register_blueprint(importlib.import_module(f"{__name__}.{name}").bp)


def register_commands(app: Flask) -> None:
    register_cli(app)
