"""Exports of the movements app, all through the shared exporter interface (tdkt/exports.py):
the people list, the registration roll-up, one unit's registration list and a cluster's ranking.
Each is one data source rendered as XLSX (write-only, formula-safe) or PDF (Nghị định 30 header)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.exports import ROW_CHUNK, Column, ListExporter, Section, choice_labels, register_export

from .enums import Gender
from .forms import PersonFilter
from .models import format_score
from .selectors import persons_visible_to, units_visible_to


class PersonListExporter(ListExporter):
    """The people list as the user filters it on screen (same queryset, same order)."""

    title = gettext_lazy("Danh sách cá nhân")
    filename = "danh-sach-ca-nhan"
    columns = (
        Column(gettext_lazy("Họ và tên"), 28), Column(gettext_lazy("Giới tính"), 9), Column(gettext_lazy("Ngày sinh"), 12, "date"),
        Column(gettext_lazy("Chức vụ"), 24), Column(gettext_lazy("Lãnh đạo, quản lý"), 12), Column(gettext_lazy("Đơn vị"), 26),
        Column(gettext_lazy("Tình trạng"), 13),
    )

    def __init__(self, queryset, subtitle=""):
        self.queryset = queryset
        self.subtitle = subtitle

    def rows(self):
        genders, yes = choice_labels(Gender), _("Có")
        active = {True: _("Đang công tác"), False: _("Đã nghỉ")}
        values = self.queryset.values_list("full_name", "gender", "date_of_birth", "position_title", "is_leadership", "unit__name", "active")
        for name, gender, born, position, leadership, unit, is_active in values.iterator(chunk_size=ROW_CHUNK):
            yield name, genders.get(gender, gender), born, position, yes if leadership else "", unit, active[is_active]


PEOPLE_ORDER = ("unit__sort_order", "unit__sort_name", "unit_id", "-is_head", "-is_leadership", "sort_name", "id")


def people_filter(user, params):
    """The people list's filter, scoped to what ``user`` may see (shared by the page and its exports)."""
    data = params.copy()
    if "active" not in data:
        data["active"] = "true"
    return PersonFilter(data, queryset=persons_visible_to(user), units=units_visible_to(user))


@register_export("movements.people")
def people_export(user, params):
    return PersonListExporter(people_filter(user, params).qs.order_by(*PEOPLE_ORDER))


class RegistrationRollupExporter(ListExporter):
    """The office's overview: one row per unit, a count per title, and the roll-up total."""

    def __init__(self, overview):
        self.overview = overview
        self.title = _("Tổng hợp đăng ký thi đua năm %(year)s") % {"year": overview.window.year}
        self.filename = f"tong-hop-dang-ky-thi-dua-{overview.window.year}"

    def sections(self):
        o = self.overview
        columns = [Column(_("Đơn vị"), 40), Column(_("Trạng thái"), 16), Column(_("Danh hiệu tập thể đăng ký"), 28)]
        columns += [Column(t.name, 13, "int") for t in o.titles]
        columns += [Column(_("Tổng số cá nhân đăng ký"), 13, "int"), Column(_("Số người đang công tác"), 13, "int"),
                    Column(_("Số sáng kiến"), 11, "int")]
        rows = ([row.unit.name, str(row.state_label), str(row.unit_title or ""), *row.counts, row.people, row.members,
                 row.initiatives] for row in o.rows)
        unit_titles = "; ".join(f"{title}: {count}" for title, count in o.unit_title_totals)
        footer = [_("Tổng cộng"), "", unit_titles, *o.totals, o.total_people, o.total_members, o.total_initiatives]
        yield Section("", columns, rows, footer=footer)


class RegistrationUnitExporter(ListExporter):
    """A unit's registration list, in the layout units exchange: individuals, the collective, initiatives."""

    def __init__(self, registration, entries, initiatives):
        self.registration, self.entries, self.initiatives = registration, entries, initiatives
        year, unit = registration.window.year, registration.unit
        self.title = _("Danh sách đăng ký thi đua năm %(year)s") % {"year": year}
        self.subtitle = _("Đơn vị: %(unit)s – Trạng thái: %(state)s") % {"unit": unit.name, "state": registration.get_state_display()}
        self.filename = f"dang-ky-thi-dua-{year}-{unit.short_code.lower()}"

    def _people(self):
        unit = self.registration.unit
        for entry in self.entries:
            person = entry.person
            born = person.date_of_birth.year if person.date_of_birth else None
            male, female = (born, None) if person.gender == "male" else (None, born)
            position = ", ".join(part for part in (person.position_title, unit.name) if part)
            yield (person.full_name, male, female, position, entry.title.name, "")

    def sections(self):
        registration = self.registration
        yield Section(_("I. CÁ NHÂN"), [
            Column(_("Họ và tên"), 28), Column(_("Năm sinh Nam"), 9, "int"), Column(_("Năm sinh Nữ"), 9, "int"),
            Column(_("Chức vụ, đơn vị công tác"), 36), Column(_("Danh hiệu đăng ký"), 26), Column(_("Ghi chú"), 16)],
            self._people())
        collective = [(registration.unit.name, registration.unit_title.name, registration.note)] if registration.unit_title_id else []
        yield Section(_("II. TẬP THỂ"), [Column(_("Tên tập thể"), 40), Column(_("Danh hiệu đăng ký"), 28), Column(_("Ghi chú"), 30)],
                      collective)
        yield Section(_("III. SÁNG KIẾN ĐĂNG KÝ"), [Column(_("Tên sáng kiến"), 60), Column(_("Tác giả"), 30)],
                      ((i.title, i.owner.full_name) for i in self.initiatives))


class ClusterRankingExporter(ListExporter):
    def __init__(self, cluster, ranking, max_total):
        self.cluster, self.ranking = cluster, ranking
        self.title = _("Kết quả chấm điểm thi đua: %(name)s") % {"name": cluster}
        self.subtitle = _("Tổng điểm tối đa: %(max)s") % {"max": format_score(max_total)}
        self.filename = f"xep-hang-cum-thi-dua-{cluster.year}-{cluster.pk}"

    def sections(self):
        roles = {"leader": _("Cụm trưởng"), "deputy": _("Cụm phó")}
        columns = [Column(_("Xếp hạng"), 9, "int"), Column(_("Đơn vị"), 40), Column(_("Vai trò"), 12),
                   Column(_("Điểm tự chấm"), 12, "number"), Column(_("Điểm thống nhất"), 12, "number"),
                   Column(_("Điểm xét"), 12, "number"), Column(_("Suy tôn"), 34)]

        def number(value):
            return float(value) if value is not None else None

        rows = ((row.rank or None, row.unit.name, roles.get(row.role, ""), number(row.self_total), number(row.agreed_total),
                 number(row.final_total), "; ".join(str(a.award) for a in row.acclamations)) for row in self.ranking)
        yield Section("", columns, rows, numbered=False)
