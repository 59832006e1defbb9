"""Exports of the nominations app: one exporter interface, one XLSX writer.

An exporter gives a sheet title, its columns and a row generator; :func:`to_xlsx` writes it
with a write-only workbook (constant memory) and formula-safe cells: text starting with
= + - @ is stored as text, never as a formula, and characters Excel rejects are removed.
"""

import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@")


class ListExporter:
    """Subclasses set ``sheet_title``, ``filename``, ``columns`` ([(header, width)]) and implement ``rows()``."""

    sheet_title = "Danh sách"
    filename = "danh-sach"
    title = ""
    columns: list = []

    def rows(self):
        raise NotImplementedError


def safe_cell(sheet, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # text, never a formula (formula injection)
    elif isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def to_xlsx(exporter):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(exporter.sheet_title[:31])
    for index, (_header, width) in enumerate(exporter.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    if exporter.title:
        title = safe_cell(sheet, exporter.title)
        title.font = Font(bold=True, size=13)
        sheet.append([title])
    header = []
    for text, _width in exporter.columns:
        cell = safe_cell(sheet, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in exporter.rows():
        sheet.append([safe_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(exporter):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(to_xlsx(exporter), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename}-{stamp}.xlsx"'
    return response


class NominationListExporter(ListExporter):
    sheet_title = "Đề nghị khen thưởng"
    filename = "de-nghi-khen-thuong"
    columns = [
        (_("STT"), 6), (_("Họ và tên / Tên tập thể"), 30), (_("Ngày sinh"), 12), (_("Chức vụ"), 22), (_("Đơn vị đề nghị"), 30),
        (_("Danh hiệu / Hình thức"), 30), (_("Đợt đề nghị"), 30), (_("Năm"), 7), (_("Trạng thái"), 18),
        (_("Tóm tắt thành tích"), 60), (_("Lý do trả lại, không đạt"), 40),
    ]

    def __init__(self, queryset, *, title=""):
        self.queryset = queryset
        self.title = title or _("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")

    def rows(self):
        for index, n in enumerate(self.queryset.iterator(chunk_size=2000), start=1):
            person = n.person
            yield [
                index,
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
            ]


class AwardHistoryExporter(ListExporter):
    sheet_title = "Lịch sử khen thưởng"
    filename = "lich-su-khen-thuong"
    columns = [
        (_("STT"), 6), (_("Họ và tên / Tên tập thể"), 30), (_("Đơn vị"), 30), (_("Danh hiệu / Hình thức"), 30), (_("Năm"), 7),
        (_("Loại khen thưởng"), 16), (_("Số quyết định"), 16), (_("Ngày quyết định"), 14), (_("Cấp quyết định"), 22),
    ]

    def __init__(self, queryset, *, title=""):
        self.queryset = queryset
        self.title = title or _("LỊCH SỬ KHEN THƯỞNG")

    def rows(self):
        for index, a in enumerate(self.queryset.iterator(chunk_size=2000), start=1):
            yield [
                index,
                a.person.full_name if a.person_id else a.unit.name,
                a.person.unit.name if a.person_id else a.unit.name,
                (a.title or a.form).name,
                a.year,
                a.get_kind_display(),
                a.decision_number,
                a.decision_date,
                a.issuer,
            ]
