"""Writes of the shared layer: background export jobs."""

from django.db import transaction

from .models import ExportJob
from .tasks import run_export_job


def _plain_params(params):
    """A QueryDict (or dict) as JSON: lists for repeated keys, strings otherwise."""
    if hasattr(params, "lists"):
        return {key: values if len(values) > 1 else values[0] for key, values in params.lists()}
    return dict(params)


@transaction.atomic
def export_job_create(*, user, key, fmt, params, rows=0):
    job = ExportJob(user=user, key=key, fmt=fmt, params=_plain_params(params), rows=rows)
    job.full_clean(exclude=["file"])
    job.save()
    transaction.on_commit(lambda: run_export_job.enqueue(str(job.pk)))
    return job
