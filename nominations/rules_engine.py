"""The rules engine. Each legal or local rule is a :class:`~nominations.models.Rule` row
(code, parameters, legal basis, effective dates, severity, active); the validator
registered here under the same code evaluates it.

:func:`evaluate` looks at a list of *pending* nominations (one from a form, a whole
Excel import, or every nomination of a round) as if they were added together to the
database minus those rows, and returns the violations of each. Validators work on the
whole list with aggregate queries, so the number of queries does not grow with the
number of nominations.

Model ``clean()`` calls :func:`enforce`, so every write path (form, service, import,
admin) runs the rules; services call :func:`evaluate` with the stage of a transition.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.enums import DisciplineKind, Rating
from movements.models import CampaignDocument, DisciplineRecord, PerformanceRating, PositionAssignment

from .enums import AwardType, NominationState, RuleSeverity

STAGE_ENTRY = "entry"        # create a nomination or change its content
STAGE_SUBMIT = "submit"      # nháp → đã gửi
STAGE_RESUBMIT = "resubmit"  # trả lại → đã gửi lại (the deadline no longer applies)
STAGE_VET = "vet"            # → thẩm định đạt
STAGE_AUDIT = "audit"        # re-check of a whole round for display (gauges, lists)

ALL_CHECKS = (STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT)


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

    @property
    def blocking(self):
        return self.severity == RuleSeverity.BLOCKING

    def __str__(self):
        text = f"{self.code} – {self.name}: {self.message}."
        basis = self.legal_basis.strip().rstrip(".;")
        if basis:
            text += " " + _("Căn cứ: %(basis)s.") % {"basis": basis}
        return text


def _violation(rule, message, severity=None):
    return Violation(rule.code, rule.name, message, rule.legal_basis, severity or rule.severity, rule.pk)


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
    kinds = parameters.get("round_kinds", []) + parameters.get("excluded_kinds", []) + parameters.get("exempt_kinds", [])
    if not set(kinds) <= set(AwardType.values):
        errors.append(_("Loại đợt chỉ gồm: %(kinds)s.") % {"kinds": ", ".join(AwardType.values)})
    return errors


# ---------------------------------------------------------------- the batch being checked

def _covers(start, end, date):
    return start <= date and (end is None or date <= end)


class Batch:
    """The pending nominations and the data the validators share, each loaded once."""

    def __init__(self, pending, *, stage, rules, today=None):
        self.items = list(pending)
        self.stage = stage
        self.rules = rules
        self.today = today or timezone.localdate()
        self.pending_pks = [n.pk for n in self.items if n.pk]
        self._cache = {}

    # -- plain attributes of a pending nomination (objects already attached: no query)
    @staticmethod
    def ref(n):
        return n.round.reference_date

    @staticmethod
    def year(n):
        return n.round.year

    @staticmethod
    def proposing_unit(n):
        return n.submission.unit

    @staticmethod
    def subject_key(n):
        return ("p", n.person_id) if n.person_id else ("u", n.unit_id)

    @staticmethod
    def award_key(n):
        return ("t", n.title_id) if n.title_id else ("f", n.form_id)

    @staticmethod
    def award_code(n):
        award = n.title if n.title_id else n.form
        return award.code if award else ""

    def _once(self, key, loader):
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    def existing(self):
        """Nominations outside the batch that count (not refused)."""
        from .models import Nomination

        return Nomination.objects.filter(state__in=NominationState.counted()).exclude(pk__in=self.pending_pks)

    def rule_params(self, code, date):
        for rule in self.rules:
            if rule.code == code and rule.applies_on(date):
                return rule.parameters
        return None

    # -- positions (leadership, heads, members) around the reference dates: one query
    def positions(self):
        def load():
            persons = {n.person_id for n in self.items if n.person_id}
            units = {n.unit_id for n in self.items if n.unit_id}
            if not persons and not units:
                return []
            dates = [self.ref(n) for n in self.items]
            return list(
                PositionAssignment.objects.filter(Q(person_id__in=persons) | Q(unit_id__in=units))
                .filter(start_date__lte=max(dates)).filter(Q(end_date__isnull=True) | Q(end_date__gte=min(dates)))
                .select_related("person", "unit")
            )
        return self._once("positions", load)

    def _positions_by(self, attr):
        def load():
            grouped = defaultdict(list)
            for a in self.positions():
                grouped[getattr(a, attr)].append(a)
            return grouped
        return self._once(f"positions_by_{attr}", load)

    def is_leader(self, n):
        ref = self.ref(n)
        return any(a.is_leadership and _covers(a.start_date, a.end_date, ref) for a in self._positions_by("person_id")[n.person_id])

    def head_of(self, unit_id, date):
        for a in self._positions_by("unit_id")[unit_id]:
            if a.is_head and _covers(a.start_date, a.end_date, date):
                return a
        return None

    def headed_by(self, person_id, date):
        return [a for a in self._positions_by("person_id")[person_id] if a.is_head and _covers(a.start_date, a.end_date, date)]

    def members(self, unit_id, date):
        return sorted({a.person_id for a in self._positions_by("unit_id")[unit_id] if _covers(a.start_date, a.end_date, date)})

    # -- discipline and hold records of the subjects: one query
    def disciplines(self):
        def load():
            persons = {n.person_id for n in self.items if n.person_id}
            units = {n.unit_id for n in self.items if n.unit_id}
            grouped = defaultdict(list)
            for d in DisciplineRecord.objects.filter(Q(person_id__in=persons) | Q(unit_id__in=units)).order_by("start_date"):
                grouped[("p", d.person_id) if d.person_id else ("u", d.unit_id)].append(d)
            return grouped
        return self._once("disciplines", load)

    def discipline_cut_year(self, n):
        """After a discipline, achievements count only from its end: years up to the end's year are out."""
        ref = self.ref(n)
        ends = [d.end_date for d in self.disciplines()[self.subject_key(n)]
                if d.kind in DisciplineKind.disciplines() and d.end_date and d.end_date < ref]
        return max(ends) if ends else None

    def award_names(self):
        from .models import CommendationForm, EmulationTitle

        def load():
            names = dict(EmulationTitle.objects.values_list("code", "name"))
            names.update(CommendationForm.objects.values_list("code", "name"))
            return names
        return self._once("award_names", load)


def load_rules():
    from .models import Rule

    return list(Rule.objects.filter(active=True).order_by("sort_order", "code", "-effective_from"))


def evaluate(pending, *, stage, rules=None, today=None):
    """Violations of each pending nomination (a list per item, in order)."""
    pending = list(pending)
    result = [[] for _ in pending]
    if not pending:
        return result
    batch = Batch(pending, stage=stage, rules=load_rules() if rules is None else rules, today=today)
    for rule in batch.rules:
        validator = VALIDATORS.get(rule.code)
        if validator is None or stage not in validator.stages:
            continue
        idx = [i for i, n in enumerate(pending) if rule.applies_on(batch.ref(n))]
        if not idx:
            continue
        for i, violation in validator.func(rule, batch, idx):
            result[i].append(violation)
    return result


def overridden_codes(nomination):
    """Warning rules already overridden for ``nomination`` (or all warnings, when a reason is being given now)."""
    if getattr(nomination, "_override_reason", ""):
        return None  # every warning
    if nomination.pk:
        return set(nomination.overrides.values_list("rule__code", flat=True))
    return set()


def errors_of(violations, overridden):
    """Messages that stop a write: blocking ones, and warnings not overridden with a reason."""
    errors = []
    for v in violations:
        if v.blocking:
            errors.append(str(v))
        elif overridden is not None and v.code not in overridden:
            errors.append(str(v) + " " + _("(Cảnh báo: ghi lý do vượt cảnh báo để tiếp tục.)"))
    return errors


def enforce(nomination, *, stage):
    """Called by ``Nomination.clean()``: raise for blocking violations and warnings without a reason.

    Siblings of an import still to be saved are passed as ``nomination._batch_rest`` so that
    the list is judged as a whole (40 % of the final list), whatever the order of the rows.
    """
    pending = [nomination, *getattr(nomination, "_batch_rest", ())]
    violations = evaluate(pending, stage=stage)[0]
    nomination._warnings = [v for v in violations if not v.blocking]
    errors = errors_of(violations, overridden_codes(nomination))
    if errors:
        raise ValidationError(errors, code="rule")
    return violations


def check_nominations(nominations, *, stage=STAGE_AUDIT):
    """``{nomination pk: [violations]}`` for saved nominations (e.g. a whole round), bounded queries."""
    nominations = list(nominations)
    return {n.pk: v for n, v in zip(nominations, evaluate(nominations, stage=stage), strict=True)}


def round_violations(nomination_round):
    """Rules that judge a round itself (R10 for thematic rounds)."""
    if not nomination_round.reference_date:
        return []
    rules = [r for r in load_rules() if r.code == "R10" and r.applies_on(nomination_round.reference_date)]
    return [v for rule in rules for v in _campaign_violations(rule, nomination_round)]


# ---------------------------------------------------------------- R1 leaders ≤ 40 %

def _leader_at_reference():
    ref = OuterRef("round__reference_date")
    return Exists(PositionAssignment.objects.filter(person_id=OuterRef("person_id"), is_leadership=True, start_date__lte=ref)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=ref)))


def _period_filter(params, n):
    if params.get("period", "year") == "round":
        return {"round_id": n.round_id} if n.round_id else {"round": n.round}, ("round", n.round_id or id(n.round))
    kinds = params.get("round_kinds") or AwardType.values
    return {"round__year": n.round.year, "round__kind__in": kinds}, ("year", n.round.year)


def _in_period(params, n):
    return params.get("period", "year") == "round" or n.round.kind in (params.get("round_kinds") or AwardType.values)


def _excess(new_flags, db_total, db_leaders, share):
    """Final counts and the pending persons beyond the limit (the last ones in order)."""
    total = db_total + len(new_flags)
    leaders = db_leaders + sum(1 for flag in new_flags.values() if flag)
    allowed = floor_share(share, total)
    flagged = []
    if leaders > allowed:
        new_leaders = [p for p, flag in new_flags.items() if flag]
        flagged = new_leaders[-(leaders - allowed):]
    return total, leaders, allowed, flagged


@register("R1", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT), required=("max_share",))
def leadership_share(rule, batch, idx):
    """Cá nhân giữ chức vụ lãnh đạo, quản lý không quá ``max_share`` tổng số cá nhân được đề nghị,
    theo từng đơn vị (``unit``) và toàn cơ quan (``all``), trong cả năm (``period: year``, gồm các
    loại đợt ``round_kinds``) hoặc từng đợt. Chức vụ xét theo quá trình công tác tại ngày xét của đợt."""
    p = rule.parameters
    share = Decimal(str(p["max_share"]))
    scopes = p.get("scopes", ["unit", "all"])
    groups = defaultdict(list)
    for i in idx:
        n = batch.items[i]
        if n.person_id and _in_period(p, n):
            flt, key = _period_filter(p, n)
            groups[key].append((i, n, flt))
    out = []
    for (period, value), members in groups.items():
        flt = members[0][2]
        base = batch.existing().filter(person__isnull=False, **flt)
        persons = {n.person_id for _i, n, _f in members}
        already = set(base.filter(person_id__in=persons).values_list("person_id", "submission__unit_id").distinct())
        leader = _leader_at_reference()
        label_period = _("năm %(year)s") % {"year": value} if period == "year" else _("đợt “%(round)s”") % {"round": members[0][1].round}
        if "unit" in scopes:
            per_unit = {row["submission__unit_id"]: row for row in base.values("submission__unit_id").annotate(
                total=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=leader))}
            by_unit = defaultdict(list)
            for i, n, _f in members:
                by_unit[batch.proposing_unit(n)].append((i, n))
            for unit, rows in by_unit.items():
                new = {}
                for _i, n in rows:
                    if (n.person_id, unit.pk) not in already and n.person_id not in new:
                        new[n.person_id] = batch.is_leader(n)
                db = per_unit.get(unit.pk, {"total": 0, "leaders": 0})
                total, leaders, allowed, flagged = _excess(new, db["total"], db["leaders"], share)
                for i, n in rows:
                    if n.person_id in flagged:
                        out.append((i, _violation(rule, _(
                            "%(unit)s, %(period)s: %(l)s/%(t)s cá nhân là lãnh đạo, quản lý (%(pct)s%%) > %(max)s%% (tối đa %(allowed)s người)")
                            % {"unit": unit.name, "period": label_period, "l": leaders, "t": total, "pct": fmt_pct(leaders, total),
                               "max": fmt_share(share), "allowed": allowed})))
        if "all" in scopes:
            agg = base.aggregate(total=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=leader))
            known = {p_ for p_, _u in already}
            new = {}
            for _i, n, _f in members:
                if n.person_id not in known and n.person_id not in new:
                    new[n.person_id] = batch.is_leader(n)
            total, leaders, allowed, flagged = _excess(new, agg["total"], agg["leaders"], share)
            for i, n, _f in members:
                if n.person_id in flagged:
                    out.append((i, _violation(rule, _(
                        "Toàn cơ quan, %(period)s: %(l)s/%(t)s cá nhân là lãnh đạo, quản lý (%(pct)s%%) > %(max)s%% (tối đa %(allowed)s người)")
                        % {"period": label_period, "l": leaders, "t": total, "pct": fmt_pct(leaders, total),
                           "max": fmt_share(share), "allowed": allowed})))
    return out


# ---------------------------------------------------------------- R2 a collective and its head

@register("R2", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def collective_and_head(rule, batch, idx):
    """Không đề nghị đồng thời một tập thể và người đứng đầu tập thể đó (cùng năm, mọi đợt và
    đơn vị; ``period: round`` để chỉ xét trong một đợt). Người đứng đầu xét tại ngày xét."""
    p = rule.parameters
    by_round = p.get("period", "year") == "round"
    kinds = p.get("round_kinds") or AwardType.values
    pairs = []  # (i, side, head assignment)
    for i in idx:
        n = batch.items[i]
        if n.round.kind not in kinds:
            continue
        if n.unit_id:
            head = batch.head_of(n.unit_id, batch.ref(n))
            if head:
                pairs.append((i, "unit", head))
        else:
            pairs.extend((i, "person", a) for a in batch.headed_by(n.person_id, batch.ref(n)))
    if not pairs:
        return []

    def key(year, round_id):
        return round_id if by_round else year

    heads = {a.person_id for _i, _s, a in pairs}
    units = {a.unit_id for _i, _s, a in pairs}
    years = {batch.year(batch.items[i]) for i, _s, _a in pairs}
    rows = (batch.existing().filter(round__year__in=years, round__kind__in=kinds)
            .filter(Q(person_id__in=heads) | Q(unit_id__in=units)).values_list("person_id", "unit_id", "round__year", "round_id"))
    taken_person, taken_unit = set(), set()
    for person_id, unit_id, year, round_id in rows:
        if person_id:
            taken_person.add((person_id, key(year, round_id)))
        else:
            taken_unit.add((unit_id, key(year, round_id)))
    out = []
    seen_person, seen_unit = set(), set()
    for i, side, a in pairs:
        n = batch.items[i]
        k = key(batch.year(n), n.round_id or id(n.round))
        period = _("đợt này") if by_round else _("năm %(year)s") % {"year": batch.year(n)}
        if side == "unit" and ((a.person_id, k) in taken_person or (a.person_id, k) in seen_person):
            out.append((i, _violation(rule, _("%(name)s, người đứng đầu %(unit)s, đã được đề nghị khen thưởng trong %(period)s: "
                                              "không đề nghị đồng thời tập thể và người đứng đầu tập thể đó")
                                      % {"name": a.person.full_name, "unit": a.unit.name, "period": period})))
        if side == "person" and ((a.unit_id, k) in taken_unit or (a.unit_id, k) in seen_unit):
            out.append((i, _violation(rule, _("Tập thể %(unit)s đã được đề nghị khen thưởng trong %(period)s: không đề nghị đồng thời "
                                              "người đứng đầu %(name)s")
                                      % {"unit": a.unit.name, "period": period, "name": a.person.full_name})))
        if n.unit_id:
            seen_unit.add((n.unit_id, k))
        else:
            seen_person.add((n.person_id, k))
    return out


# ---------------------------------------------------------------- R4 prerequisites (with R7)

def _rating_label(value):
    return Rating(value).label if value in Rating.values else value


class _History:
    """Ratings, merit awards, concurrent nominations and initiatives of the subjects, by year."""

    def __init__(self, batch, items, excluded_kinds, span):
        self.batch = batch
        lo, hi = span
        persons = {n.person_id for n in items if n.person_id}
        units = {n.unit_id for n in items if n.unit_id}
        self.members = {}
        for n in items:
            if n.unit_id:
                self.members[(n.unit_id, batch.ref(n))] = batch.members(n.unit_id, batch.ref(n))
                persons.update(self.members[(n.unit_id, batch.ref(n))])
        who = Q(person_id__in=persons) | Q(unit_id__in=units)
        self.ratings = {}
        for person_id, unit_id, year, rating in PerformanceRating.objects.filter(who, year__gte=lo, year__lte=hi).values_list(
                "person_id", "unit_id", "year", "rating"):
            self.ratings[(("p", person_id) if person_id else ("u", unit_id), year)] = rating
        from .models import AwardRecord, Initiative

        self.awards = defaultdict(set)  # (subject, code) → years
        for person_id, unit_id, year, kind, tcode, fcode, tmerit, fmerit in AwardRecord.objects.filter(
                who, year__gte=lo, year__lte=hi).values_list("person_id", "unit_id", "year", "kind", "title__code", "form__code",
                                                             "title__counts_as_merit", "form__counts_as_merit"):
            if kind in excluded_kinds or not (tmerit if tcode else fmerit):
                continue
            self.awards[(("p", person_id) if person_id else ("u", unit_id), tcode or fcode)].add(year)
        # Nominations of the same year count as "this year's" title (LĐTT proposed with CSTĐCS, members' LĐTT…).
        self.concurrent = defaultdict(set)
        years = {batch.year(n) for n in items}
        kinds = [k for k in AwardType.values if k not in excluded_kinds]
        for person_id, unit_id, year, tcode, fcode in batch.existing().filter(who, round__year__in=years, round__kind__in=kinds).values_list(
                "person_id", "unit_id", "round__year", "title__code", "form__code"):
            self.concurrent[(("p", person_id) if person_id else ("u", unit_id), tcode or fcode)].add(year)
        for n in batch.items:
            if n.round.kind in kinds:
                self.concurrent[(batch.subject_key(n), batch.award_code(n))].add(batch.year(n))
        self.initiatives = defaultdict(list)
        for person_id, year, scope in Initiative.objects.filter(person_id__in=persons, year__gte=lo, year__lte=hi).values_list(
                "person_id", "year", "scope"):
            self.initiatives[("p", person_id)].append((year, scope))

    def has_award(self, subject, code, year, *, self_item=None):
        if year in self.awards[(subject, code)]:
            return True
        if year in self.concurrent[(subject, code)]:
            # the nomination being checked does not prove itself
            return not (self_item is not None and self.batch.subject_key(self_item) == subject
                        and self.batch.award_code(self_item) == code and self._only_self(subject, code, year, self_item))
        return False

    def _only_self(self, subject, code, year, item):
        others = [n for n in self.batch.items if n is not item and self.batch.subject_key(n) == subject
                  and self.batch.award_code(n) == code and self.batch.year(n) == year]
        return not others

    def rating(self, subject, year):
        return self.ratings.get((subject, year))


def _rank(value):
    return Rating.rank(value) if value in Rating.values else 0


def _person_prerequisites(batch, hist, n, crit, names, cut):
    subject, year = batch.subject_key(n), batch.year(n)
    problems = []
    if cut and year <= cut.year:
        return [_("thành tích năm %(year)s không được tính vì kỷ luật đến %(date)s") % {"year": year, "date": fmt_date(cut)}]
    rating = hist.rating(subject, year)
    if "min_rating" in crit:
        if rating is None:
            problems.append(_("chưa có xếp loại chất lượng năm %(year)s") % {"year": year})
        elif _rank(rating) < _rank(crit["min_rating"]):
            problems.append(_("xếp loại năm %(year)s là “%(r)s”, cần từ “%(min)s” trở lên")
                            % {"year": year, "r": _rating_label(rating), "min": _rating_label(crit["min_rating"])})
    if "one_of" in crit:
        alt = crit["one_of"]
        ok = bool(alt.get("rating")) and rating == alt["rating"]
        if alt.get("initiative_in_year"):
            ok = ok or any(y == year for y, _s in hist.initiatives[subject])
        if not ok:
            problems.append(_("cần xếp loại “%(r)s” năm %(year)s hoặc có sáng kiến, đề tài được công nhận, nghiệm thu trong năm %(year)s")
                            % {"r": _rating_label(alt.get("rating", "HTXSNV")), "year": year})
    windows = [[year]]
    if "consecutive_any" in crit:
        options = crit["consecutive_any"]
        span = max(o["years"] for o in options)
        windows = []
        for option in options:
            size = option["years"]
            for end in (year, year - 1):
                window = list(range(end - size + 1, end + 1))
                if cut and window[0] <= cut.year:
                    continue
                if "award" in option:
                    ok = all(hist.has_award(subject, option["award"], y, self_item=n) for y in window)
                else:
                    ok = all(hist.rating(subject, y) == option["rating"] for y in window)
                if ok:
                    windows.append(window)
        if not windows:
            wanted, facts = [], []
            for option in options:
                if "award" in option:
                    what = names.get(option["award"], option["award"])
                    got = [y for y in range(year - span - 1, year + 1)
                           if hist.has_award(subject, option["award"], y, self_item=n) and not (cut and y <= cut.year)]
                else:
                    what = _rating_label(option["rating"])
                    got = [y for y in range(year - span - 1, year + 1)
                           if hist.rating(subject, y) == option["rating"] and not (cut and y <= cut.year)]
                wanted.append(_("%(n)s năm liên tục đạt “%(what)s”") % {"n": option["years"], "what": what})
                facts.append(_("%(what)s: %(years)s") % {"what": what, "years": ", ".join(map(str, got)) or _("chưa có năm nào")})
            problems.append(_("cần %(wanted)s, kết thúc năm %(prev)s hoặc %(year)s (%(facts)s)")
                            % {"wanted": _(" hoặc ").join(wanted), "prev": year - 1, "year": year, "facts": "; ".join(facts)})
            windows = [list(range(year - span + 1, year + 1))]
    if "initiatives_in_window" in crit:
        need = crit["initiatives_in_window"]
        wanted_scope = need.get("scope")
        counts = [sum(1 for y, scope in hist.initiatives[subject] if y in window and (not wanted_scope or scope == wanted_scope))
                  for window in windows]
        if max(counts) < need["count"]:
            best = windows[counts.index(max(counts))]
            period = str(best[0]) if len(best) == 1 else f"{best[0]}–{best[-1]}"
            scope_text = _(" có phạm vi ảnh hưởng cấp tỉnh") if wanted_scope == "province" else ""
            problems.append(_("cần ít nhất %(need)s sáng kiến, đề tài%(scope)s trong %(period)s: có %(got)s")
                            % {"need": need["count"], "scope": scope_text, "period": period, "got": max(counts)})
    return problems


def _unit_prerequisites(batch, hist, n, crit, names):
    subject, year = batch.subject_key(n), batch.year(n)
    problems = []
    if "min_rating" in crit:
        rating = hist.rating(subject, year)
        if rating is None:
            problems.append(_("tập thể chưa có xếp loại chất lượng năm %(year)s") % {"year": year})
        elif _rank(rating) < _rank(crit["min_rating"]):
            problems.append(_("tập thể xếp loại năm %(year)s là “%(r)s”, cần từ “%(min)s” trở lên")
                            % {"year": year, "r": _rating_label(rating), "min": _rating_label(crit["min_rating"])})
    members = hist.members.get((n.unit_id, batch.ref(n)), [])
    if any(k in crit for k in ("members_min_rating", "members_award_share", "members_award_count")) and not members:
        return [*problems, _("tập thể chưa có thành viên vào ngày xét")]
    total = len(members)
    if "members_min_rating" in crit:
        below = sum(1 for m in members if _rank(hist.rating(("p", m), year)) < _rank(crit["members_min_rating"]))
        if below:
            problems.append(_("%(k)s/%(n)s thành viên chưa đạt từ “%(min)s” trở lên năm %(year)s (cần 100%%)")
                            % {"k": below, "n": total, "min": _rating_label(crit["members_min_rating"]), "year": year})
    if "members_award_share" in crit:
        rule = crit["members_award_share"]
        share = Decimal(str(rule["min_share"]))
        got = sum(1 for m in members if hist.has_award(("p", m), rule["award"], year))
        strict = rule.get("more_than", False)
        ok = (Decimal(got) > share * total) if strict else (Decimal(got) >= share * total)
        if not ok:
            problems.append(_("%(k)s/%(n)s thành viên đạt “%(what)s” năm %(year)s (%(pct)s%%), cần %(cmp)s %(min)s%%")
                            % {"k": got, "n": total, "what": names.get(rule["award"], rule["award"]), "year": year,
                               "pct": fmt_pct(got, total), "cmp": _("trên") if strict else _("từ"), "min": fmt_share(share)})
    if "members_award_count" in crit:
        rule = crit["members_award_count"]
        got = sum(1 for m in members if hist.has_award(("p", m), rule["award"], year))
        if got < rule["min"]:
            problems.append(_("cần ít nhất %(min)s thành viên đạt “%(what)s” năm %(year)s: có %(k)s")
                            % {"min": rule["min"], "what": names.get(rule["award"], rule["award"]), "year": year, "k": got})
    return problems


@register("R4", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def prerequisites(rule, batch, idx):
    """Điều kiện theo lịch sử xếp loại, khen thưởng, sáng kiến của từng danh hiệu/hình thức (tham số
    theo mã). Khen thưởng đột xuất, chuyên đề không được tính (R7); sau kỷ luật chỉ tính thành tích
    từ khi hết thời hạn kỷ luật (R6)."""
    targets = []
    for i in idx:
        n = batch.items[i]
        crit = rule.parameters.get(batch.award_code(n))
        if not crit:
            continue
        wants = crit.get("subject")
        if wants and wants != ("person" if n.person_id else "unit"):
            continue
        targets.append((i, n, crit))
    if not targets:
        return []
    r7 = batch.rule_params("R7", batch.ref(targets[0][1])) or {}
    excluded = r7.get("excluded_kinds", [])
    years = [batch.year(n) for _i, n, _c in targets]
    hist = _History(batch, [n for _i, n, _c in targets], excluded, (min(years) - 6, max(years)))
    names = batch.award_names()
    out = []
    for i, n, crit in targets:
        if n.person_id:
            problems = _person_prerequisites(batch, hist, n, crit, names, batch.discipline_cut_year(n))
        else:
            problems = _unit_prerequisites(batch, hist, n, crit, names)
        if problems:
            award = names.get(batch.award_code(n), batch.award_code(n))
            out.append((i, _violation(rule, _("%(subject)s chưa đủ điều kiện “%(award)s”: %(problems)s")
                                      % {"subject": n.subject, "award": award, "problems": "; ".join(problems)})))
    return out


@register("R7", stages=())
def thematic_and_ad_hoc_do_not_count(rule, batch, idx):
    """Kết quả khen thưởng đột xuất, chuyên đề không làm căn cứ đề nghị khen thưởng công trạng:
    các loại trong ``excluded_kinds`` không được R4 tính (quy định này không tự báo vi phạm)."""
    return []


# ---------------------------------------------------------------- R5 one achievement, one award

@register("R5", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def one_achievement(rule, batch, idx):
    """Một thành tích chỉ khen một lần: không đề nghị trùng đối tượng và danh hiệu/hình thức trong
    cùng năm (cùng loại đợt; đột xuất: cùng đợt), kể cả đã có quyết định. Một cá nhân được hai đơn vị
    đề nghị trong năm bị cảnh báo (``cross_unit_severity``)."""
    from .models import AwardRecord

    p = rule.parameters
    cross_severity = p.get("cross_unit_severity", RuleSeverity.WARNING)
    items = [(i, batch.items[i]) for i in idx]
    persons = {n.person_id for _i, n in items if n.person_id}
    units = {n.unit_id for _i, n in items if n.unit_id}
    years = {batch.year(n) for _i, n in items}
    who = Q(person_id__in=persons) | Q(unit_id__in=units)

    def key(subject, award, year, kind, round_id):
        return subject, award, year, kind, round_id if kind == AwardType.AD_HOC else None

    taken = {}
    for row in batch.existing().filter(who, round__year__in=years).values(
            "person_id", "unit_id", "title_id", "form_id", "round_id", "round__year", "round__kind", "round__name",
            "submission__unit_id", "submission__unit__name"):
        subject = ("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"])
        award = ("t", row["title_id"]) if row["title_id"] else ("f", row["form_id"])
        taken.setdefault(key(subject, award, row["round__year"], row["round__kind"], row["round_id"]),
                         _("đã có đề nghị trong đợt “%(round)s”") % {"round": row["round__name"]})
        if row["person_id"]:
            taken.setdefault(("unit", row["person_id"], row["round__year"]), []).append(
                (row["submission__unit_id"], row["submission__unit__name"]))
    for row in AwardRecord.objects.filter(who, year__in=years).values(
            "person_id", "unit_id", "title_id", "form_id", "year", "kind", "decision_number"):
        subject = ("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"])
        award = ("t", row["title_id"]) if row["title_id"] else ("f", row["form_id"])
        text = (_("đã được khen thưởng (Quyết định số %(number)s)") % {"number": row["decision_number"]}
                if row["decision_number"] else _("đã được khen thưởng"))
        taken.setdefault(key(subject, award, row["year"], row["kind"], None), text)
    out = []
    for i, n in items:
        year = batch.year(n)
        k = key(batch.subject_key(n), batch.award_key(n), year, n.round.kind, n.round_id or id(n.round))
        award = n.title if n.title_id else n.form
        if k in taken:
            out.append((i, _violation(rule, _("%(subject)s %(what)s “%(award)s” năm %(year)s: một thành tích chỉ khen thưởng một lần")
                                      % {"subject": n.subject, "what": taken[k], "award": award, "year": year})))
        else:
            taken[k] = _("đã có trong danh sách này")
        if n.person_id:
            unit = batch.proposing_unit(n)
            others = taken.setdefault(("unit", n.person_id, year), [])
            other_names = sorted({name for uid, name in others if uid != unit.pk})
            if other_names:
                out.append((i, _violation(rule, _("%(subject)s cũng được %(units)s đề nghị trong năm %(year)s: kiểm tra để không khen "
                                                  "hai lần cho một thành tích")
                                          % {"subject": n.subject, "units": ", ".join(other_names), "year": year},
                                          severity=cross_severity)))
            others.append((unit.pk, unit.name))
    return out


# ---------------------------------------------------------------- R6 hold and discipline

@register("R6", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def hold(rule, batch, idx):
    """Không đề nghị khi đang bị xem xét kỷ luật, điều tra, thanh tra, có đơn thư đang xác minh hoặc
    đang chịu kỷ luật vào ngày xét; sau kỷ luật, chỉ tính thành tích từ khi hết thời hạn kỷ luật (không
    áp dụng cho đợt đột xuất)."""
    out = []
    discipline_kinds = DisciplineKind.disciplines()
    for i in idx:
        n = batch.items[i]
        ref, year = batch.ref(n), batch.year(n)
        for d in batch.disciplines()[batch.subject_key(n)]:
            period = (_("từ %(start)s đến %(end)s") % {"start": fmt_date(d.start_date), "end": fmt_date(d.end_date)} if d.end_date
                      else _("từ %(start)s, chưa kết thúc") % {"start": fmt_date(d.start_date)})
            if d.covers(ref):
                out.append((i, _violation(rule, _("%(subject)s đang trong thời gian “%(kind)s” (%(period)s) vào ngày xét %(ref)s: "
                                                  "không đề nghị khen thưởng")
                                          % {"subject": n.subject, "kind": d.get_kind_display(), "period": period, "ref": fmt_date(ref)})))
            elif (d.kind in discipline_kinds and n.round.kind != AwardType.AD_HOC and d.end_date
                  and d.end_date >= datetime.date(year, 1, 1) and d.start_date <= ref):
                out.append((i, _violation(rule, _("%(subject)s bị “%(kind)s” (%(period)s): chỉ tính thành tích từ %(after)s, thành tích "
                                                  "năm %(year)s không đủ để đề nghị")
                                          % {"subject": n.subject, "kind": d.get_kind_display(), "period": period,
                                             "after": fmt_date(d.end_date + datetime.timedelta(days=1)), "year": year})))
    return out


# ---------------------------------------------------------------- R8 ratio between titles

@register("R8", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT),
          required=("numerator", "denominator", "max_share"))
def title_ratio(rule, batch, idx):
    """Tỷ lệ giữa hai danh hiệu (ví dụ Chiến sĩ thi đua cơ sở không quá 15% số Lao động tiên tiến),
    trong từng đợt (``scope: round``) hoặc cả năm (``scope: year``)."""
    p = rule.parameters
    num, den, share = p["numerator"], p["denominator"], Decimal(str(p["max_share"]))
    by_round = p.get("scope", "round") == "round"
    groups = defaultdict(list)
    for i in idx:
        n = batch.items[i]
        if batch.award_code(n) in (num, den):
            groups[n.round_id or id(n.round) if by_round else batch.year(n)].append((i, n))
    names = batch.award_names()
    out = []
    for key, rows in groups.items():
        first = rows[0][1]
        flt = {"round": first.round} if by_round else {"round__year": key}
        agg = batch.existing().filter(**flt).aggregate(
            num=Count("pk", filter=Q(title__code=num) | Q(form__code=num)), den=Count("pk", filter=Q(title__code=den) | Q(form__code=den)))
        n_num = agg["num"] + sum(1 for _i, n in rows if batch.award_code(n) == num)
        n_den = agg["den"] + sum(1 for _i, n in rows if batch.award_code(n) == den)
        allowed = floor_share(share, n_den)
        if n_num <= allowed:
            continue
        pending_num = [(i, n) for i, n in rows if batch.award_code(n) == num]
        where = _("đợt “%(round)s”") % {"round": first.round} if by_round else _("năm %(year)s") % {"year": key}
        for i, _n in pending_num[-(n_num - allowed):]:
            out.append((i, _violation(rule, _("%(where)s: %(k)s “%(num)s” / %(n)s “%(den)s” (%(pct)s%%) > %(max)s%% (tối đa %(allowed)s)")
                                      % {"where": where, "k": n_num, "num": names.get(num, num), "n": n_den,
                                         "den": names.get(den, den), "pct": fmt_pct(n_num, n_den), "max": fmt_share(share),
                                         "allowed": allowed})))
    return out


# ---------------------------------------------------------------- R9 deadline, R10 thematic rounds

@register("R9", stages=(STAGE_ENTRY, STAGE_SUBMIT))
def deadline(rule, batch, idx):
    """Không nhận hồ sơ sau hạn nộp của đợt, trừ các loại đợt ``exempt_kinds`` (đột xuất). Hồ sơ bị
    trả lại được sửa và gửi lại sau hạn."""
    exempt = rule.parameters.get("exempt_kinds", [AwardType.AD_HOC])
    out = []
    for i in idx:
        n = batch.items[i]
        if n.round.kind in exempt or not n.round.deadline or n.state == NominationState.RETURNED:
            continue
        if batch.today > n.round.deadline:
            out.append((i, _violation(rule, _("đợt “%(round)s” đã hết hạn nộp hồ sơ ngày %(date)s")
                                      % {"round": n.round, "date": fmt_date(n.round.deadline)})))
    return out


def _campaign_violations(rule, nomination_round, documents=None):
    if nomination_round.kind != AwardType.THEMATIC:
        return []
    campaign = nomination_round.campaign if nomination_round.campaign_id else None
    if campaign is None:
        return [_violation(rule, _("đợt chuyên đề phải gắn với một phong trào thi đua"))]
    kinds = documents if documents is not None else set(CampaignDocument.objects.filter(campaign=campaign).values_list("kind", flat=True))
    required = rule.parameters.get("required_all", ["plan"])
    any_of = rule.parameters.get("required_any", ["interim_report", "final_report"])
    if set(required) <= kinds and (not any_of or kinds & set(any_of)):
        return []
    return [_violation(rule, _("phong trào “%(campaign)s” chưa có đủ kế hoạch và báo cáo sơ kết hoặc tổng kết: không xét khen thưởng "
                               "chuyên đề") % {"campaign": campaign})]


@register("R10", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_AUDIT))
def thematic_campaign(rule, batch, idx):
    """Đợt chuyên đề chỉ cho phong trào đã có kế hoạch (``required_all``) và báo cáo sơ kết hoặc tổng
    kết (``required_any``)."""
    thematic = [(i, batch.items[i]) for i in idx if batch.items[i].round.kind == AwardType.THEMATIC]
    if not thematic:
        return []
    campaigns = {n.round.campaign_id for _i, n in thematic if n.round.campaign_id}
    docs = defaultdict(set)
    for campaign_id, kind in CampaignDocument.objects.filter(campaign_id__in=campaigns).values_list("campaign_id", "kind"):
        docs[campaign_id].add(kind)
    out = []
    for i, n in thematic:
        out.extend((i, v) for v in _campaign_violations(rule, n.round, docs[n.round.campaign_id]))
    return out


# ---------------------------------------------------------------- R11 registration before nomination

@register("R11", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def registration_required(rule, batch, idx):
    """Khi đợt đăng ký thi đua của năm đặt "bắt buộc đăng ký trước khi đề nghị", chỉ xét danh hiệu thi
    đua (trong các loại đợt ``round_kinds``, mặc định tổng kết năm) cho cá nhân, tập thể đã đăng ký đúng
    danh hiệu đó trong phiếu đăng ký đã được duyệt của năm."""
    from movements.enums import RegistrationState
    from movements.models import Registration, RegistrationEntry, RegistrationWindow

    kinds = rule.parameters.get("round_kinds", [AwardType.ANNUAL])
    candidates = [i for i in idx if batch.items[i].title_id and batch.items[i].round.kind in kinds]
    if not candidates:
        return []
    years = {batch.year(batch.items[i]) for i in candidates}
    required = set(RegistrationWindow.objects.filter(year__in=years, required_for_nomination=True).values_list("year", flat=True))
    candidates = [i for i in candidates if batch.year(batch.items[i]) in required]
    if not candidates:
        return []
    approved = Registration.objects.filter(window__year__in=required, state=RegistrationState.APPROVED)
    persons = {batch.items[i].person_id for i in candidates if batch.items[i].person_id}
    units = {batch.items[i].unit_id for i in candidates if batch.items[i].unit_id}
    registered = set()
    for year, person_id, title_id in RegistrationEntry.objects.filter(registration__in=approved, person_id__in=persons).values_list(
            "registration__window__year", "person_id", "title_id"):
        registered.add((year, "p", person_id, title_id))
    for year, unit_id, title_id in approved.filter(unit_id__in=units, unit_title__isnull=False).values_list(
            "window__year", "unit_id", "unit_title_id"):
        registered.add((year, "u", unit_id, title_id))
    out = []
    for i in candidates:
        n = batch.items[i]
        kind, subject_id = batch.subject_key(n)
        if (n.round.year, kind, subject_id, n.title_id) in registered:
            continue
        subject = n.person if n.person_id else n.unit
        out.append((i, _violation(rule, _("%(subject)s chưa đăng ký danh hiệu “%(title)s” năm %(year)s (hoặc phiếu đăng ký của đơn vị "
                                          "chưa được duyệt)") % {"subject": subject, "title": n.title, "year": n.round.year})))
    return out
