"""Quotas of a list: R1 (leaders at most 40 % of the persons proposed), R2 (not a collective and its
head together), R8 (ratio between two titles). Counted over the pending list plus what the database
already holds for the period, with aggregate queries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from movements.api import PositionAssignment

from ..enums import AwardType, NominationState
from .registry import (
    STAGE_AUDIT,
    STAGE_ENTRY,
    STAGE_LATER,
    STAGE_RESUBMIT,
    STAGE_SUBMIT,
    STAGE_VET,
    floor_share,
    fmt_pct,
    fmt_share,
    register,
    violation,
)

AWARD_TYPES = tuple(AwardType.values)  # the enums' ``values`` are rebuilt on each read: read once, used per nomination
COUNTED = frozenset(NominationState.counted())
DRAFT = NominationState.DRAFT.value


def _leader_at_reference():
    ref = OuterRef("round__reference_date")
    return Exists(PositionAssignment.objects.filter(person_id=OuterRef("person_id"), is_leadership=True, start_date__lte=ref)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=ref)))


def _period_filter(params, n):
    if params.get("period", "year") == "round":
        return {"round_id": n.round_id} if n.round_id else {"round": n.round}, ("round", n.round_id or id(n.round))
    kinds = params.get("round_kinds") or AWARD_TYPES
    return {"round__year": n.round.year, "round__kind__in": kinds}, ("year", n.round.year)


def _in_period_row(params, period, value, row):
    """A nomination already saved (a row of ``Batch.subject_nominations``) is in the period ``(period, value)`` of
    :func:`_period_filter`."""
    if period == "round":
        return row["round_id"] == value
    return row["round__year"] == value and row["round__kind"] in (params.get("round_kinds") or AWARD_TYPES)


def _in_period(params, n):
    return params.get("period", "year") == "round" or n.round.kind in (params.get("round_kinds") or AWARD_TYPES)


def _excess(new_flags, db_total, db_leaders, share):
    """Final counts and the pending persons beyond the limit (the last ones in order)."""
    total = db_total + len(new_flags)
    leaders = db_leaders + sum(1 for flag in new_flags.values() if flag)
    allowed = floor_share(share, total)
    flagged = set()
    if leaders > allowed:
        new_leaders = [p for p, flag in new_flags.items() if flag]
        flagged = set(new_leaders[-(leaders - allowed):])
    return total, leaders, allowed, flagged


JUDGE, PROJECT, PROJECT_JUDGED = "judge", "project", "project_judged"


def _r1_mode(batch, f):
    """How R1 sees a pending nomination.

    R1 judges a unit's list when it is sent, and at every later stage: a nomination that is sent (any state but a
    draft, e.g. a returned one edited) or being sent is *judged* against what the units have sent. A draft being
    written is not judged (a list may be typed in any order); shown to its unit (the form's live check, the lists) it
    is *projected*: what sending the unit's list now would give, as an advisory warning. Drafts arriving as a whole
    list (an Excel import) are projected and judged at once. A refused nomination does not count."""
    if f.state not in COUNTED:
        return None
    if batch.stage not in (STAGE_ENTRY, STAGE_AUDIT) or f.state != DRAFT:
        return JUDGE
    if batch.stage == STAGE_ENTRY and batch.whole_list:
        return PROJECT_JUDGED
    if batch.stage == STAGE_AUDIT or batch.preview:
        return PROJECT
    return None


def _new_persons(rows, known, batch):
    """``{person id: is a leader at the reference date}`` of the pending rows (``(i, facts)``) not already counted, in order."""
    new = {}
    for _i, f in rows:
        person_id = f.person_id
        if person_id not in known and person_id not in new:
            new[person_id] = batch.is_leader(person_id, f.ref)
    return new


def _r1_message(rule, where, label_period, counts, share, *, advisory):
    total, leaders, allowed = counts
    text = _("%(where)s, %(period)s: %(l)s/%(t)s cá nhân là lãnh đạo, quản lý (%(pct)s%%) > %(max)s%% (tối đa %(allowed)s người)") % {
        "where": where, "period": label_period, "l": leaders, "t": total, "pct": fmt_pct(leaders, total), "max": fmt_share(share),
        "allowed": allowed}
    if advisory:
        text = _("Nếu gửi danh sách như hiện tại: %(text)s") % {"text": text}
    return violation(rule, text, advisory=advisory)


@register("R1", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_LATER, STAGE_AUDIT), required=("max_share",))
def leadership_share(rule, batch, idx):
    """Cá nhân giữ chức vụ lãnh đạo, quản lý không quá ``max_share`` tổng số cá nhân được đề nghị,
    theo từng đơn vị (``unit``) và toàn cơ quan (``all``), trong cả năm (``period: year``, gồm các
    loại đợt ``round_kinds``) hoặc từng đợt. Chức vụ xét theo quá trình công tác tại ngày xét của đợt.
    Xét khi đơn vị gửi danh sách và ở mọi bước sau (chỉ tính những gì đã gửi); khi danh sách còn là nháp,
    tỷ lệ được hiển thị như cảnh báo (không chặn khi nhập)."""
    p = rule.parameters
    share = Decimal(str(p["max_share"]))
    scopes = p.get("scopes", ["unit", "all"])
    sent = NominationState.sent()
    groups = defaultdict(list)
    period_of = {}  # a round's (filter, key), None when its kind is outside the period: read once per round
    facts = batch.facts
    for i in idx:
        f = facts[i]
        if not f.person_id:
            continue
        mode = _r1_mode(batch, f)
        if not mode:
            continue
        if f.round_key not in period_of:
            n = batch.items[i]
            period_of[f.round_key] = _period_filter(p, n) if _in_period(p, n) else None
        if period_of[f.round_key] is not None:
            flt, key = period_of[f.round_key]
            groups[key].append((i, f, flt, mode))
    out = []
    for (period, value), members in groups.items():
        flt = members[0][2]
        base = batch.existing().filter(person__isnull=False, **flt)
        persons = {f.person_id for _i, f, _f, _m in members}
        # persons already in the period, by proposing unit: all of them, and those sent (and every unit's sent ones)
        all_by_unit, sent_by_unit, sent_persons = defaultdict(set), defaultdict(set), set()
        for row in batch.subject_nominations():
            if row["person_id"] in persons and _in_period_row(p, period, value, row):
                all_by_unit[row["submission__unit_id"]].add(row["person_id"])
                if row["state"] in sent:
                    sent_by_unit[row["submission__unit_id"]].add(row["person_id"])
                    sent_persons.add(row["person_id"])
        leader = _leader_at_reference()
        is_sent = Q(state__in=sent)
        label_period = (_("năm %(year)s") % {"year": value} if period == "year"
                        else _("đợt “%(round)s”") % {"round": batch.items[members[0][0]].round})
        judged = [(i, f) for i, f, _f, mode in members if mode == JUDGE]
        projected = [(i, f) for i, f, _f, mode in members if mode in (PROJECT, PROJECT_JUDGED)]
        advisory = {i for i, _f, _fl, mode in members if mode == PROJECT}
        projected_units = {f.proposing_unit_id for _i, f in projected}
        judged_by_unit, projected_by_unit = defaultdict(list), defaultdict(list)  # in the list's order
        for rows, by_unit in ((judged, judged_by_unit), (projected, projected_by_unit)):
            for i, f in rows:
                by_unit[f.proposing_unit_id].append((i, f))
        if "unit" in scopes:
            per_unit = {row["submission__unit_id"]: row for row in base.values("submission__unit_id").annotate(
                total=Count("person_id", distinct=True, filter=is_sent), leaders=Count("person_id", distinct=True, filter=leader & is_sent),
                total_all=Count("person_id", distinct=True), leaders_all=Count("person_id", distinct=True, filter=leader))}
            units = {f.proposing_unit_id: f.proposing_unit for _i, f in judged + projected}
            for unit_id, unit in units.items():
                db = per_unit.get(unit_id, {"total": 0, "leaders": 0, "total_all": 0, "leaders_all": 0})
                mine = judged_by_unit[unit_id]
                new = _new_persons(mine, sent_by_unit[unit_id], batch)
                total, leaders, allowed, flagged = _excess(new, db["total"], db["leaders"], share)
                out += [(i, _r1_message(rule, unit.name, label_period, (total, leaders, allowed), share, advisory=False))
                        for i, f in mine if f.person_id in flagged]
                if unit_id in projected_units:
                    drafts = projected_by_unit[unit_id]
                    new = _new_persons(mine + drafts, all_by_unit[unit_id], batch)
                    total, leaders, allowed, flagged = _excess(new, db["total_all"], db["leaders_all"], share)
                    out += [(i, _r1_message(rule, unit.name, label_period, (total, leaders, allowed), share, advisory=i in advisory))
                            for i, f in drafts if f.person_id in flagged]
        if "all" in scopes:
            agg = base.aggregate(total=Count("person_id", distinct=True, filter=is_sent),
                                 leaders=Count("person_id", distinct=True, filter=leader & is_sent))
            known = sent_persons
            new = _new_persons(judged, known, batch)
            total, leaders, allowed, flagged = _excess(new, agg["total"], agg["leaders"], share)
            out += [(i, _r1_message(rule, _("Toàn cơ quan"), label_period, (total, leaders, allowed), share, advisory=False))
                    for i, f in judged if f.person_id in flagged]
            if projected:
                # each unit's drafts on top of what every unit has sent (persons already sent count once)
                extra = {row["submission__unit_id"]: row for row in base.filter(state=NominationState.DRAFT).exclude(
                    person_id__in=base.filter(is_sent).values("person_id")).values("submission__unit_id").annotate(
                    total=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=leader))}
                for unit_id in projected_units:
                    db = extra.get(unit_id, {"total": 0, "leaders": 0})
                    drafts = projected_by_unit[unit_id]
                    new = _new_persons(judged + drafts, known | all_by_unit[unit_id], batch)
                    total, leaders, allowed, flagged = _excess(new, agg["total"] + db["total"], agg["leaders"] + db["leaders"], share)
                    out += [(i, _r1_message(rule, _("Toàn cơ quan"), label_period, (total, leaders, allowed), share,
                                            advisory=i in advisory)) for i, f in drafts if f.person_id in flagged]
    return out


# ---------------------------------------------------------------- R2 a collective and its head

@register("R2", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def collective_and_head(rule, batch, idx):
    """Không đề nghị đồng thời một tập thể và người đứng đầu tập thể đó (cùng năm, mọi đợt và
    đơn vị; ``period: round`` để chỉ xét trong một đợt). Người đứng đầu xét tại ngày xét.
    ``awards``: mã các danh hiệu, hình thức quy định này áp dụng (cả phía tập thể và phía người đứng
    đầu); để trống là mọi danh hiệu, hình thức."""
    p = rule.parameters
    by_round = p.get("period", "year") == "round"
    kinds = p.get("round_kinds") or AWARD_TYPES
    covered = set(p.get("awards") or [])
    pairs = []  # (i, side, head assignment)
    facts = batch.facts
    for i in idx:
        f = facts[i]
        if f.round_kind not in kinds or (covered and f.award_code not in covered):
            continue
        if f.unit_id:
            head = batch.head_of(f.unit_id, f.ref)
            if head:
                pairs.append((i, "unit", head))
        else:
            pairs.extend((i, "person", a) for a in batch.headed_by(f.person_id, f.ref))
    if not pairs:
        return []

    def key(year, round_id):
        return round_id if by_round else year

    heads = {a.person_id for _i, _s, a in pairs}
    units = {a.unit_id for _i, _s, a in pairs}
    years = {facts[i].year for i, _s, _a in pairs}
    rows = batch.existing().filter(round__year__any=years, round__kind__in=kinds).filter(Q(person_id__any=heads) | Q(unit_id__any=units))
    if covered:
        rows = rows.filter(Q(title__code__in=covered) | Q(form__code__in=covered))
    rows = rows.order_by().values_list("person_id", "unit_id", "round__year", "round_id")
    taken_person, taken_unit = set(), set()
    for person_id, unit_id, year, round_id in rows:
        if person_id:
            taken_person.add((person_id, key(year, round_id)))
        else:
            taken_unit.add((unit_id, key(year, round_id)))
    out = []
    seen_person, seen_unit = set(), set()
    for i, side, a in pairs:
        f = facts[i]
        k = key(f.year, f.round_key)
        period = _("đợt này") if by_round else _("năm %(year)s") % {"year": f.year}
        if side == "unit" and ((a.person_id, k) in taken_person or (a.person_id, k) in seen_person):
            out.append((i, violation(rule, _("%(name)s, người đứng đầu %(unit)s, đã được đề nghị khen thưởng trong %(period)s: "
                                              "không đề nghị đồng thời tập thể và người đứng đầu tập thể đó")
                                      % {"name": a.person_name, "unit": a.unit_name, "period": period})))
        if side == "person" and ((a.unit_id, k) in taken_unit or (a.unit_id, k) in seen_unit):
            out.append((i, violation(rule, _("Tập thể %(unit)s đã được đề nghị khen thưởng trong %(period)s: không đề nghị đồng thời "
                                              "người đứng đầu %(name)s")
                                      % {"unit": a.unit_name, "period": period, "name": a.person_name})))
        if f.unit_id:
            seen_unit.add((f.unit_id, k))
        else:
            seen_person.add((f.person_id, k))
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
        f = batch.facts[i]
        if f.award_code in (num, den):
            groups[f.round_key if by_round else f.year].append((i, batch.items[i]))
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

