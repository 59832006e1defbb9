"""Exports of the nominations app through the shared exporter interface (tdkt/exports.py):
the filtered nomination list and the award history, as XLSX (write-only, formula-safe) or PDF."""

from django.utils.translation import gettext_lazy as _

from tdkt.exports import Column, ListExporter, register_export

from . import selectors
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

    def rows(self):
        for n in self.queryset.iterator(chunk_size=2000):
            person = n.person
            yield (
                person.full_name if person else n.unit.name,
                person.date_of_birth if person else None,
                person.position_title if person else "",
                n.submission.unit.name,
                (n.title or n.form).name,
                n.round.name,
                n.round.year,
                n.get_state_display(),
                n.achievement_summary,
                n.last_reason,
            )


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

    def rows(self):
        for a in self.queryset.iterator(chunk_size=2000):
            yield (
                a.person.full_name if a.person_id else a.unit.name,
                a.person.unit.name if a.person_id else a.unit.name,
                (a.title or a.form).name,
                a.year,
                a.get_kind_display(),
                a.decision_number,
                a.decision_date,
                a.issuer,
            )


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
