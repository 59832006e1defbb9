"""What the periodic task removes, and nothing else (registered in :mod:`tdkt.periodic`).

- Background export files and their jobs, ``TDKT_EXPORT_RETENTION_DAYS`` days after the file was made
  (or the job was asked for, when it never finished), and files left in ``exports/`` of the media storage
  (``MEDIA_ROOT`` or the object store) by no job
  after the same time.
- Finished task results of the worker's queue after ``TDKT_TASK_RESULT_RETENTION_DAYS`` days.

Excel imports left unconfirmed are the nominations app's (``nominations/periodic.py``). The audit trail,
uploaded documents and issued documents are never pruned: nothing here touches them.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.functions import Coalesce
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .media import files_under
from .models import ExportJob

EXPORTS_FOLDER = "exports"


def export_cutoff(now):
    return now - datetime.timedelta(days=settings.TDKT_EXPORT_RETENTION_DAYS)


def prune_export_jobs(now=None):
    """Delete the export jobs made before the cutoff, their files, and unreferenced files older than it."""
    now = now or timezone.now()
    cutoff = export_cutoff(now)
    expired = ExportJob.objects.annotate(made_at=Coalesce("finished_at", "created_at")).filter(made_at__lt=cutoff)
    with transaction.atomic():
        names = [name for name in expired.values_list("file", flat=True) if name]
        jobs, _by_model = expired.delete()
    for name in names:  # after the rows: a row never points to a file already gone
        default_storage.delete(name)
    orphans = 0
    stored = list(files_under(default_storage, EXPORTS_FOLDER))  # a folder, or a prefix of the object store
    referenced = set(ExportJob.objects.exclude(file="").values_list("file", flat=True)) if stored else set()
    for name in stored:
        if name not in referenced and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            orphans += 1
    return {"jobs": jobs, "files": len(names), "orphans": orphans}


def prune_task_results(now=None):
    """Delete the worker's finished task results (successful or failed) older than the retention."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TDKT_TASK_RESULT_RETENTION_DAYS)
    deleted, _by_model = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff).delete()
    return {"results": deleted}
