"""What backup and restore share: constants, the database connection, table digests, migration state, tools."""

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import tomllib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.utils import ConnectionHandler

FORMAT = "tdkt-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"postgresql": "database/postgresql.dump", "sqlite": "database/sqlite3.db"}
MEDIA_PREFIX = "media/"
SKIPPED_MEDIA = ("imports",)  # top-level media folders left out (temporary files)
CHUNK = 1024 * 1024
SAFE_MEMBER = re.compile(r"[^\x00-\x1f\\]+\Z")


class BackupError(Exception):
    """A refusal or failure, with a message for the operator (Vietnamese, English terms in parentheses)."""


def app_version():
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def vendor_of(settings_dict):
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Chỉ hỗ trợ PostgreSQL và SQLite (unsupported database engine {engine}).")


@contextmanager
def open_database(settings_dict):
    """A private Django connection to the database described by ``settings_dict`` (closed afterwards)."""
    handler = ConnectionHandler({"default": {key: value for key, value in settings_dict.items() if key != "TEST"}})
    connection = handler["default"]
    try:
        yield connection
    finally:
        connection.close()


def canonical(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "b:" + bytes(value).hex()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)  # Decimal, UUID, timedelta…


def _rows(connection, sql):
    """Rows of a query, streamed (a server-side cursor on PostgreSQL: the audit table may be large)."""
    if connection.vendor == "postgresql":
        with connection.connection.cursor(name="tdkt_backup_rows") as cursor:
            cursor.itersize = 2000
            cursor.execute(sql)
            yield from cursor
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            yield from cursor


def table_digests(connection):
    """``{table: {"rows": n, "sha256": hex}}`` of every table, rows in primary-key order (call inside a
    transaction on PostgreSQL)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        keys = {table: connection.introspection.get_primary_key_columns(cursor, table) for table in tables}
    digests = {}
    for table in tables:
        order = ", ".join(quote(column) for column in keys[table]) if keys[table] else None
        digest, count = hashlib.sha256(), 0
        lines = (json.dumps([canonical(v) for v in row], ensure_ascii=False) for row in
                 _rows(connection, f"SELECT * FROM {quote(table)}" + (f" ORDER BY {order}" if order else "")))
        for line in (lines if order else sorted(lines)):
            digest.update(line.encode() + b"\n")
            count += 1
        digests[table] = {"rows": count, "sha256": digest.hexdigest()}
    return digests


def migration_state(connection):
    """``{app: [applied migration names, sorted]}`` as recorded in the database."""
    state = {}
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return state
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            state.setdefault(app, []).append(name)
    return state


def model_counts(tables):
    """``{"app_label.Model": {"table", "rows"}}`` for every concrete model of the installed code."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in tables:
            continue
        counts[meta.label] = {"table": meta.db_table, "rows": tables[meta.db_table]["rows"]}
    return dict(sorted(counts.items()))


def major_version(version_text):
    match = re.search(r"(\d+)(?:\.\d+)?", version_text or "")
    return int(match.group(1)) if match else None


def pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Không tìm thấy {name}: cài gói postgresql-client phù hợp với máy chủ ({name} not found).")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return path, version


def pg_env(settings_dict):
    """The environment for pg_dump/pg_restore: connection settings as libpq variables (as ``manage.py dbshell``)."""
    _args, extra = PostgresClient.settings_to_cmd_args_env({"OPTIONS": {}, **settings_dict}, [])
    env = {**os.environ, **(extra or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def tar_mode(path, writing):
    name = str(path)
    compressed = name.endswith((".gz", ".tgz"))
    return ("w:gz" if compressed else "w") if writing else "r:*"




def database_facts(settings_dict):
    """``(migration state, table digests)`` of a database, read in one transaction."""
    with open_database(settings_dict) as connection:
        connection.set_autocommit(False)
        try:
            return migration_state(connection), table_digests(connection)
        finally:
            connection.rollback()
            connection.set_autocommit(True)
