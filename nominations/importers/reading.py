"""Reading an imported .xlsx: the hardening against hostile files, the rows as values, the parsing shared by the
importers (kinds, awards, birth dates, people matched by name) and the template.

Hostile files are refused before or while openpyxl reads them (``inspect_archive``, ``XlsxImporter.read``):
an archive whose members unpack to more than ``TDKT_IMPORT_MAX_UNPACKED_BYTES`` (a zip bomb: a 45 KB file
holding a 40-million-character cell), too many members, a DTD or an entity declaration (``<!DOCTYPE``,
``<!ENTITY``: entity expansion, external entities), XML that does not parse, anywhere in the read; a cell
longer than the form allows is an error of its row (never truncated). A list holds at most ``MAX_ROWS`` data
rows (the template's sample row and empty rows do not count).
"""

import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from tdkt.text import fold, nfc
from tdkt.uploads import fmt_size, upload_name, validate_xlsx

from ..enums import SubjectKind
from ..models import CommendationForm, EmulationTitle

SAMPLE_MARK = "Ví dụ"
#: The hidden sheet of a template holding the lists of its drop-down cells.
CHOICES_SHEET = "Danh mục"
MAX_ROWS = 5000  # data rows of one list (issue 9); the sample row and empty rows do not count
MAX_MEMBERS = 300  # a workbook of a few sheets holds a few dozen parts
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
SCAN_CHUNK = 64 * 1024
PROGRESS_EVERY = 250  # rows between two calls of a read's ``progress`` callback

# What the members of an imported .xlsx may unpack to, in all. Measured: a list written by openpyxl unpacks to
# about 0.75 KB per row plus 1.3 bytes per character of summary (5,000 rows with distinct summaries of 1,000,
# 2,000 and 3,000 characters: 7.6, 13.8 and 20.1 MB). The cap was 10 MB for 2,000 rows; MAX_ROWS went to 5,000
# (2.5×), so the cap grows as much, to 25 MB: a 5,000-row list with summaries of 3,000 characters each still
# passes, while a zip bomb (a 40-million-character cell, a 60 MB member) is still refused before openpyxl reads
# it, and the read still holds at most that much.
DEFAULT_MAX_UNPACKED_BYTES = 25 * 1024 * 1024


def import_max_unpacked_bytes():
    """What the members of an imported .xlsx may unpack to, in all (see ``DEFAULT_MAX_UNPACKED_BYTES``)."""
    return getattr(settings, "TDKT_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


def unreadable(name):
    return _("Không đọc được tệp “%(name)s” như một tệp Excel .xlsx (tệp hỏng hoặc không đúng định dạng).") % {"name": name}


# What a hostile or broken workbook can raise while openpyxl (the zip reader, zlib, the XML parser) reads it.
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, InvalidFileException, KeyError, IndexError, AttributeError,
               OSError, EOFError, ValueError, TypeError, SyntaxError, UnicodeError, NotImplementedError)


def inspect_archive(data, name):
    """Errors of an .xlsx archive found before openpyxl opens it: the declared sizes of its members summed (a zip
    bomb), their number, a DTD or an entity declaration in any member. The zip reader never unpacks more than a
    member's declared size (beyond it the CRC check fails), so the sum bounds what the whole read unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return [_("Tệp “%(name)s” có %(n)s thành phần nén, quá nhiều cho một tệp Excel danh sách (tối đa %(max)s).")
                        % {"name": name, "n": len(members), "max": MAX_MEMBERS}]
            unpacked, limit = sum(m.file_size for m in members), import_max_unpacked_bytes()
            if unpacked > limit:
                return [_("Tệp “%(name)s” khi giải nén lớn tới %(size)s (tối đa %(max)s): không phải một danh sách thông thường "
                          "(có thể là tệp nén độc hại). Hãy dùng tệp mẫu.")
                        % {"name": name, "size": fmt_size(unpacked), "max": fmt_size(limit)}]
            for member in members:
                if _declares_dtd(archive, member):
                    return [_("Tệp “%(name)s” chứa khai báo DTD hoặc thực thể XML (<!DOCTYPE, <!ENTITY), điều tệp Excel thật "
                              "không có: tệp bị từ chối. Hãy dùng tệp mẫu.") % {"name": name}]
    except READ_ERRORS:
        return [unreadable(name)]
    return []


def _declares_dtd(archive, member):
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(SCAN_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in DTD_MARKERS):
                return True
            tail = window[-32:]
    return False


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 18
    required: bool = False
    note: str = ""
    max_length: int = 200  # what the form allows; a longer cell is an error of its row


@dataclass
class Row:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    obj: object = None


@dataclass
class Preview:
    errors: list = field(default_factory=list)     # about the file as a whole
    rows: list = field(default_factory=list)

    @property
    def row_errors(self):
        return [e for row in self.rows for e in row.errors]

    @property
    def all_errors(self):
        return self.errors + self.row_errors

    @property
    def warnings(self):
        return [w for row in self.rows for w in row.warnings]

    @property
    def ok(self):
        return not self.all_errors and bool(self.rows)


def _thousands(n):
    """``5000`` → ``"5.000"``."""
    return f"{n:,}".replace(",", ".")


def _casefold(value):
    return (nfc(value) or "").casefold()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value, *, allow_year=False):
    """A date cell or text (dd/mm/yyyy, yyyy-mm-dd), or only a year when allowed. Returns a date, a year (int) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    if allow_year and re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return int(text)
    match = _DATE_TEXT.match(text)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return datetime.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = map(int, match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(text)


class People:
    """The people an import matches names against: by name (NFC, case-folded) and, for the hint of a name not
    found, by name without diacritics. Built once per import: each row is matched by dictionary look-ups."""

    def __init__(self, persons=()):
        self.by_name, self._by_folded = {}, None
        for person in persons:
            self.add(person)

    def add(self, person):
        self.by_name.setdefault(_casefold(person.full_name), []).append(person)
        self._by_folded = None

    def named(self, name):
        return self.by_name.get(_casefold(name), [])

    def similar(self, name):
        if self._by_folded is None:  # built on the first name not found, once
            self._by_folded = {}
            for people in self.by_name.values():
                for person in people:
                    self._by_folded.setdefault(fold(person.full_name), set()).add(person.full_name)
        return sorted(self._by_folded.get(fold(name), ()))


class XlsxImporter:
    sheet_name = "Danh sách"
    columns: list[Column] = []
    title = ""
    instructions: list[str] = []
    max_rows = MAX_ROWS
    #: Rows of the sheet read at most, empty ones included (a stray cell far below the list would make the read
    #: walk a million empty rows).
    max_sheet_rows = 4 * MAX_ROWS

    def where(self, row, key=None):
        if key is None:
            return _("Dòng %(row)s") % {"row": row}
        index = [c.key for c in self.columns].index(key) + 1
        return _("Dòng %(row)s, cột %(col)s") % {"row": row, "col": get_column_letter(index)}

    # ---------------------------------------------------------------- reading
    def read(self, uploaded, *, progress=None):
        """``(file errors, [(row number, {key: raw value}, [errors of the row's cells])])``. ``progress``: called with
        the number of data rows read so far, every ``PROGRESS_EVERY`` rows (a background import's progress page)."""
        try:
            validate_xlsx(uploaded)
        except ValidationError as exc:
            return exc.messages, []
        name = upload_name(uploaded)
        uploaded.seek(0)
        data = uploaded.read()
        errors = inspect_archive(data, name)
        if errors:
            return errors, []
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = next((ws for ws in workbook.worksheets if fold(ws.title) == fold(self.sheet_name)), None)
                if sheet is None:
                    return [_("Không tìm thấy trang tính “%(sheet)s” (tệp có: %(sheets)s). Hãy dùng tệp mẫu.")
                            % {"sheet": self.sheet_name, "sheets": ", ".join(f"“{ws.title}”" for ws in workbook.worksheets)}], []
                return self._read_sheet(sheet, progress)
            finally:
                workbook.close()
        except READ_ERRORS:
            # anywhere in the read: the archive, the workbook's parts, or a row of the sheet parsed lazily
            return [unreadable(name)], []

    def _read_sheet(self, sheet, progress=None):
        rows = sheet.iter_rows()
        header = next(rows, None)
        errors = []
        header = list(header or [])
        for index, column in enumerate(self.columns):
            found = _cell_text(header[index].value) if index < len(header) else ""
            if fold(found) != fold(column.header):
                errors.append(_("Dòng 1, cột %(col)s: tiêu đề phải là “%(want)s” (tệp ghi “%(got)s”).")
                              % {"col": get_column_letter(index + 1), "want": column.header, "got": found})
        if errors:
            return errors, []
        data = []
        for number, cells in enumerate(rows, start=2):
            if number > self.max_sheet_rows + 1:  # empty rows too: openpyxl yields every row up to the last one used
                return [_("Trang tính có hơn %(n)s dòng (kể cả dòng trống): hãy xoá các dòng trống thừa hoặc chia nhỏ danh sách.")
                        % {"n": _thousands(self.max_sheet_rows)}], []
            cells = list(cells)[:len(self.columns)]
            values, formula_errors = {}, []
            for index, column in enumerate(self.columns):
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    formula_errors.append(_("%(where)s: ô chứa công thức (%(f)s); hãy nhập giá trị, không dùng công thức.")
                                          % {"where": self.where(number, column.key), "f": str(value)[:40]})
                    value = None
                elif isinstance(value, str) and len(value) > column.max_length:
                    formula_errors.append(_("%(where)s: nội dung dài %(n)s ký tự, tối đa %(max)s ký tự.")
                                          % {"where": self.where(number, column.key), "n": _thousands(len(value)),
                                             "max": _thousands(column.max_length)})
                    value = None
                values[column.key] = value
            if all(v is None or _cell_text(v) == "" for v in values.values()) and not formula_errors:
                continue
            if fold(_cell_text(values.get(self.columns[0].key))) == fold(SAMPLE_MARK):
                continue
            if self.unproposed_keys and not formula_errors and all(_cell_text(values.get(k)) == "" for k in self.unproposed_keys):
                continue  # a pre-filled member left without a title: not proposed
            if len(data) == self.max_rows:
                return [_("Tệp có quá %(n)s dòng dữ liệu (dòng %(row)s là dòng thứ %(m)s): hãy chia nhỏ danh sách.")
                        % {"n": _thousands(self.max_rows), "row": number, "m": _thousands(self.max_rows + 1)}], []
            data.append((number, values, formula_errors))
            if progress is not None and len(data) % PROGRESS_EVERY == 0:
                progress(len(data))
        if not data:
            return [_("Tệp không có dòng dữ liệu nào (dòng “%(mark)s” của tệp mẫu được bỏ qua).") % {"mark": SAMPLE_MARK}], []
        return [], data

    # ---------------------------------------------------------------- shared parsing
    def _award(self, row, key, text, lookup):
        if not text:
            row.errors.append(_("%(where)s: chưa ghi danh hiệu hoặc hình thức khen thưởng.") % {"where": self.where(row.number, key)})
            return None
        found = lookup.get(fold(text).replace(" ", "").replace("_", ""))
        if found is None:
            row.errors.append(_("%(where)s: không có danh hiệu, hình thức “%(text)s” (ví dụ: LĐTT, CSTĐCS, Giấy khen).")
                              % {"where": self.where(row.number, key), "text": text})
        return found

    @staticmethod
    def award_lookup():
        lookup = {}
        for model in (EmulationTitle, CommendationForm):
            for award in model.objects.filter(active=True):
                for name in (award.code, award.name):
                    lookup[fold(name).replace(" ", "").replace("_", "")] = award
        return lookup

    def _kind(self, row, key, text):
        folded = fold(text)
        if folded in ("", "ca nhan"):
            return SubjectKind.PERSON
        if folded in ("tap the", "don vi"):
            return SubjectKind.UNIT
        row.errors.append(_("%(where)s: ghi “Cá nhân” hoặc “Tập thể” (tệp ghi “%(text)s”).")
                          % {"where": self.where(row.number, key), "text": text})
        return None

    def _birth(self, row, key, value):
        try:
            return parse_date(value, allow_year=True)
        except ValueError:
            row.errors.append(_("%(where)s: ngày sinh “%(text)s” không hợp lệ (ghi dd/mm/yyyy hoặc năm sinh).")
                              % {"where": self.where(row.number, key), "text": _cell_text(value)})
            return None

    def _match_person(self, row, key, name, birth, people, unit_label):
        """Match by name (+ birth date when ambiguous) among ``people`` (a :class:`People`); report ambiguity
        instead of guessing."""
        if not name:
            row.errors.append(_("%(where)s: chưa ghi họ và tên.") % {"where": self.where(row.number, key)})
            return None
        matches = people.named(name)
        if birth is not None and matches:
            if isinstance(birth, int):
                matches = [p for p in matches if p.date_of_birth and p.date_of_birth.year == birth]
            else:
                matches = [p for p in matches if p.date_of_birth == birth]
            if not matches:
                row.errors.append(_("%(where)s: %(unit)s không có ai tên “%(name)s” sinh %(birth)s.")
                                  % {"where": self.where(row.number, key), "unit": unit_label, "name": name,
                                     "birth": birth if isinstance(birth, int) else birth.strftime("%d/%m/%Y")})
                return None
        if len(matches) == 1:
            return matches[0]
        if not matches:
            similar = people.similar(name)
            hint = _(" (có phải: %(names)s?)") % {"names": ", ".join(similar)} if similar else ""
            row.errors.append(_("%(where)s: không tìm thấy “%(name)s” trong %(unit)s%(hint)s.")
                              % {"where": self.where(row.number, key), "name": name, "unit": unit_label, "hint": hint})
            return None
        row.errors.append(_("%(where)s: có %(n)s người tên “%(name)s” trong %(unit)s: hãy ghi ngày sinh để phân biệt.")
                          % {"where": self.where(row.number, key), "n": len(matches), "name": name, "unit": unit_label})
        return None

    # ---------------------------------------------------------------- template
    #: Column keys that, all empty, mark a row listed but not filled in (a member pre-filled in the template and not
    #: proposed): such a row is skipped on import. Empty: every non-empty row counts.
    unproposed_keys = ()

    def template(self, sample, rows=(), choices=None):
        """An .xlsx with the header row (frozen), one sample row (ignored on import), ``rows`` pre-filled (e.g. the
        unit's members), a drop-down list of the valid values of each column named in ``choices`` (``{key: [values]}``,
        Excel data validation from a hidden sheet “Danh mục”) and a sheet of instructions."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.sheet_name
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDE6F0")
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for index, value in enumerate(sample, start=1):
            cell = sheet.cell(row=2, column=index, value=value)
            cell.data_type = "s" if isinstance(value, str) else cell.data_type
            cell.font = Font(italic=True, color="666666")
        for number, values in enumerate(rows, start=3):
            for index, value in enumerate(values, start=1):
                if value not in (None, ""):
                    sheet.cell(row=number, column=index, value=value).data_type = "s"
        sheet.freeze_panes = "A2"
        if choices:
            lists = workbook.create_sheet(CHOICES_SHEET)
            last = max(len(rows) + 2, 2) + 500  # room for rows added below the pre-filled ones
            keys = [c.key for c in self.columns]
            for list_index, (key, values) in enumerate(choices.items(), start=1):
                letter = get_column_letter(list_index)
                for number, value in enumerate(values, start=1):
                    lists.cell(row=number, column=list_index, value=value)
                column_letter = get_column_letter(keys.index(key) + 1)
                validation = DataValidation(type="list", formula1=f"'{CHOICES_SHEET}'!${letter}$1:${letter}${max(len(values), 1)}",
                                            allow_blank=True, showErrorMessage=True, errorTitle=_("Giá trị không hợp lệ"),
                                            error=_("Hãy chọn trong danh sách."))
                validation.add(f"{column_letter}3:{column_letter}{last}")
                sheet.add_data_validation(validation)
            lists.sheet_state = "hidden"
        notes = workbook.create_sheet("Hướng dẫn")
        notes.column_dimensions["A"].width = 110
        for line in [self.title, "", *self.instructions, "",
                     _("Dòng có STT là “%(mark)s” được bỏ qua khi nhập. Không dùng công thức; không đổi tên trang tính và tiêu đề cột.")
                     % {"mark": SAMPLE_MARK}]:
            notes.append([line])
        notes["A1"].font = bold
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
