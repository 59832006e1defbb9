from django.tasks import task


@task
def run_export_job(job_id):
    """Background export (run by ``manage.py db_worker``)."""
    from .services import export_job_run

    export_job_run(job_id=job_id)
