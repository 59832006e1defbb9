"""Deadline reminders of the nomination rounds (issue 13), run by the periodic job ``nominations.deadline_reminders``.

For each open round whose deadline is 7 days away or less, each active unit that still has something to do in it
(its list not sent, drafts not sent, nominations returned and not sent again) gets one reminder per threshold
(7 days, 1 day): the key ``deadline:<round>:<unit>:<threshold>`` is unique per recipient, so runs repeated within a
threshold write nothing more. The text counts only the unit's own files."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import Unit
from tdkt.enums import NotificationKind
from tdkt.notifications import notify, reminder_threshold
from tdkt.roles import unit_heads

from .enums import NominationState, RoundStatus
from .models import Nomination, NominationRound, UnitSubmission


def _unit_todo(nomination_round):
    """``{unit_id: (list_sent, drafts, returned)}`` of the round (two grouped queries)."""
    sent = set(UnitSubmission.objects.filter(round=nomination_round, submitted_at__isnull=False).values_list("unit_id", flat=True))
    counts = {row["submission__unit_id"]: row for row in Nomination.objects.filter(round=nomination_round).values(
        "submission__unit_id").annotate(drafts=Count("pk", filter=Q(state=NominationState.DRAFT)),
                                        returned=Count("pk", filter=Q(state=NominationState.RETURNED)),
                                        sent=Count("pk", filter=~Q(state=NominationState.DRAFT)))}
    return sent, counts


def deadline_reminders(*, now):
    """Write the reminders due at ``now``; returns how many notifications were written."""
    today = timezone.localdate(now)
    written = 0
    rounds = NominationRound.objects.filter(status=RoundStatus.OPEN, deadline__gte=today,
                                            deadline__lte=today + datetime.timedelta(days=7))
    units = list(Unit.objects.filter(active=True).order_by("pk"))
    heads = {}
    for user in unit_heads([u.pk for u in units]):
        heads.setdefault(user.unit_id, []).append(user)
    for nomination_round in rounds.order_by("deadline", "pk"):
        days_left = (nomination_round.deadline - today).days
        threshold = reminder_threshold(days_left)
        if threshold is None:
            continue
        sent_lists, counts = _unit_todo(nomination_round)
        for unit in units:
            if unit.pk not in heads:
                continue
            row = counts.get(unit.pk, {})
            drafts, returned = row.get("drafts", 0), row.get("returned", 0)
            list_sent = unit.pk in sent_lists or row.get("sent", 0) > 0
            if list_sent and not drafts and not returned:
                continue
            todo = []
            if not list_sent:
                todo.append(_("đơn vị chưa gửi hồ sơ"))
            if drafts:
                todo.append(_("%(n)d đề nghị chưa gửi") % {"n": drafts})
            if returned:
                todo.append(_("%(n)d đề nghị bị trả lại chờ gửi lại") % {"n": returned})
            when = _("hôm nay") if days_left == 0 else _("còn %(n)d ngày") % {"n": days_left}
            text = _("Hạn nộp hồ sơ đợt “%(round)s” là %(deadline)s (%(when)s): %(todo)s.") % {
                "round": nomination_round, "deadline": nomination_round.deadline.strftime("%d/%m/%Y"), "when": when,
                "todo": "; ".join(todo)}
            written += len(notify(recipients=heads[unit.pk], kind=NotificationKind.DEADLINE, text=text,
                                  link=reverse("nominations:submission_detail", args=[nomination_round.pk, unit.pk]),
                                  key=f"deadline:{nomination_round.pk}:{unit.pk}:{threshold}"))
    return written
