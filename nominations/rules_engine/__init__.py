"""The rules engine. Each legal or local rule is a :class:`~nominations.models.Rule` row (code,
parameters, legal basis, effective dates, severity, active); the validator registered under the same
code evaluates it.

:func:`evaluate` looks at a list of *pending* nominations (one from a form, a whole Excel import, or
every nomination of a round) as if they were added together to the database minus those rows, and
returns the violations of each. Validators work on the whole list with aggregate queries, so the
number of queries does not grow with the number of nominations.

``Nomination.full_clean(rules=RuleContext(…))`` calls :func:`enforce`, so every write path (form,
service, import, admin) runs the rules; the workflow judges a list moving together with
:func:`enforce_all` at the stage of the move. The context (stage, override reason, the rest of an
import) is always an argument, and the warnings that did not stop the write are the return value.

The package: ``registry`` (stages, :class:`Violation`, :class:`RuleContext`, ``register``), ``rule``
(the rows), ``batch`` (the data loaded once per check), and one module per family of validators:
``quota`` (R1, R2, R8), ``prerequisites`` (R4, R7), ``duplicates`` (R5), ``discipline`` (R6),
``deadline`` (R9), ``campaigns`` (R10, R11), ``documents`` (R12, the required documents). To add a rule: a row (data migration) and a function
decorated with ``@register("R12", stages=…)`` in the module of its family.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import deadline, discipline, documents, duplicates, prerequisites, quota  # noqa: F401  (they register their validators)
from .batch import Batch, load_rules
from .campaigns import campaign_violations
from .registry import (
    ALL_CHECKS,
    STAGE_AUDIT,
    STAGE_ENTRY,
    STAGE_LATER,
    STAGE_RESUBMIT,
    STAGE_SUBMIT,
    STAGE_VET,
    VALIDATORS,
    RuleContext,
    Violation,
    floor_share,
    fmt_date,
    fmt_pct,
    fmt_share,
    parameter_errors,
    register,
)
from .rule import Rule

__all__ = [
    "ALL_CHECKS", "STAGE_AUDIT", "STAGE_ENTRY", "STAGE_LATER", "STAGE_RESUBMIT", "STAGE_SUBMIT", "STAGE_VET", "VALIDATORS",
    "Batch", "Rule", "RuleContext", "Violation",
    "check_nominations", "enforce", "enforce_all", "errors_of", "evaluate", "floor_share", "fmt_date", "fmt_pct", "fmt_share",
    "load_rules", "overridden_codes", "parameter_errors", "register", "round_violations",
]


def evaluate(pending, *, stage, rules=None, today=None, preview=False, whole_list=False):
    """Violations of each pending nomination (a list per item, in order). ``preview``: a draft is shown to its unit
    (the form's live check): R1 adds what it would find if the unit's list were sent now, as an advisory warning.
    ``whole_list``: drafts arriving as a whole list (an Excel import): R1 judges them at once with the unit's list."""
    pending = list(pending)
    result = [[] for _ in pending]
    if not pending:
        return result
    batch = Batch(pending, stage=stage, rules=load_rules() if rules is None else rules, today=today, preview=preview,
                  whole_list=whole_list)
    refs = [f.ref for f in batch.facts]
    for rule in batch.rules:
        validator = VALIDATORS.get(rule.code)
        if validator is None or stage not in validator.stages:
            continue
        in_force = {date for date in set(refs) if rule.applies_on(date)}
        idx = [i for i, date in enumerate(refs) if date in in_force]
        if not idx:
            continue
        for i, found in validator.func(rule, batch, idx):
            result[i].append(found)
    return result


def overridden_codes(nomination, context):
    """Warning rules that pass for ``nomination``: all of them when ``context`` gives a reason now (``None``),
    else those already overridden for it."""
    if context.override_reason:
        return None  # every warning
    if nomination.pk:
        return set(nomination.overrides.values_list("rule__code", flat=True))
    return set()


def errors_of(violations, overridden):
    """Messages that stop a write: blocking ones, and warnings not overridden with a reason."""
    errors = []
    for v in violations:
        if v.advisory:
            continue
        if v.blocking:
            errors.append(str(v))
        elif overridden is not None and v.code not in overridden:
            errors.append(str(v) + " " + _("(Cảnh báo: ghi lý do vượt cảnh báo để tiếp tục.)"))
    return errors


def enforce(nomination, context):
    """Judge one nomination (with ``context.batch``, the rest of its import, as if saved together) at
    ``context.stage``: raise for blocking violations and warnings without a reason; return the warnings."""
    violations = evaluate([nomination, *context.batch], stage=context.stage, whole_list=context.whole_list)[0]
    errors = errors_of(violations, overridden_codes(nomination, context))
    if errors:
        raise ValidationError(errors, code="rule")
    return [v for v in violations if not v.blocking and not v.advisory]


def enforce_all(nominations, context):
    """Judge saved nominations moving together (a unit's list sent, a bulk vetting) as one list at
    ``context.stage``: raise with every error, each naming its nomination; return the warnings of each."""
    nominations = list(nominations)
    overridden = {}
    if not context.override_reason and nominations:
        # the nominations' own table (the engine does not import the model: see Batch.existing)
        rows = type(nominations[0])._default_manager.filter(pk__in=[n.pk for n in nominations], overrides__isnull=False)
        for pk, code in rows.values_list("pk", "overrides__rule__code"):
            overridden.setdefault(pk, set()).add(code)
    errors, warnings = [], []
    for n, violations in zip(nominations, evaluate(nominations, stage=context.stage), strict=True):
        passing = None if context.override_reason else overridden.get(n.pk, set())
        errors += [f"{n.subject} – {n.award}: {message}" for message in errors_of(violations, passing)]
        warnings.append([v for v in violations if not v.blocking and not v.advisory])
    if errors:
        raise ValidationError(errors, code="rule")
    return warnings


def check_nominations(nominations, *, stage=STAGE_AUDIT):
    """``{nomination pk: [violations]}`` for saved nominations (e.g. a whole round), bounded queries."""
    nominations = list(nominations)
    return {n.pk: v for n, v in zip(nominations, evaluate(nominations, stage=stage), strict=True)}


def round_violations(nomination_round):
    """Rules that judge a round itself (R10 for thematic rounds)."""
    if not nomination_round.reference_date:
        return []
    rules = [r for r in load_rules() if r.code == "R10" and r.applies_on(nomination_round.reference_date)]
    return [v for rule in rules for v in campaign_violations(rule, nomination_round)]
