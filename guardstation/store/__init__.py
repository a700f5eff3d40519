"""Local SQLite storage: models, engine and pragmas, migrations, queries, secrets."""
