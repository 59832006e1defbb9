"""The councils app's periodic jobs (run by the task worker: ``tdkt/periodic.py``)."""

import datetime

from tdkt.periodic import periodic

from .reminders import consultations_closing as remind_consultations_closing
from .services import consultations_close_due


@periodic("councils.close_due_consultations", every=datetime.timedelta(minutes=5))
def close_due_consultations(now):
    """Written consultations whose deadline has passed: each open item counted, its nomination moved, the consultation closed."""
    return {"closed": len(consultations_close_due(now=now))}


@periodic("councils.consultation_closing_reminders", every=datetime.timedelta(minutes=30))
def consultation_closing_reminders(now):
    """Written consultations closing within a day: each voting member is told once (issue 13)."""
    return {"notifications": remind_consultations_closing(now=now)}
