"""Reads and role scoping of the nominations app. Every list starts from a ``*_visible_to(user)``."""

import math
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from movements.api import Person, PositionAssignment, Unit
from tdkt.roles import is_active_account, is_unit_head, reads_every_unit, scope_to_unit, sees_unsent_work

from .enums import NominationState, RequirementScope, RoundStatus, SubjectKind
from .models import (
    LIST_ORDER,
    AwardRecord,
    BaseSalary,
    BonusCoefficient,
    CommendationForm,
    EmulationTitle,
    Initiative,
    Nomination,
    NominationRound,
    RequiredDocument,
    Rule,
    SubmissionDocument,
    UnitSubmission,
    sent_documents,
    sent_nominations,
)
from .rules_engine import STAGE_AUDIT, STAGE_ENTRY, check_nominations, evaluate, fmt_pct, load_rules
from .rules_engine.describe import describe_parameters
from .rules_engine.documents import present_files, required_documents

NOMINATION_RELATED = ("round", "submission__unit", "person", "person__unit", "unit", "title", "form")

PERSONS_FIRST = F("unit_id").asc(nulls_first=True)  # individuals before collectives


def scope_sent(qs, user, unit_field, sent):
    """The reading rule of the app's files, in one place: office and council read every unit's, a unit head
    their own unit's; what is not yet sent (``sent``: the filter of what was) is the unit's own work, read by
    the office and the unit only, never by the council."""
    qs = scope_to_unit(qs, user, unit_field)
    return qs if sees_unsent_work(user) else qs.filter(sent)


def rounds_visible_to(user):
    if not is_active_account(user):
        return NominationRound.objects.none()
    return NominationRound.objects.select_related("campaign")


def nominations_visible_to(user):
    """Office: everything. Council: everything sent (not drafts). Unit head: their unit's submissions."""
    return scope_sent(Nomination.objects.select_related(*NOMINATION_RELATED), user, "submission__unit_id", sent_nominations())


def nomination_list_ids(user, nominations):
    """The ids of the nomination list in its order (``LIST_ORDER``), read from the nomination table alone so that a
    page reads a few entries of one index whatever the table's size. ``nominations``: ``nominations_visible_to(user)``
    with the list's filters; a unit's list is scoped once more on the proposing unit's copy (``list_unit``), which
    picks its index (the scope on the submission stays: the copy never widens what a user sees)."""
    return scope_to_unit(nominations, user, "list_unit").order_by(*LIST_ORDER).values_list("pk", flat=True)


def nominations_in_order(user, ids):
    """The nominations of ``ids`` (a page of the list) in that order, with what the list shows of them, each related
    table read by the ids of the page (a join of eight tables costs more to plan than to run, and its hash joins read
    whole tables, which grow): at most eight small queries whatever the table's size."""
    related = (("round", NominationRound), ("submission", UnitSubmission), ("submission__unit", Unit), ("person", Person),
               ("unit", Unit), ("title", EmulationTitle), ("form", CommendationForm))
    by_id = (nominations_visible_to(user).select_related(None).order_by()
             .prefetch_related(*(Prefetch(name, queryset=model.objects.order_by()) for name, model in related))
             .in_bulk(ids))
    return [by_id[pk] for pk in ids if pk in by_id]


def sees_flags(user):
    """The “thay đổi sau khi gửi” flags (``nominations.facts``) are shown to the office, who vets."""
    return user.has_perm("nominations.vet_nomination")


def sees_drafts(user):
    """Drafts are the unit's own work: the office and unit heads see them, the council reads only what was sent."""
    return sees_unsent_work(user)


def progress_nominations(user):
    """Nominations counted on the progress pages (per-unit states, R1 gauges). The council never counts drafts;
    unit heads get rows for their own unit only, and the agency-wide R1 gauge spans every unit as the rule does."""
    qs = Nomination.objects.all()
    if sees_unsent_work(user):
        return qs
    if reads_every_unit(user):
        return qs.filter(sent_nominations())
    return qs.none()


def rounds_with_totals(user):
    """Rounds with ``total``, the nominations ``user`` counts in each: a unit head their unit's, the council only
    what was sent, the office all."""
    counted = Q() if reads_every_unit(user) else Q(nominations__submission__unit_id=user.unit_id)
    if not sees_unsent_work(user):
        counted &= sent_nominations("nominations__")
    return rounds_visible_to(user).annotate(total=Count("nominations", filter=counted, distinct=True))


def documents_visible_to(user):
    """Office: every file. Council: only what was sent (``sent_documents``: never a draft's file, never the file
    of a list not yet sent). Unit head: their unit's files."""
    qs = SubmissionDocument.objects.select_related("submission__unit", "submission__round", "nomination__person",
                                                   "nomination__unit")
    return scope_sent(qs, user, "submission__unit_id", sent_documents())


def submissions_visible_to(user):
    return scope_to_unit(UnitSubmission.objects.select_related("round", "unit"), user, "unit_id")


def units_for_submission(user):
    """Units the user may open a submission page for."""
    return scope_to_unit(Unit.objects.filter(active=True), user, "pk")


def awards_visible_to(user):
    qs = AwardRecord.objects.select_related("person", "person__unit", "unit", "title", "form")
    if reads_every_unit(user) or not is_unit_head(user):
        return scope_to_unit(qs, user, "unit_id")
    return qs.filter(Q(person__unit_id=user.unit_id) | Q(unit_id=user.unit_id))


def initiatives_visible_to(user):
    return scope_to_unit(Initiative.objects.select_related("person", "person__unit"), user, "person__unit_id")


#: A nomination still on its way (the person page lists them; polish, issue 13): not yet decided or refused.
FINISHED_STATES = (NominationState.DECIDED, NominationState.VETTED_FAIL, NominationState.COUNCIL_REJECTED)


def current_nominations_of(user, person):
    """The person's nominations on their way that ``user`` may see, newest round first (one query)."""
    return (nominations_visible_to(user).filter(person=person).exclude(state__in=FINISHED_STATES)
            .order_by("-round__year", "-round__reference_date", "-round_id", "id"))


def initiatives_of(user, person):
    """The person's initiatives that ``user`` may see, newest first (one query)."""
    return initiatives_visible_to(user).filter(person=person).order_by("-year", "title", "id")


def awards_for_subject(subject):
    """Award history of one person or unit, newest first (one query)."""
    if isinstance(subject, Person):
        qs = AwardRecord.objects.filter(person=subject)
    else:
        qs = AwardRecord.objects.filter(unit=subject)
    return qs.select_related("title", "form").order_by("-year", "-decision_date", "-id")


def open_rounds():
    return NominationRound.objects.filter(status=RoundStatus.OPEN)


def _leader_exists():
    ref = OuterRef("round__reference_date")
    return Exists(PositionAssignment.objects.filter(person_id=OuterRef("person_id"), is_leadership=True, start_date__lte=ref)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=ref)))


def round_progress(nomination_round, *, units, nominations=None):
    """Per-unit progress of a round with the leadership share (one grouped query + the submissions).

    ``nominations``: the nominations to count (``progress_nominations(user)``: the council never counts drafts);
    every nomination when omitted. Returns rows ``{unit, submission, total, persons, leaders, share, over, by_state}``
    for ``units`` and the totals.
    """
    base = Nomination.objects.all() if nominations is None else nominations
    rule = rule_in_force("R1", nomination_round.reference_date)
    max_share = rule.parameters.get("max_share", 0.4) if rule else 0.4
    counted = NominationState.counted()
    stats = {row["submission__unit_id"]: row for row in base.filter(round=nomination_round).values(
        "submission__unit_id").annotate(
        total=Count("pk"),
        drafts=Count("pk", filter=Q(state=NominationState.DRAFT)),
        waiting=Count("pk", filter=Q(state__in=NominationState.waiting_for_vetting())),
        returned=Count("pk", filter=Q(state=NominationState.RETURNED)),
        passed=Count("pk", filter=Q(state__in=[NominationState.VETTED_PASS, NominationState.AT_COUNCIL,
                                               NominationState.COUNCIL_PASSED, NominationState.DECIDED])),
        failed=Count("pk", filter=Q(state__in=[NominationState.VETTED_FAIL, NominationState.COUNCIL_REJECTED])),
        persons=Count("person_id", distinct=True, filter=Q(state__in=counted)),
        leaders=Count("person_id", distinct=True, filter=Q(state__in=counted) & _leader_exists()),
    )}
    submissions = {s.unit_id: s for s in UnitSubmission.objects.filter(round=nomination_round)}
    rows = []
    for unit in units:
        st = stats.get(unit.pk, {})
        persons, leaders = st.get("persons", 0), st.get("leaders", 0)
        rows.append({
            "unit": unit, "submission": submissions.get(unit.pk),
            "total": st.get("total", 0), "drafts": st.get("drafts", 0), "waiting": st.get("waiting", 0),
            "returned": st.get("returned", 0), "passed": st.get("passed", 0), "failed": st.get("failed", 0),
            "persons": persons, "leaders": leaders, "share": fmt_pct(leaders, persons) if persons else "–",
            "over": persons > 0 and leaders * 100 > float(max_share) * 100 * persons,
            "share_width": round(leaders * 100 / persons) if persons else 0,
        })
    agg = base.filter(round=nomination_round, state__in=counted, person__isnull=False).aggregate(
        persons=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=_leader_exists()))
    totals = {"persons": agg["persons"], "leaders": agg["leaders"],
              "share": fmt_pct(agg["leaders"], agg["persons"]) if agg["persons"] else "–",
              "over": agg["persons"] > 0 and agg["leaders"] > float(max_share) * agg["persons"],
              "share_width": round(agg["leaders"] * 100 / agg["persons"]) if agg["persons"] else 0,
              "max_share": round(float(max_share) * 100), "rule": rule,
              "total": sum(r["total"] for r in rows), "units_with_nominations": sum(1 for r in rows if r["total"]),
              # the round page's totals row (polish, issue 13): each column summed over the units shown
              **{key: sum(r[key] for r in rows) for key in ("drafts", "waiting", "returned", "passed", "failed")},
              "memos_sent": sum(1 for r in rows if r["submission"] is not None and r["submission"].submitted_at)}
    return rows, totals


def rule_in_force(code, date):
    for rule in Rule.objects.filter(code=code, active=True).order_by("-effective_from"):
        if rule.applies_on(date):
            return rule
    return None


def rules_list():
    return Rule.objects.all()


def rules_described():
    """The rules with their parameters in Vietnamese sentences (``rule.parameter_sentences``; two queries for the
    award names)."""
    awards = {**dict(EmulationTitle.objects.values_list("code", "name")), **dict(CommendationForm.objects.values_list("code", "name"))}
    rules = list(rules_list())
    for rule in rules:
        rule.parameter_sentences = describe_parameters(rule.code, rule.parameters, awards)
    return rules


def violations_for(nominations):
    """``{pk: [violations]}`` of saved nominations, re-checked together (bounded number of queries)."""
    return check_nominations(list(nominations), stage=STAGE_AUDIT)


def preview_violations(nomination):
    """Violations an unsaved (or changed) nomination would raise, for instant feedback in the form; for a draft, R1's
    share of the unit's list as it would be sent now, as an advisory warning."""
    return evaluate([nomination], stage=STAGE_ENTRY, preview=True)[0]


def warnings_at(nominations, stage):
    """Whether moving ``nominations`` at ``stage`` meets a warning a reason could go past (a confirmation page shows the
    “lý do vượt cảnh báo” box only then). The rules engine once, bounded queries."""
    nominations = list(nominations)
    return bool(nominations) and any(not v.blocking and not v.advisory for found in evaluate(nominations, stage=stage) for v in found)


def vetting_queue(user):
    return nominations_visible_to(user).filter(state__in=NominationState.waiting_for_vetting())


def state_counts(qs):
    counts = defaultdict(int)
    for state, n in qs.order_by().values_list("state").annotate(n=Count("pk")):
        counts[state] = n
    return [(value, label, counts[value]) for value, label in NominationState.choices]


def bonus_amount(award, *, subject_kind, on):
    """Bonus = coefficient × base salary in force on ``on`` (the decision date), rounded up to the next 10.000 đồng.

    Returns ``(amount, coefficient, base salary)`` or ``None`` when the data for that date is missing.
    """
    lookup = {"title": award} if isinstance(award, EmulationTitle) else {"form": award}
    coefficient = (BonusCoefficient.objects.filter(**lookup, subject_kind__in=[subject_kind, SubjectKind.BOTH], effective_from__lte=on)
                   .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("-effective_from").first())
    salary = BaseSalary.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if coefficient is None or salary is None:
        return None
    raw = coefficient.coefficient * salary.amount
    return int(math.ceil(raw / 10000) * 10000), coefficient.coefficient, salary.amount


# ---------------------------------------------------------------- required documents (rule R12)

def required_documents_list():
    return RequiredDocument.objects.select_related("title", "form").order_by("scope", "kind", "title__sort_order", "form__sort_order", "id")


def submission_checklist(submission, nominations):
    """The required documents of the list a unit is about to send (``nominations``), present or missing: dicts with
    ``label``, ``whose`` (the nominee, or ``None`` for the unit's submission) and ``present``. Two queries."""
    requirements = required_documents()
    if not requirements or not nominations:
        return []
    by_nomination, by_submission = present_files([submission.pk], SubmissionDocument) if submission else ({}, {})
    shared = by_submission.get(submission.pk, set()) if submission else set()
    rows = [{"label": r.label, "whose": None, "present": r.kind in shared} for r in requirements
            if r.scope == RequirementScope.SUBMISSION and any(r.applies_to(n.title_id, n.form_id) for n in nominations)]
    for n in nominations:
        rows += [{"label": r.label, "whose": n.subject, "present": r.kind in by_nomination.get(n.pk, ())} for r in requirements
                 if r.scope == RequirementScope.NOMINEE and r.applies_to(n.title_id, n.form_id)]
    return rows


def documents_rule_in_force(nomination_round):
    """Whether R12 refuses to send a list of ``nomination_round`` with a file missing."""
    return any(r.code == "R12" and r.applies_on(nomination_round.reference_date) for r in load_rules())
