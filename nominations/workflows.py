"""The two state machines of the nominations app, as tables of the one workflow mechanism
(:mod:`tdkt.workflow`): the round (đợt đề nghị) and the nomination (đề nghị khen thưởng).

Each move says who may make it (unit moves: the unit's own head or the office; every other move: the
office), whether a reason is required, and what is checked: the round must still be open for the
unit's moves, and the rules of the stage judge the whole list moving together (a unit's list sent, a
bulk vetting), with errors naming each nomination. Warnings overridden with a reason are recorded after
the save; the decided step records the award. :meth:`Workflow.apply` locks, checks, saves, writes one
audit event per object and emits ``tdkt.events.transition_committed`` after the commit.

Rule checks are serialised by :func:`lock_for_rules`: the rounds of the year (R1 spans the year) in a
fixed order, then the rows, so two clerks cannot both pass a quota on PostgreSQL.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.audit import audit_record, audit_records
from tdkt.enums import AuditAction
from tdkt.roles import is_council, is_office, writes_own_unit
from tdkt.text import nfc_multiline
from tdkt.workflow import Move, Workflow

from .award_history import award_record_create, award_record_withdraw
from .enums import NominationState, RoundStatus
from .facts import flag_clear, flag_clear_many
from .models import Nomination, NominationRound, RuleOverride, UnitSubmission
from .rules_engine import STAGE_LATER, STAGE_RESUBMIT, STAGE_SUBMIT, STAGE_VET, RuleContext, enforce_all

S = NominationState

# Who may move: the ``rules`` predicates of ``tdkt.roles``.
OFFICE = is_office
UNIT_OR_OFFICE = writes_own_unit

OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở được thực hiện thao tác này.")
COUNCIL_STEP = gettext_lazy("Bước này do Hội đồng Thi đua – Khen thưởng thực hiện trong phiên họp (chương trình họp, biểu quyết).")
DECISION_STEP = gettext_lazy("Bước này do Văn phòng thực hiện khi ban hành quyết định khen thưởng cho cả danh sách.")
OWN_UNIT_ONLY = gettext_lazy("Bạn chỉ được lập hồ sơ đề nghị của đơn vị mình.")


def stored_actor(actor):
    """The user to store on a row (``created_by``…): ``None`` for the system or an anonymous user."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def lock_for_rules(nomination_round, submission=None):
    """Serialise rule checks: the rounds of the year (R1 spans the year) in a fixed order, then the submission."""
    list(NominationRound.objects.select_for_update().filter(year=nomination_round.year).order_by("pk").values_list("pk", flat=True))
    if submission is not None and submission.pk:
        list(UnitSubmission.objects.select_for_update().filter(pk=submission.pk).values_list("pk", flat=True))


def record_overrides(nomination, warnings, reason, actor):
    """Record the warnings a reason went past (once per rule and nomination), each with an audit event."""
    reason = nfc_multiline(reason or "")
    if not reason:
        return
    for v in warnings:
        _override, created = RuleOverride.objects.get_or_create(
            nomination=nomination, rule_id=v.rule_id, defaults={"reason": reason, "created_by": stored_actor(actor)})
        if created:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=nomination, changes={"vượt cảnh báo": [None, v.code]},
                         reason=f"{v}\n{reason}")


def record_overrides_many(warnings_by_nomination, reason, actor):
    """:func:`record_overrides` for a list written at once (``[(nomination, warnings)]``): the same rows and audit
    events (once per rule and nomination, the first warning of the rule as the event's reason), inserted together
    in a constant number of queries."""
    reason = nfc_multiline(reason or "")
    if not reason:
        return []
    pairs = [(n, v) for n, warnings in warnings_by_nomination for v in warnings]
    existing = set(RuleOverride.objects.filter(nomination__in=[n.pk for n, _v in pairs]).values_list("nomination_id", "rule_id")) \
        if pairs else set()
    fresh = {}
    for n, v in pairs:
        if (n.pk, v.rule_id) not in existing:
            fresh.setdefault((n.pk, v.rule_id), (n, v))
    RuleOverride.objects.bulk_create([RuleOverride(nomination=n, rule_id=v.rule_id, reason=reason, created_by=stored_actor(actor))
                                      for n, v in fresh.values()])
    return audit_records(actor=actor, action=AuditAction.UPDATE, objs=[n for n, _v in fresh.values()],
                         changes=[{"vượt cảnh báo": [None, v.code]} for _n, v in fresh.values()],
                         reasons=[f"{v}\n{reason}" for _n, v in fresh.values()])


# ---------------------------------------------------------------- rounds

ROUND_WORKFLOW = Workflow(
    name="nomination_round",
    model=NominationRound,
    states=RoundStatus,
    state_field="status",
    invalid_message=gettext_lazy("Không chuyển được đợt đề nghị từ “%(from)s” sang “%(to)s”."),
    validate=False,
    moves=[
        Move((RoundStatus.OPEN, RoundStatus.AT_COUNCIL), RoundStatus.CLOSED, label=RoundStatus.CLOSED.label, allowed=OFFICE,
             denied_message=OFFICE_ONLY),
        Move((RoundStatus.CLOSED,), RoundStatus.AT_COUNCIL, label=RoundStatus.AT_COUNCIL.label, allowed=OFFICE,
             denied_message=OFFICE_ONLY),
        Move((RoundStatus.CLOSED,), RoundStatus.OPEN, label=RoundStatus.OPEN.label, allowed=OFFICE, denied_message=OFFICE_ONLY),
        Move((RoundStatus.AT_COUNCIL,), RoundStatus.DECIDED, label=RoundStatus.DECIDED.label, allowed=OFFICE,
             denied_message=OFFICE_ONLY),
    ],
)


# ---------------------------------------------------------------- nominations: the hooks of the moves

def lock_nominations(nominations):
    """The rounds of the year first (as every rule check does), then the nominations with what the rules read."""
    lock_for_rules(nominations[0].round)
    pks = [n.pk for n in nominations]
    locked = {n.pk: n for n in Nomination.objects.select_for_update(of=("self",)).filter(pk__in=pks).select_related(
        "round", "submission__unit", "person", "unit", "title", "form")}
    return [locked[pk] for pk in pks]


def round_still_open(step):
    """The unit's moves need the round still open."""
    if step.obj.round.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": step.obj.round})


def override_reason_of(step):
    return nfc_multiline(step.params.get("override_reason") or "")


def judged_at(stage):
    """A ``batch_checks`` hook: the rules of ``stage`` judge the list moving together (errors name each
    nomination); the warnings that passed are kept for :func:`record_warnings`."""
    def check(steps):
        context = RuleContext(stage=stage, override_reason=override_reason_of(steps[0]))
        for step, warnings in zip(steps, enforce_all([step.obj for step in steps], context), strict=True):
            step.data["warnings"] = warnings
    check.__name__ = f"judged_at_{stage}"
    return check


def clear_flag_judged(step):
    """Every rule was judged at this move and passed: a “thay đổi sau khi gửi” flag no longer holds (``facts.py``)."""
    flag_clear(nomination=step.obj, actor=step.actor,
               reason=_("Kiểm tra lại khi “%(move)s”: đạt các quy định.") % {"move": step.move.label})


def _clear_flags_judged_many(steps):
    flag_clear_many(nominations=[step.obj for step in steps], actor=steps[0].actor,
                    reason=_("Kiểm tra lại khi “%(move)s”: đạt các quy định.") % {"move": steps[0].move.label})


clear_flag_judged.many = _clear_flags_judged_many


def clear_flag_refused(step):
    """A refused nomination no longer counts: its flag goes (``facts.py``)."""
    flag_clear(nomination=step.obj, actor=step.actor, reason=_("Đề nghị không được xét tiếp (%(state)s).") % {
        "state": NominationState(step.to_state).label})


def _clear_flags_refused_many(steps):
    flag_clear_many(nominations=[step.obj for step in steps], actor=steps[0].actor, reason=_(
        "Đề nghị không được xét tiếp (%(state)s).") % {"state": NominationState(steps[0].to_state).label})


clear_flag_refused.many = _clear_flags_refused_many


def record_warnings(step):
    if step.data.get("warnings"):
        record_overrides(step.obj, step.data["warnings"], override_reason_of(step), step.actor)


def _record_warnings_many(steps):
    record_overrides_many([(step.obj, step.data.get("warnings") or []) for step in steps], override_reason_of(steps[0]),
                          steps[0].actor)


record_warnings.many = _record_warnings_many


def keep_reason(step):
    """Returned, not passed, rejected: the reason stays on the nomination (the unit reads it)."""
    step.obj.last_reason = step.reason


def decision_given(step):
    decision = step.params.get("decision")
    if not (decision and decision.get("decision_number") and decision.get("decision_date")):
        raise ValidationError(_("Hãy ghi số và ngày quyết định khen thưởng."))


def record_award(step):
    """The decided nomination becomes an award of the subject's history, with the decision's number and date."""
    n = step.obj
    award_record_create(actor=step.actor, person=n.person, unit=n.unit, title=n.title, form=n.form, year=n.round.year,
                        kind=n.round.kind, nomination=n, **step.params["decision"])


def withdraw_award(step):
    """A revoked decision: the award it created leaves the subject's history (audited with the reason)."""
    award_record_withdraw(actor=step.actor, nomination=step.obj, reason=step.reason)


def _unit_move(source, target, label, stage):
    return Move(source, target, label=label, allowed=UNIT_OR_OFFICE, denied_message=OWN_UNIT_ONLY, checks=[round_still_open],
                batch_checks=[judged_at(stage)], after_save=[record_warnings, clear_flag_judged])


def _office_move(source, target, label, *, reason_required=False, **hooks):
    if target in (S.VETTED_FAIL, S.COUNCIL_REJECTED):
        hooks["after_save"] = [*hooks.get("after_save", []), clear_flag_refused]
    return Move(source, target, label=label, allowed=OFFICE, denied_message=OFFICE_ONLY, reason_required=reason_required,
                danger=reason_required, before_save=[keep_reason] if reason_required else [], **hooks)


def _council_move(source, target, label, *, reason_required=False, **hooks):
    """The council step: made only by the services of the ``councils`` app (agenda, votes, re-votes), which check who
    may act (the office builds the agenda, the chair closes a vote…); never a button of the nomination's pages."""
    if target == S.COUNCIL_REJECTED:
        hooks["after_save"] = [*hooks.get("after_save", []), clear_flag_refused]
    return Move(source, target, label=label, allowed=is_office | is_council, denied_message=COUNCIL_STEP, manual=False,
                reason_required=reason_required, before_save=[keep_reason] if reason_required else [], **hooks)


# ---------------------------------------------------------------- nominations: the table (in the order of the buttons)

NOMINATION_WORKFLOW = Workflow(
    name="nomination",
    model=Nomination,
    states=NominationState,
    invalid_message=gettext_lazy("%(obj)s: không chuyển được từ “%(from)s” sang “%(to)s”."),
    lock=lock_nominations,
    save_fields=("last_reason", "updated_at"),
    validate_many=Nomination.full_clean_many,  # a list moves in a constant number of queries (bulk vetting)
    moves=[
        _unit_move((S.DRAFT,), S.SUBMITTED, gettext_lazy("Gửi"), STAGE_SUBMIT),
        _unit_move((S.RETURNED,), S.RESUBMITTED, gettext_lazy("Gửi lại"), STAGE_RESUBMIT),
        _office_move((S.SUBMITTED, S.RESUBMITTED), S.VETTED_PASS, gettext_lazy("Thẩm định đạt"), batch_checks=[judged_at(STAGE_VET)],
                     after_save=[record_warnings, clear_flag_judged]),
        _office_move((S.SUBMITTED, S.RESUBMITTED), S.VETTED_FAIL, gettext_lazy("Thẩm định không đạt"), reason_required=True),
        _council_move((S.VETTED_PASS,), S.AT_COUNCIL, gettext_lazy("Đưa ra Hội đồng"), batch_checks=[judged_at(STAGE_LATER)]),
        _office_move((S.SUBMITTED, S.RESUBMITTED, S.VETTED_PASS), S.RETURNED, gettext_lazy("Trả lại"), reason_required=True),
        _council_move((S.AT_COUNCIL,), S.VETTED_PASS, gettext_lazy("Rút khỏi chương trình họp")),
        _council_move((S.AT_COUNCIL,), S.COUNCIL_PASSED, gettext_lazy("Hội đồng thông qua"), batch_checks=[judged_at(STAGE_LATER)]),
        _council_move((S.AT_COUNCIL,), S.COUNCIL_REJECTED, gettext_lazy("Hội đồng không thông qua"), reason_required=True),
        # the re-vote's reason (required by the council's service) is in the audit event, not kept as the nomination's
        # reason: the page shows a reason only for the states reached with one (REASON_STATES)
        _council_move((S.COUNCIL_PASSED, S.COUNCIL_REJECTED), S.AT_COUNCIL, gettext_lazy("Biểu quyết lại"),
                      batch_checks=[judged_at(STAGE_LATER)]),
        # the decision step: made only by the decision services of the ``councils`` app (a decision issued for a whole
        # list, a province's decision recorded for a tờ trình), never one nomination at a time (issue 11); from
        # “thẩm định đạt” only for the forms the director grants without the council (the councils app checks which)
        Move((S.COUNCIL_PASSED, S.VETTED_PASS), S.DECIDED, label=gettext_lazy("Có quyết định khen thưởng"), allowed=OFFICE,
             denied_message=DECISION_STEP, manual=False, checks=[decision_given], batch_checks=[judged_at(STAGE_LATER)],
             after_save=[record_award]),
        # a decision revoked or replaced (with its reason): the nomination goes back to where the decision took it from
        Move((S.DECIDED,), S.COUNCIL_PASSED, label=gettext_lazy("Thu hồi quyết định"), allowed=OFFICE, denied_message=DECISION_STEP,
             manual=False, reason_required=True, after_save=[withdraw_award]),
        Move((S.DECIDED,), S.VETTED_PASS, label=gettext_lazy("Thu hồi quyết định"), allowed=OFFICE, denied_message=DECISION_STEP,
             manual=False, reason_required=True, after_save=[withdraw_award]),
    ],
)

#: States reached with a reason (returned, not passed, rejected): the nomination's page shows that reason.
REASON_STATES = frozenset(move.target for move in NOMINATION_WORKFLOW.moves if move.reason_required)
