"""Re-judging after the facts changed. When a person's posts, departures, ratings or discipline (or a unit's) change
after a list was sent, ``tdkt.events.subject_facts_changed`` is sent after the commit and
:func:`recheck_after_facts_change` (subscribed in ``subscribers.py``) judges the open nominations again, at the audit
stage with the explicit rule context, and flags to the office the ones that now break a blocking rule: “thay đổi sau
khi gửi”, with the violations and the time, audited.

- **Open** nominations: sent and not yet decided nor refused, i.e. waiting at the office or the council
  (:data:`OPEN_STATES`: đã gửi, đã gửi lại, thẩm định đạt, đưa ra Hội đồng, Hội đồng thông qua). A draft and a
  returned nomination are with their unit and are judged in full when (re)sent.
- **Concerned**: the nominations of those persons, of those units, and of the units those persons hold or held a
  post in (the head of a collective for R2, its members' ratings for R4). They are judged together with every open
  nomination of the same years (R1 counts whole lists), the concerned ones last, so that a quota they now break
  falls on them.
- **Cleared**: when a later check of the nomination passes: the re-check after another change of facts, or a move
  whose rule check judges every rule and passes (gửi lại, thẩm định đạt); and when it is refused (không đạt,
  không thông qua: it no longer counts). Every flag set, changed or cleared is an audit event.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import Person, PositionAssignment
from tdkt.audit import audit_record, audit_records
from tdkt.enums import AuditAction

from .enums import NominationState
from .models import Nomination, NominationRound
from .rules_engine import STAGE_AUDIT, check_nominations

S = NominationState

OPEN_STATES = (S.SUBMITTED, S.RESUBMITTED, S.VETTED_PASS, S.AT_COUNCIL, S.COUNCIL_PASSED)
FLAG_LABEL = "thay đổi sau khi gửi"


def flag_set(*, nomination, message, actor=None, reason=""):
    """Flag ``nomination`` with ``message`` (the violations); nothing when it already carries that message."""
    if nomination.facts_flag == message:
        return False
    before = nomination.facts_flag or None
    nomination.facts_flag, nomination.facts_flagged_at = message, timezone.now()
    Nomination.objects.filter(pk=nomination.pk).update(facts_flag=message, facts_flagged_at=nomination.facts_flagged_at)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=nomination, changes={FLAG_LABEL: [before, message]}, reason=reason)
    return True


def flag_clear(*, nomination, actor=None, reason=""):
    """Clear the flag of ``nomination`` (audited); nothing when it carries none."""
    if not nomination.facts_flag:
        return False
    before = nomination.facts_flag
    nomination.facts_flag, nomination.facts_flagged_at = "", None
    Nomination.objects.filter(pk=nomination.pk).update(facts_flag="", facts_flagged_at=None)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=nomination, changes={FLAG_LABEL: [before, None]}, reason=reason)
    return True


def flag_clear_many(*, nominations, actor=None, reason=""):
    """:func:`flag_clear` for a list moved together: one UPDATE and the audit events inserted together."""
    flagged = [n for n in nominations if n.facts_flag]
    if not flagged:
        return []
    befores = [n.facts_flag for n in flagged]
    for n in flagged:
        n.facts_flag, n.facts_flagged_at = "", None
    Nomination.objects.filter(pk__in=[n.pk for n in flagged]).update(facts_flag="", facts_flagged_at=None)
    audit_records(actor=actor, action=AuditAction.UPDATE, objs=flagged, changes=[{FLAG_LABEL: [b, None]} for b in befores],
                  reasons=[reason] * len(flagged))
    return flagged


def _concerned(person_ids, unit_ids):
    units = set(unit_ids)
    if person_ids:
        units |= set(PositionAssignment.objects.filter(person_id__in=person_ids).values_list("unit_id", flat=True))
        units |= set(Person.objects.filter(pk__in=person_ids, unit__isnull=False).values_list("unit_id", flat=True))
    return Q(person_id__in=set(person_ids)) | Q(unit_id__in=units)


@transaction.atomic
def recheck_after_facts_change(*, person_ids=(), unit_ids=(), actor=None, reason=""):
    """Judge again the open nominations concerned by a change of facts; flag those that now break a blocking rule,
    clear the flags of those that now pass. Returns ``(flagged, cleared)`` (lists of nominations)."""
    concerned = set(Nomination.objects.filter(state__in=OPEN_STATES).filter(_concerned(person_ids, unit_ids))
                    .values_list("pk", flat=True))
    if not concerned:
        return [], []
    years = sorted(set(Nomination.objects.filter(pk__in=concerned).values_list("round__year", flat=True)))
    # the same lock as every rule check (the rounds of the year, in a fixed order)
    list(NominationRound.objects.select_for_update().filter(year__in=years).order_by("pk").values_list("pk", flat=True))
    batch = list(Nomination.objects.select_for_update(of=("self",)).filter(state__in=OPEN_STATES, round__year__in=years)
                 .select_related("round", "submission__unit", "person", "unit", "title", "form").order_by("pk"))
    batch.sort(key=lambda n: n.pk in concerned)  # stable: the concerned ones last, each part in order
    violations = check_nominations(batch, stage=STAGE_AUDIT)
    note = reason or _("Thay đổi thông tin của người, tập thể được đề nghị sau khi gửi")
    flagged, cleared = [], []
    for n in batch:
        blocking = [str(v) for v in violations[n.pk] if v.blocking]
        if blocking and n.pk in concerned:
            if flag_set(nomination=n, message="\n".join(blocking), actor=actor, reason=note):
                flagged.append(n)
        elif not blocking and flag_clear(nomination=n, actor=actor, reason=_("Kiểm tra lại sau thay đổi: đạt các quy định. %(why)s")
                                         % {"why": note}):
            cleared.append(n)
    return flagged, cleared
