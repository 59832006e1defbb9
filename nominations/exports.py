"""Exports of the nominations app through the shared exporter interface (tdkt/exports/):
the filtered nomination list and the award history, as XLSX (write-only, formula-safe) or PDF.

Each reads only the columns it prints (``values_list`` over the user's filtered, scoped queryset: the
joins of the printed names and nothing else, no model instances) and maps choice codes to labels through
a dict made once per export."""

from decimal import Decimal

from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from movements.api import leadership_at
from tdkt.exports import ROW_CHUNK, Column, ListExporter, Section, choice_labels, register_export

from . import selectors
from .enums import AwardType, NominationState
from .forms import AwardFilter, NominationFilter
from .selectors import PERSONS_FIRST


class NominationListExporter(ListExporter):
    filename = "de-nghi-khen-thuong"
    columns = (
        Column(_("Họ và tên / Tên tập thể"), 26), Column(_("Ngày sinh"), 17, "date"), Column(_("Chức vụ"), 16),
        Column(_("Đơn vị đề nghị"), 24), Column(_("Danh hiệu / Hình thức"), 22), Column(_("Đợt đề nghị"), 24),
        Column(_("Năm"), 9, "int"), Column(_("Trạng thái"), 14), Column(_("Tóm tắt thành tích"), 40),
        Column(_("Lý do trả lại, không đạt"), 28),
    )

    def __init__(self, queryset, *, title="", subtitle=""):
        self.queryset = queryset
        self.title = title or _("Danh sách đề nghị khen thưởng")
        self.subtitle = subtitle

    def values(self):
        """The printed columns, straight from the database (the state as its code)."""
        return self.queryset.values_list(
            Coalesce("person__full_name", "unit__name"), "person__date_of_birth", "person__position_title",
            "submission__unit__name", Coalesce("title__name", "form__name"), "round__name", "round__year",
            "state", "achievement_summary", "last_reason")

    def rows(self):
        states = choice_labels(NominationState)
        for name, born, position, unit, award, round_name, year, state, summary, reason in self.values().iterator(chunk_size=ROW_CHUNK):
            yield name, born, position, unit, award, round_name, year, states[state], summary, reason


class AwardHistoryExporter(ListExporter):
    filename = "lich-su-khen-thuong"
    columns = (
        Column(_("Họ và tên / Tên tập thể"), 30), Column(_("Đơn vị"), 30), Column(_("Danh hiệu / Hình thức"), 30),
        Column(_("Năm"), 9, "int"), Column(_("Loại khen thưởng"), 16), Column(_("Số quyết định"), 16),
        Column(_("Ngày quyết định"), 14, "date"), Column(_("Cấp quyết định"), 22),
    )

    def __init__(self, queryset, *, title="", subtitle=""):
        self.queryset = queryset
        self.title = title or _("Lịch sử khen thưởng")
        self.subtitle = subtitle

    def values(self):
        return self.queryset.values_list(
            Coalesce("person__full_name", "unit__name"), Coalesce("person__unit__name", "unit__name"),
            Coalesce("title__name", "form__name"), "year", "kind", "decision_number", "decision_date", "issuer")

    def rows(self):
        kinds = choice_labels(AwardType)
        for name, unit, award, year, kind, number, date, issuer in self.values().iterator(chunk_size=ROW_CHUNK):
            yield name, unit, award, year, kinds[kind], number, date, issuer


@register_export("nominations.list", permission="nominations.export_nomination")
def nomination_export(user, params):
    nomination_filter = NominationFilter(params or None, queryset=selectors.nominations_visible_to(user),
                                         units=selectors.units_for_submission(user), show_flags=selectors.sees_flags(user))
    return NominationListExporter(nomination_filter.qs.order_by("-round__year", "-round_id", "submission__unit__sort_order",
                                                                PERSONS_FIRST, "id"))


@register_export("nominations.awards")
def award_export(user, params):
    award_filter = AwardFilter(params or None, queryset=selectors.awards_visible_to(user), units=selectors.units_for_submission(user))
    return AwardHistoryExporter(award_filter.qs.order_by("-year", PERSONS_FIRST, "id"))


# ---------------------------------------------------------------- a round's lists by unit, statistics (part: docs, issue 11)

def _round_of(user, params):
    try:
        pk = int(str((params or {}).get("round", "")))
    except ValueError:
        raise Http404 from None
    nomination_round = selectors.rounds_visible_to(user).filter(pk=pk).first()
    if nomination_round is None:
        raise Http404
    return nomination_round


class RoundByUnitExporter(ListExporter):
    """The nominations of a round the user reads (no drafts but the user's own unit's), one table per proposing unit:
    in Excel a sheet per unit, named after it."""

    filename = "de-nghi-theo-don-vi"
    sheet_per_section = True
    columns = (
        Column(_("Họ và tên / Tên tập thể"), 28), Column(_("Chức vụ"), 18), Column(_("Danh hiệu / Hình thức"), 24),
        Column(_("Trạng thái"), 16), Column(_("Tóm tắt thành tích"), 48),
    )

    def __init__(self, nomination_round, queryset):
        self.round, self.queryset = nomination_round, queryset
        self.title = _("Danh sách đề nghị theo đơn vị: %(round)s") % {"round": nomination_round.name}

    def sections(self):
        states = choice_labels(NominationState)
        rows = self.queryset.values_list("submission__unit__name", Coalesce("person__full_name", "unit__name"),
                                         "person__position_title", Coalesce("title__name", "form__name"), "state",
                                         "achievement_summary")
        by_unit = {}
        for unit, name, position, award, state, summary in rows.iterator(chunk_size=ROW_CHUNK):
            by_unit.setdefault(unit, []).append((name, position, award, states[state], summary))
        for unit, unit_rows in by_unit.items():
            yield Section(unit, self.columns, unit_rows)


@register_export("nominations.round_by_unit", permission="nominations.view_round")
def round_by_unit_export(user, params):
    nomination_round = _round_of(user, params)
    qs = (selectors.nominations_visible_to(user).filter(round=nomination_round)
          .order_by("submission__unit__sort_order", "submission__unit__name", PERSONS_FIRST, "id"))
    return RoundByUnitExporter(nomination_round, qs)


class RoundStatisticsExporter(ListExporter):
    """Counts of a round's nominations (those not refused) by title or form and by proposing unit, with the share of
    leaders (a leadership post on the round's reference date) among the individuals."""

    filename = "thong-ke-de-nghi"
    BY_AWARD = (Column(_("Danh hiệu / Hình thức"), 34), Column(_("Cá nhân"), 10, "int"), Column(_("Tập thể"), 10, "int"),
                Column(_("Lãnh đạo, quản lý"), 12, "int"), Column(_("Tỷ lệ lãnh đạo (%)"), 12, "number"))
    BY_UNIT = (Column(_("Đơn vị đề nghị"), 34), Column(_("Cá nhân"), 10, "int"), Column(_("Tập thể"), 10, "int"),
               Column(_("Lãnh đạo, quản lý"), 12, "int"), Column(_("Tỷ lệ lãnh đạo (%)"), 12, "number"))

    def __init__(self, nomination_round, queryset):
        self.round, self.queryset = nomination_round, queryset
        self.title = _("Thống kê đề nghị khen thưởng: %(round)s") % {"round": nomination_round.name}
        self.subtitle = _("Không tính đề nghị thẩm định không đạt, Hội đồng không thông qua; lãnh đạo tính theo chức vụ ngày %(date)s.") % {
            "date": nomination_round.reference_date.strftime("%d/%m/%Y")}

    def sections(self):
        rows = list(self.queryset.values_list(Coalesce("title__name", "form__name"), "submission__unit__name", "person_id"))
        leaders = leadership_at(self.round.reference_date, [p for _a, _u, p in rows if p])
        table, totals = self._grouped(rows, 0, leaders)
        yield Section(_("I. THEO DANH HIỆU, HÌNH THỨC"), self.BY_AWARD, table, footer=totals)
        table, totals = self._grouped(rows, 1, leaders)
        yield Section(_("II. THEO ĐƠN VỊ"), self.BY_UNIT, table, footer=totals)

    @staticmethod
    def _grouped(rows, key, leaders):
        groups = {}
        for row in rows:
            counts = groups.setdefault(row[key], [0, 0, 0])
            if row[2]:
                counts[0] += 1
                counts[2] += 1 if leaders.get(row[2]) else 0
            else:
                counts[1] += 1

        def share(people, lead):
            return round(Decimal(100 * lead) / people, 2) if people else None

        table = [(name, people, units, lead, share(people, lead)) for name, (people, units, lead) in groups.items()]
        people, units, lead = (sum(r[i] for r in table) for i in (1, 2, 3))
        return table, (_("Tổng cộng"), people, units, lead, share(people, lead))


@register_export("nominations.round_statistics", permission="nominations.view_round")
def round_statistics_export(user, params):
    nomination_round = _round_of(user, params)
    qs = (selectors.nominations_visible_to(user).filter(round=nomination_round, state__in=NominationState.counted())
          .exclude(state=NominationState.DRAFT).order_by("title__sort_order", "form__sort_order", "submission__unit__sort_order"))
    return RoundStatisticsExporter(nomination_round, qs)
