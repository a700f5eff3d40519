"""Alembic environment: always run in-process with a connection handed in by store.db."""

from alembic import context

from guardstation.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("GuardStation migrations run through guardstation.store.db.open_database()")


def include_object(obj, name, type_, reflected, compare_to):
    # The full-text index (visit_fts*) is made by raw SQL in 0001; autogenerate must not drop it.
    return not (type_ == "table" and name.startswith("visit_fts"))


# batch mode: SQLite cannot ALTER most things in place, Alembic copies the table instead.
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object
)
with context.begin_transaction():
    context.run_migrations()
