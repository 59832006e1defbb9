"""``manage.py backup [--output PATH]``: one archive with the database, the media files and a manifest (tdkt/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from tdkt.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Sao lưu toàn bộ: cơ sở dữ liệu (pg_dump hoặc bản sao SQLite nhất quán), các tệp đã tải lên và manifest "
            "(phiên bản, migration, số dòng, SHA-256). Chạy được khi ứng dụng đang hoạt động.")

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Tệp lưu (.tar, hoặc .tar.gz để nén) hoặc thư mục; mặc định TDKT_BACKUP_DIR/tdkt-<thời điểm>.tar.")
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default).")

    def handle(self, *args, output=None, database="default", **options):
        try:
            path, manifest = create_backup(output, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(f"Đã sao lưu vào {path}: {len(manifest['tables'])} bảng, {rows} dòng, {manifest['media']['files']} tệp "
                          f"({manifest['media']['bytes']} byte), phiên bản {manifest['app']['version']}.")
