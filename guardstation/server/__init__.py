"""The central server (docs/architecture.md §7): enrolment, sync protocol v1, the event store, exposure tracing,
admin CLI.

FastAPI + SQLAlchemy; an SQLite file by default, PostgreSQL for a deployment.
Shares guardstation.domain and guardstation.credentials with the station and
never imports its ui, scanner or store packages.
"""
