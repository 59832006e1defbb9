"""XLSX renderer: openpyxl in write-only mode (rows streamed to the file, constant memory).

Cells go in as plain values wherever openpyxl writes them safely as they are; a cell object is made
only where it matters: text that openpyxl would store as a formula (``=…``: forced to text, so what a
user typed never runs), text with characters the format rejects, dates and money (number formats).
Date and money cells are one object per column, reused row after row: a write-only row is serialised
as soon as it is appended, so nothing else holds them.
"""

import datetime
import io
import re

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"


def safe_text(value):
    """Text without the control characters the XLSX format rejects (tab, line feed and CR stay)."""
    text = str(value)
    return text if text.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", text)


def text_cell(ws, text):
    """A cell that holds ``text`` as text whatever it starts with (``=1+1`` stays four characters)."""
    cell = WriteOnlyCell(ws, value=None)
    cell.value = text
    cell.data_type = "s"
    return cell


class RowWriter:
    """Turns an exporter's row (plain Python values) into what ``ws.append`` takes, wrapping as few
    values as keeps the sheet formula-safe and typed."""

    def __init__(self, ws, columns):
        self.ws = ws
        self.money = frozenset(i for i, column in enumerate(columns) if column.kind == "money")
        self.date_cells = {}
        self.money_cells = {}

    def _styled(self, cells, index, value, number_format):
        cell = cells.get(index)
        if cell is None:
            cell = cells[index] = WriteOnlyCell(self.ws)
            cell.number_format = number_format
        cell.value = value
        return cell

    def __call__(self, row):
        out = list(row)
        money = self.money
        for index, value in enumerate(out):
            kind = value.__class__
            if kind is not str and isinstance(value, (str, Promise)):  # a str subclass, a lazy translation: its text
                value, kind = str.__str__(str(value)), str
            if kind is str:
                if not value:
                    out[index] = None  # an empty cell: nothing to write
                elif value[0] == "=" or not value.isprintable():
                    text = safe_text(value)
                    out[index] = text_cell(self.ws, text) if text.startswith("=") else text
                else:
                    out[index] = value
            elif value is None or kind is bool:
                continue
            elif kind is int or kind is float or hasattr(value, "as_integer_ratio"):  # numbers, Decimal
                if index in money:
                    out[index] = self._styled(self.money_cells, index, value, MONEY_FORMAT)
            elif isinstance(value, datetime.date):
                out[index] = self._styled(self.date_cells, index, value, DATE_FORMAT)
        return out


def render_xlsx(exporter, output=None):
    """Title on row 1, subtitle on row 2, then each section (heading, header row, rows, footer).

    ``output``: a path or a binary file to stream the workbook into (the task worker writes straight
    to a file); without it the bytes are returned."""
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
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    title = text_cell(ws, safe_text(exporter.title))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append(RowWriter(ws, [])([exporter.subtitle or ""]))
    append = ws.append
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
        convert = RowWriter(ws, columns)
        for row in section.all_rows():
            append(convert(row))
        footer = section.all_footer()
        if footer is not None:
            cells = []
            for value in RowWriter(ws, columns)(footer):
                cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
                cell.font = Font(bold=True)
                cells.append(cell)
            ws.append(cells)
    if output is not None:
        wb.save(output)
        return None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bold(ws, value):
    cell = text_cell(ws, safe_text(value))
    cell.font = Font(bold=True)
    return cell
