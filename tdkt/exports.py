"""One exporter interface for every list the office downloads: XLSX and PDF from one data source.

An exporter declares its columns and yields rows; ``render_xlsx`` writes them with openpyxl in
write-only mode (constant memory, formula-safe cells) and ``render_pdf`` lays them out on A4 with
the Nghị định 30/2020 header, using the bundled Tinos fonts (metric-compatible with Times New Roman).
"""

import datetime
import decimal
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from .text import ngay_thang_nam

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18  # characters in Excel; relative width in PDF
    kind: str = "text"  # text | int | date | money


class ListExporter:
    """Subclass and set ``title``/``filename``/``columns``; implement ``rows()``."""

    title: str = ""
    subtitle: str = ""
    filename: str = "danh-sach"
    columns: Sequence[Column] = ()
    landscape: bool = True

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def numbered_rows(self):
        """Rows with the leading STT (số thứ tự) column every official list has."""
        for index, row in enumerate(self.rows(), start=1):
            yield (index, *row)

    @property
    def all_columns(self):
        return (Column("STT", 6, "int"), *self.columns)


def safe_text(value):
    """Text that Excel will never run as a formula, without characters the XLSX format rejects."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _xlsx_cell(ws, value, kind):
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=safe_text(value))
        cell.data_type = "s"  # force text: "=1+1" stays the four characters the user typed
        return cell
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    elif kind == "money":
        cell.number_format = "#,##0"
    return cell


def render_xlsx(exporter: ListExporter) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_text(exporter.title)[:31] or "Danh sách")
    columns = exporter.all_columns
    for index, column in enumerate(columns):
        ws.column_dimensions[_column_letter(index)].width = column.width
    title = WriteOnlyCell(ws, value=safe_text(exporter.title))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([_xlsx_cell(ws, exporter.subtitle or "", "text")])  # fixed layout: headers always on row 4
    ws.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    for row in exporter.numbered_rows():
        ws.append([_xlsx_cell(ws, value, column.kind) for value, column in zip(row, columns, strict=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def font_faces():
    """@font-face sources for the bundled Tinos files (found through the staticfiles finders)."""
    faces = []
    for weight, style, name in [("normal", "normal", "Regular"), ("bold", "normal", "Bold"),
                                ("normal", "italic", "Italic"), ("bold", "italic", "BoldItalic")]:
        path = finders.find(f"fonts/Tinos-{name}.ttf")
        if path:
            faces.append({"weight": weight, "style": style, "url": f"file://{path}"})
    return faces


def _pdf_value(value, kind):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if kind == "money" and isinstance(value, (int, decimal.Decimal)):
        return f"{value:,.0f}".replace(",", ".")
    return value


def render_pdf(exporter: ListExporter, *, agency=None) -> bytes:
    from weasyprint import HTML

    columns = exporter.all_columns
    total_width = sum(c.width for c in columns)
    html = render_to_string("tdkt/export_list.html", {
        "exporter": exporter,
        "agency": agency,
        "columns": [(c, round(100 * c.width / total_width, 2)) for c in columns],
        "rows": ([(_pdf_value(v, c.kind), c.kind) for v, c in zip(row, columns, strict=True)] for row in exporter.numbered_rows()),
        "fonts": font_faces(),
        "dated": ngay_thang_nam(timezone.localdate(), agency.place_name if agency else None),
    })
    return HTML(string=html, base_url=str(finders.find("css/print.css") or ".")).write_pdf()


def export_response(exporter: ListExporter, fmt: str, *, agency=None) -> HttpResponse:
    """An attachment response in ``fmt`` ("xlsx" or "pdf")."""
    if fmt == "pdf":
        content, mime = render_pdf(exporter, agency=agency), PDF_MIME
    else:
        fmt, content, mime = "xlsx", render_xlsx(exporter), XLSX_MIME
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename}-{stamp}.{fmt}"'
    return response
