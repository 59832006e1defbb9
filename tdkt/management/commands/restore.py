"""``manage.py restore ARCHIVE``: load a backup into an empty database and media folder, verified (tdkt/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tdkt.backup import BackupError, restore_backup
from tdkt.media import media_location


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu vào cơ sở dữ liệu và thư mục tệp trống: kiểm tra manifest và SHA-256 của mọi tệp trước, "
            "so số dòng và checksum từng bảng sau khi nạp; từ chối nếu có gì không khớp.")
    requires_system_checks = []  # the target database is empty: nothing to check yet

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp sao lưu do manage.py backup tạo.")
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu đích (mặc định: default).")
        parser.add_argument("--replace", action="store_true",
                            help="XOÁ toàn bộ dữ liệu và tệp hiện có ở nơi khôi phục trước khi nạp (chỉ khi khôi phục đè lên bản "
                                 "cài hỏng; mặc định: chỉ khôi phục vào nơi trống).")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Không hỏi xác nhận khi dùng --replace.")

    def handle(self, *args, archive, database="default", replace=False, interactive=True, **options):
        connection = connections[database]
        target = connection.settings_dict
        if replace and interactive:
            answer = input(f"Xoá toàn bộ dữ liệu của cơ sở dữ liệu {target['NAME']} và mọi tệp trong {media_location()} rồi "
                           f"khôi phục từ {archive}? Gõ 'yes' để tiếp tục: ")
            if answer.strip() != "yes":
                raise CommandError("Đã huỷ, không thay đổi gì.")
        connections.close_all()
        try:
            manifest, pending = restore_backup(archive, settings_dict=target, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(f"Đã khôi phục bản sao lưu ngày {manifest['created_at']} (phiên bản {manifest['app']['version']}): "
                          f"{len(manifest['tables'])} bảng, {rows} dòng, {manifest['media']['files']} tệp; đã kiểm tra SHA-256, "
                          f"số dòng và checksum từng bảng.")
        if pending:
            self.stdout.write(f"Mã đang cài có {len(pending)} migration mới hơn bản sao lưu: chạy `manage.py migrate` trước khi "
                              f"khởi động lại ứng dụng và tiến trình tác vụ nền.")
