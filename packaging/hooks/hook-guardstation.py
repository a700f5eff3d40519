# PyInstaller hook for the guardstation package: what static analysis cannot see.
from PyInstaller.utils.hooks import collect_submodules, copy_metadata

hiddenimports = [
    # Alembic loads the migration scripts from files at run time; they import these.
    "alembic.op",
    "alembic.context",
    "alembic.ddl.sqlite",
    "alembic.runtime.migration",
    "alembic.runtime.environment",
    "alembic.operations.toimpl",
    "alembic.script",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    # keyring finds its OS backends through entry points (metadata below).
    *collect_submodules("keyring.backends"),
    # Decoder backends are imported lazily by guardstation.scanner.decoders.
    "zxingcpp",
    "argon2",
]
datas = copy_metadata("keyring")
