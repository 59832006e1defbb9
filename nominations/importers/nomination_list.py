"""A unit's nomination list imported from Excel, in time linear in its length.

``preview`` reads the rows, matches people and collectives from dictionaries built once, and runs the rules
engine once over the whole list (``whole_list=True``). ``save`` reads and matches again, then hands the list to
:func:`nominations.services.nominations_import`, which judges it once more under the locks of the rule checks
(the model's batch validator) and inserts it in bulk: all rows or none. Neither runs a query per row.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from movements.api import Person, PositionAssignment, Unit
from tdkt.roles import writes_for_unit
from tdkt.text import nfc_multiline
from tdkt.validation import ManyValidationError

from .. import services
from ..enums import NominationState, SubjectKind
from ..models import CommendationForm, EmulationTitle, Nomination, UnitSubmission
from ..rules_engine import STAGE_ENTRY, evaluate
from .reading import SAMPLE_MARK, Column, People, Preview, Row, XlsxImporter, _casefold, _cell_text


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
        _("Cột “Danh hiệu / Hình thức”: mã hoặc tên, ví dụ LĐTT, CSTĐCS, CSTĐ_TINH, TTLĐTT, TTLĐXS, Giấy khen, Bằng khen; "
          "trong tệp mẫu, chọn trong danh sách thả xuống."),
        _("Tệp mẫu đã ghi sẵn cán bộ của đơn vị: chọn danh hiệu cho người được đề nghị; dòng không có STT, danh hiệu và tóm tắt "
          "thành tích được bỏ qua khi nhập."),
    ]
    unproposed_keys = ("stt", "award", "summary")

    def __init__(self, *, nomination_round, unit):
        self.round = nomination_round
        self.unit = unit

    def sample_row(self):
        person = Person.objects.filter(unit=self.unit, active=True, is_leadership=False).order_by("full_name").first()
        return [SAMPLE_MARK, "Cá nhân", person.full_name if person else "Nguyễn Văn A",
                person.date_of_birth.strftime("%d/%m/%Y") if person and person.date_of_birth else "05/01/1985",
                "Lao động tiên tiến", "Hoàn thành tốt nhiệm vụ được giao; tích cực tham gia phong trào thi đua."]

    def member_rows(self):
        """The unit's people (as :meth:`_people` matches them), one template row each: kind, name and birth date filled in."""
        return [["", "Cá nhân", p.full_name, p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "", "", ""]
                for p in self._people_queryset().order_by("full_name", "date_of_birth", "pk")[:self.max_rows]]

    def template_choices(self):
        """The drop-down lists of the template: the kinds, and the names of the active titles and forms."""
        awards = [a.name for model in (EmulationTitle, CommendationForm)
                  for a in model.objects.filter(active=True).order_by("sort_order", "name")]
        return {"kind": ["Cá nhân", "Tập thể"], "award": awards}

    def _people_queryset(self):
        """People of the unit: current members and those who worked there on the reference date."""
        ref = self.round.reference_date
        at_reference = PositionAssignment.objects.filter(unit=self.unit, start_date__lte=ref).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=ref)).values("person_id")
        return Person.objects.filter(Q(pk__in=at_reference) | Q(unit=self.unit, active=True)).distinct()

    def _people(self):
        return People(self._people_queryset())  # one query

    def _collectives(self):
        collectives = {_casefold(u.name): u for u in Unit.objects.filter(Q(pk=self.unit.pk) | Q(parent=self.unit))}
        collectives.update({_casefold(u.short_code): u for u in collectives.values()})
        return collectives

    def parse(self, uploaded, *, progress=None):
        """The rows read and matched, each with its errors and, when it has none, its unsaved nomination; the rules
        are not run (``preview`` runs them, ``save`` lets the model judge the list)."""
        result = Preview()
        errors, data = self.read(uploaded, progress=progress)
        if errors:
            result.errors = errors
            return result
        awards = self.award_lookup()
        people = self._people()
        collectives = self._collectives()
        submission = UnitSubmission.objects.filter(round=self.round, unit=self.unit).first() or UnitSubmission(
            round=self.round, unit=self.unit)
        submission.round, submission.unit = self.round, self.unit
        for number, values, formula_errors in data:
            row = Row(number, {c.key: _cell_text(values.get(c.key)) for c in self.columns}, errors=list(formula_errors))
            result.rows.append(row)
            self._parse_row(row, values, awards, people, collectives, submission)
        return result

    def _parse_row(self, row, values, awards, people, collectives, submission):
        number = row.number
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

    def preview(self, uploaded, *, progress=None):
        """Every row with its errors and the rule violations of the whole list (the engine run once); nothing is
        written."""
        result = self.parse(uploaded, progress=progress)
        pending = [row for row in result.rows if row.obj is not None]
        for row, violations in zip(pending, evaluate([r.obj for r in pending], stage=STAGE_ENTRY, whole_list=True), strict=True):
            for v in violations:
                (row.errors if v.blocking else row.warnings).append(f"{self.where(row.number)}: {v}")
        return result

    def save(self, uploaded, *, actor, override_reason="", progress=None):
        """Read and match again, then create every nomination in one transaction, or none
        (:func:`~nominations.services.nominations_import`: the model judges the list as a whole, once). Raises
        ``ValidationError`` with every row's messages ("Dòng 7: …").

        ``progress(phase, rows)``, if given, is called outside the transaction: ``("reading", rows read so far)``
        while the file is read, then ``("saving", rows to save)`` just before the transaction opens."""
        if actor is not None and not writes_for_unit(actor, self.unit):
            raise PermissionDenied
        result = self.parse(uploaded, progress=(lambda rows: progress("reading", rows)) if progress else None)
        if not result.ok:
            raise ValidationError(result.all_errors or [_("Tệp không có dòng dữ liệu nào.")])
        rows = [{"person": r.obj.person, "subject_unit": r.obj.unit, "title": r.obj.title, "form": r.obj.form,
                 "achievement_summary": r.obj.achievement_summary} for r in result.rows]
        if progress:
            progress("saving", len(rows))
        try:
            return services.nominations_import(actor=actor, nomination_round=self.round, unit=self.unit, rows=rows,
                                               override_reason=override_reason)
        except ManyValidationError as exc:
            messages = [f"{self.where(result.rows[index].number)}: {message}"
                        for index, error in exc.by_index.items() for message in error.messages]
            if not nfc_multiline(override_reason or "") and any(
                    getattr(e, "code", None) == "rule_warning" for error in exc.by_index.values() for e in _error_list(error)):
                messages.append(_("Có cảnh báo: hãy ghi lý do vượt cảnh báo để nhập."))
            raise ValidationError(messages) from exc


def _error_list(error):
    """The single errors of a ``ValidationError`` (a list, or a dict of lists), with their codes."""
    if hasattr(error, "error_dict"):
        return [e for errors in error.error_dict.values() for e in errors]
    return error.error_list
