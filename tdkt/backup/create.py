"""``manage.py backup``: the archive (format: :mod:`tdkt.backup`)."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

from ..media import files_under, is_local
from .common import (
    DB_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    SKIPPED_MEDIA,
    BackupError,
    app_version,
    major_version,
    migration_state,
    model_counts,
    open_database,
    pg_env,
    pg_tool,
    table_digests,
    tar_mode,
    vendor_of,
)


class _HashingReader:
    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def default_archive_path(now=None):
    moment = timezone.localtime(now or timezone.now())
    return Path(settings.TDKT_BACKUP_DIR) / f"tdkt-{moment:%Y%m%d-%H%M%S}.tar"


def _dump_postgresql(connection, settings_dict, target):
    """pg_dump of a snapshot, and the manifest's facts read from that same snapshot."""
    pg_dump, tool = pg_tool("pg_dump")
    server_major = connection.pg_version // 10000
    if major_version(tool) < server_major:
        raise BackupError(f"{tool} không sao lưu được máy chủ PostgreSQL {server_major}: hãy cài postgresql-client-{server_major} "
                          f"(pg_dump must be at least the server's major version).")
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
        result = subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                 f"--file={target}"], env=pg_env(settings_dict), capture_output=True, text=True)
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


def _add_stored_file(archive, name, stored, storage, files):
    """A file of the object store, read through the storage API (its size and SHA-256 as the archive holds it)."""
    info = tarfile.TarInfo(name)
    info.size, info.mode = storage.size(stored), 0o644
    info.mtime = int(storage.get_modified_time(stored).timestamp())
    with storage.open(stored, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}


def create_backup(output=None, *, alias="default", media_root=None, now=None):
    """Write the archive; returns ``(path, manifest)``. The media files are read from ``media_root`` (default
    ``MEDIA_ROOT``), or through the storage API when the media storage is an object store and no folder is given."""
    settings_dict = connections[alias].settings_dict
    vendor = vendor_of(settings_dict)
    storage = default_storage if media_root is None and not is_local() else None
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
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode=tar_mode(output, True),
                                                                format=tarfile.PAX_FORMAT) as archive:
            _add_file(archive, DB_MEMBER[vendor], dump, files)
            if storage:  # an object store (TDKT_MEDIA_STORAGE=s3), in name order
                for relative in files_under(storage, "", skip=SKIPPED_MEDIA):
                    _add_stored_file(archive, MEDIA_PREFIX + relative, relative, storage, files)
            else:
                for relative, path in _media_files(media_root):
                    _add_file(archive, MEDIA_PREFIX + relative, path, files)
            media_bytes = sum(entry["size"] for name, entry in files.items() if name.startswith(MEDIA_PREFIX))
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
