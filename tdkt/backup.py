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

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.migrations.loader import MigrationLoader
from django.db.utils import ConnectionHandler
from django.utils import timezone

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


# ---------------------------------------------------------------- helpers

def app_version():
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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


def _canonical(value):
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
        lines = (json.dumps([_canonical(v) for v in row], ensure_ascii=False) for row in
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


def _major(version_text):
    match = re.search(r"(\d+)(?:\.\d+)?", version_text or "")
    return int(match.group(1)) if match else None


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Không tìm thấy {name}: cài gói postgresql-client phù hợp với máy chủ ({name} not found).")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return path, version


def _pg_env(settings_dict):
    """The environment for pg_dump/pg_restore: connection settings as libpq variables (as ``manage.py dbshell``)."""
    _args, extra = PostgresClient.settings_to_cmd_args_env({"OPTIONS": {}, **settings_dict}, [])
    env = {**os.environ, **(extra or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


class _HashingReader:
    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _tar_mode(path, writing):
    name = str(path)
    compressed = name.endswith((".gz", ".tgz"))
    return ("w:gz" if compressed else "w") if writing else "r:*"


# ---------------------------------------------------------------- backup

def default_archive_path(now=None):
    moment = timezone.localtime(now or timezone.now())
    return Path(settings.TDKT_BACKUP_DIR) / f"tdkt-{moment:%Y%m%d-%H%M%S}.tar"


def _dump_postgresql(connection, settings_dict, target):
    """pg_dump of a snapshot, and the manifest's facts read from that same snapshot."""
    pg_dump, tool = _pg_tool("pg_dump")
    server_major = connection.pg_version // 10000
    if _major(tool) < server_major:
        raise BackupError(f"{tool} không sao lưu được máy chủ PostgreSQL {server_major}: hãy cài postgresql-client-{server_major} "
                          f"(pg_dump must be at least the server's major version).")
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
        result = subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                 f"--file={target}"], env=_pg_env(settings_dict), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump thất bại (failed): {result.stderr.strip()}")
        facts = {"tables": table_digests(connection), "migrations": migration_state(connection)}
    finally:
        connection.rollback()
        connection.set_autocommit(True)
    return {"vendor": "postgresql", "server_version": server_version, "tool": tool}, facts


def _dump_sqlite(alias, target):
    source = connections[alias]
    source.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        source.connection.backup(copy)  # one step: a consistent copy even while others write
    finally:
        copy.close()
    with open_database({"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}) as snapshot:
        facts = {"tables": table_digests(snapshot), "migrations": migration_state(snapshot)}
    return {"vendor": "sqlite", "server_version": sqlite3.sqlite_version, "tool": f"sqlite3 {sqlite3.sqlite_version}"}, facts


def _media_files(media_root):
    """(relative posix path, absolute path) of every regular file under MEDIA_ROOT, symlinks not followed."""
    root = Path(media_root)
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_MEDIA]
        dirnames.sort()
        for filename in sorted(filenames):
            path = here / filename
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _add_file(archive, name, path, files):
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}


def create_backup(output=None, *, alias="default", media_root=None, now=None):
    """Write the archive; returns ``(path, manifest)``."""
    settings_dict = connections[alias].settings_dict
    vendor = vendor_of(settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output) if output else default_archive_path(now)
    if output.is_dir():
        output = output / default_archive_path(now).name
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    work = Path(tempfile.mkdtemp(prefix=".tdkt-backup-", dir=output.parent))
    try:
        dump = work / "dump"
        if vendor == "postgresql":
            with open_database(settings_dict) as connection:
                database, facts = _dump_postgresql(connection, settings_dict, dump)
        else:
            database, facts = _dump_sqlite(alias, dump)
        database["dump"] = DB_MEMBER[vendor]
        files = {}
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: operators only
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode=_tar_mode(output, True),
                                                                format=tarfile.PAX_FORMAT) as archive:
            _add_file(archive, DB_MEMBER[vendor], dump, files)
            media_bytes = 0
            for relative, path in _media_files(media_root):
                _add_file(archive, MEDIA_PREFIX + relative, path, files)
                media_bytes += files[MEDIA_PREFIX + relative]["size"]
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "created_at": (now or timezone.now()).astimezone(datetime.UTC).isoformat(),
                "app": {"name": "tdkt", "version": app_version()}, "django": django.get_version(),
                "database": database, "migrations": facts["migrations"], "tables": facts["tables"],
                "models": model_counts(facts["tables"]),
                "media": {"files": sum(1 for name in files if name.startswith(MEDIA_PREFIX)), "bytes": media_bytes},
                "files": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o644
            archive.addfile(info, _BytesReader(body))
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return output, manifest


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.offset + size
        chunk = self.data[self.offset:end]
        self.offset += len(chunk)
        return chunk


# ---------------------------------------------------------------- restore

def read_manifest(archive_path):
    """The manifest and the archive's members, checked against each other (nothing is extracted)."""
    try:
        with tarfile.open(archive_path, _tar_mode(archive_path, False)) as archive:
            members = archive.getmembers()
            names = [m.name for m in members]
            if names.count(MANIFEST) != 1:
                raise BackupError("Không phải bản sao lưu TĐKT: thiếu manifest.json (not a TĐKT backup).")
            manifest = json.load(archive.extractfile(MANIFEST))
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu (unreadable archive): {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("manifest.json hỏng, không đọc được (corrupt manifest).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Không phải bản sao lưu TĐKT (not a TĐKT backup).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Phiên bản định dạng sao lưu {manifest.get('format_version')} không được hỗ trợ "
                          f"(unsupported backup format version; this code reads {FORMAT_VERSION}).")
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise BackupError("manifest.json không liệt kê tệp nào (manifest lists no files).")
    for member in members:
        if member.name == MANIFEST:
            continue
        if not _safe_member(member.name):
            raise BackupError(f"Tệp sao lưu chứa đường dẫn không hợp lệ (unsafe member): {member.name!r}")
        if not member.isreg():
            raise BackupError(f"Tệp sao lưu chứa mục không phải tệp thường (not a regular file): {member.name}")
        if member.name not in files:
            raise BackupError(f"Tệp sao lưu chứa tệp không có trong manifest (extra member): {member.name}")
    missing = sorted(set(files) - set(names))
    if missing:
        raise BackupError(f"Tệp sao lưu thiếu {len(missing)} tệp có trong manifest (missing members), ví dụ {missing[0]}")
    if len(names) != len(set(names)):
        raise BackupError("Tệp sao lưu có tệp trùng tên (duplicate members).")
    return manifest


def _safe_member(name):
    path = PurePosixPath(name)
    if not SAFE_MEMBER.match(name) or path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return False
    return name in DB_MEMBER.values() or (name.startswith(MEDIA_PREFIX) and len(path.parts) >= 2)


def check_migrations(manifest):
    """Refuse a backup holding a migration the installed code does not have (made by a newer version)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = manifest.get("migrations") or {}
    unknown = sorted(f"{app}.{name}" for app, names in recorded.items() for name in names if (app, name) not in known)
    if unknown:
        raise BackupError(
            f"Bản sao lưu có {len(unknown)} migration mà mã đang cài không có, ví dụ {unknown[0]}: nó được tạo bởi phiên bản "
            f"{manifest.get('app', {}).get('version', '?')} mới hơn. Hãy cài đúng phiên bản đó rồi khôi phục "
            f"(backup made by a newer version: wrong migration state).")
    pending = sorted(f"{app}.{name}" for app, name in known if name not in recorded.get(app, []))
    return pending


def _database_is_empty(settings_dict):
    vendor = vendor_of(settings_dict)
    if vendor == "sqlite" and not Path(settings_dict["NAME"]).exists():
        return True
    with open_database(settings_dict) as connection, connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _media_is_empty(media_root):
    return not Path(media_root).exists() or not any(path.is_file() or path.is_symlink() for path in Path(media_root).rglob("*"))


def empty_database(settings_dict):
    """Drop every table (and the audit trigger's function) of the target; a SQLite file is removed."""
    if vendor_of(settings_dict) == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{settings_dict['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with open_database(settings_dict) as connection, connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        cursor.execute("DROP FUNCTION IF EXISTS tdkt_auditevent_append_only() CASCADE")


def empty_media(media_root):
    root = Path(media_root)
    if not root.exists():
        return
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _extract_verified(archive_path, manifest, staging):
    """Extract every member into ``staging``, checking its size and SHA-256 against the manifest."""
    files = manifest["files"]
    with tarfile.open(archive_path, _tar_mode(archive_path, False)) as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name not in files or not _safe_member(member.name) or not member.isreg():
                raise BackupError(f"Tệp sao lưu đã thay đổi trong khi đọc (archive changed while reading): {member.name!r}")
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = archive.extractfile(member)
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            expected = files[member.name]
            if digest.hexdigest() != expected.get("sha256") or member.size != expected.get("size"):
                raise BackupError(f"Tệp {member.name} trong bản sao lưu không khớp SHA-256 ghi trong manifest: bản sao lưu đã bị "
                                  f"sửa hoặc hỏng, không khôi phục (checksum mismatch: tampered or damaged archive).")
            os.utime(target, (member.mtime, member.mtime))


def _load_database(settings_dict, vendor, dump):
    if vendor == "sqlite":
        source, target = sqlite3.connect(dump), sqlite3.connect(settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    pg_restore, tool = _pg_tool("pg_restore")
    result = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                             f"--dbname={settings_dict['NAME']}", str(dump)], env=_pg_env(settings_dict), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore thất bại (failed; {tool}): {result.stderr.strip()}")


def database_facts(settings_dict):
    """``(migration state, table digests)`` of a database, read in one transaction."""
    with open_database(settings_dict) as connection:
        connection.set_autocommit(False)
        try:
            return migration_state(connection), table_digests(connection)
        finally:
            connection.rollback()
            connection.set_autocommit(True)


def verify_database(settings_dict, manifest):
    """Compare the loaded database with the manifest: migration state, and every table's rows and checksum."""
    migrations, tables = database_facts(settings_dict)
    if migrations != manifest["migrations"]:
        raise BackupError("Trạng thái migration của cơ sở dữ liệu đã nạp khác manifest (migration state mismatch).")
    expected = manifest["tables"]
    wrong = sorted(set(expected) ^ set(tables)) + sorted(t for t in set(expected) & set(tables) if expected[t] != tables[t])
    if wrong:
        raise BackupError(f"Dữ liệu đã nạp khác manifest ở {len(wrong)} bảng, ví dụ {wrong[0]} (row count or checksum mismatch).")
    return tables


def _move_media(staging_media, media_root):
    root = Path(media_root)
    root.mkdir(parents=True, exist_ok=True)
    if staging_media.exists():
        for child in staging_media.iterdir():
            os.replace(child, root / child.name)


def restore_backup(archive_path, *, settings_dict=None, media_root=None, replace=False):
    """Restore the archive into the database ``settings_dict`` (default: the default database) and
    ``media_root``; returns ``(manifest, pending migrations)``. Raises :class:`BackupError` on a refusal."""
    archive_path = Path(archive_path)
    settings_dict = dict(settings_dict or connections["default"].settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(archive_path)
    vendor = vendor_of(settings_dict)
    if manifest.get("database", {}).get("vendor") != vendor:
        raise BackupError(f"Bản sao lưu là cơ sở dữ liệu {manifest.get('database', {}).get('vendor')}, nơi khôi phục là {vendor} "
                          f"(database vendor mismatch).")
    if DB_MEMBER[vendor] not in manifest["files"]:
        raise BackupError("Bản sao lưu không có tệp cơ sở dữ liệu (no database dump in the archive).")
    pending = check_migrations(manifest)
    if not replace:
        if not _database_is_empty(settings_dict):
            raise BackupError("Cơ sở dữ liệu đích không trống: chỉ khôi phục vào cơ sở dữ liệu mới, trống (hãy tạo cơ sở dữ liệu mới, "
                              "hoặc dùng --replace để xoá toàn bộ dữ liệu hiện có) (target database is not empty).")
        if not _media_is_empty(media_root):
            raise BackupError(f"Thư mục tệp {media_root} không trống: chỉ khôi phục vào thư mục trống (hoặc dùng --replace) "
                              f"(media folder is not empty).")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tdkt-restore-", dir=media_root.parent))
    try:
        _extract_verified(archive_path, manifest, staging)
        if replace:
            empty_database(settings_dict)
            empty_media(media_root)
        _load_database(settings_dict, vendor, staging / DB_MEMBER[vendor])
        try:
            verify_database(settings_dict, manifest)
        except BackupError:
            empty_database(settings_dict)
            raise
        _move_media(staging / MEDIA_PREFIX.rstrip("/"), media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest, pending
