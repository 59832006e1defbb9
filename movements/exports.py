"""Exports of the movements app (registrations and cluster rankings come with their issue)."""

from django.utils.translation import gettext_lazy as _

from tdkt.exports import Column, ListExporter


class PersonListExporter(ListExporter):
    """The people list as the office filters it on screen (same queryset, same order)."""

    title = _("Danh sách cá nhân")
    filename = "danh-sach-ca-nhan"
    columns = (
        Column(_("Họ và tên"), 28), Column(_("Giới tính"), 9), Column(_("Ngày sinh"), 12, "date"),
        Column(_("Chức vụ"), 24), Column(_("Lãnh đạo, quản lý"), 12), Column(_("Đơn vị"), 26), Column(_("Tình trạng"), 13),
    )

    def __init__(self, queryset, subtitle=""):
        self.queryset = queryset
        self.subtitle = subtitle

    def rows(self):
        for p in self.queryset.select_related("unit").iterator(chunk_size=2000):
            yield (p.full_name, p.get_gender_display(), p.date_of_birth, p.position_title,
                   "Có" if p.is_leadership else "", p.unit.name, "Đang công tác" if p.active else "Đã nghỉ")
