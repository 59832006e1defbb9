from django.tasks import task

from .export_jobs import export_job_run


@task
def run_export_job(job_id):
    """Background export (run by ``manage.py db_worker``)."""
    export_job_run(job_id=job_id)
