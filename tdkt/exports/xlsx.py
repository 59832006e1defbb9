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
from openpyxl.worksheet.properties import PageSetupProperties

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


SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text, used=(), default="Danh sách"):
    r"""A sheet name Excel takes (31 characters at most, none of ``[]:*?/\``) that stays meaningful: cut at a word
    boundary, never inside a word, and unique among ``used`` (case-insensitive, as Excel compares): " (2)", " (3)"…"""
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", safe_text(text)).split()).strip("'") or default
    taken = {u.casefold() for u in used}

    def cut(value, room):
        if len(value) <= room:
            return value
        words, out = value.split(" "), ""
        for word in words:
            if len(out) + len(word) + (1 if out else 0) > room:
                break
            out = f"{out} {word}" if out else word
        return (out or value[:room]).rstrip(" -–,;.")

    candidate, number = cut(name, SHEET_NAME_MAX), 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = cut(name, SHEET_NAME_MAX - len(suffix)) + suffix
    return candidate


def _print_setup(ws, *, header_row, landscape):
    """Frozen header row, landscape (or not) fitted to the page width, the header row repeated on every page."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"


def render_xlsx(exporter, output=None):
    """Title on row 1, subtitle on row 2, then each section (heading, header row, rows, footer).

    Each sheet has its header row frozen, an autofilter over its first table, and a print set-up: landscape (for a
    landscape list), fitted to the page width, the header row repeated on every printed page. An exporter with
    ``sheet_per_section`` puts each section on a sheet of its own, named after its heading (:func:`sheet_name`).

    ``output``: a path or a binary file to stream the workbook into (the task worker writes straight
    to a file); without it the bytes are returned."""
    wb = Workbook(write_only=True)
    sections = list(exporter.sections())  # rows stay lazy generators; only the column specs are read here
    if getattr(exporter, "sheet_per_section", False) and sections:
        sheets, used = [], []
        for section in sections:
            used.append(sheet_name(section.heading or exporter.title, used))
            sheets.append((used[-1], [section]))
    else:
        sheets = [(sheet_name(exporter.title), sections)]
    for name, sheet_sections in sheets:
        _write_sheet(wb.create_sheet(title=name), exporter, sheet_sections)
    if output is not None:
        wb.save(output)
        return None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_sheet(ws, exporter, sections):
    widths = {}
    for section in sections:
        for index, column in enumerate(section.all_columns):
            widths[index] = max(widths.get(index, 0), column.width)
    # A write-only sheet takes its column widths (and its print set-up) before the first row.
    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    row_number = 2  # title, subtitle
    first_header = None
    if sections:
        first_header = 4 + (1 if sections[0].heading else 0)
        _print_setup(ws, header_row=first_header, landscape=getattr(exporter, "landscape", True))
    title = text_cell(ws, safe_text(exporter.title))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append(RowWriter(ws, [])([exporter.subtitle or ""]))
    append = ws.append
    first_last_row = None
    for section in sections:
        columns = section.all_columns
        ws.append([])
        row_number += 1
        if section.heading:
            ws.append([_bold(ws, section.heading)])
            row_number += 1
        header = []
        for column in columns:
            cell = _bold(ws, column.header)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)
        row_number += 1
        convert = RowWriter(ws, columns)
        count = 0
        for row in section.all_rows():
            append(convert(row))
            count += 1
        row_number += count
        if first_last_row is None:
            first_last_row = row_number
            ws.auto_filter.ref = f"A{first_header}:{get_column_letter(len(columns))}{max(first_last_row, first_header)}"
        footer = section.all_footer()
        if footer is not None:
            cells = []
            for value in RowWriter(ws, columns)(footer):
                cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
                cell.font = Font(bold=True)
                cells.append(cell)
            ws.append(cells)
            row_number += 1


def _bold(ws, value):
    cell = text_cell(ws, safe_text(value))
    cell.font = Font(bold=True)
    return cell
