"""The registry of the rules engine: the stages a rule is checked at, the violations it reports, the
validators registered under a rule code, the check of a rule row's parameters, and the
:class:`RuleContext` every check receives explicitly.

The lowest module of the engine: it imports nothing of the project but the enums, so the :class:`Rule`
model (``rule.py``) can check its parameters here.
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..enums import AwardType, RuleSeverity

STAGE_ENTRY = "entry"        # create a nomination or change its content
STAGE_SUBMIT = "submit"      # nháp → đã gửi
STAGE_RESUBMIT = "resubmit"  # trả lại → đã gửi lại (the deadline no longer applies)
STAGE_VET = "vet"            # → thẩm định đạt
STAGE_LATER = "later"        # → đưa ra Hội đồng, Hội đồng thông qua, có quyết định (the quota still holds)
STAGE_AUDIT = "audit"        # re-check of a whole round for display (gauges, lists), or after the facts changed

ALL_CHECKS = (STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_LATER, STAGE_AUDIT)


@dataclass(frozen=True)
class RuleContext:
    """What the rules need to know besides the nominations themselves, passed explicitly to
    ``Nomination.full_clean(rules=…)`` and to the engine (never through attributes of a nomination).

    - ``stage``: which rules apply (entry, submit, resubmit, vet, audit);
    - ``override_reason``: a reason given now for going past the warnings (the caller records it);
      without one, only the warnings already overridden for a saved nomination pass;
    - ``batch``: the other nominations saved together with this one (the rest of an Excel import), so the
      list is judged as a whole (40 % of the final list) whatever the order of the rows;
    - ``whole_list``: the drafts arrive as a whole list at once (an Excel import): the rules that judge a list
      when it is sent (R1) judge them now (``evaluate(…, whole_list=True)``). ``Nomination.full_clean_many``
      judges a list so, at once; a row judged alone with this flag, the rows before it saved and the rows after
      it as ``batch``, gets the same verdict (``tests/nominations/test_models.py``).

    The default, ``RuleContext()``, is the strict one: entry stage, no reason, nothing else pending.
    """

    stage: str = STAGE_ENTRY
    override_reason: str = ""
    batch: tuple = ()
    whole_list: bool = False


# ---------------------------------------------------------------- formatting

def fmt_pct(numerator, denominator):
    """``5, 11`` → ``"45,5"`` (one decimal, Vietnamese decimal comma)."""
    value = Decimal(numerator * 100) / Decimal(denominator) if denominator else Decimal(0)
    return f"{value:.1f}".replace(".", ",")


def fmt_share(share):
    """``Decimal("0.4")`` → ``"40"``, ``Decimal("0.125")`` → ``"12,5"``."""
    text = f"{(Decimal(share) * 100).normalize():f}"
    return text.replace(".", ",")


def fmt_date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def floor_share(share, total):
    """Largest whole number within ``share`` of ``total``: 40 % of 7 = 2,8 → 2."""
    return int((Decimal(share) * total).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class Violation:
    code: str
    name: str
    message: str
    legal_basis: str
    severity: str
    rule_id: int | None = field(default=None, compare=False)
    #: Shown, never enforced nor overridden: what a rule would say if a draft list were sent now (R1's share).
    advisory: bool = field(default=False, compare=False)

    @property
    def blocking(self):
        return self.severity == RuleSeverity.BLOCKING

    def __str__(self):
        text = f"{self.code} – {self.name}: {self.message}."
        basis = self.legal_basis.strip().rstrip(".;")
        if basis:
            text += " " + _("Căn cứ: %(basis)s.") % {"basis": basis}
        return text


def violation(rule, message, severity=None, *, advisory=False):
    """A :class:`Violation` of the rule row ``rule`` (its severity unless another is given; an advisory one is a
    warning that is only shown)."""
    if advisory:
        severity = RuleSeverity.WARNING
    return Violation(rule.code, rule.name, message, rule.legal_basis, severity or rule.severity, rule.pk, advisory)


# ---------------------------------------------------------------- registry

@dataclass(frozen=True)
class Validator:
    func: object
    stages: frozenset
    required: tuple
    doc: str


VALIDATORS: dict[str, Validator] = {}


def register(code, *, stages, required=()):
    def decorate(func):
        VALIDATORS[code] = Validator(func, frozenset(stages), tuple(required), (func.__doc__ or "").strip())
        return func
    return decorate


def _share_ok(value):
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return Decimal(0) < share <= Decimal(1)


def parameter_errors(code, parameters):
    """Errors in a rule row's parameters (checked by ``Rule.clean``)."""
    if code not in VALIDATORS:
        return [_("Chưa có bộ kiểm tra cho mã “%(code)s”. Các mã hợp lệ: %(codes)s.") % {
            "code": code, "codes": ", ".join(sorted(VALIDATORS))}]
    if not isinstance(parameters, dict):
        return [_("Tham số phải là một đối tượng JSON ({…}).")]
    errors = [_("Thiếu tham số “%(key)s”.") % {"key": key} for key in VALIDATORS[code].required if key not in parameters]
    for key in ("max_share",):
        if key in parameters and not _share_ok(parameters[key]):
            errors.append(_("“%(key)s” phải là tỷ lệ lớn hơn 0 và không quá 1 (ví dụ 0.4).") % {"key": key})
    if code == "R1" and not set(parameters.get("scopes", [])) <= {"unit", "all"}:
        errors.append(_("“scopes” chỉ gồm “unit” (từng đơn vị) và “all” (toàn cơ quan)."))
    for key in ("period", "scope"):
        if key in parameters and parameters[key] not in ("year", "round"):
            errors.append(_("“%(key)s” phải là “year” (cả năm) hoặc “round” (từng đợt).") % {"key": key})
    awards = parameters.get("awards", [])
    if not isinstance(awards, list) or not all(isinstance(code, str) and code.strip() for code in awards):
        errors.append(_("“awards” phải là danh sách mã danh hiệu, hình thức (ví dụ [\"CSTD_TINH\", \"BK_TINH\"]); để trống "
                        "([]) là mọi danh hiệu, hình thức."))
    kinds = parameters.get("round_kinds", []) + parameters.get("excluded_kinds", []) + parameters.get("exempt_kinds", [])
    if not set(kinds) <= set(AwardType.values):
        errors.append(_("Loại đợt chỉ gồm: %(kinds)s.") % {"kinds": ", ".join(AwardType.values)})
    return errors

