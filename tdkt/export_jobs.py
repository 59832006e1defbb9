"""The body of a background export (run by the task worker through :mod:`tdkt.tasks`)."""

import logging
import tempfile

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .documents import build_document, is_document, render_docx
from .documents import render_pdf as render_document_pdf
from .exports import build_export, render_pdf, render_xlsx
from .hooks import agency
from .models import ExportJob

logger = logging.getLogger(__name__)


def _query_dict(params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


def export_job_run(*, job_id):
    """Build the file of a job (called by the task worker). Rows are scoped by the job's user."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportJob.Status.PENDING).first()
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        if is_document(job.key):
            _document_run(job)
        else:
            _export_run(job)
        job.status = ExportJob.Status.DONE
    except Exception as exc:  # the job page must say it failed rather than wait forever
        logger.exception("export job %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = str(exc)[:1000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "file", "filename", "error", "finished_at"])
    return job


def _document_run(job):
    """An official document (``tdkt.documents``): built from the job's user and parameters, rendered to PDF or Word."""
    document = build_document(job.key, job.user, _query_dict(job.params))
    content = render_docx(document) if job.fmt == "docx" else render_document_pdf(document)
    job.filename = job.filename or f"van-ban.{job.fmt}"
    job.file.save(f"{job.pk}.{job.fmt}", ContentFile(content), save=False)


def _export_run(job):
    exporter = build_export(job.key, job.user, _query_dict(job.params))
    # Streamed to a temporary file, then copied into storage: the document is never whole in memory
    # (a PDF is laid out in chunks of TDKT_PDF_CHUNK_ROWS rows, an XLSX written row by row).
    with tempfile.TemporaryFile() as file:
        if job.fmt == "pdf":
            render_pdf(exporter, agency=agency(), output=file)
        else:
            render_xlsx(exporter, output=file)
        file.seek(0)
        job.filename = f"{exporter.filename}.{job.fmt}"
        job.file.save(f"{job.pk}.{job.fmt}", File(file), save=False)
