"""Quotas of a list: R1 (leaders at most 40 % of the persons proposed), R2 (not a collective and its
head together), R8 (ratio between two titles). Counted over the pending list plus what the database
already holds for the period, with aggregate queries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from movements.api import PositionAssignment

from ..enums import AwardType
from .registry import (
    STAGE_AUDIT,
    STAGE_ENTRY,
    STAGE_RESUBMIT,
    STAGE_SUBMIT,
    STAGE_VET,
    floor_share,
    fmt_pct,
    fmt_share,
    register,
    violation,
)


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
                        out.append((i, violation(rule, _(
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
                    out.append((i, violation(rule, _(
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
            out.append((i, violation(rule, _("%(name)s, người đứng đầu %(unit)s, đã được đề nghị khen thưởng trong %(period)s: "
                                              "không đề nghị đồng thời tập thể và người đứng đầu tập thể đó")
                                      % {"name": a.person.full_name, "unit": a.unit.name, "period": period})))
        if side == "person" and ((a.unit_id, k) in taken_unit or (a.unit_id, k) in seen_unit):
            out.append((i, violation(rule, _("Tập thể %(unit)s đã được đề nghị khen thưởng trong %(period)s: không đề nghị đồng thời "
                                              "người đứng đầu %(name)s")
                                      % {"unit": a.unit.name, "period": period, "name": a.person.full_name})))
        if n.unit_id:
            seen_unit.add((n.unit_id, k))
        else:
            seen_person.add((n.person_id, k))
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
            out.append((i, violation(rule, _("%(where)s: %(k)s “%(num)s” / %(n)s “%(den)s” (%(pct)s%%) > %(max)s%% (tối đa %(allowed)s)")
                                      % {"where": where, "k": n_num, "num": names.get(num, num), "n": n_den,
                                         "den": names.get(den, den), "pct": fmt_pct(n_num, n_den), "max": fmt_share(share),
                                         "allowed": allowed})))
    return out

