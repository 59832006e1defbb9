"""Exports of the nominations app through the shared exporter interface (tdkt/exports/):
the filtered nomination list and the award history, as XLSX (write-only, formula-safe) or PDF.

Each reads only the columns it prints (``values_list`` over the user's filtered, scoped queryset: the
joins of the printed names and nothing else, no model instances) and maps choice codes to labels through
a dict made once per export."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tdkt.exports import ROW_CHUNK, Column, ListExporter, choice_labels, register_export

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
