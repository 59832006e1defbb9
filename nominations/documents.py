"""The official documents of the nominations app, on the Nghị định 30 document base (:mod:`tdkt.documents`):

- a unit's **dossier summary** (bản tổng hợp hồ sơ đề nghị): the unit as issuer under the Sở, its memo's Số/ký hiệu
  and a "kèm theo Tờ trình số …" line, the counts per title or form, the official list (name, position, achievement
  summary: no state, no return reason, no draft) and the files sent with it. It is also the unit's official
  *danh sách đề nghị*; the working list (``nominations.exports``) keeps the internal columns;
- the **giấy khen** of award records (one page each), laid out for the agency's pre-printed form.
"""

from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from movements.api import agency_profile, unit_head_at
from tdkt.documents import Certificate, CertificateLayout, Document, Issuer, Paragraph, Signer, Table, register_document
from tdkt.text import ngay_thang_nam

from . import selectors
from .enums import DocumentKind, NominationState
from .models import SubmissionDocument
from .selectors import PERSONS_FIRST


def official_states():
    """What an official list prints: what the unit sent and was not given back (no draft, no returned nomination)."""
    return [s for s in NominationState.sent() if s != NominationState.RETURNED]


def unit_issuer(unit, agency):
    """A unit's documents: the unit as issuer, under the Sở."""
    return Issuer(parent_name=agency.name if agency else "", name=unit.name, place=agency.place_name if agency else "")


def _dmy(value):
    return value.strftime("%d/%m/%Y") if value else ""


def dossier_document(nomination_round, unit, submission, *, nominations):
    """The dossier summary of ``unit`` in ``nomination_round`` (``nominations``: the unit's, as the reader may see them)."""
    agency = agency_profile()
    official = [n for n in nominations if n.state in official_states()]
    by_award = {}
    for nomination in official:
        by_award.setdefault(nomination.award.name, []).append(nomination)
    body = []
    memo = submission.memo_number if submission else ""
    if memo:
        body.append(Paragraph(_("(Kèm theo Tờ trình số %(number)s%(date)s của %(unit)s)") % {
            "number": memo, "unit": unit.name,
            "date": _(" ngày %(date)s") % {"date": ngay_thang_nam(submission.memo_date)[5:]} if submission.memo_date else ""},
            "note"))
    body.append(Paragraph(_("I. TỔNG HỢP"), "bold"))
    counts = [[i, award, sum(1 for n in rows if n.person_id), sum(1 for n in rows if n.unit_id)]
              for i, (award, rows) in enumerate(by_award.items(), start=1)]
    body.append(Table(["STT", _("Danh hiệu, hình thức khen thưởng"), _("Cá nhân"), _("Tập thể")], counts,
                      totals=["", _("Tổng cộng"), sum(r[2] for r in counts), sum(r[3] for r in counts)] if counts else None,
                      widths=[8, 60, 16, 16], align=["center", "left", "center", "center"]))
    body.append(Paragraph(_("II. DANH SÁCH ĐỀ NGHỊ"), "bold"))
    if not by_award:
        body.append(Paragraph(_("Đơn vị chưa gửi đề nghị nào trong đợt này.")))
    for i, (award, rows) in enumerate(by_award.items(), start=1):
        body.append(Paragraph(f"{i}. {award}", "bold"))
        body.append(Table(["STT", _("Họ và tên, tên tập thể"), _("Chức vụ"), _("Tóm tắt thành tích")], [
            [n_index, n.person.full_name if n.person_id else n.unit.name, n.person.position_title if n.person_id else "",
             n.achievement_summary] for n_index, n in enumerate(rows, start=1)],
            widths=[7, 27, 20, 46], align=["center", "left", "left", "left"]))
    files = list(SubmissionDocument.objects.filter(submission=submission).select_related(
        "nomination__person", "nomination__unit").order_by("kind", "pk")) if submission else []
    body.append(Paragraph(_("III. HỒ SƠ KÈM THEO"), "bold"))
    if files:
        kinds = {value: str(label) for value, label in DocumentKind.choices}
        body.append(Table(["STT", _("Loại tài liệu"), _("Tên tệp"), _("Của đề nghị")], [
            [i, kinds.get(f.kind, f.kind), f.original_name, str(f.nomination.subject) if f.nomination_id else _("Cả danh sách")]
            for i, f in enumerate(files, start=1)], widths=[7, 28, 37, 28], align=["center", "left", "left", "left"]))
    else:
        body.append(Paragraph(_("Chưa có tài liệu kèm theo.")))
    head = unit_head_at(unit, submission.memo_date) if submission and submission.memo_date else None
    return Document(
        kind="DANH SÁCH", subject=_("Đề nghị khen thưởng: %(round)s") % {"round": nomination_round.name},
        number=memo or f"/TTr-{unit.short_code}",  # the unit's memo number; blank to write in until it is entered
        date=submission.memo_date if submission else None, issuer=unit_issuer(unit, agency), body=body,
        signers=[Signer(_("THỦ TRƯỞNG ĐƠN VỊ"), name=head.full_name if head else "")],
        recipients=[_("Văn phòng Sở (Thường trực Hội đồng Thi đua - Khen thưởng)"), _("Lưu: VT, %(unit)s") % {"unit": unit.short_code}],
        title=_("Hồ sơ đề nghị khen thưởng của %(unit)s") % {"unit": unit.name})


@register_document("nominations.dossier", permission="nominations.view_round")
def dossier_for(user, params):
    """``params``: ``{"round": id, "unit": id}``; only a unit whose submission ``user`` reads (else 404/403)."""
    try:
        round_id, unit_id = int(str(params.get("round", ""))), int(str(params.get("unit", "")))
    except ValueError:
        raise Http404 from None
    nomination_round = selectors.rounds_visible_to(user).filter(pk=round_id).first()
    unit = selectors.units_for_submission(user).filter(pk=unit_id).first()
    if nomination_round is None or unit is None:
        raise Http404
    if not user.has_perm("nominations.view_submission", unit):
        raise PermissionDenied
    submission = nomination_round.submissions.filter(unit=unit).first()
    nominations = list(selectors.nominations_visible_to(user).filter(round=nomination_round, submission__unit=unit)
                       .order_by(Coalesce("title__sort_order", "form__sort_order"), PERSONS_FIRST, "id"))
    return dossier_document(nomination_round, unit, submission, nominations=nominations)


# ---------------------------------------------------------------- giấy khen

def reason_of(record):
    if record.note.strip():
        return record.note.strip()
    if record.title_id:
        return _("Đã đạt danh hiệu “%(title)s” năm %(year)s") % {"title": record.title.name, "year": record.year}
    return _("Đã có thành tích xuất sắc trong năm %(year)s") % {"year": record.year}


def certificate_of(record, agency):
    """The giấy khen of one award record."""
    if record.person_id:
        person = record.person
        unit_line = ", ".join(filter(None, [person.position_title, person.unit.name if person.unit_id else ""]))
    else:
        unit_line = agency.name if agency else ""
    decision = ""
    if record.decision_number:
        decision = _("Quyết định số %(number)s") % {"number": record.decision_number}
        if record.decision_date:
            decision += _(" ngày %(date)s") % {"date": _dmy(record.decision_date)}
    place = agency.place_name if agency else ""
    return Certificate(
        name=record.person.full_name if record.person_id else record.unit.name, unit=unit_line, reason=reason_of(record),
        decision=decision, place_date=ngay_thang_nam(record.decision_date, place or None) if record.decision_date else "",
        authority=(agency.director_title if agency else _("Giám đốc")).upper(),
        signer_name=agency.director_name if agency else "",
        awarded_by=f"{agency.director_title} {agency.name}".upper() if agency else "")


def certificates_for(records, *, frame=None):
    """The giấy khen of ``records`` and the agency's layout (``frame``: override the profile's choice)."""
    agency = agency_profile()
    return [certificate_of(r, agency) for r in records], CertificateLayout.of_agency(agency, frame=frame)
