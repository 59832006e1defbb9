"""What the nominations app does when other parts of the project report an event (``tdkt.events``, or a unit saved);
connected in ``NominationsConfig.ready()``. Each receiver only calls a service or keeps a copy in step."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from movements.api import Unit
from tdkt.enums import NotificationKind
from tdkt.events import subject_facts_changed, transition_committed
from tdkt.notifications import notify
from tdkt.roles import unit_heads

from .enums import NominationState, RoundStatus
from .facts import recheck_after_facts_change
from .models.rounds import Nomination, NominationRound, refresh_list_keys


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


# ---------------------------------------------------------------- notifications (issue 13, part "home")

def _nomination_text(template, nomination, **extra):
    return template % {"nomination": nomination, "round": nomination.round, **extra}


@receiver(transition_committed, dispatch_uid="nominations.notify_nomination")
def notify_nomination(sender, *, workflow, instance, to_state, **kwargs):
    """Returned or failed vetting (with the reason): the heads of the proposing unit. Decided: the heads of the units
    whose people (or which, as a collective) are in the decision, and of the proposing unit."""
    if workflow != "nomination":
        return
    link = reverse("nominations:nomination_detail", args=[instance.pk])
    if to_state in (NominationState.RETURNED, NominationState.VETTED_FAIL):
        returned = to_state == NominationState.RETURNED
        text = _nomination_text(
            _("Đề nghị “%(nomination)s” (đợt “%(round)s”) bị trả lại. Lý do: %(reason)s Hãy sửa và gửi lại.") if returned else
            _("Đề nghị “%(nomination)s” (đợt “%(round)s”) thẩm định không đạt. Lý do: %(reason)s"),
            instance, reason=(instance.last_reason or "—").rstrip(".") + ".")
        notify(recipients=unit_heads([instance.submission.unit_id]), link=link, text=text,
               kind=NotificationKind.NOMINATION_RETURNED if returned else NotificationKind.NOMINATION_FAILED)
    elif to_state == NominationState.DECIDED:
        units = {instance.submission.unit_id, instance.unit_id, instance.person.unit_id if instance.person_id else None} - {None}
        award = getattr(instance, "award_record", None)
        number = award.decision_number if award is not None else ""
        text = _nomination_text(_("Đã có quyết định khen thưởng: “%(nomination)s” (đợt “%(round)s”)%(number)s."), instance,
                                number=(" – " + _("Quyết định số %(n)s") % {"n": number}) if number else "")
        notify(recipients=unit_heads(units), kind=NotificationKind.DECISION_ISSUED, text=text, link=link,
               key=f"decision:{instance.pk}")


def _notify_round_opened(nomination_round, key=""):
    deadline = nomination_round.deadline.strftime("%d/%m/%Y") if nomination_round.deadline else _("không có hạn nộp")
    text = _("Mở đợt đề nghị “%(round)s” (năm %(year)s), hạn nộp hồ sơ: %(deadline)s.") % {
        "round": nomination_round, "year": nomination_round.year, "deadline": deadline}
    units = Unit.objects.filter(active=True).values_list("pk", flat=True)
    notify(recipients=unit_heads(units), kind=NotificationKind.ROUND_OPENED, text=text,
           link=reverse("nominations:round_detail", args=[nomination_round.pk]), key=key)


@receiver(post_save, sender=NominationRound, dispatch_uid="nominations.notify_round_created")
def notify_round_created(sender, instance, created=False, raw=False, **kwargs):
    """A round created open: every unit's heads are told, after the commit."""
    if created and not raw and instance.status == RoundStatus.OPEN:
        transaction.on_commit(lambda: _notify_round_opened(instance, key=f"round-open:{instance.pk}"))


@receiver(transition_committed, dispatch_uid="nominations.notify_round_reopened")
def notify_round_reopened(sender, *, workflow, instance, to_state, **kwargs):
    if workflow == "nomination_round" and to_state == RoundStatus.OPEN:
        _notify_round_opened(instance)
