"""``manage.py restore``: verify the archive, load it into an empty database and media folder, verify the result."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from ..media import files_under, is_local, media_location
from .common import (
    CHUNK,
    DB_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    SAFE_MEMBER,
    BackupError,
    database_facts,
    open_database,
    pg_env,
    pg_tool,
    tar_mode,
    vendor_of,
)


def read_manifest(archive_path):
    """The manifest and the archive's members, checked against each other (nothing is extracted)."""
    try:
        with tarfile.open(archive_path, tar_mode(archive_path, False)) as archive:
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


def database_is_empty(settings_dict):
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
    with tarfile.open(archive_path, tar_mode(archive_path, False)) as archive:
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
    pg_restore, tool = pg_tool("pg_restore")
    result = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                             f"--dbname={settings_dict['NAME']}", str(dump)], env=pg_env(settings_dict), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore thất bại (failed; {tool}): {result.stderr.strip()}")


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


def _stored_media_is_empty(storage):
    return next(files_under(storage), None) is None


def empty_stored_media(storage):
    for name in list(files_under(storage)):
        storage.delete(name)


def _upload_media(staging_media, storage):
    """Write the verified files into the object store through the storage API, under their own names."""
    if not staging_media.exists():
        return
    for path in sorted(p for p in staging_media.rglob("*") if p.is_file()):
        name = path.relative_to(staging_media).as_posix()
        with open(path, "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"Kho tệp đã có {name} (lưu thành {saved}): kho phải trống khi khôi phục (media storage not empty).")


def restore_backup(archive_path, *, settings_dict=None, media_root=None, replace=False):
    """Restore the archive into the database ``settings_dict`` (default: the default database) and
    ``media_root`` (default ``MEDIA_ROOT``; when the media storage is an object store and no folder is given, the
    files go into it through the storage API); returns ``(manifest, pending migrations)``. Raises
    :class:`BackupError` on a refusal."""
    archive_path = Path(archive_path)
    settings_dict = dict(settings_dict or connections["default"].settings_dict)
    storage = default_storage if media_root is None and not is_local() else None
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
        if not database_is_empty(settings_dict):
            raise BackupError("Cơ sở dữ liệu đích không trống: chỉ khôi phục vào cơ sở dữ liệu mới, trống (hãy tạo cơ sở dữ liệu mới, "
                              "hoặc dùng --replace để xoá toàn bộ dữ liệu hiện có) (target database is not empty).")
        if not (_stored_media_is_empty(storage) if storage else _media_is_empty(media_root)):
            where = media_location(storage) if storage else media_root
            raise BackupError(f"Thư mục tệp {where} không trống: chỉ khôi phục vào thư mục trống (hoặc dùng --replace) "
                              f"(media folder is not empty).")
    if storage:  # the verified files wait in a local folder (TMPDIR) before they are written to the store
        staging = Path(tempfile.mkdtemp(prefix=".tdkt-restore-"))
    else:
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tdkt-restore-", dir=media_root.parent))
    try:
        _extract_verified(archive_path, manifest, staging)
        if replace:
            empty_database(settings_dict)
            if storage:
                empty_stored_media(storage)
            else:
                empty_media(media_root)
        _load_database(settings_dict, vendor, staging / DB_MEMBER[vendor])
        try:
            verify_database(settings_dict, manifest)
        except BackupError:
            empty_database(settings_dict)
            raise
        if storage:
            _upload_media(staging / MEDIA_PREFIX.rstrip("/"), storage)
        else:
            _move_media(staging / MEDIA_PREFIX.rstrip("/"), media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest, pending
