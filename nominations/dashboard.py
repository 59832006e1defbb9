"""The home page's blocks and charts of the nominations app (issue 13): reads only, scoped through ``tdkt.roles``, each
in a number of queries that does not grow with the units, rounds or nominations (one grouped query per question).

Registered in ``NominationsConfig.ready()``: :func:`dashboard` on ``tdkt.hooks.provide_dashboard``, the charts on
``tdkt.charts.register_chart``. The office sees the open rounds with each unit's progress, what waits on it and on the
units, the leaders' share (R1) and the charts; a unit head sees what their unit must do now and its results."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import Unit
from tdkt.charts import BarChart, chart_for, register_chart
from tdkt.hooks import Block
from tdkt.roles import is_office_user, is_unit_head

from .enums import DocumentKind, NominationState, RoundStatus, SubjectKind
from .models import AwardRecord, BaseSalary, BonusCoefficient, Nomination, NominationRound, SubmissionDocument, UnitSubmission
from .rules_engine import fmt_pct
from .selectors import _leader_exists, awards_visible_to, rule_in_force

S = NominationState
#: What a chart counts as "proposed": sent to the office and not refused.
PROPOSED = [s for s in S.sent() if s in S.counted()]
PASSED = [S.VETTED_PASS, S.AT_COUNCIL, S.COUNCIL_PASSED, S.DECIDED]
CHART_YEARS = 5


def countdown(deadline, today):
    """``(days_left, label, level)`` of a deadline: level ``late``, ``urgent`` (≤ 1 day), ``soon`` (≤ 7) or ``""``."""
    if deadline is None:
        return None, _("không có hạn nộp"), ""
    days = (deadline - today).days
    if days < 0:
        return days, _("quá hạn %(n)d ngày") % {"n": -days}, "late"
    if days == 0:
        return days, _("hạn là hôm nay"), "urgent"
    return days, _("còn %(n)d ngày") % {"n": days}, "urgent" if days <= 1 else "soon" if days <= 7 else ""


def chart_year():
    """The year the office's charts are about: the newest round's year (this year when there is none)."""
    year = NominationRound.objects.order_by("-year").values_list("year", flat=True).first()
    return year or timezone.localdate().year


def _award_label(row, prefix=""):
    return row[f"{prefix}title__name"] or row[f"{prefix}form__name"] or "—"


# ---------------------------------------------------------------- the office

@dataclass
class RoundProgress:
    round: NominationRound
    countdown: tuple
    units: list = field(default_factory=list)  # [{unit, total, drafts, waiting, returned, sent}]
    units_sent: int = 0
    waiting: int = 0
    returned: int = 0

    @property
    def percent(self):
        return round(self.units_sent * 100 / len(self.units)) if self.units else 0


def open_rounds_progress(*, units, today, unit_id=None):
    """The open rounds, soonest deadline first, with each unit's progress (three queries whatever their number)."""
    rounds = list(NominationRound.objects.filter(status=RoundStatus.OPEN).order_by("deadline", "-pk"))
    if not rounds:
        return []
    base = Nomination.objects.filter(round__in=rounds)
    submissions = UnitSubmission.objects.filter(round__in=rounds, submitted_at__isnull=False)
    if unit_id is not None:
        base, submissions = base.filter(submission__unit_id=unit_id), submissions.filter(unit_id=unit_id)
    stats = {(row["round_id"], row["submission__unit_id"]): row for row in base.values("round_id", "submission__unit_id").annotate(
        total=Count("pk"), drafts=Count("pk", filter=Q(state=S.DRAFT)),
        waiting=Count("pk", filter=Q(state__in=S.waiting_for_vetting())), returned=Count("pk", filter=Q(state=S.RETURNED)))}
    sent_lists = set(submissions.values_list("round_id", "unit_id"))
    result = []
    for nomination_round in rounds:
        progress = RoundProgress(round=nomination_round, countdown=countdown(nomination_round.deadline, today))
        for unit in units:
            row = stats.get((nomination_round.pk, unit.pk), {})
            total, drafts = row.get("total", 0), row.get("drafts", 0)
            sent = (nomination_round.pk, unit.pk) in sent_lists or total > drafts
            progress.units.append({"unit": unit, "total": total, "drafts": drafts, "waiting": row.get("waiting", 0),
                                   "returned": row.get("returned", 0), "sent": sent})
            progress.units_sent += sent
            progress.waiting += row.get("waiting", 0)
            progress.returned += row.get("returned", 0)
        result.append(progress)
    return result


def leaders_share(year):
    """R1 across the agency for ``year``: the distinct people proposed (sent, not refused) and those in a leadership
    post on their round's reference date, with the rule's maximum (two queries)."""
    agg = Nomination.objects.filter(list_year=year, state__in=PROPOSED, person__isnull=False).aggregate(
        persons=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=_leader_exists()))
    rule = rule_in_force("R1", datetime.date(year, 12, 31))
    max_share = float(rule.parameters.get("max_share", 0.4)) if rule else 0.4
    persons, leaders = agg["persons"], agg["leaders"]
    return {"year": year, "persons": persons, "leaders": leaders, "share": fmt_pct(leaders, persons) if persons else "–",
            "max_share": round(max_share * 100), "over": persons > 0 and leaders > max_share * persons,
            "percent": round(leaders * 100 / persons) if persons else 0}


def office_blocks(user, today):
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "name"))
    counts = Nomination.objects.aggregate(waiting=Count("pk", filter=Q(state__in=S.waiting_for_vetting())),
                                          returned=Count("pk", filter=Q(state=S.RETURNED)))
    year = chart_year()
    nominations_url = reverse("nominations:nomination_list")
    return [
        Block("nominations/home/office_work.html", order=10, waiting=counts["waiting"], returned=counts["returned"],
              vetting_url=reverse("nominations:vetting_queue"), returned_url=f"{nominations_url}?state={S.RETURNED}"),
        Block("nominations/home/office_rounds.html", order=20, rounds=open_rounds_progress(units=units, today=today),
              rounds_url=reverse("nominations:round_list")),
        Block("nominations/home/office_share.html", order=40, share=leaders_share(year),
              charts_url=reverse("nominations:nomination_list")),
        Block("nominations/home/charts.html", order=60, year=year,
              charts=[chart_for(key, user) for key in ("de-nghi-theo-danh-hieu", "de-nghi-theo-don-vi", "ty-le-lanh-dao",
                                                       "khen-thuong-5-nam", "tien-thuong-theo-nam")]),
    ]


# ---------------------------------------------------------------- the charts (office)

def _office_only(builder):
    def guarded(user):
        return builder() if is_office_user(user) else None
    guarded.__name__ = builder.__name__
    return guarded


@register_chart("de-nghi-theo-danh-hieu")
@_office_only
def chart_nominations_by_award():
    year = chart_year()
    rows = (Nomination.objects.filter(list_year=year, state__in=PROPOSED).values("title__name", "form__name")
            .annotate(n=Count("pk")).order_by("-n", "title__name", "form__name"))
    return BarChart("de-nghi-theo-danh-hieu", _("Đề nghị năm %(year)s theo danh hiệu, hình thức") % {"year": year},
                    _("Danh hiệu / hình thức"), _("Số đề nghị"), [(_award_label(r), r["n"]) for r in rows],
                    note=_("đã gửi, không tính đề nghị bị loại"))


@register_chart("de-nghi-theo-don-vi")
@_office_only
def chart_nominations_by_unit():
    year = chart_year()
    rows = (Nomination.objects.filter(list_year=year, state__in=PROPOSED).values("submission__unit__name")
            .annotate(n=Count("pk")).order_by("-n", "submission__unit__name"))
    return BarChart("de-nghi-theo-don-vi", _("Đề nghị năm %(year)s theo đơn vị đề nghị") % {"year": year},
                    _("Đơn vị"), _("Số đề nghị"), [(r["submission__unit__name"], r["n"]) for r in rows],
                    note=_("đã gửi, không tính đề nghị bị loại"))


@register_chart("ty-le-lanh-dao")
@_office_only
def chart_leaders_share_by_unit():
    year = chart_year()
    rows = (Nomination.objects.filter(list_year=year, state__in=PROPOSED, person__isnull=False).values("submission__unit__name")
            .annotate(persons=Count("person_id", distinct=True), leaders=Count("person_id", distinct=True, filter=_leader_exists()))
            .order_by("submission__unit__name"))
    items = sorted(((r["submission__unit__name"], r["leaders"] * 100 / r["persons"]) for r in rows if r["persons"]),
                   key=lambda item: (-item[1], item[0]))
    share = leaders_share(year)
    return BarChart("ty-le-lanh-dao", _("Tỷ lệ cá nhân giữ chức vụ lãnh đạo năm %(year)s theo đơn vị (R1)") % {"year": year},
                    _("Đơn vị"), _("Tỷ lệ lãnh đạo (%)"), items, kind="pct", limit=share["max_share"],
                    note=_("vạch dọc: mức tối đa %(max)s %%") % {"max": share["max_share"]})


@register_chart("khen-thuong-5-nam")
@_office_only
def chart_awards_by_title():
    year = chart_year()
    rows = (AwardRecord.objects.filter(year__gte=year - CHART_YEARS + 1, year__lte=year).values("title__name", "form__name")
            .annotate(n=Count("pk")).order_by("-n", "title__name", "form__name"))
    return BarChart("khen-thuong-5-nam", _("Khen thưởng %(first)s–%(last)s theo danh hiệu, hình thức") % {
        "first": year - CHART_YEARS + 1, "last": year}, _("Danh hiệu / hình thức"), _("Số lượt"),
        [(_award_label(r), r["n"]) for r in rows])


def bonus_totals(years):
    """``{year: đồng}``: the bonus of every award of ``years`` with a decision date, as :func:`selectors.bonus_amount`
    computes each (coefficient × base salary on the decision date, rounded up to 10.000 đồng), in three queries."""
    coefficients = sorted(BonusCoefficient.objects.all(), key=lambda c: c.effective_from, reverse=True)
    salaries = sorted(BaseSalary.objects.all(), key=lambda s: s.effective_from, reverse=True)
    totals = dict.fromkeys(years, 0)
    rows = (AwardRecord.objects.filter(year__in=list(years), decision_date__isnull=False)
            .values("year", "title_id", "form_id", "decision_date")
            .annotate(persons=Count("pk", filter=Q(person__isnull=False)), units=Count("pk", filter=Q(unit__isnull=False))))
    for row in rows:
        on = row["decision_date"]
        salary = next((s.amount for s in salaries if s.effective_from <= on), None)
        if salary is None:
            continue
        for kind, n in ((SubjectKind.PERSON, row["persons"]), (SubjectKind.UNIT, row["units"])):
            if not n:
                continue
            coefficient = next((c.coefficient for c in coefficients
                                if (c.title_id == row["title_id"] if row["title_id"] else c.form_id == row["form_id"])
                                and c.subject_kind in (kind, SubjectKind.BOTH) and c.effective_from <= on
                                and (c.effective_to is None or c.effective_to >= on)), None)
            if coefficient is not None:
                totals[row["year"]] += n * int(math.ceil(coefficient * salary / 10000) * 10000)
    return totals


@register_chart("tien-thuong-theo-nam")
@_office_only
def chart_bonus_by_year():
    year = chart_year()
    years = list(range(year - CHART_YEARS + 1, year + 1))
    totals = bonus_totals(years)
    return BarChart("tien-thuong-theo-nam", _("Tổng tiền thưởng theo năm (đồng)"), _("Năm"), _("Tiền thưởng (đồng)"),
                    [(str(y), totals[y]) for y in years], kind="money",
                    note=_("hệ số × mức lương cơ sở tại ngày quyết định, làm tròn lên 10.000 đồng"))


# ---------------------------------------------------------------- a unit head

def unit_blocks(user, today):
    unit = user.unit
    mine = Nomination.objects.filter(submission__unit_id=unit.pk)
    rounds = open_rounds_progress(units=[unit], today=today, unit_id=unit.pk)
    returned = list(mine.filter(state=S.RETURNED).select_related("round", "person", "unit", "title", "form")
                    .order_by("-updated_at", "-pk")[:10])
    returned_count = mine.filter(state=S.RETURNED).count()
    report = SubmissionDocument.objects.filter(nomination=OuterRef("pk"), kind=DocumentKind.ACHIEVEMENT_REPORT)
    missing = list(mine.filter(state__in=S.editable(), round__status=RoundStatus.OPEN).exclude(Exists(report))
                   .select_related("round", "person", "unit", "title", "form").order_by("round_id", "pk")[:10])
    memo = SubmissionDocument.objects.filter(submission=OuterRef("pk"), nomination__isnull=True, kind=DocumentKind.MEMO)
    memo_missing = list(UnitSubmission.objects.filter(unit_id=unit.pk, round__status=RoundStatus.OPEN, submitted_at__isnull=True)
                        .exclude(Exists(memo)).select_related("round").order_by("round_id"))
    year = Nomination.objects.filter(submission__unit_id=unit.pk).order_by("-list_year").values_list("list_year", flat=True).first()
    results = []
    if year:
        counts = {r["state"]: r["n"] for r in mine.filter(list_year=year).exclude(state=S.DRAFT).values("state").annotate(n=Count("pk"))}
        results = [(label, counts.get(value, 0)) for value, label in S.choices if counts.get(value)]
    award_year = awards_visible_to(user).order_by("-year").values_list("year", flat=True).first()
    awards = []
    if award_year:
        awards = [(_award_label(r), r["n"]) for r in awards_visible_to(user).filter(year=award_year).values("title__name", "form__name")
                  .annotate(n=Count("pk")).order_by("-n", "title__name", "form__name")]
    nominations_url = reverse("nominations:nomination_list")
    return [
        Block("nominations/home/unit_work.html", order=10, rounds=rounds, returned=returned, returned_count=returned_count,
              returned_url=f"{nominations_url}?state={S.RETURNED}", missing=missing, memo_missing=memo_missing),
        Block("nominations/home/unit_results.html", order=50, year=year, results=results, award_year=award_year, awards=awards,
              nominations_url=nominations_url, awards_url=reverse("nominations:award_list") + f"?unit={unit.pk}"),
    ]


def dashboard(user):
    """The blocks of ``user``'s home page (``tdkt.hooks.provide_dashboard``)."""
    today = timezone.localdate()
    if is_office_user(user):
        return office_blocks(user, today)
    if is_unit_head(user):
        return unit_blocks(user, today)
    return []
