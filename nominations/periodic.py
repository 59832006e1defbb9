"""The nominations app's periodic jobs (run by the task worker: ``tdkt/periodic.py``)."""

import datetime

from django.conf import settings

from tdkt.periodic import periodic

from .management.commands.prune_imports import prune_imports
from .reminders import deadline_reminders as send_deadline_reminders


@periodic("nominations.prune_import_stashes", every=datetime.timedelta(hours=1))
def prune_import_stashes(now):
    """Excel imports uploaded and previewed but never confirmed, after ``TDKT_IMPORT_STASH_HOURS`` hours."""
    return {"files": prune_imports(hours=settings.TDKT_IMPORT_STASH_HOURS, now=now.timestamp())}


@periodic("nominations.deadline_reminders", every=datetime.timedelta(hours=1))
def deadline_reminders(now):
    """Reminders 7 days and 1 day before a round's deadline to the units that still have something to send (issue 13)."""
    return {"notifications": send_deadline_reminders(now=now)}
