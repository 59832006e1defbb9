"""What the nominations app does when other parts of the project report an event (``tdkt.events``); connected in
``NominationsConfig.ready()``. Each receiver only calls a service."""

from django.dispatch import receiver

from tdkt.events import subject_facts_changed

from .facts import recheck_after_facts_change


@receiver(subject_facts_changed, dispatch_uid="nominations.recheck_after_facts_change")
def recheck_open_nominations(sender, *, person_ids=(), unit_ids=(), actor=None, reason="", **kwargs):
    """Posts, departures, ratings or discipline changed: judge the open nominations concerned again (flags)."""
    recheck_after_facts_change(person_ids=person_ids, unit_ids=unit_ids, actor=actor, reason=reason)
