"""Backup and restore of the whole application state: the database, the media files and a manifest.

**The archive** (``manage.py backup``) is one tar file (``.tar``, or gzip-compressed when its name ends in
``.gz``/``.tgz``) holding:

- ``database/postgresql.dump`` — ``pg_dump --format=custom`` of a snapshot, or ``database/sqlite3.db`` —
  a copy made with SQLite's online backup API; both are consistent while the application keeps working;
- ``media/<path>`` — every file under ``MEDIA_ROOT`` (uploaded dossiers, documents, export files) except
  Excel imports waiting for confirmation (``imports/``: temporary, see ``nominations/periodic.py``);
- ``manifest.json`` (last) — app version (pyproject), Django version, database vendor and server version,
  the applied migrations per app, row count and SHA-256 of the contents of every table, row count per
  model, and the SHA-256 and size of every other file of the archive.

The counts, table checksums and migration state are read from the very snapshot that is dumped
(PostgreSQL: a ``REPEATABLE READ`` transaction whose snapshot ``pg_dump --snapshot`` reuses; SQLite: the
copy itself), so the manifest describes exactly what the dump holds.

**Restore** (``manage.py restore ARCHIVE``) refuses, before touching anything: an archive that is not a
TĐKT backup, a member that is missing, extra, not a plain file or outside the archive's folders, a
database of the other vendor, a migration the installed code does not know (a backup of a newer version),
a database or media folder that is not empty (unless ``replace=True``), and any file whose SHA-256 differs
from the manifest. It then loads the database (``pg_restore`` in one transaction, or SQLite's backup API),
compares the migration state and every table's row count and checksum with the manifest (a mismatch
empties the database again and refuses), and moves the media files into place.

The checksums detect damage and accidental or careless changes, not a forger who rewrites the manifest
too: keep the archives where only the operators can write (deploy/README.md).
"""

from .common import (
    DB_MEMBER,
    MANIFEST,
    BackupError,
    app_version,
    canonical,
    database_facts,
    migration_state,
    open_database,
    table_digests,
)
from .create import create_backup
from .restore import check_migrations, database_is_empty, read_manifest, restore_backup

__all__ = ["DB_MEMBER", "MANIFEST", "BackupError", "app_version", "canonical", "check_migrations", "create_backup",
           "database_facts", "database_is_empty", "migration_state", "open_database", "read_manifest", "restore_backup",
           "table_digests"]
