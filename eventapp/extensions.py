"""Extension singletons, wired to the app in :func:`eventapp.create_app`."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Named constraints, so that migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login = LoginManager()
htmx = Htmx()


def take_write_lock() -> None:
    """SQLite: begin this transaction's writes with BEGIN IMMEDIATE, which waits (the connection's busy_timeout)
    for another writer to finish, rather than upgrading a read transaction, which fails at once when another
    writer got in between. PostgreSQL needs nothing: its row locks and conditional UPDATEs do the waiting.

    Call it before the first read of a write that must see what a concurrent one left (a double click, two tabs):
    it is a no-op once the transaction has begun."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
