"""Backup and restore, proven on the demo department (on SQLite, and on PostgreSQL when DATABASE_URL names one):
back up with ``manage.py backup``, restore with ``manage.py restore`` into a fresh database and media folder, then
compare every model's row count, every table's contents and every file; tampered or unsuitable archives are refused
and leave the target untouched."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps

from tdkt import backup
from tdkt.backup import BackupError, create, database_facts, open_database, restore_backup
from tests.demo_site import MEDIA_FILES, PENDING_IMPORT, file_digests, new_site

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def archive(demo_site, tmp_path_factory):
    path = tmp_path_factory.mktemp("backup") / "tdkt-demo.tar"
    result = demo_site.manage("backup", "--output", str(path))
    assert result.stdout.startswith(f"Đã sao lưu vào {path}: ")
    return path


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def target(tmp_path, unblocked):
    site = new_site("restore", tmp_path)
    yield site
    site.drop()


def model_counts(settings_dict):
    counts = {}
    with open_database(settings_dict) as connection, connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            counts[model._meta.label] = cursor.fetchone()[0]
    return counts


def members(path):
    with tarfile.open(path) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers()}


def rewrite(source, destination, change):
    """A copy of the archive with ``change(name, data) -> data | None`` applied to each member (None drops it)."""
    with tarfile.open(destination, "w", format=tarfile.PAX_FORMAT) as out:
        for name, data in members(source).items():
            data = change(name, data)
            if data is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return destination


def test_a_backup_restored_into_a_fresh_site_is_identical(demo_site, archive, target, tmp_path):
    manifest = json.loads(members(archive)["manifest.json"])
    result = target.manage("restore", str(archive))
    assert "đã kiểm tra SHA-256, số dòng và checksum từng bảng" in result.stdout
    assert "migration mới hơn" not in result.stdout

    source_counts, restored_counts = model_counts(demo_site.settings_dict), model_counts(target.settings_dict)
    assert restored_counts == source_counts
    assert source_counts["movements.Person"] == 108 and source_counts["nominations.Nomination"] > 0
    source_migrations, source_tables = database_facts(demo_site.settings_dict)
    restored_migrations, restored_tables = database_facts(target.settings_dict)
    assert restored_tables == source_tables and restored_migrations == source_migrations
    assert len(source_tables) == len(manifest["tables"]) > 40
    assert file_digests(target.media) == file_digests(demo_site.media, skip=("imports/",))
    # the files put there by the test and those the demo itself stores (the agency's images, issued documents' PDFs);
    # the pending import stash is not backed up
    seeded = set(file_digests(demo_site.media, skip=("imports/",)))
    assert set(MEDIA_FILES) <= seeded and set(file_digests(target.media)) == seeded

    assert manifest["app"] == {"name": "tdkt", "version": backup.app_version()}
    assert manifest["database"]["vendor"] == demo_site.vendor
    assert manifest["migrations"] == source_migrations
    assert {label: entry["rows"] for label, entry in manifest["models"].items()} == source_counts
    assert manifest["tables"] == source_tables  # each table's rows and checksum, read from the dumped snapshot
    assert set(manifest["files"]) == {backup.DB_MEMBER[demo_site.vendor]} | {f"media/{name}" for name in seeded}
    archived = members(archive)
    assert {name: (entry["sha256"], entry["size"]) for name, entry in manifest["files"].items()} == {
        name: (hashlib.sha256(data).hexdigest(), len(data)) for name, data in archived.items() if name != "manifest.json"}
    assert {name.removeprefix("media/"): entry["sha256"] for name, entry in manifest["files"].items()
            if name.startswith("media/")} == file_digests(demo_site.media, skip=("imports/",))
    assert f"media/{PENDING_IMPORT}" not in archived


# Run in a subprocess against a copy of the demo site: another connection commits a row while the backup runs, after
# its snapshot is taken (PostgreSQL: between pg_export_snapshot and pg_dump; SQLite: between the online backup and the
# reading of the manifest's facts from the copy).
WRITE_DURING_THE_BACKUP = '''
import datetime
import django
django.setup()
from django.db import connections
from tdkt.backup import create, open_database

def write_elsewhere():
    with open_database(connections["default"].settings_dict) as other, other.cursor() as cursor:
        expires = other.ops.adapt_datetimefield_value(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
        cursor.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
                       ["writtenduringthebackup", "x", expires])
    print("written during the backup")

if connections["default"].vendor == "postgresql":
    run = create.subprocess.run
    def pg_dump_after_a_write(args, **kwargs):
        if any(str(arg).startswith("--snapshot=") for arg in args):
            write_elsewhere()
        return run(args, **kwargs)
    create.subprocess.run = pg_dump_after_a_write
else:
    read_copy = create.open_database
    def read_copy_after_a_write(settings_dict):
        write_elsewhere()
        return read_copy(settings_dict)
    create.open_database = read_copy_after_a_write
create.create_backup(ARCHIVE)
'''


def _sessions(settings_dict):
    with open_database(settings_dict) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        return {key for (key,) in cursor.fetchall()}


def test_a_backup_taken_while_the_site_is_written_to_holds_one_moment_and_restores(demo_site, tmp_path, unblocked):
    busy, target = new_site("busy", tmp_path, template=demo_site), new_site("restore", tmp_path)
    try:
        before = _sessions(busy.settings_dict)
        path = tmp_path / "busy.tar"
        result = busy.python(WRITE_DURING_THE_BACKUP.replace("ARCHIVE", repr(str(path))))
        assert result.stdout == "written during the backup\n"
        assert _sessions(busy.settings_dict) == before | {"writtenduringthebackup"}  # the site kept working

        manifest = json.loads(members(path)["manifest.json"])
        assert manifest["tables"]["django_session"]["rows"] == len(before)  # the manifest describes the snapshot …
        restore_backup(path, settings_dict=target.settings_dict, media_root=target.media)  # … which the dump holds
        assert _sessions(target.settings_dict) == before
        assert database_facts(target.settings_dict)[1] == manifest["tables"]
    finally:
        busy.drop()
        target.drop()


def test_a_tampered_media_file_is_refused_and_nothing_is_restored(archive, target, tmp_path):
    name = "media/campaigns/1/ke-hoach-2026.pdf"
    tampered = rewrite(archive, tmp_path / "tampered.tar", lambda n, data: data.replace(b"plan", b"PLAN") if n == name else data)
    result = target.manage("restore", str(tampered), check=False)
    assert result.returncode == 1
    assert (f"CommandError: Tệp {name} trong bản sao lưu không khớp SHA-256 ghi trong manifest: bản sao lưu đã bị sửa hoặc hỏng, "
            f"không khôi phục (checksum mismatch: tampered or damaged archive).") in result.stderr
    assert backup.database_is_empty(target.settings_dict) and not target.media.exists()


def test_a_tampered_database_dump_is_refused(demo_site, archive, target, tmp_path):
    dump = backup.DB_MEMBER[demo_site.vendor]

    def flip(name, data):
        return data[:-10] + bytes([data[-10] ^ 1]) + data[-9:] if name == dump else data

    with pytest.raises(BackupError, match=f"Tệp {dump} trong bản sao lưu không khớp SHA-256"):
        restore_backup(rewrite(archive, tmp_path / "t.tar", flip), settings_dict=target.settings_dict, media_root=target.media)
    assert backup.database_is_empty(target.settings_dict)


def _edit_manifest(archive, destination, edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewrite(archive, destination, change)


def test_a_manifest_whose_counts_differ_from_the_dump_is_refused_after_loading_and_the_database_emptied(archive, target, tmp_path):
    def edit(manifest):
        manifest["tables"]["movements_person"]["rows"] += 1

    tampered = _edit_manifest(archive, tmp_path / "t.tar", edit)
    with pytest.raises(BackupError, match=r"Dữ liệu đã nạp khác manifest ở 1 bảng, ví dụ movements_person \(row count or checksum"):
        restore_backup(tampered, settings_dict=target.settings_dict, media_root=target.media)
    assert backup.database_is_empty(target.settings_dict) and not any(target.media.rglob("*.pdf"))


def test_a_backup_of_a_newer_version_is_refused(archive, target, tmp_path):
    def edit(manifest):
        manifest["migrations"]["nominations"].append("0099_from_the_future")
        manifest["app"]["version"] = "9.0.0"

    with pytest.raises(BackupError, match=r"Bản sao lưu có 1 migration mà mã đang cài không có, ví dụ nominations.0099_from_the_future: "
                                          r"nó được tạo bởi phiên bản 9.0.0 mới hơn"):
        restore_backup(_edit_manifest(archive, tmp_path / "t.tar", edit), settings_dict=target.settings_dict, media_root=target.media)
    assert backup.database_is_empty(target.settings_dict)


def test_an_older_backup_restores_and_asks_for_migrate(archive):
    manifest = json.loads(members(archive)["manifest.json"])
    manifest["migrations"]["tdkt"].remove("0004_periodic_jobs_heartbeat")
    assert backup.check_migrations(manifest) == ["tdkt.0004_periodic_jobs_heartbeat"]


@pytest.mark.parametrize("change, message", [
    (lambda n, d: None if n == "manifest.json" else d, "Không phải bản sao lưu TĐKT: thiếu manifest.json"),
    (lambda n, d: None if n.startswith("media/clusters/") else d, "Tệp sao lưu thiếu 1 tệp có trong manifest"),
    (lambda n, d: b"{not json" if n == "manifest.json" else d, "manifest.json hỏng"),
])
def test_incomplete_or_foreign_archives_are_refused(archive, target, tmp_path, change, message):
    with pytest.raises(BackupError, match=message):
        restore_backup(rewrite(archive, tmp_path / "t.tar", change), settings_dict=target.settings_dict, media_root=target.media)


@pytest.mark.parametrize("name", ["../outside.pdf", "media/../../outside.pdf", "/etc/cron.d/x", "database/other.db", "media/extra.pdf"])
def test_a_member_outside_the_archive_folders_or_not_in_the_manifest_is_refused(archive, target, tmp_path, name):
    def add(member, data):
        return data

    path = rewrite(archive, tmp_path / "t.tar", add)
    with tarfile.open(path, "a") as tar:
        info = tarfile.TarInfo(name)
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="unsafe member|extra member"):
        restore_backup(path, settings_dict=target.settings_dict, media_root=target.media)
    assert not (tmp_path / "outside.pdf").exists()


def test_a_non_empty_target_is_refused_unless_replace(demo_site, archive, target, tmp_path):
    (target.media / "campaigns").mkdir(parents=True)
    (target.media / "campaigns" / "old.pdf").write_bytes(b"%PDF old")
    with pytest.raises(BackupError, match=r"Thư mục tệp .* không trống"):
        restore_backup(archive, settings_dict=target.settings_dict, media_root=target.media)
    with pytest.raises(BackupError, match="Cơ sở dữ liệu đích không trống"):
        restore_backup(archive, settings_dict=demo_site.settings_dict, media_root=tmp_path / "empty")
    restore_backup(archive, settings_dict=target.settings_dict, media_root=target.media, replace=True)
    assert file_digests(target.media) == file_digests(demo_site.media, skip=("imports/",))
    assert model_counts(target.settings_dict) == model_counts(demo_site.settings_dict)


def test_the_other_database_vendor_is_refused(demo_site, archive, tmp_path, unblocked):
    other = ({"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")} if demo_site.vendor == "postgresql"
             else {**demo_site.settings_dict, "ENGINE": "django.db.backends.postgresql"})
    with pytest.raises(BackupError, match=f"Bản sao lưu là cơ sở dữ liệu {demo_site.vendor}, nơi khôi phục là "):
        restore_backup(archive, settings_dict=other, media_root=tmp_path / "m")


def test_the_archive_is_readable_by_operators_only(archive):
    assert archive.stat().st_mode & 0o777 == 0o600


@pytest.mark.postgresql
def test_pg_dump_older_than_the_server_is_refused(demo_site, monkeypatch, tmp_path, unblocked):
    if demo_site.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL (chạy với DATABASE_URL=postgres://…).")
    monkeypatch.setattr(create, "pg_tool", lambda name: (name, "pg_dump (PostgreSQL) 9.6.24"))
    with open_database(demo_site.settings_dict) as connection:
        with pytest.raises(BackupError, match=r"pg_dump \(PostgreSQL\) 9.6.24 không sao lưu được máy chủ PostgreSQL 1\d"):
            create._dump_postgresql(connection, demo_site.settings_dict, tmp_path / "dump")
