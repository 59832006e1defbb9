"""Writes of the council's set-up (office only): the council for a term, its members, the voting rules."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.audit import audit_changes, snapshot
from tdkt.guards import require_office
from tdkt.text import nfc, nfc_multiline

from ..enums import CouncilPosition, ThresholdComparison, VotingBase, VotingMethod
from ..models import Council, CouncilMember, VotingRule

COUNCIL_FIELDS = ["name", "decision_number", "decision_date", "term_start", "term_end", "active", "note"]
MEMBER_FIELDS = ["council", "user", "person", "position", "votes", "active", "sort_order"]
VOTING_RULE_FIELDS = ["name", "title", "form", "method", "base", "threshold", "comparison", "quorum_numerator",
                      "quorum_denominator", "written_opinions_count", "allows_abstention", "legal_basis", "description",
                      "effective_from", "effective_to", "active"]

OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở (thường trực Hội đồng) được thực hiện thao tác này.")
TEXT_FIELDS = {"name", "decision_number"}
MULTILINE_FIELDS = {"note", "legal_basis", "description"}


def _clean_text(name, value):
    if name in TEXT_FIELDS:
        return nfc(value or "")
    if name in MULTILINE_FIELDS:
        return nfc_multiline(value or "")
    return value


def _unknown(values, allowed):
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


# ---------------------------------------------------------------- the council

@transaction.atomic
def council_create(*, actor, name, decision_number, decision_date, term_start, term_end=None, active=True, note=""):
    """A council for a term (set up by the Director's decision). One council is active at a time."""
    require_office(actor, OFFICE_ONLY)
    council = Council(name=nfc(name), decision_number=nfc(decision_number), decision_date=decision_date, term_start=term_start,
                      term_end=term_end, active=active, note=nfc_multiline(note or ""))
    council.full_clean()
    council.save()
    audit_changes(actor=actor, obj=council, fields=COUNCIL_FIELDS)
    return council


@transaction.atomic
def council_update(*, actor, council, **values):
    """Change the fields named in ``values`` (of ``COUNCIL_FIELDS``)."""
    require_office(actor, OFFICE_ONLY)
    _unknown(values, COUNCIL_FIELDS)
    council = Council.objects.select_for_update().get(pk=council.pk)
    before = snapshot(council, COUNCIL_FIELDS)
    for name, value in values.items():
        setattr(council, name, _clean_text(name, value))
    council.full_clean()
    council.save()
    audit_changes(actor=actor, obj=council, fields=COUNCIL_FIELDS, before=before)
    return council


# ---------------------------------------------------------------- members

@transaction.atomic
def member_add(*, actor, council, user, person, position=CouncilPosition.MEMBER, votes=True, sort_order=None):
    """Give ``user`` (a council or office account) a seat on ``council`` as ``person`` (so their unit and posts on a date
    are known). ``votes=False`` only for the secretary. ``sort_order``: default after the last member."""
    require_office(actor, OFFICE_ONLY)
    council = Council.objects.select_for_update().get(pk=council.pk)
    if sort_order is None:
        last = council.members.order_by("-sort_order").values_list("sort_order", flat=True).first()
        sort_order = (last or 0) + 10
    member = CouncilMember(council=council, user=user, person=person, position=position, votes=votes, sort_order=sort_order)
    member.full_clean()
    member.save()
    audit_changes(actor=actor, obj=member, fields=MEMBER_FIELDS)
    return member


@transaction.atomic
def member_update(*, actor, member, **values):
    """Change a seat's ``position``, ``votes``, ``active`` or ``sort_order`` (the account and the person stay: a new
    person is a new seat). A member who leaves is made inactive; meetings already called keep them on their roll."""
    require_office(actor, OFFICE_ONLY)
    _unknown(values, ["position", "votes", "active", "sort_order"])
    member = CouncilMember.objects.select_for_update().select_related("user", "person").get(pk=member.pk)
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in values.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    audit_changes(actor=actor, obj=member, fields=MEMBER_FIELDS, before=before)
    return member


# ---------------------------------------------------------------- voting rules

@transaction.atomic
def voting_rule_create(*, actor, name, legal_basis, effective_from, threshold, title=None, form=None, method=VotingMethod.OPEN,
                       base=VotingBase.PRESENT, comparison=ThresholdComparison.AT_LEAST, quorum_numerator=2, quorum_denominator=3,
                       written_opinions_count=False, allows_abstention=True, effective_to=None, active=True, description=""):
    """A voting rule for ``title`` or ``form`` (neither: the default for every award without its own rule), in force
    from ``effective_from``. A rule whose period overlaps another active rule of the same award is refused."""
    require_office(actor, OFFICE_ONLY)
    rule = VotingRule(name=nfc(name), legal_basis=nfc_multiline(legal_basis or ""), effective_from=effective_from,
                      effective_to=effective_to, threshold=threshold, title=title, form=form, method=method, base=base,
                      comparison=comparison, quorum_numerator=quorum_numerator, quorum_denominator=quorum_denominator,
                      written_opinions_count=written_opinions_count, allows_abstention=allows_abstention, active=active,
                      description=nfc_multiline(description or ""))
    rule.full_clean()
    rule.save()
    audit_changes(actor=actor, obj=rule, fields=VOTING_RULE_FIELDS)
    return rule


@transaction.atomic
def voting_rule_update(*, actor, rule, **values):
    """Change the fields named in ``values`` (of ``VOTING_RULE_FIELDS``). Votes already opened keep the terms they
    were opened with; a change of the Quy chế from a date is better a new rule (end this one the day before)."""
    require_office(actor, OFFICE_ONLY)
    _unknown(values, VOTING_RULE_FIELDS)
    rule = VotingRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, VOTING_RULE_FIELDS)
    for name, value in values.items():
        setattr(rule, name, _clean_text(name, value))
    if not rule.legal_basis:
        raise ValidationError({"legal_basis": _("Hãy ghi căn cứ của quy tắc biểu quyết.")})
    rule.full_clean()
    rule.save()
    audit_changes(actor=actor, obj=rule, fields=VOTING_RULE_FIELDS, before=before)
    return rule
