"""Excel exports of the movements app: the registration roll-up, one unit's registration list and a
cluster's ranking. Workbooks are write-only (streamed rows, low memory) and every text cell is
formula-safe: text starting with = + - @ is stored as a string, never as a formula."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import format_score

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_cell(ws, value, *, bold=False):
    """A cell whose text can never become a formula (CSV/formula injection)."""
    if value is None:
        value = ""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text starting with = + - @ stays text
    if bold:
        cell.font = BOLD
    return cell


def _row(ws, values, *, bold=False):
    ws.append([safe_cell(ws, v, bold=bold) for v in values])


def _workbook_bytes(wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _widths(ws, widths):
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width


def registration_rollup_xlsx(overview):
    """The office's overview: one row per unit, a count per title, and the roll-up total."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Tổng hợp"))
    _widths(ws, [6, 45, 16, 30] + [14] * (len(overview.titles) + 3))
    _row(ws, [_("TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM %(year)s") % {"year": overview.window.year}], bold=True)
    _row(ws, [])
    header = [_("STT"), _("Đơn vị"), _("Trạng thái"), _("Danh hiệu tập thể đăng ký")]
    header += [t.name for t in overview.titles] + [_("Tổng số cá nhân đăng ký"), _("Số người đang công tác"), _("Số sáng kiến")]
    _row(ws, header, bold=True)
    for index, row in enumerate(overview.rows, start=1):
        _row(ws, [index, row.unit.name, str(row.state_label), str(row.unit_title or "")] + row.counts
             + [row.people, row.members, row.initiatives])
    unit_titles = "; ".join(f"{title}: {count}" for title, count in overview.unit_title_totals)
    _row(ws, ["", _("Tổng cộng"), "", unit_titles] + overview.totals
         + [overview.total_people, overview.total_members, overview.total_initiatives], bold=True)
    return _workbook_bytes(wb)


def registration_unit_xlsx(registration, entries, initiatives):
    """A unit's registration list, in the layout units exchange: individuals, the collective, initiatives."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Đăng ký thi đua"))
    _widths(ws, [6, 30, 10, 10, 40, 30, 30])
    _row(ws, [_("DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM %(year)s") % {"year": registration.window.year}], bold=True)
    _row(ws, [_("Đơn vị: %(unit)s") % {"unit": registration.unit.name}])
    _row(ws, [_("Trạng thái: %(state)s") % {"state": registration.get_state_display()}])
    _row(ws, [])
    _row(ws, [_("I. CÁ NHÂN")], bold=True)
    _row(ws, [_("STT"), _("Họ và tên"), _("Năm sinh Nam"), _("Năm sinh Nữ"), _("Chức vụ, đơn vị công tác"),
              _("Danh hiệu đăng ký"), _("Ghi chú")], bold=True)
    for index, entry in enumerate(entries, start=1):
        person = entry.person
        year = person.date_of_birth.year if person.date_of_birth else ""
        male, female = (year, "") if person.gender == "male" else ("", year)
        position = ", ".join(part for part in (person.position_title, registration.unit.name) if part)
        _row(ws, [index, person.full_name, male, female, position, entry.title.name, ""])
    _row(ws, [])
    _row(ws, [_("II. TẬP THỂ")], bold=True)
    _row(ws, [_("STT"), _("Tên tập thể"), "", "", "", _("Danh hiệu đăng ký"), _("Ghi chú")], bold=True)
    if registration.unit_title_id:
        _row(ws, [1, registration.unit.name, "", "", "", registration.unit_title.name, registration.note])
    _row(ws, [])
    _row(ws, [_("III. SÁNG KIẾN ĐĂNG KÝ")], bold=True)
    _row(ws, [_("STT"), _("Tên sáng kiến"), "", "", _("Tác giả")], bold=True)
    for index, initiative in enumerate(initiatives, start=1):
        _row(ws, [index, initiative.title, "", "", initiative.owner.full_name])
    return _workbook_bytes(wb)


def cluster_ranking_xlsx(cluster, ranking, max_total):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Xếp hạng"))
    _widths(ws, [10, 45, 14, 16, 16, 16, 40])
    _row(ws, [_("KẾT QUẢ CHẤM ĐIỂM THI ĐUA: %(name)s") % {"name": str(cluster).upper()}], bold=True)
    _row(ws, [_("Tổng điểm tối đa: %(max)s") % {"max": format_score(max_total)}])
    _row(ws, [])
    _row(ws, [_("Xếp hạng"), _("Đơn vị"), _("Vai trò"), _("Điểm tự chấm"), _("Điểm thống nhất"), _("Điểm xét"), _("Suy tôn")],
         bold=True)
    roles = {"leader": _("Cụm trưởng"), "deputy": _("Cụm phó")}
    for row in ranking:
        _row(ws, [row.rank or "", row.unit.name, roles.get(row.role, ""),
                  float(row.self_total) if row.self_total is not None else "",
                  float(row.agreed_total) if row.agreed_total is not None else "",
                  float(row.final_total) if row.final_total is not None else "",
                  "; ".join(str(a.award) for a in row.acclamations)])
    return _workbook_bytes(wb)
