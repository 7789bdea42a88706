"""The schema comes only from the migrations, and they match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from eventapp.extensions import db as _db


def test_models_and_migrations_agree(app, db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models and migrations disagree; run `make migration`: {differences}"


def test_migrations_make_every_table(app, db):
    inspector = _db.inspect(_db.engine)
    assert set(_db.metadata.tables) <= set(inspector.get_table_names())
