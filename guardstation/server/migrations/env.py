"""Alembic environment of the central server: run in-process with a connection from guardstation.server.db."""

from alembic import context

from guardstation.server.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("GuardStation server migrations run through guardstation.server.db.upgrade()")

# batch mode: SQLite cannot ALTER most things in place, Alembic copies the table instead.
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
