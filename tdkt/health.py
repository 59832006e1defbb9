"""What ``/healthz`` checks: the database answers, and the task worker has beaten recently.

The page says only "ok" or "not ok" (no login, no details for strangers); what failed goes to the log.
"""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .periodic import last_beat

logger = logging.getLogger(__name__)


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def worker_ok(*, now=None):
    """The periodic task (run by the worker every minute) wrote the heartbeat within ``TDKT_WORKER_STALE_SECONDS``."""
    beat_at = last_beat()
    if beat_at is None:
        return False
    return (now or timezone.now()) - beat_at <= datetime.timedelta(seconds=settings.TDKT_WORKER_STALE_SECONDS)


def failures(*, now=None):
    """The names of the failed checks (empty: healthy). The worker is not asked when the database is down."""
    if not database_ok():
        return ["database"]
    try:
        return [] if worker_ok(now=now) else ["worker"]
    except DatabaseError:
        return ["database"]
