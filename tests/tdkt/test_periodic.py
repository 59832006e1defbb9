"""Periodic jobs of the task worker: registry, due jobs with a fixed clock, claims, the self-scheduling tick."""

import datetime
import logging
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tdkt import periodic
from tdkt.models import PeriodicJob, WorkerHeartbeat
from tdkt.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.integration

NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the real one is put back afterwards), discovery already done."""
    monkeypatch.setattr(periodic, "_registry", {})
    monkeypatch.setattr(periodic, "_discovered", True)
    return periodic._registry


def ticks():
    return DBTaskResult.objects.filter(task_path="tdkt.periodic.periodic_tick")


def test_the_apps_jobs_are_discovered():
    assert {job.name: job.every for job in periodic.jobs()} == {
        "councils.close_due_consultations": datetime.timedelta(minutes=5),
        "councils.consultation_closing_reminders": datetime.timedelta(minutes=30),
        "movements.registration_reminders": HOUR,
        "nominations.deadline_reminders": HOUR,
        "nominations.prune_import_stashes": HOUR,
        "tdkt.prune_exports": HOUR,
        "tdkt.prune_task_results": datetime.timedelta(hours=6),
    }


def test_registering_refuses_a_short_interval_and_a_second_function_under_one_name(registry):
    with pytest.raises(ValueError, match="at least 0:01:00"):
        periodic.periodic("x.too_often", every=datetime.timedelta(seconds=30))
    periodic.periodic("x.job", every=HOUR)(lambda now: None)
    with pytest.raises(ValueError, match="registered twice"):

        @periodic.periodic("x.job", every=HOUR)
        def other(now):
            return None


@pytest.mark.django_db
def test_a_job_runs_when_due_and_records_its_run(registry):
    calls = []

    @periodic.periodic("x.count", every=HOUR)
    def count(now):
        calls.append(now)
        return {"removed": 2}

    assert periodic.run_due_jobs(now=NOW) == {"x.count": (True, "removed=2")}
    assert periodic.run_due_jobs(now=NOW + HOUR - datetime.timedelta(seconds=1)) == {}  # not due yet
    assert periodic.run_due_jobs(now=NOW + HOUR) == {"x.count": (True, "removed=2")}
    assert calls == [NOW, NOW + HOUR]
    row = PeriodicJob.objects.get(name="x.count")
    assert (row.last_started_at, row.last_ok, row.last_message, row.runs) == (NOW + HOUR, True, "removed=2", 2)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(registry, caplog):
    @periodic.periodic("x.a_fails", every=HOUR)
    def fails(now):
        raise RuntimeError("disk full")

    @periodic.periodic("x.b_works", every=HOUR)
    def works(now):
        return 1

    assert periodic.run_due_jobs(now=NOW) == {"x.a_fails": (False, "RuntimeError: disk full"), "x.b_works": (True, "1")}
    assert PeriodicJob.objects.get(name="x.a_fails").last_ok is False
    assert "periodic job x.a_fails failed" in caplog.text


@pytest.mark.django_db
def test_a_job_claimed_by_another_worker_is_not_run_again(registry):
    """The claim (last start) is written before the job runs: a second worker in the same interval skips it."""
    calls = []
    periodic.periodic("x.once", every=HOUR)(calls.append)
    PeriodicJob.objects.create(name="x.once", last_started_at=NOW - datetime.timedelta(minutes=1))  # another worker, running
    assert periodic.run_due_jobs(now=NOW) == {}
    assert calls == []


@pytest.mark.django_db
def test_the_tick_beats_runs_the_due_jobs_and_queues_exactly_one_next_tick(registry):
    periodic.periodic("x.job", every=HOUR)(lambda now: "done")
    assert periodic.tick(now=NOW, worker_id="w1") == {"x.job": (True, "done")}
    assert WorkerHeartbeat.objects.values_list("beat_at", "worker_id").get() == (NOW, "w1")
    assert list(ticks().values_list("status", "run_after")) == [(TaskResultStatus.READY, NOW + periodic.TICK)]
    # a second tick (another worker's chain) does not add a second waiting tick
    periodic.tick(now=NOW + datetime.timedelta(seconds=5), worker_id="w2")
    assert ticks().count() == 1
    assert periodic.ensure_scheduled(now=NOW) is None
    assert ticks().count() == 1


@pytest.mark.django_db
def test_a_job_error_does_not_stop_the_next_tick(registry, monkeypatch):
    monkeypatch.setattr(periodic, "run_due_jobs", lambda now: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        periodic.tick(now=NOW)
    assert ticks().filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db
def test_ensure_scheduled_replaces_a_tick_waiting_far_in_the_future():
    periodic.periodic_tick.using(run_after=NOW + datetime.timedelta(days=2)).enqueue()
    result = periodic.ensure_scheduled(now=NOW)
    assert list(ticks().values_list("id", "run_after")) == [(result.db_result.id, NOW)]


@pytest.mark.django_db
def test_nothing_is_scheduled_with_a_backend_that_has_no_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert periodic.ensure_scheduled(now=NOW) is None
    assert ticks().count() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections, as in production
def test_the_worker_command_schedules_the_tick_and_runs_it(settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="tdkt.task")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [done] = ticks().filter(status=TaskResultStatus.SUCCESSFUL)
    # the worker logs one line for the task it ran, tagged with the task's id (tdkt/logs.py)
    [line] = [r for r in caplog.records if r.name == "tdkt.task" and r.fields["event"] == "task"]
    assert (line.request_id, line.fields["task_id"], line.fields["task"], line.fields["status"], line.fields["user_id"]) == (
        str(done.id), str(done.id), "tdkt.periodic.periodic_tick", "SUCCESSFUL", None)
    assert line.fields["duration_ms"] >= 0
    waiting = ticks().get(status=TaskResultStatus.READY)  # the next one, a minute later
    beat_at = WorkerHeartbeat.objects.get().beat_at
    assert waiting.run_after == beat_at + periodic.TICK
    assert set(PeriodicJob.objects.values_list("name", "last_ok")) == {
        ("councils.close_due_consultations", True), ("nominations.prune_import_stashes", True), ("tdkt.prune_exports", True),
        ("tdkt.prune_task_results", True), ("councils.consultation_closing_reminders", True),
        ("movements.registration_reminders", True), ("nominations.deadline_reminders", True)}


@pytest.mark.django_db
def test_operators_read_the_runs_and_the_heartbeat_in_the_admin(client, registry):
    periodic.periodic("x.job", every=HOUR)(lambda now: "3 files")
    periodic.tick(now=NOW, worker_id="worker-7")
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    page = client.get("/quan-tri/tdkt/periodicjob/").content.decode()
    assert "x.job" in page and "3 files" in page
    assert "worker-7" in client.get("/quan-tri/tdkt/workerheartbeat/").content.decode()
    assert client.get("/quan-tri/tdkt/periodicjob/add/").status_code == 403
    job = PeriodicJob.objects.get(name="x.job")
    assert client.post(f"/quan-tri/tdkt/periodicjob/{job.pk}/delete/", {"post": "yes"}).status_code == 403


def _together(*functions):
    """Run the functions in threads released at the same moment; each thread closes its database connection."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_starting_together_queue_one_tick(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite tuần tự hoá mọi ghi nên không kiểm chứng được khoá (chạy với DATABASE_URL=postgres://…).")
    waiting = periodic._waiting_ticks

    def slow_waiting_ticks():  # widen the window between "is a tick waiting?" and queuing one
        time.sleep(0.3)
        return waiting()

    monkeypatch.setattr(periodic, "_waiting_ticks", slow_waiting_ticks)
    _together(lambda: periodic.ensure_scheduled(now=NOW), lambda: periodic.ensure_scheduled(now=NOW))
    assert ticks().filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_together_run_a_due_job_once(registry):
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite tuần tự hoá mọi ghi nên không kiểm chứng được khoá (chạy với DATABASE_URL=postgres://…).")
    calls = []

    @periodic.periodic("x.slow", every=HOUR)
    def slow(now):
        calls.append(now)
        time.sleep(0.3)

    _together(lambda: periodic.run_due_jobs(now=NOW), lambda: periodic.run_due_jobs(now=NOW))
    assert calls == [NOW]
    assert PeriodicJob.objects.get(name="x.slow").runs == 1
