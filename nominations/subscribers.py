"""What the nominations app does when other parts of the project report an event (``tdkt.events``, or a unit saved);
connected in ``NominationsConfig.ready()``. Each receiver only calls a service or keeps a copy in step."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from movements.api import Unit
from tdkt.events import subject_facts_changed

from .facts import recheck_after_facts_change
from .models.rounds import Nomination, refresh_list_keys


@receiver(subject_facts_changed, dispatch_uid="nominations.recheck_after_facts_change")
def recheck_open_nominations(sender, *, person_ids=(), unit_ids=(), actor=None, reason="", **kwargs):
    """Posts, departures, ratings or discipline changed: judge the open nominations concerned again (flags)."""
    recheck_after_facts_change(person_ids=person_ids, unit_ids=unit_ids, actor=actor, reason=reason)


@receiver(post_save, sender=Unit, dispatch_uid="nominations.list_keys_after_unit_save")
def follow_unit_order(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A unit's display order changed: the list keys of the nominations it proposed follow (one UPDATE, of the rows
    that are out of step only)."""
    if created or raw or (update_fields is not None and "sort_order" not in update_fields):
        return
    refresh_list_keys(Nomination.objects.filter(list_unit=instance.pk).exclude(list_unit_order=instance.sort_order))
