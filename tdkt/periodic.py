"""Periodic jobs run by the task worker (``manage.py db_worker``), with no cron.

**Registering a job** (in the app's own ``<app>/periodic.py``, found by :func:`jobs`)::

    from tdkt.periodic import periodic

    @periodic("nominations.prune_import_stashes", every=datetime.timedelta(hours=1))
    def prune_import_stashes(now):   # now: the aware datetime of this run (a fixed clock in tests)
        ...                          # return a short summary (str, number or dict), recorded in PeriodicJob

**How it runs.** One task, :data:`periodic_tick`, runs every :data:`TICK` (a minute): it writes the
worker's heartbeat (:class:`tdkt.models.WorkerHeartbeat`, read by ``/healthz``), runs the jobs that are
due and queues its own next run (``run_after``). A job is due when its last start (``PeriodicJob``) is
at least ``every`` ago; a run first *claims* the job in a short locked transaction (sets its start), so
two workers never run it twice in one interval, and a worker that dies during a job leaves it to the next
interval. A job's exception is logged and recorded; the others still run and the tick still re-queues.

**How it starts.** ``manage.py db_worker`` is this project's command (``tdkt/management/commands/``):
before working it calls :func:`ensure_scheduled`, which queues a tick unless one is already waiting.
Queuing is serialised on the heartbeat row's lock, so several workers (or restarts) keep exactly one tick
waiting; a tick lost with a killed worker is queued again when the worker restarts (systemd
``Restart=always``), and ``/healthz`` says "not ok" meanwhile.
"""

import dataclasses
import datetime
import logging
import time
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.tasks import TaskResultStatus, default_task_backend, task
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_tasks_db.models import DBTaskResult

from .models import PeriodicJob, WorkerHeartbeat
from .retention import prune_export_jobs, prune_task_results

logger = logging.getLogger(__name__)

TICK = datetime.timedelta(seconds=60)


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    every: datetime.timedelta
    func: object


_registry = {}
_discovered = False


def periodic(name, *, every):
    """Decorator: run ``func(now)`` every ``every`` (a timedelta of at least :data:`TICK`) in the task worker."""
    if not isinstance(every, datetime.timedelta) or every < TICK:
        raise ValueError(f"periodic job {name!r}: 'every' must be a timedelta of at least {TICK}")

    def decorator(func):
        known = _registry.get(name)
        if known is not None and (known.func.__module__, known.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"periodic job {name!r} is registered twice ({known.func.__module__} and {func.__module__})")
        _registry[name] = Job(name=name, every=every, func=func)
        return func

    return decorator


def jobs():
    """Every registered job, by name; the first call imports each installed app's ``periodic`` module."""
    global _discovered
    if not _discovered:
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "periodic"):
                import_module(f"{config.name}.periodic")
        _discovered = True
    return [_registry[name] for name in sorted(_registry)]


# ---------------------------------------------------------------- running the due jobs

def _claim(job, now):
    """Mark the job started at ``now`` if it is due; ``False`` when it is not (or another worker has it)."""
    with transaction.atomic():
        row, _created = PeriodicJob.objects.select_for_update().get_or_create(name=job.name)
        if row.last_started_at is not None and row.last_started_at + job.every > now:
            return False
        row.last_started_at = now
        row.save(update_fields=["last_started_at"])
    return True


def _summary(result):
    if result is None:
        return ""
    if isinstance(result, dict):
        return ", ".join(f"{key}={value}" for key, value in result.items())[:1000]
    return str(result)[:1000]


def run_due_jobs(*, now=None):
    """Run every job that is due at ``now``; returns ``{name: (ok, summary)}`` of the jobs run."""
    now = now or timezone.now()
    done = {}
    for job in jobs():
        if not _claim(job, now):
            continue
        started = time.monotonic()
        try:
            ok, message = True, _summary(job.func(now))
        except Exception as exc:  # one failing job must not stop the others nor the tick
            logger.exception("periodic job %s failed", job.name)
            ok, message = False, f"{type(exc).__name__}: {exc}"[:1000]
        duration_ms = round((time.monotonic() - started) * 1000)
        PeriodicJob.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_ok=ok, last_message=message, last_duration_ms=duration_ms,
            runs=F("runs") + 1)
        logger.info("periodic job %s %s in %sms: %s", job.name, "ok" if ok else "FAILED", duration_ms, message or "-")
        done[job.name] = (ok, message)
    return done


# ---------------------------------------------------------------- the heartbeat and the tick

def beat(*, now=None, worker_id=""):
    WorkerHeartbeat.objects.update_or_create(id=WorkerHeartbeat.SINGLETON,
                                             defaults={"beat_at": now or timezone.now(), "worker_id": worker_id[:64]})


def last_beat():
    return WorkerHeartbeat.objects.filter(id=WorkerHeartbeat.SINGLETON).values_list("beat_at", flat=True).first()


def _waiting_ticks():
    return DBTaskResult.objects.filter(task_path=periodic_tick.module_path, status=TaskResultStatus.READY)


def schedules_in_worker():
    """Whether the task backend keeps tasks for a worker (the database backend); an immediate backend
    would run the tick at once and recurse, so nothing is scheduled then."""
    return default_task_backend.supports_defer


def ensure_scheduled(*, now=None):
    """Queue a tick to run now unless one is already waiting; returns the queued result or ``None``."""
    return _schedule(run_after=now or timezone.now())


def _schedule(*, run_after):
    if not schedules_in_worker():
        logger.warning("periodic jobs not scheduled: the task backend %s has no worker", type(default_task_backend).__name__)
        return None
    with transaction.atomic():
        WorkerHeartbeat.objects.select_for_update().get_or_create(id=WorkerHeartbeat.SINGLETON)
        if _waiting_ticks().filter(run_after__lte=run_after + TICK).exists():
            return None
        _waiting_ticks().delete()  # a tick waiting far in the future (clock changed) is replaced
        return periodic_tick.using(run_after=run_after).enqueue()


def tick(*, now=None, worker_id=""):
    """One run of the periodic task: heartbeat, the due jobs, the next tick queued (even after an error)."""
    now = now or timezone.now()
    try:
        beat(now=now, worker_id=worker_id)
        return run_due_jobs(now=now)
    finally:
        _schedule(run_after=now + TICK)


@task(takes_context=True)
def periodic_tick(context):
    """The periodic task (see the module's docstring)."""
    worker_ids = getattr(context.task_result, "worker_ids", None) or [""]
    tick(worker_id=worker_ids[-1])


# ---------------------------------------------------------------- the core's own jobs

periodic("tdkt.prune_exports", every=datetime.timedelta(hours=1))(prune_export_jobs)
periodic("tdkt.prune_task_results", every=datetime.timedelta(hours=6))(prune_task_results)
