"""The movements app's periodic jobs (run by the task worker: ``tdkt/periodic.py``)."""

import datetime

from tdkt.periodic import periodic

from .reminders import registration_reminders


@periodic("movements.registration_reminders", every=datetime.timedelta(hours=1))
def send_registration_reminders(now):
    """Reminders 7 days and 1 day before the registration deadline to the units that have not sent (issue 13)."""
    return {"notifications": registration_reminders(now=now)}
