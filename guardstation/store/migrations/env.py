"""Alembic environment: always run in-process with a connection handed in by store.db."""
from alembic import context

from guardstation.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("GuardStation migrations run through guardstation.store.db.open_database()")

# batch mode: SQLite cannot ALTER most things in place, Alembic copies the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
