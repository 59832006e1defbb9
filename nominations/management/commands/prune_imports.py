"""Remove Excel imports left pending (uploaded and previewed, never confirmed) under imports/<user>/ of the media
storage (MEDIA_ROOT, or the object store).

A confirmed long list queued for the task worker keeps its own copy under MEDIA_ROOT/import_jobs/ (not touched
here), which its job removes once it has its answer (``nominations.import_jobs``)."""

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tdkt.media import files_under, is_local


def prune_imports(*, hours, now=None):
    """Delete import files older than ``hours`` and the user folders left empty; return the number of files deleted."""
    if not is_local():
        return _prune_stored_imports(hours=hours, now=now)
    root = Path(settings.MEDIA_ROOT) / "imports"
    if not root.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - hours * 3600
    deleted = 0
    for folder in root.iterdir():
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in folder.iterdir():
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
        if not any(folder.iterdir()):
            folder.rmdir()
    return deleted


def _prune_stored_imports(*, hours, now=None):
    """The same in an object store (``TDKT_MEDIA_STORAGE=s3``), through the storage API: it has no empty folders."""
    cutoff = datetime.datetime.fromtimestamp(time.time() if now is None else now, tz=datetime.UTC) - datetime.timedelta(hours=hours)
    deleted = 0
    for name in files_under(default_storage, "imports"):
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    return deleted


class Command(BaseCommand):
    help = _("Xoá các tệp Excel đã tải lên để nhập nhưng không được xác nhận, cũ hơn số giờ cho trước (mặc định 24 giờ).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help=_("Xoá tệp cũ hơn số giờ này (mặc định 24)."))

    def handle(self, *args, hours, **options):
        if hours < 0:
            raise CommandError(_("Số giờ không được âm."))
        deleted = prune_imports(hours=hours)
        self.stdout.write(_("Đã xoá %(n)s tệp nhập Excel còn treo.") % {"n": deleted})
