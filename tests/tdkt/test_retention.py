"""Retention, run by the periodic task with a fixed clock: exactly the expired exports, stashes and task results go;
the audit trail and documents stay."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tdkt import periodic
from tdkt.audit import audit_record
from tdkt.enums import AuditAction
from tdkt.models import AuditEvent, ExportJob
from tdkt.retention import prune_export_jobs
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def _age(path, moment):
    os.utime(path, (moment.timestamp(), moment.timestamp()))
    return path


def _file(path, moment):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 content")
    return _age(path, moment)


def _job(user, name, *, status, created, finished=None, with_file=True):
    job = ExportJob.objects.create(user=user, key="movements.people", fmt="xlsx", rows=9000, status=status)
    if with_file:
        job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK\x03\x04 export"), save=False)
        job.filename = f"{name}.xlsx"
        job.save()
    ExportJob.objects.filter(pk=job.pk).update(created_at=created, finished_at=finished)
    return job


def _task_result(finished_at, status=TaskResultStatus.SUCCESSFUL):
    return DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="tdkt.tasks.run_export_job",
                                       backend_name="default", status=status, finished_at=finished_at, run_after=finished_at)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TDKT_EXPORT_RETENTION_DAYS = 7
    settings.TDKT_IMPORT_STASH_HOURS = 24
    settings.TDKT_TASK_RESULT_RETENTION_DAYS = 7
    user = UserFactory(role="office")
    audit_record(actor=user, action=AuditAction.UPDATE, obj=user, reason="kept for ever")
    jobs = {
        "done_8_days": _job(user, "a", status="done", created=NOW - 8 * DAY - DAY, finished=NOW - 8 * DAY),
        "done_6_days": _job(user, "b", status="done", created=NOW - 6 * DAY - DAY, finished=NOW - 6 * DAY),
        # asked 8 days ago but made 6 days ago: the file's age counts
        "made_6_days": _job(user, "c", status="done", created=NOW - 8 * DAY, finished=NOW - 6 * DAY),
        "failed_9_days": _job(user, "d", status="failed", created=NOW - 9 * DAY, finished=NOW - 9 * DAY, with_file=False),
        "pending_8_days": _job(user, "e", status="pending", created=NOW - 8 * DAY, with_file=False),
        "pending_now": _job(user, "f", status="pending", created=NOW - datetime.timedelta(minutes=5), with_file=False),
    }
    files = {
        "export_done_8_days": tmp_path / jobs["done_8_days"].file.name,
        "export_done_6_days": tmp_path / jobs["done_6_days"].file.name,
        "export_made_6_days": tmp_path / jobs["made_6_days"].file.name,
        "orphan_export_8_days": _file(tmp_path / "exports" / "orphan-old.pdf", NOW - 8 * DAY),
        "orphan_export_1_day": _file(tmp_path / "exports" / "orphan-new.pdf", NOW - DAY),
        "stash_25_hours": _file(tmp_path / "imports" / "7" / "a.xlsx", NOW - datetime.timedelta(hours=25)),
        "stash_23_hours": _file(tmp_path / "imports" / "7" / "b.xlsx", NOW - datetime.timedelta(hours=23)),
        "stash_other_user_30_hours": _file(tmp_path / "imports" / "9" / "c.xlsx", NOW - datetime.timedelta(hours=30)),
        "campaign_document_3_years": _file(tmp_path / "campaigns" / "1" / "plan.pdf", NOW - 1000 * DAY),
        "nomination_document_3_years": _file(tmp_path / "nominations" / "1" / "to-trinh.pdf", NOW - 1000 * DAY),
        "decision_3_years": _file(tmp_path / "decisions" / "qd.pdf", NOW - 1000 * DAY),
    }
    for key in ("export_done_8_days", "export_done_6_days", "export_made_6_days"):
        _age(files[key], NOW - 8 * DAY)  # the file's own date does not matter for a job's file: the job's does
    results = {"finished_8_days": _task_result(NOW - 8 * DAY), "failed_8_days": _task_result(NOW - 8 * DAY, TaskResultStatus.FAILED),
               "finished_6_days": _task_result(NOW - 6 * DAY)}
    return jobs, files, results


def test_the_periodic_task_removes_exactly_what_expired(world):
    jobs, files, results = world
    audit_rows = list(AuditEvent.objects.values_list("pk", flat=True))

    done = periodic.run_due_jobs(now=NOW)

    assert done == {"councils.close_due_consultations": (True, "closed=0"),
                    "councils.consultation_closing_reminders": (True, "notifications=0"),
                    "movements.registration_reminders": (True, "notifications=0"),
                    "nominations.deadline_reminders": (True, "notifications=0"),
                    "nominations.prune_import_stashes": (True, "files=2"),
                    "tdkt.prune_exports": (True, "jobs=3, files=1, orphans=1"),
                    "tdkt.prune_task_results": (True, "results=2")}
    assert {key: path.exists() for key, path in files.items()} == {
        "export_done_8_days": False, "export_done_6_days": True, "export_made_6_days": True,
        "orphan_export_8_days": False, "orphan_export_1_day": True,
        "stash_25_hours": False, "stash_23_hours": True, "stash_other_user_30_hours": False,
        "campaign_document_3_years": True, "nomination_document_3_years": True, "decision_3_years": True,
    }
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {
        jobs[key].pk for key in ("done_6_days", "made_6_days", "pending_now")}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {results["finished_6_days"].pk}
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == audit_rows


def test_the_retention_is_a_setting(world, settings):
    settings.TDKT_EXPORT_RETENTION_DAYS = 5
    assert prune_export_jobs(now=NOW) == {"jobs": 5, "files": 3, "orphans": 1}
    assert list(ExportJob.objects.values_list("filename", flat=True)) == [""]  # only the job asked 5 minutes ago


def test_an_expired_job_page_answers_not_found(world, client):
    jobs, _files, _results = world
    client.force_login(jobs["done_8_days"].user)
    prune_export_jobs(now=NOW)
    assert client.get(f"/xuat/{jobs['done_8_days'].pk}/tai-ve/").status_code == 404
