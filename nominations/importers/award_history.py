"""Past years' awards imported by the office (so prerequisites work from day one): each row is matched, checked
(``AwardRecord.full_clean``) and saved through :func:`nominations.services.award_record_create`, all rows in one
transaction or none. Kept at 2,000 rows (``max_rows``): this import still judges and saves row by row (a few
queries per row, linear), which a request can afford for 2,000 rows.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from movements.api import Person, Unit
from tdkt.roles import is_office_user
from tdkt.text import fold

from .. import services
from ..enums import AwardType, SubjectKind
from ..models import AwardRecord, EmulationTitle
from .reading import SAMPLE_MARK, Column, People, Preview, Row, XlsxImporter, _casefold, _cell_text, parse_date

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
    max_rows = 2000
    max_sheet_rows = 4 * 2000
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
            people.setdefault(person.unit_id, People()).add(person)
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
                person = self._match_person(row, "name", row.values["name"], birth, people.get(unit.pk, People()), unit.name)
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
