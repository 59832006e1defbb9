"""Excel imports in two phases (the pretix way).

1. ``preview``: read every row into values, collect every error as "Dòng 7, cột C: …" and the
   rule violations of the whole list; nothing is written.
2. ``save``: read and check again, then create everything in one ``transaction.atomic()``
   through the services, or nothing.

Accepted: NFD text, surrounding spaces, dates as Excel dates or text ("05/01/1980", or only the
year). Refused with a clear message: formulas, a missing sheet or wrong headers, files over the
size limit, anything that is not an .xlsx workbook (an old .xls renamed included).

Hostile files are refused before or while openpyxl reads them (``inspect_archive``, ``XlsxImporter.read``):
an archive whose members unpack to more than ``TDKT_IMPORT_MAX_UNPACKED_BYTES`` (a zip bomb: a 45 KB file
holding a 40-million-character cell), too many members, a DTD or an entity declaration (``<!DOCTYPE``,
``<!ENTITY``: entity expansion, external entities), XML that does not parse, anywhere in the read; a cell
longer than the form allows is an error of its row (never truncated).
"""

import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from movements.api import Person, PositionAssignment, Unit
from tdkt.roles import is_office_user, writes_for_unit
from tdkt.text import fold, nfc, nfc_multiline
from tdkt.uploads import fmt_size, upload_name, validate_xlsx

from . import services
from .enums import AwardType, NominationState, SubjectKind
from .models import AwardRecord, CommendationForm, EmulationTitle, Nomination, UnitSubmission
from .rules_engine import STAGE_ENTRY, evaluate

SAMPLE_MARK = "Ví dụ"
MAX_ROWS = 2000
MAX_MEMBERS = 300  # a workbook of a few sheets holds a few dozen parts
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
SCAN_CHUNK = 64 * 1024


def import_max_unpacked_bytes():
    """What the members of an imported .xlsx may unpack to, in all (a 2,000-row list is about 1 MB)."""
    return getattr(settings, "TDKT_IMPORT_MAX_UNPACKED_BYTES", 10 * 1024 * 1024)


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


class XlsxImporter:
    sheet_name = "Danh sách"
    columns: list[Column] = []
    title = ""
    instructions: list[str] = []

    def where(self, row, key=None):
        if key is None:
            return _("Dòng %(row)s") % {"row": row}
        index = [c.key for c in self.columns].index(key) + 1
        return _("Dòng %(row)s, cột %(col)s") % {"row": row, "col": get_column_letter(index)}

    # ---------------------------------------------------------------- reading
    def read(self, uploaded):
        """``(file errors, [(row number, {key: raw value}, [errors of the row's cells])])``."""
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
                return self._read_sheet(sheet)
            finally:
                workbook.close()
        except READ_ERRORS:
            # anywhere in the read: the archive, the workbook's parts, or a row of the sheet parsed lazily
            return [unreadable(name)], []

    def _read_sheet(self, sheet):
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
            if number > MAX_ROWS + 1:
                return [_("Tệp có quá %(n)s dòng dữ liệu: hãy chia nhỏ danh sách.") % {"n": MAX_ROWS}], []
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
                                          % {"where": self.where(number, column.key), "n": f"{len(value):,}".replace(",", "."),
                                             "max": f"{column.max_length:,}".replace(",", ".")})
                    value = None
                values[column.key] = value
            if all(v is None or _cell_text(v) == "" for v in values.values()) and not formula_errors:
                continue
            if fold(_cell_text(values.get(self.columns[0].key))) == fold(SAMPLE_MARK):
                continue
            data.append((number, values, formula_errors))
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

    def _match_person(self, row, key, name, birth, candidates_by_name, unit_label):
        """Match by name (+ birth date when ambiguous); report ambiguity instead of guessing."""
        if not name:
            row.errors.append(_("%(where)s: chưa ghi họ và tên.") % {"where": self.where(row.number, key)})
            return None
        matches = candidates_by_name.get(_casefold(name), [])
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
            similar = sorted({p.full_name for people in candidates_by_name.values() for p in people if fold(p.full_name) == fold(name)})
            hint = _(" (có phải: %(names)s?)") % {"names": ", ".join(similar)} if similar else ""
            row.errors.append(_("%(where)s: không tìm thấy “%(name)s” trong %(unit)s%(hint)s.")
                              % {"where": self.where(row.number, key), "name": name, "unit": unit_label, "hint": hint})
            return None
        row.errors.append(_("%(where)s: có %(n)s người tên “%(name)s” trong %(unit)s: hãy ghi ngày sinh để phân biệt.")
                          % {"where": self.where(row.number, key), "n": len(matches), "name": name, "unit": unit_label})
        return None

    # ---------------------------------------------------------------- template
    def template(self, sample):
        """An .xlsx with the header row, one sample row (ignored on import) and a sheet of instructions."""
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
        sheet.freeze_panes = "A2"
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


# ---------------------------------------------------------------- a unit's nomination list

class NominationImporter(XlsxImporter):
    title = _("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")
    columns = [
        Column("stt", "STT", 6, max_length=20),
        Column("kind", "Cá nhân / Tập thể", 14, max_length=20),
        Column("name", "Họ và tên / Tên tập thể", 32, required=True, max_length=200),
        Column("birth", "Ngày sinh", 14, max_length=20),
        Column("award", "Danh hiệu / Hình thức", 30, required=True, max_length=200),
        Column("summary", "Tóm tắt thành tích", 60, max_length=5000),  # NominationForm.achievement_summary
    ]
    instructions = [
        _("Cột “Cá nhân / Tập thể”: ghi “Cá nhân” (mặc định khi để trống) hoặc “Tập thể”."),
        _("Cột “Họ và tên / Tên tập thể”: họ tên đúng như trong hồ sơ cá nhân của đơn vị; tập thể là chính đơn vị hoặc đơn vị cấp dưới."),
        _("Cột “Ngày sinh”: dd/mm/yyyy hoặc chỉ năm sinh; cần khi đơn vị có hai người trùng họ tên."),
        _("Cột “Danh hiệu / Hình thức”: mã hoặc tên, ví dụ LĐTT, CSTĐCS, CSTĐ_TINH, TTLĐTT, TTLĐXS, Giấy khen, Bằng khen."),
    ]

    def __init__(self, *, nomination_round, unit):
        self.round = nomination_round
        self.unit = unit

    def sample_row(self):
        person = Person.objects.filter(unit=self.unit, active=True, is_leadership=False).order_by("full_name").first()
        return [SAMPLE_MARK, "Cá nhân", person.full_name if person else "Nguyễn Văn A",
                person.date_of_birth.strftime("%d/%m/%Y") if person and person.date_of_birth else "05/01/1985",
                "Lao động tiên tiến", "Hoàn thành tốt nhiệm vụ được giao; tích cực tham gia phong trào thi đua."]

    def _people(self):
        """People of the unit: current members and those who worked there on the reference date (one query each)."""
        ref = self.round.reference_date
        at_reference = PositionAssignment.objects.filter(unit=self.unit, start_date__lte=ref).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=ref)).values("person_id")
        by_name = {}
        for person in Person.objects.filter(Q(pk__in=at_reference) | Q(unit=self.unit, active=True)).distinct():
            by_name.setdefault(_casefold(person.full_name), []).append(person)
        return by_name

    def preview(self, uploaded):
        result = Preview()
        errors, data = self.read(uploaded)
        if errors:
            result.errors = errors
            return result
        awards = self.award_lookup()
        people = self._people()
        collectives = {_casefold(u.name): u for u in Unit.objects.filter(Q(pk=self.unit.pk) | Q(parent=self.unit))}
        collectives.update({_casefold(u.short_code): u for u in collectives.values()})
        submission = UnitSubmission.objects.filter(round=self.round, unit=self.unit).first() or UnitSubmission(
            round=self.round, unit=self.unit)
        for number, values, formula_errors in data:
            row = Row(number, {c.key: _cell_text(values.get(c.key)) for c in self.columns}, errors=list(formula_errors))
            result.rows.append(row)
            kind = self._kind(row, "kind", row.values["kind"])
            name = row.values["name"]
            birth = self._birth(row, "birth", values.get("birth"))
            award = self._award(row, "award", row.values["award"], awards)
            raw_summary = values.get("summary")
            summary = nfc_multiline(str(raw_summary)) if raw_summary is not None else ""
            row.values["summary"] = summary
            person = subject_unit = None
            if kind == SubjectKind.PERSON:
                person = self._match_person(row, "name", name, birth, people, self.unit.name)
            elif kind == SubjectKind.UNIT:
                subject_unit = collectives.get(_casefold(name))
                if subject_unit is None:
                    row.errors.append(_("%(where)s: tập thể “%(name)s” không phải %(unit)s hoặc đơn vị cấp dưới của nó.")
                                      % {"where": self.where(number, "name"), "name": name, "unit": self.unit.name})
            if award is not None and kind is not None:
                if award.subject_kind == SubjectKind.PERSON and kind == SubjectKind.UNIT:
                    row.errors.append(_("%(where)s: “%(award)s” chỉ dành cho cá nhân.") % {"where": self.where(number, "award"),
                                                                                         "award": award.name})
                elif award.subject_kind == SubjectKind.UNIT and kind == SubjectKind.PERSON:
                    row.errors.append(_("%(where)s: “%(award)s” chỉ dành cho tập thể.") % {"where": self.where(number, "award"),
                                                                                         "award": award.name})
            if not row.errors:
                row.obj = Nomination(round=self.round, submission=submission, person=person, unit=subject_unit,
                                     achievement_summary=summary, state=NominationState.DRAFT,
                                     **({"title": award} if isinstance(award, EmulationTitle) else {"form": award}))
        pending = [row for row in result.rows if row.obj is not None]
        for row, violations in zip(pending, evaluate([r.obj for r in pending], stage=STAGE_ENTRY, whole_list=True), strict=True):
            for v in violations:
                (row.errors if v.blocking else row.warnings).append(f"{self.where(row.number)}: {v}")
        return result

    @transaction.atomic
    def save(self, uploaded, *, actor, override_reason=""):
        """Check again and create every nomination in one transaction, or none. Each is judged with the rest of
        the list still to be saved (``batch_rest``), so the list is judged as a whole."""
        if actor is not None and not writes_for_unit(actor, self.unit):
            raise PermissionDenied
        services.lock_for_rules(self.round)
        result = self.preview(uploaded)
        if not result.ok:
            raise ValidationError(result.all_errors or [_("Tệp không có dòng dữ liệu nào.")])
        if result.warnings and not nfc_multiline(override_reason or ""):
            raise ValidationError(result.warnings + [_("Có cảnh báo: hãy ghi lý do vượt cảnh báo để nhập.")])
        pending = [row.obj for row in result.rows]
        created = []
        for index, n in enumerate(pending):
            created.append(services.nomination_create(
                actor=actor, nomination_round=self.round, unit=self.unit, person=n.person, subject_unit=n.unit, title=n.title,
                form=n.form, achievement_summary=n.achievement_summary, override_reason=override_reason,
                batch_rest=pending[index + 1:]))
        return created


# ---------------------------------------------------------------- past years' awards (office)

AWARD_KINDS = {fold(label): value for value, label in AwardType.choices} | {
    "tong ket nam": AwardType.ANNUAL, "hang nam": AwardType.ANNUAL, "chuyen de": AwardType.THEMATIC, "dot xuat": AwardType.AD_HOC,
    "khac": AwardType.OTHER, "": AwardType.ANNUAL}


class AwardHistoryImporter(XlsxImporter):
    title = _("LỊCH SỬ KHEN THƯỞNG CÁC NĂM TRƯỚC")
    columns = [
        Column("stt", "STT", 6, max_length=20),
        Column("kind", "Cá nhân / Tập thể", 14, max_length=20),
        Column("name", "Họ và tên / Tên tập thể", 30, required=True, max_length=200),
        Column("birth", "Ngày sinh", 13, max_length=20),
        Column("unit", "Đơn vị", 26, required=True, max_length=200),
        Column("award", "Danh hiệu / Hình thức", 28, required=True, max_length=200),
        Column("year", "Năm", 8, required=True, max_length=10),
        Column("number", "Số quyết định", 16, max_length=50),  # AwardRecordForm.decision_number
        Column("date", "Ngày quyết định", 15, max_length=20),
        Column("issuer", "Cấp quyết định", 22, max_length=200),
        Column("type", "Loại khen thưởng", 16, max_length=50),
    ]
    instructions = [
        _("Cột “Đơn vị”: tên hoặc mã viết tắt của đơn vị (ví dụ QLKH); tập thể ghi tên đơn vị ở cả hai cột."),
        _("Cột “Năm”: năm thành tích. Cột “Loại khen thưởng”: Tổng kết năm (mặc định), Chuyên đề, Đột xuất hoặc Khác."),
        _("Khen thưởng chuyên đề, đột xuất không được tính làm điều kiện xét danh hiệu (R7)."),
    ]

    def sample_row(self):
        return [SAMPLE_MARK, "Cá nhân", "Nguyễn Văn A", "05/01/1985", "QLKH", "Lao động tiên tiến", 2023, "05/QĐ-SKHCN",
                "05/01/2024", "Giám đốc Sở", "Tổng kết năm"]

    def preview(self, uploaded):
        result = Preview()
        errors, data = self.read(uploaded)
        if errors:
            result.errors = errors
            return result
        awards = self.award_lookup()
        units = {}
        for unit in Unit.objects.all():
            units[_casefold(unit.name)] = unit
            units[_casefold(unit.short_code)] = unit
        people = {}
        for person in Person.objects.all():
            people.setdefault((person.unit_id, _casefold(person.full_name)), []).append(person)
        seen = {}
        for number, values, formula_errors in data:
            row = Row(number, {c.key: _cell_text(values.get(c.key)) for c in self.columns}, errors=list(formula_errors))
            result.rows.append(row)
            kind = self._kind(row, "kind", row.values["kind"])
            unit = units.get(_casefold(row.values["unit"]))
            if unit is None:
                row.errors.append(_("%(where)s: không có đơn vị “%(text)s”.") % {"where": self.where(number, "unit"),
                                                                                "text": row.values["unit"]})
            birth = self._birth(row, "birth", values.get("birth"))
            award = self._award(row, "award", row.values["award"], awards)
            year = None
            try:
                year = int(row.values["year"])
                if not 1990 <= year <= 2100:
                    raise ValueError
            except ValueError:
                row.errors.append(_("%(where)s: năm “%(text)s” không hợp lệ.") % {"where": self.where(number, "year"),
                                                                                "text": row.values["year"]})
            try:
                decision_date = parse_date(values.get("date"))
            except ValueError:
                decision_date = None
                row.errors.append(_("%(where)s: ngày quyết định “%(text)s” không hợp lệ (ghi dd/mm/yyyy).")
                                  % {"where": self.where(number, "date"), "text": row.values["date"]})
            award_type = AWARD_KINDS.get(fold(row.values["type"]))
            if award_type is None:
                row.errors.append(_("%(where)s: loại khen thưởng “%(text)s” không hợp lệ (Tổng kết năm, Chuyên đề, Đột xuất, Khác).")
                                  % {"where": self.where(number, "type"), "text": row.values["type"]})
            person = subject_unit = None
            if unit is not None and kind == SubjectKind.PERSON:
                by_name = {name: found for (unit_id, name), found in people.items() if unit_id == unit.pk}
                person = self._match_person(row, "name", row.values["name"], birth, by_name, unit.name)
            elif unit is not None and kind == SubjectKind.UNIT:
                subject_unit = unit
                if _casefold(row.values["name"]) not in (_casefold(unit.name), _casefold(unit.short_code)):
                    row.errors.append(_("%(where)s: tên tập thể “%(name)s” khác đơn vị “%(unit)s”.")
                                      % {"where": self.where(number, "name"), "name": row.values["name"], "unit": unit.name})
            if row.errors:
                continue
            record = AwardRecord(person=person, unit=subject_unit, year=year, kind=award_type, decision_number=row.values["number"],
                                 decision_date=decision_date, issuer=row.values["issuer"],
                                 **({"title": award} if isinstance(award, EmulationTitle) else {"form": award}))
            try:
                record.full_clean()
            except ValidationError as exc:
                row.errors += [f"{self.where(number)}: {m}" for m in exc.messages]
                continue
            key = (person.pk if person else None, subject_unit.pk if subject_unit else None, award.code, year, award_type)
            if award_type == AwardType.ANNUAL and key in seen:
                row.errors.append(_("%(where)s: trùng với dòng %(other)s.") % {"where": self.where(number), "other": seen[key]})
                continue
            seen[key] = number
            row.obj = record
        return result

    @transaction.atomic
    def save(self, uploaded, *, actor):
        if actor is not None and not is_office_user(actor):
            raise PermissionDenied
        result = self.preview(uploaded)
        if not result.ok:
            raise ValidationError(result.all_errors or [_("Tệp không có dòng dữ liệu nào.")])
        return [services.award_record_create(
            actor=actor, person=r.obj.person, unit=r.obj.unit, title=r.obj.title, form=r.obj.form, year=r.obj.year, kind=r.obj.kind,
            decision_number=r.obj.decision_number, decision_date=r.obj.decision_date, issuer=r.obj.issuer) for r in result.rows]
