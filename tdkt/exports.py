"""One exporter interface for every list the office downloads: XLSX and PDF from one data source.

An exporter declares its columns and yields rows; ``render_xlsx`` writes them with openpyxl in
write-only mode (constant memory, formula-safe cells) and ``render_pdf`` lays them out on A4 with
the Nghị định 30/2020 header, using the bundled Tinos fonts (metric-compatible with Times New Roman).
"""

import datetime
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.module_loading import autodiscover_modules
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .text import ngay_thang_nam

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18  # characters in Excel; relative width in PDF
    kind: str = "text"  # text | int | date | money | number


@dataclass
class Section:
    """One table of an export: an optional heading ("I. CÁ NHÂN"), its columns and rows."""

    heading: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    numbered: bool = True  # add the STT (số thứ tự) column every official list has
    footer: Sequence | None = None  # a totals row, written in bold, not numbered

    @property
    def all_columns(self):
        return (Column("STT", 7, "int"), *self.columns) if self.numbered else tuple(self.columns)

    def all_rows(self):
        if not self.numbered:
            yield from self.rows
            return
        for index, row in enumerate(self.rows, start=1):
            yield (index, *row)

    def all_footer(self):
        if self.footer is None:
            return None
        return ("", *self.footer) if self.numbered else tuple(self.footer)


class ListExporter:
    """Subclass and set ``title``/``filename``/``columns`` and implement ``rows()`` for a single
    table, or override ``sections()`` for a document made of several tables."""

    title: str = ""
    subtitle: str = ""
    filename: str = "danh-sach"
    columns: Sequence[Column] = ()
    landscape: bool = True

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def sections(self) -> Iterable[Section]:
        yield Section("", self.columns, self.rows())

    def count(self) -> int | None:
        """Number of rows when cheap to know (decides whether to export in the background)."""
        queryset = getattr(self, "queryset", None)
        return queryset.count() if queryset is not None else None


def safe_text(value):
    """Text that Excel will never run as a formula, without characters the XLSX format rejects."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _xlsx_cell(ws, value, kind):
    """A value for a write-only row. Plain values go in as they are (fast); a cell object is built only
    where it matters: text that openpyxl would turn into a formula, dates and money formats."""
    if isinstance(value, str):
        text = safe_text(value)
        if not text.startswith("="):
            return text  # openpyxl stores any other text as a string; Excel never evaluates it
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # force text: "=1+1" stays the four characters the user typed
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if kind == "money" and value is not None:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "#,##0"
        return cell
    return value


def render_xlsx(exporter: ListExporter) -> bytes:
    """Title on row 1, subtitle on row 2, then each section (heading, header row, rows, footer)."""
    wb = Workbook(write_only=True)
    sheet_title = re.sub(r"[\[\]:*?/\\]", " ", safe_text(exporter.title)).strip()[:31]
    ws = wb.create_sheet(title=sheet_title or "Danh sách")
    sections = list(exporter.sections())  # rows stay lazy generators; only the column specs are read here
    widths = {}
    for section in sections:
        for index, column in enumerate(section.all_columns):
            widths[index] = max(widths.get(index, 0), column.width)
    # A write-only sheet takes its column widths before the first row.
    for index, width in widths.items():
        ws.column_dimensions[_column_letter(index)].width = width
    title = WriteOnlyCell(ws, value=safe_text(exporter.title))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([_xlsx_cell(ws, exporter.subtitle or "", "text")])
    for section in sections:
        columns = section.all_columns
        ws.append([])
        if section.heading:
            ws.append([_bold(ws, section.heading)])
        header = []
        for column in columns:
            cell = _bold(ws, column.header)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)
        for row in section.all_rows():
            ws.append([_xlsx_cell(ws, value, column.kind) for value, column in zip(row, columns, strict=True)])
        footer = section.all_footer()
        if footer is not None:
            cells = []
            for value, column in zip(footer, columns, strict=True):
                cell = _xlsx_cell(ws, value, column.kind)
                if not isinstance(cell, Cell):
                    cell = WriteOnlyCell(ws, value=cell)
                cell.font = Font(bold=True)
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bold(ws, value):
    cell = WriteOnlyCell(ws, value=safe_text(value))
    cell.data_type = "s"
    cell.font = Font(bold=True)
    return cell


def _column_letter(index):
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
    if isinstance(value, (float, decimal.Decimal)):
        return f"{value:n}".replace(".", ",") if float(value) != int(value) else str(int(value))
    return value


def _pdf_rows(rows, columns):
    for row in rows:
        yield [(_pdf_value(v, c.kind), c.kind) for v, c in zip(row, columns, strict=True)]


def render_pdf(exporter: ListExporter, *, agency=None) -> bytes:
    # Imported on the first PDF, not at start-up: WeasyPrint loads Pango and HarfBuzz (≈1 s and
    # ≈40 MB measured here), which every process, manage.py command and worker that never renders a PDF would pay.
    from weasyprint import HTML

    sections = []
    for section in exporter.sections():
        columns = section.all_columns
        total_width = sum(c.width for c in columns)
        footer = section.all_footer()
        sections.append({
            "heading": section.heading,
            "dense": len(columns) > 8,
            "columns": [(c, round(100 * c.width / total_width, 2)) for c in columns],
            "rows": _pdf_rows(section.all_rows(), columns),
            "footer": next(_pdf_rows([footer], columns)) if footer is not None else None,
        })
    html = render_to_string("tdkt/export_list.html", {
        "exporter": exporter,
        "agency": agency,
        "sections": sections,
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
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, f"{exporter.filename}.{fmt}")
    return response


# ---------------------------------------------------------------- named exports, run now or by the worker

EXPORTS = {}


def register_export(key, *, permission=None):
    """Register ``builder(user, params) -> ListExporter`` under ``key``.

    The builder starts from the user's scoping selectors, so the same key gives the same rows whether
    the export runs in the request or later in the task worker (``manage.py db_worker``).
    """

    def decorate(builder):
        EXPORTS[key] = (builder, permission)
        return builder

    return decorate


def build_export(key, user, params):
    if key not in EXPORTS:
        autodiscover_modules("exports")  # the worker process has not imported the apps' exports yet
    builder, permission = EXPORTS[key]
    if permission and not user.has_perm(permission):
        raise PermissionDenied
    return builder(user, params)


def background_threshold(fmt):
    """Above this many rows an export goes to the task worker instead of holding the request."""
    return settings.TDKT_EXPORT_BACKGROUND_ROWS["pdf" if fmt == "pdf" else "xlsx"]
