"""The council's documents, printed from a meeting's records (:func:`selectors.meeting_summary`) on the Nghị định 30
document base (:mod:`tdkt.documents`):

- **biên bản họp Hội đồng** (Mẫu 1.9 of Thông tư 20/2025/TT-BNV): number in the council's own series (taken when the
  secretary issues the minutes; a blank "Số:      /BB-…" before), no place-and-date line, the time and place, the
  attendance (present; absent, with the reason), chair and secretary, per title or form the method of voting and each
  item's counts, percentage and outcome, the recusals, the outcome, the closing time; THƯ KÝ signs on the left and
  CHỦ TỌA on the right; nơi nhận ends "- Lưu: VT, Hồ sơ.";
- **biên bản kiểm phiếu** of the secret ballots: the counts only. Nothing in the records says who voted what in a secret
  ballot (``councils.models.votes``), and this document prints nothing but the counts.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import agency_profile
from tdkt.documents import Document, Issuer, Paragraph, Signer, Table, register_document
from tdkt.numbering import MINUTES
from tdkt.text import ngay_thang_nam

from .enums import AttendanceStatus, ItemState, MeetingKind
from .selectors import agenda_groups, meeting_summary, meetings_visible_to

COUNCIL_ISSUER = "Hội đồng Thi đua - Khen thưởng"
RESULT_COLUMNS = ["STT", "Cá nhân, tập thể", "Đơn vị đề nghị", "Đồng ý", "Không đồng ý", "Không biểu quyết",
                  "Tỷ lệ đồng ý (%)", "Kết quả"]


def gio_ngay(moment):
    """A time and a date as the minutes write them: "08 giờ 30 ngày 15 tháng 01 năm 2026"."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} {ngay_thang_nam(moment.date())}"


def issuer_of(meeting):
    """The council as issuer, under the agency (its name from the agency profile)."""
    agency = agency_profile()
    return Issuer(parent_name=agency.name if agency else "", name=COUNCIL_ISSUER, place=agency.place_name if agency else "")


def blank_number(meeting):
    return f"/{MINUTES}-{meeting.council.doc_code}"


def _member(attendance):
    member = attendance.member
    return f"{member.person.full_name} ({member.get_position_display()})"


def _absent(attendance):
    reason = attendance.note.strip().rstrip(".") if attendance.note else _("không có lý do")
    return f"{attendance.member.person.full_name} ({_('lý do')}: {reason})"


def _subject_name(nomination):
    return nomination.person.full_name if nomination.person_id else nomination.unit.name


def _percent(value):
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") if value is not None else ""


def _opening(meeting, summary):
    if meeting.kind == MeetingKind.WRITTEN:
        deadline = timezone.localtime(meeting.deadline)
        answered = len([a for a in summary.roll if a.status != AttendanceStatus.ABSENT])
        return [
            Paragraph(_("Ngày %(date)s, Hội đồng Thi đua - Khen thưởng lấy ý kiến các thành viên bằng văn bản về: %(title)s; "
                        "hạn trả lời %(deadline)s.") % {"date": ngay_thang_nam(meeting.date)[5:], "title": meeting.title,
                                                         "deadline": gio_ngay(deadline)}),
            Paragraph(_("Chủ trì: %(chair)s. Thư ký: %(secretary)s.") % {
                "chair": meeting.chair.person.full_name, "secretary": meeting.secretary.person.full_name}),
            Paragraph(_("Số thành viên trả lời: %(n)s/%(m)s thành viên có quyền biểu quyết.") % {
                "n": answered, "m": summary.quorum.members}),
        ]
    start = timezone.datetime.combine(meeting.date, meeting.start_time or timezone.datetime.min.time())
    blocks = [
        Paragraph(_("Thời gian: bắt đầu vào %(when)s.") % {"when": gio_ngay(start)}),
        Paragraph(_("Địa điểm: %(place)s.") % {"place": meeting.place.rstrip(".")}),
        Paragraph(_("I. THÀNH PHẦN THAM DỰ"), "bold"),
        Paragraph(_("Chủ trì: %(name)s, %(position)s.") % {
            "name": meeting.chair.person.full_name, "position": meeting.chair.get_position_display()}),
        Paragraph(_("Thư ký: %(name)s.") % {"name": meeting.secretary.person.full_name}),
    ]
    quorum = summary.quorum
    present = summary.present
    blocks.append(Paragraph(_("Có mặt: %(present)s/%(members)s thành viên có quyền biểu quyết: %(names)s.") % {
        "present": quorum.present, "members": quorum.members, "names": "; ".join(_member(a) for a in present) or "—"}))
    if summary.written:
        blocks.append(Paragraph(_("Vắng mặt, có ý kiến bằng văn bản: %(names)s.") % {
            "names": "; ".join(_absent(a) for a in summary.written)}))
    blocks.append(Paragraph(_("Vắng mặt: %(names)s.") % {"names": "; ".join(_absent(a) for a in summary.absent) or _("không")}))
    return blocks


def _results(summary):
    blocks = [Paragraph(_("II. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT"), "bold")]
    for index, (award, rows) in enumerate(agenda_groups(summary.items), start=1):
        blocks.append(Paragraph(f"{index}. {award.name}", "bold"))
        blocks.append(Paragraph(_("Hình thức và quy tắc biểu quyết: %(rule)s") % {"rule": rows[0].rule_text}))
        table_rows = []
        for number, row in enumerate(rows, start=1):
            result, nomination = row.result, row.nomination
            if result is None:
                state = _("Hoãn xét") if row.item.state == ItemState.DEFERRED else _("Chưa biểu quyết")
                table_rows.append([number, _subject_name(nomination), nomination.submission.unit.name, "", "", "", "", state])
            else:
                table_rows.append([number, _subject_name(nomination), nomination.submission.unit.name, result.yes_count,
                                   result.no_count, result.abstain_count, _percent(result.percentage),
                                   result.get_outcome_display()])
        blocks.append(Table(RESULT_COLUMNS, table_rows, widths=[5, 24, 21, 10, 10, 10, 10, 10],
                            align=["center", "left", "left", "center", "center", "center", "center", "center"]))
        recusals = [f"{rc.member.person.full_name} ({_subject_name(row.nomination)}: {rc.reason.rstrip('.')})"
                    for row in rows for rc in row.recusals]
        if recusals:
            blocks.append(Paragraph(_("Thành viên không tham gia xét: %(names)s.") % {"names": "; ".join(recusals)}))
        repeats = [f"{_subject_name(row.nomination)}: {row.result.reason.rstrip('.')}" for row in rows
                   if row.result is not None and row.result.number > 1]
        if repeats:
            blocks.append(Paragraph(_("Biểu quyết lại: %(items)s.") % {"items": "; ".join(repeats)}))
    return blocks


def _outcome(meeting, summary):
    blocks = [Paragraph(_("III. KẾT LUẬN"), "bold"),
              Paragraph(_("Hội đồng thống nhất: %(passed)s trường hợp đạt, %(rejected)s trường hợp không đạt%(rest)s.") % {
                  "passed": len(summary.passed), "rejected": len(summary.rejected),
                  "rest": _(", %(n)s trường hợp chưa biểu quyết hoặc hoãn xét") % {"n": len(summary.not_voted)}
                  if summary.not_voted else ""})]
    for award, rows in agenda_groups(summary.passed):
        blocks.append(Paragraph(_("Đề nghị %(award)s: %(names)s.") % {
            "award": award.name, "names": "; ".join(_subject_name(r.nomination) for r in rows)}))
    if meeting.closed_at:
        closing = gio_ngay(timezone.localtime(meeting.closed_at))
        if meeting.kind == MeetingKind.WRITTEN:
            blocks.append(Paragraph(_("Việc lấy ý kiến kết thúc vào %(when)s.") % {"when": closing}))
        else:
            blocks.append(Paragraph(_("Cuộc họp kết thúc vào %(when)s.") % {"when": closing}))
    return blocks


def _signers(meeting):
    return [Signer(_("THƯ KÝ"), name=meeting.secretary.person.full_name),
            Signer(_("CHỦ TỌA"), name=meeting.chair.person.full_name)]


def minutes_document(summary):
    """The biên bản of ``summary.meeting`` (numbered once issued; else the blank "Số:      /BB-…")."""
    meeting = summary.meeting
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    return Document(
        kind="BIÊN BẢN", subject=_("Họp Hội đồng Thi đua - Khen thưởng: %(title)s") % {"title": meeting.title}
        if meeting.kind == MeetingKind.SITTING else _("Lấy ý kiến thành viên Hội đồng: %(title)s") % {"title": meeting.title},
        number=issued.number if issued else blank_number(meeting), date=None, show_place_date=False,
        issuer=issuer_of(meeting),
        body=[*_opening(meeting, summary), *_results(summary), *_outcome(meeting, summary)],
        signers=_signers(meeting), recipients=[_("Thành viên Hội đồng"), _("Lưu: VT, Hồ sơ.")],
        title=_("Biên bản %(title)s") % {"title": meeting.title})


TALLY_COLUMNS = ["STT", "Cá nhân, tập thể (danh hiệu, hình thức)", "Số phiếu phát ra", "Số phiếu thu về", "Đồng ý",
                 "Không đồng ý", "Không biểu quyết", "Tỷ lệ đồng ý (%)", "Kết quả"]


def secret_results(summary):
    return [row for row in summary.items if row.result is not None and row.result.is_secret]


def tally_document(summary):
    """The biên bản kiểm phiếu of the secret ballots of ``summary.meeting`` (``None`` without one): counts only."""
    rows = secret_results(summary)
    if not rows:
        return None
    meeting = summary.meeting
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    table = Table(TALLY_COLUMNS, [
        [n, f"{_subject_name(r.nomination)} ({r.award.name})", r.result.attending_count,
         r.result.yes_count + r.result.no_count + r.result.abstain_count, r.result.yes_count, r.result.no_count,
         r.result.abstain_count, _percent(r.result.percentage), r.result.get_outcome_display()]
        for n, r in enumerate(rows, start=1)],
        widths=[5, 29, 9, 9, 9, 9, 10, 9, 11], align=["center", "left", *["center"] * 7])
    reference = (_("Kèm theo Biên bản họp Hội đồng số %(number)s.") % {"number": issued.number} if issued
                 else _("Kèm theo Biên bản họp Hội đồng về %(title)s.") % {"title": meeting.title})
    return Document(
        kind="BIÊN BẢN", subject=_("Kiểm phiếu bỏ phiếu kín: %(title)s") % {"title": meeting.title},
        number=issued.tally_number if issued and issued.tally_number else blank_number(meeting), date=None,
        show_place_date=False, issuer=issuer_of(meeting),
        body=[Paragraph(reference),
              Paragraph(_("Hội đồng bỏ phiếu kín đối với %(n)s trường hợp. Kết quả kiểm phiếu (chỉ ghi số phiếu; không ghi ai "
                          "đã chọn gì):") % {"n": len(rows)}),
              table],
        signers=_signers(meeting), recipients=[_("Thành viên Hội đồng"), _("Lưu: VT, Hồ sơ.")],
        title=_("Biên bản kiểm phiếu %(title)s") % {"title": meeting.title})


@register_document("councils.minutes", permission="councils.view_council")
def minutes_for(user, params):
    """``params``: ``{"meeting": id, "loai": "kiem-phieu"?}``: the minutes (or the vote count) of a meeting ``user``
    reads; 404 otherwise (and for a vote count without a secret ballot)."""
    try:
        pk = int(str((params or {}).get("meeting", "")))
    except ValueError:
        raise Http404 from None
    meeting = meetings_visible_to(user).select_related("council", "chair__person", "secretary__person").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if not user.has_perm("councils.export_summary", meeting):
        raise PermissionDenied
    summary = meeting_summary(meeting)
    document = tally_document(summary) if params.get("loai") == "kiem-phieu" else minutes_document(summary)
    if document is None:
        raise Http404
    return document
