"""Exports of the councils app through the shared exporter interface (``tdkt/exports.py``): a meeting's summary — the
attendance, per item the counts, percentage, outcome and recusals, and an open vote's choices — as XLSX or PDF. The
data the minutes (biên bản) and the decisions will print."""

from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movements.api import leadership_at
from tdkt.exports import ROW_CHUNK, Column, ListExporter, Section, register_export
from tdkt.text import nfc

from . import selectors
from .enums import DecisionState, ItemState, MeetingKind
from .models import DecisionLine


def _dmy(value):
    return value.strftime("%d/%m/%Y")


def _when(meeting):
    if meeting.kind == MeetingKind.WRITTEN:
        deadline = timezone.localtime(meeting.deadline)
        return _("Lấy ý kiến bằng văn bản, gửi ngày %(date)s, hạn trả lời %(time)s ngày %(deadline)s") % {
            "date": _dmy(meeting.date), "time": deadline.strftime("%H:%M"), "deadline": _dmy(deadline.date())}
    return _("Họp ngày %(date)s, %(time)s, tại %(place)s") % {
        "date": _dmy(meeting.date), "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "", "place": meeting.place}


class MeetingSummaryExporter(ListExporter):
    """The summary of one meeting (``selectors.meeting_summary``) in three tables: attendance, results, open votes."""

    filename = "ket-qua-phien-hop"
    landscape = True
    ATTENDANCE = (Column(gettext_lazy("Họ và tên"), 26), Column(gettext_lazy("Chức danh trong Hội đồng"), 22),
                  Column(gettext_lazy("Đơn vị"), 30), Column(gettext_lazy("Tham dự"), 24), Column(gettext_lazy("Ghi chú"), 24))
    RESULTS = (Column(gettext_lazy("Họ và tên / Tên tập thể"), 24), Column(gettext_lazy("Đơn vị đề nghị"), 20),
               Column(gettext_lazy("Danh hiệu / Hình thức"), 18), Column(gettext_lazy("Hình thức biểu quyết"), 13),
               Column(gettext_lazy("Đồng ý"), 8, "int"), Column(gettext_lazy("Không đồng ý"), 8, "int"),
               Column(gettext_lazy("Không biểu quyết"), 8, "int"), Column(gettext_lazy("Số thành viên tính tỷ lệ"), 9, "int"),
               Column(gettext_lazy("Tỷ lệ đồng ý (%)"), 9, "number"), Column(gettext_lazy("Kết quả"), 10),
               Column(gettext_lazy("Không tham gia xét"), 22), Column(gettext_lazy("Ghi chú"), 26))
    CHOICES = (Column(gettext_lazy("Nội dung"), 40), Column(gettext_lazy("Thành viên"), 30), Column(gettext_lazy("Lựa chọn"), 20))

    def __init__(self, summary):
        self.summary = summary
        meeting = summary.meeting
        self.title = _("Kết quả xét khen thưởng: %(meeting)s") % {"meeting": meeting}
        quorum = summary.quorum
        self.subtitle = _("%(when)s; chủ trì: %(chair)s; thư ký: %(secretary)s; có mặt %(present)s/%(members)s thành viên có "
                          "quyền biểu quyết, %(written)s vắng mặt có ý kiến bằng văn bản.") % {
            "when": _when(meeting), "chair": meeting.chair.person.full_name, "secretary": meeting.secretary.person.full_name,
            "present": quorum.present, "members": quorum.members, "written": quorum.written}

    def count(self):
        return len(self.summary.items)

    def sections(self):
        yield Section(_("I. THÀNH PHẦN"), self.ATTENDANCE, self._attendance())
        passed, rejected = len(self.summary.passed), len(self.summary.rejected)
        yield Section(_("II. KẾT QUẢ BIỂU QUYẾT"), self.RESULTS, self._results(),
                      footer=(_("Đạt: %(p)s; không đạt: %(r)s") % {"p": passed, "r": rejected}, "", "", "", None, None, None,
                              None, None, "", "", ""))
        choices = list(self._choices())
        if choices:
            yield Section(_("III. BIỂU QUYẾT CÔNG KHAI: Ý KIẾN CỦA TỪNG THÀNH VIÊN"), self.CHOICES, choices)

    def _attendance(self):
        for attendance in self.summary.roll:
            member = attendance.member
            note = attendance.note
            if not member.votes:
                note = "; ".join(filter(None, [_("không biểu quyết"), note]))
            yield (member.person.full_name, member.get_position_display(), member.person.unit.name, attendance.get_status_display(),
                   note)

    def _results(self):
        for entry in self.summary.items:
            nomination, result = entry.nomination, entry.result
            subject = nomination.person.full_name if nomination.person_id else nomination.unit.name
            recusals = "; ".join(f"{r.member.person.full_name} ({r.reason.rstrip('.')})" for r in entry.recusals)
            notes = []
            if result is not None and result.is_paper:
                notes.append(_("Phiếu giấy (thư ký nhập kết quả kiểm phiếu)"))
            if result is not None and result.number > 1:
                notes.append(_("Biểu quyết lại lần %(n)s: %(reason)s") % {"n": result.number, "reason": result.reason})
            for earlier in entry.earlier_results:
                notes.append(_("Lần %(n)s: %(text)s") % {"n": earlier.number, "text": earlier.result_text})
            if entry.item.state == ItemState.DEFERRED:
                notes.append(_("Hoãn xét"))
            elif result is None:
                notes.append(_("Chưa biểu quyết"))
            elif result.quorum_met is False:
                notes.append(result.result_text)
            yield (subject, nomination.submission.unit.name, nomination.award.name,
                   result.get_method_display() if result is not None else "",
                   *((result.yes_count, result.no_count, result.abstain_count, result.base_count, result.percentage,
                      result.get_outcome_display()) if result is not None else (None, None, None, None, None, "")),
                   recusals, "; ".join(str(n) for n in notes))

    def _choices(self):
        for entry in self.summary.items:
            subject = entry.nomination.subject
            for member, choice in entry.choices:
                yield (f"{subject} – {entry.nomination.award}", member.person.full_name, choice)


@register_export("councils.meeting_summary", permission="councils.view_council")
def meeting_summary_export(user, params):
    """``params``: ``{"meeting": id}``; only a meeting the user may read (else 404)."""
    try:
        pk = int(str((params or {}).get("meeting", "")))
    except ValueError:
        raise Http404 from None
    meeting = selectors.meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return MeetingSummaryExporter(selectors.meeting_summary(meeting))


# ---------------------------------------------------------------- a decision's annexed list (issue 11)

class DecisionAnnexExporter(ListExporter):
    """The list annexed to a decision (phụ lục): who, position, unit, coefficient and bonus, with the total — the same
    columns as the annex of the decision's PDF and Word file. Reads only what it prints (one query, streamed)."""

    landscape = False
    columns = (Column(gettext_lazy("Họ và tên / Tên tập thể"), 30), Column(gettext_lazy("Chức vụ"), 22),
               Column(gettext_lazy("Đơn vị"), 32), Column(gettext_lazy("Hệ số"), 8, "number"),
               Column(gettext_lazy("Mức thưởng (đồng)"), 16, "money"))

    def __init__(self, decision):
        self.decision = decision
        self.title = _("Danh sách %(award)s") % {"award": decision.award.name}
        self.subtitle = (_("Kèm theo Quyết định số %(number)s ngày %(date)s") % {"number": decision.number, "date": _dmy(decision.date)}
                         if decision.number else _("Kèm theo dự thảo quyết định: %(subject)s") % {"subject": decision.subject})
        self.filename = f"danh-sach-kem-{decision.number.replace('/', '-')}" if decision.number else f"danh-sach-du-thao-{decision.pk}"
        self.queryset = DecisionLine.objects.filter(decision=decision)

    def sections(self):
        total = self.queryset.aggregate(total=Sum("amount"))["total"] or 0
        yield Section("", self.columns, self.rows(), footer=(_("Tổng cộng"), "", "", None, total))

    def rows(self):
        qs = self.queryset.order_by("position", "pk").values_list(
            "nomination__person__full_name", "nomination__person__position_title", "nomination__person__unit__name",
            "nomination__unit__name", "nomination__unit__parent__name", "coefficient", "amount")
        for person, position, person_unit, unit, parent, coefficient, amount in qs.iterator(chunk_size=ROW_CHUNK):
            if person is not None:  # NFC: a name typed on macOS or pasted from Excel may be stored decomposed
                yield nfc(person), nfc(position), nfc(person_unit), coefficient, amount
            else:
                yield nfc(unit), "", nfc(parent or ""), coefficient, amount


@register_export("councils.decision_annex", permission="councils.manage_decision")
def decision_annex_export(user, params):
    """``params``: ``{"decision": id}``; only a decision the user may read (else 404)."""
    try:
        pk = int(str((params or {}).get("decision", "")))
    except ValueError:
        raise Http404 from None
    decision = selectors.decisions_visible_to(user).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return DecisionAnnexExporter(decision)


# ---------------------------------------------------------------- statistics of the issued decisions (part: docs, issue 11)

class DecisionStatisticsExporter(ListExporter):
    """The lines of the decisions issued in a year, counted by title or form and by the proposing unit: individuals,
    collectives, leaders (a leadership post on the decision's date) and their share, the bonus total."""

    filename = "thong-ke-khen-thuong"
    BY_AWARD = (Column(gettext_lazy("Danh hiệu / Hình thức"), 34), Column(gettext_lazy("Cá nhân"), 10, "int"),
                Column(gettext_lazy("Tập thể"), 10, "int"), Column(gettext_lazy("Lãnh đạo, quản lý"), 12, "int"),
                Column(gettext_lazy("Tỷ lệ lãnh đạo (%)"), 12, "number"), Column(gettext_lazy("Tiền thưởng (đồng)"), 18, "money"))
    BY_UNIT = (Column(gettext_lazy("Đơn vị đề nghị"), 34), *BY_AWARD[1:])

    def __init__(self, year, lines):
        self.year, self.lines = year, lines
        self.title = _("Thống kê khen thưởng theo quyết định năm %(year)s") % {"year": year}
        self.subtitle = _("Các quyết định đã ban hành trong năm (không tính quyết định đã thu hồi, đã được thay thế); lãnh đạo "
                          "tính theo chức vụ ngày quyết định.")

    def sections(self):
        rows = list(self.lines.values_list(Coalesce("decision__title__name", "decision__form__name"),
                                           "nomination__submission__unit__name", "nomination__person_id", "decision__date",
                                           "amount"))
        leaders = set()
        for date in {r[3] for r in rows}:
            held = leadership_at(date, [r[2] for r in rows if r[2] and r[3] == date])
            leaders |= {(person, date) for person, lead in held.items() if lead}
        for heading, columns, key in ((_("I. THEO DANH HIỆU, HÌNH THỨC"), self.BY_AWARD, 0),
                                      (_("II. THEO ĐƠN VỊ"), self.BY_UNIT, 1)):
            table, totals = self._grouped(rows, key, leaders)
            yield Section(heading, columns, table, footer=totals)

    @staticmethod
    def _grouped(rows, key, leaders):
        groups = {}
        for row in rows:
            counts = groups.setdefault(row[key], [0, 0, 0, 0])
            if row[2]:
                counts[0] += 1
                counts[2] += 1 if (row[2], row[3]) in leaders else 0
            else:
                counts[1] += 1
            counts[3] += row[4] or 0

        def share(people, lead):
            return round(Decimal(100 * lead) / people, 2) if people else None

        table = [(name, p, u, lead, share(p, lead), money) for name, (p, u, lead, money) in groups.items()]
        p, u, lead, money = (sum(r[i] for r in table) for i in (1, 2, 3, 5))
        return table, (_("Tổng cộng"), p, u, lead, share(p, lead), money)


@register_export("councils.decision_statistics", permission="councils.manage_decision")
def decision_statistics_export(user, params):
    """``params``: ``{"year": 2026}`` (the decisions' year; default this year)."""
    try:
        year = int(str((params or {}).get("year", "") or timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    decisions = selectors.decisions_visible_to(user).filter(state=DecisionState.ISSUED, date__year=year)
    lines = (DecisionLine.objects.filter(decision__in=decisions)
             .order_by("decision__title__sort_order", "decision__form__sort_order", "nomination__submission__unit__sort_order", "pk"))
    return DecisionStatisticsExporter(year, lines)
