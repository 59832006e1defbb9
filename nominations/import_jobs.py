"""Background imports of a unit's nomination list: a list with more than ``TDKT_IMPORT_SYNC_MAX_ROWS`` rows is
queued (:func:`import_job_create`, called by the import page on “Xác nhận nhập”), saved by the task worker
(:func:`run_import_job`, run by ``manage.py db_worker``; body :func:`import_job_run`) and followed on its own page.

The write that queues the job and the task live here rather than in ``services.py`` and ``tasks.py`` (the pattern of
``tdkt/export_jobs.py``): the task runs the importer, which saves through ``services.nominations_import``, so a
``services`` → ``tasks`` → importer → ``services`` chain would be a cycle.

At run time the job checks again what the request checked: the user may still write for the unit (an active
account), the round still takes nominations, and the file is read, matched and judged again
(``NominationImporter.save``: the rules once over the whole list, under the locks, then a bulk insert in one
transaction): all rows are saved, or none.

Progress and atomicity: the progress the page shows is written to the job row **outside** the import's
transaction, in the worker's own autocommit statements: "đang đọc và đối chiếu n/N" while the file is read (every
few hundred rows, before the transaction opens), then "đang kiểm tra và lưu" once, just before it opens; the
check and the save run inside it and end with "đã xong" (or "lỗi" with every row's message, nothing saved).
Nothing is written to the job from inside the transaction, so a rollback cannot leave it half-updated, and no
second connection is needed (on SQLite a second writer would wait for the import's lock).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_record
from tdkt.enums import AuditAction
from tdkt.guards import require_unit_scope
from tdkt.roles import writes_for_unit
from tdkt.text import nfc, nfc_multiline
from tdkt.uploads import upload_name

from .enums import RoundStatus
from .importers import NominationImporter
from .models import ImportJob

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000  # row messages kept on a failed job (a 5,000-row list may fail on every row)


@transaction.atomic
def import_job_create(*, actor, nomination_round, unit, uploaded, rows, override_reason=""):
    """Queue the save of a long list (already previewed) for the task worker, which checks everything again at
    run time. The job keeps its own copy of the file (``MEDIA_ROOT/import_jobs/``, outside the pending uploads
    ``prune_imports`` removes) until it has its answer; only ``actor`` sees the job."""
    require_unit_scope(actor, unit, _("Bạn chỉ được lập hồ sơ đề nghị của đơn vị mình."))
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Chỉ người dùng đã đăng nhập mới nhập danh sách ở chế độ nền."))
    if nomination_round.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": nomination_round})
    job = ImportJob(user=actor, round=nomination_round, unit=unit, original_name=nfc(upload_name(uploaded))[:255], rows=rows,
                    override_reason=nfc_multiline(override_reason or ""))
    job.full_clean(exclude=["file"])
    job.file.save(f"{job.pk}.xlsx", uploaded, save=False)
    job.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=job, changes={"original_name": [None, job.original_name],
                                                                            "rows": [None, rows]})
    transaction.on_commit(lambda: run_import_job.enqueue(str(job.pk)))
    return job


@task
def run_import_job(job_id):
    """A large Excel import (run by ``manage.py db_worker``)."""
    import_job_run(job_id=job_id)


def _progress(job):
    def report(phase, rows):
        status = ImportJob.Status.READING if phase == "reading" else ImportJob.Status.SAVING
        ImportJob.objects.filter(pk=job.pk).update(status=status, done_rows=rows)
    return report


def import_job_run(*, job_id):
    """Save the list of a pending job, all of it or nothing; return the job (``None`` if it is not pending)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportJob.Status.PENDING).first()
        if job is None:
            return None
        job.status, job.started_at = ImportJob.Status.READING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    job = ImportJob.objects.select_related("user", "round", "unit").get(pk=job.pk)
    try:
        if not job.user.is_active or not writes_for_unit(job.user, job.unit):
            raise PermissionDenied(_("Tài khoản của bạn không còn quyền nhập danh sách cho %(unit)s.") % {"unit": job.unit})
        importer = NominationImporter(nomination_round=job.round, unit=job.unit)
        with job.file.open("rb") as handle:
            created = importer.save(File(handle, name=job.original_name), actor=job.user, override_reason=job.override_reason,
                                    progress=_progress(job))
        job.status, job.created_count, job.done_rows, job.errors = ImportJob.Status.DONE, len(created), len(created), []
    except ValidationError as exc:
        job.status, job.errors = ImportJob.Status.FAILED, exc.messages[:MAX_STORED_ERRORS]
    except PermissionDenied as exc:
        job.status, job.errors = ImportJob.Status.FAILED, [str(exc) or _("Bạn không có quyền thực hiện thao tác này.")]
    except OSError:
        logger.exception("import job %s: the file could not be read", job.pk)
        job.status, job.errors = ImportJob.Status.FAILED, [_("Không đọc được tệp đã tải lên: hãy tải tệp lên lại.")]
    except Exception:  # the page must say it failed rather than wait forever
        logger.exception("import job %s failed", job.pk)
        job.status, job.errors = ImportJob.Status.FAILED, [_("Lỗi hệ thống khi nhập: chưa lưu dòng nào. Vui lòng thử lại hoặc báo "
                                                             "cho quản trị hệ thống.")]
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)  # the upload is not kept once the job has its answer
    done = ["created_count", "done_rows"] if job.status == ImportJob.Status.DONE else []
    job.save(update_fields=["status", "errors", "finished_at", "file", *done])
    return job
