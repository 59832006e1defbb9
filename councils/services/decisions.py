"""Writes of decisions (quyết định khen thưởng) and of the tờ trình to UBND tỉnh (issue 11).

- **Drafts** come from what a council meeting passed (one decision per title or form), or from a round for the
  forms the director grants without the council (:data:`DIRECT_GRANT_KINDS`: a form of the director's authority in an
  ad hoc round, the simplified procedure of Luật Thi đua, khen thưởng Điều 85). Titles above the Sở's authority
  (``award.needs_province_submission``) go into a **tờ trình** instead.
- **Issuing** (:func:`decision_issue`, one transaction): the number from the Sở's series (``tdkt.numbering``), the
  bonus of every line on the decision date (coefficient × base salary, rounded up to the next 10.000 đồng), every
  nomination to “có quyết định” with its award record (``nominations.api.nominations_decide``), the PDF stored.
- An issued decision is never edited. **Revoking** it (Luật Thi đua, khen thưởng Điều 93: a decision is revoked when
  the award was wrongly given) keeps the decision with its reason, removes the award records it created (audited with
  the reason) and takes its nominations back to “Hội đồng thông qua” (or “thẩm định đạt” for a direct grant), so the
  office may decide them again. **Replacing** it does the same and opens a new draft with the same lines, which is
  issued under a new number; the old one names its replacement.
- A tờ trình gets its number from the “TTr” series when it is sent; the province's decision is recorded once for
  its list (issuer, number, date, scanned file, which lines passed): the passed lines get their award records.
"""

import datetime
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import agency_profile
from nominations.api import AwardType, Nomination, NominationState, SubjectKind, bonus_amount, nominations_decide, nominations_undecide
from tdkt import numbering
from tdkt.audit import audit_changes, audit_record, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office
from tdkt.text import nfc, nfc_multiline
from tdkt.uploads import original_name, validate_upload

from ..enums import DecisionSource, DecisionState, ItemState, MeetingState, Outcome, ProposalState
from ..models import AgendaItem, Decision, DecisionLine, Proposal, ProposalLine
from .councils import OFFICE_ONLY

S = NominationState
DECISION_FIELDS = ["number", "date", "subject", "signer_prefix", "signer_authority", "signer_position", "signer_name", "bases",
                   "article1", "article2", "article3", "recipients", "state", "reason"]
EDITABLE_FIELDS = ["date", "subject", "signer_prefix", "signer_authority", "signer_position", "signer_name", "bases", "article1",
                   "article2", "article3", "recipients"]
PROPOSAL_FIELDS = ["number", "date", "subject", "signer_prefix", "signer_authority", "signer_position", "signer_name", "addressee",
                   "body", "recipients", "state", "province_issuer", "province_number", "province_date"]
PROPOSAL_EDITABLE = ["date", "subject", "signer_prefix", "signer_authority", "signer_position", "signer_name", "addressee", "body",
                     "recipients"]
#: Round kinds in which the director grants a form of his own authority without the council (simplified procedure).
DIRECT_GRANT_KINDS = (AwardType.AD_HOC,)
DECREE_152_FROM = datetime.date(2025, 7, 1)
LAW_BASIS = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
DECREE_152 = ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết và hướng dẫn thi "
              "hành một số điều của Luật Thi đua, khen thưởng;")
DECREE_98 = ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
             "điều của Luật Thi đua, khen thưởng;")
DEFAULT_RECIPIENTS = ["Như Điều 3;", "Lưu: VT, VP."]
ROUND_UP = 10000


# ---------------------------------------------------------------- defaults and bonus

def default_bases(*, on, meeting=None):
    """The legal bases of a decision dated ``on``: the Law, the decree in force (Nghị định 152/2025 from 01/7/2025,
    Nghị định 98/2023 before), the council's meeting, the office's proposal. An editable list."""
    bases = [LAW_BASIS, DECREE_152 if on >= DECREE_152_FROM else DECREE_98]
    if meeting is not None:
        bases.append(_("Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng Sở ngày %(date)s;") % {
            "date": meeting.date.strftime("%d/%m/%Y")})
    bases.append(_("Theo đề nghị của Chánh Văn phòng Sở."))
    return bases


def bonus_round_up(coefficient, base_salary):
    """Coefficient × base salary, rounded UP to the next 10.000 đồng (2.530.000 × 0,3 = 759.000 → 760.000)."""
    raw = Decimal(str(coefficient)) * Decimal(int(base_salary))
    return int(math.ceil(raw / ROUND_UP) * ROUND_UP)


def line_bonuses(nominations, on):
    """``{nomination_pk: (coefficient, base salary, amount) or None}`` on the date ``on`` (queries per award and
    subject kind, not per line)."""
    rates, result = {}, {}
    for n in nominations:
        kind = SubjectKind.PERSON if n.person_id else SubjectKind.UNIT
        key = (type(n.award).__name__, n.award.pk, kind)
        if key not in rates:
            found = bonus_amount(n.award, subject_kind=kind, on=on)
            rates[key] = (found[1], found[2]) if found else None
        rate = rates[key]
        result[n.pk] = (rate[0], rate[1], bonus_round_up(*rate)) if rate else None
    return result


def _subject_and_article(award, nominations, year):
    persons = sum(1 for n in nominations if n.person_id)
    units = len(nominations) - persons
    counted = " và ".join(filter(None, [
        _("%(n)s tập thể") % {"n": units} if units else "", _("%(n)s cá nhân") % {"n": persons} if persons else ""]))
    if type(award).__name__ == "EmulationTitle":
        subject = _("Về việc công nhận danh hiệu “%(award)s” năm %(year)s") % {"award": award.name, "year": year}
        article1 = _("Công nhận danh hiệu “%(award)s” năm %(year)s cho %(counted)s (có danh sách kèm theo).") % {
            "award": award.name, "year": year, "counted": counted}
    else:
        subject = _("Về việc tặng %(award)s") % {"award": award.name}
        article1 = _("Tặng %(award)s cho %(counted)s đã có thành tích xuất sắc năm %(year)s (có danh sách kèm theo).") % {
            "award": award.name, "counted": counted, "year": year}
    return subject, article1


ARTICLE2 = ("Tiền thưởng kèm theo thực hiện theo quy định của pháp luật về thi đua, khen thưởng, mức thưởng của từng tập thể, "
            "cá nhân theo danh sách kèm theo, chi từ Quỹ thi đua, khen thưởng của Sở.")
ARTICLE3 = ("Chánh Văn phòng Sở, Thủ trưởng các phòng, đơn vị thuộc Sở và các tập thể, cá nhân có tên tại Điều 1 chịu trách "
            "nhiệm thi hành Quyết định này./.")


def _signer_defaults():
    agency = agency_profile()
    return {"signer_prefix": "", "signer_authority": agency.director_title if agency else "Giám đốc",
            "signer_position": agency.director_title if agency else "Giám đốc",
            "signer_name": (agency.director_name if agency else "") or ""}


def _award_key(n):
    return ("title", n.title_id) if n.title_id else ("form", n.form_id)


def _live_line_ids():
    """Nominations already on a draft or issued decision, or on a tờ trình not refused."""
    on_decision = set(DecisionLine.objects.filter(decision__state__in=[DecisionState.DRAFT, DecisionState.ISSUED])
                      .values_list("nomination_id", flat=True))
    on_proposal = set(ProposalLine.objects.exclude(passed=False).values_list("nomination_id", flat=True))
    return on_decision | on_proposal


def _group_by_award(nominations):
    groups = {}
    for n in nominations:
        groups.setdefault(_award_key(n), []).append(n)
    return groups


NOMINATION_RELATED = ("round", "person", "person__unit", "unit", "title", "form", "submission__unit")


def passed_at_meeting(meeting):
    """The nominations a closed meeting passed that wait for a decision or a tờ trình (not yet on one)."""
    taken = _live_line_ids()
    items = (AgendaItem.objects.filter(meeting=meeting, state=ItemState.CLOSED, outcome=Outcome.PASSED,
                                       nomination__state=S.COUNCIL_PASSED)
             .select_related(*(f"nomination__{name}" for name in NOMINATION_RELATED)).order_by("position", "pk"))
    return [item.nomination for item in items if item.nomination_id not in taken]


def direct_grants_of_round(nomination_round):
    """The nominations of an ad hoc round the director may grant without the council (a form of his authority,
    vetted), not yet on a decision."""
    if nomination_round.kind not in DIRECT_GRANT_KINDS:
        return []
    taken = _live_line_ids()
    qs = (Nomination.objects.filter(round=nomination_round, state=S.VETTED_PASS, form__isnull=False, form__authority="director")
          .select_related(*NOMINATION_RELATED).order_by("pk"))
    return [n for n in qs if n.pk not in taken]


# ---------------------------------------------------------------- decisions: drafts

def _decision_draft(*, actor, nominations, date, source, meeting=None, nomination_round=None):
    award = nominations[0].award
    year = nominations[0].round.year
    subject, article1 = _subject_and_article(award, nominations, year)
    decision = Decision(
        title=nominations[0].title, form=nominations[0].form, source=source, meeting=meeting,
        round=nomination_round or nominations[0].round, date=date, subject=subject,
        bases=default_bases(on=date, meeting=meeting), article1=article1, article2=ARTICLE2, article3=ARTICLE3,
        recipients=list(DEFAULT_RECIPIENTS), created_by=actor if actor and actor.is_authenticated else None, **_signer_defaults())
    decision.full_clean()
    decision.save()
    _set_lines(decision, nominations)
    audit_changes(actor=actor, obj=decision, fields=DECISION_FIELDS)
    return decision


def _set_lines(decision, nominations):
    bonuses = line_bonuses(nominations, decision.date)
    DecisionLine.objects.bulk_create([
        DecisionLine(decision=decision, nomination=n, position=index, coefficient=(bonuses[n.pk] or (None,))[0],
                     base_salary=bonuses[n.pk][1] if bonuses[n.pk] else None, amount=bonuses[n.pk][2] if bonuses[n.pk] else None)
        for index, n in enumerate(nominations, start=1)])


@transaction.atomic
def decisions_create_from_meeting(*, actor, meeting, date):
    """Draft decisions for what a closed meeting passed, one per title or form within the director's authority (the
    titles above it go into a tờ trình: :func:`proposals_create_from_meeting`). Returns the drafts."""
    require_office(actor, OFFICE_ONLY)
    if meeting.state != MeetingState.CLOSED:
        raise ValidationError(_("Phiên họp chưa kết thúc: chưa lập được quyết định."))
    nominations = [n for n in passed_at_meeting(meeting) if not n.award.needs_province_submission]
    if not nominations:
        raise ValidationError(_("Không còn đề nghị nào được Hội đồng thông qua thuộc thẩm quyền Giám đốc Sở chờ quyết định."))
    return [_decision_draft(actor=actor, nominations=group, date=date, source=DecisionSource.MEETING, meeting=meeting)
            for group in _group_by_award(nominations).values()]


@transaction.atomic
def decisions_create_from_round(*, actor, nomination_round, date):
    """Draft decisions for the forms the director grants without the council in an ad hoc round."""
    require_office(actor, OFFICE_ONLY)
    if nomination_round.kind not in DIRECT_GRANT_KINDS:
        raise ValidationError(_("Chỉ đợt khen thưởng đột xuất được Giám đốc quyết định không qua Hội đồng."))
    nominations = direct_grants_of_round(nomination_round)
    if not nominations:
        raise ValidationError(_("Không có đề nghị thẩm định đạt nào (hình thức thuộc thẩm quyền Giám đốc Sở) chờ quyết định."))
    return [_decision_draft(actor=actor, nominations=group, date=date, source=DecisionSource.ROUND, nomination_round=nomination_round)
            for group in _group_by_award(nominations).values()]


def _locked(model, obj):
    return model.objects.select_for_update(of=("self",)).get(pk=obj.pk)


def _clean_list(values):
    if isinstance(values, str):
        values = values.splitlines()
    return [nfc(v) for v in values if nfc(v or "")]


@transaction.atomic
def decision_update(*, actor, decision, **values):
    """Change a draft (what ``values`` names of ``EDITABLE_FIELDS``); a new date re-prices the lines."""
    require_office(actor, OFFICE_ONLY)
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    decision = _locked(Decision, decision)
    if not decision.is_draft:
        raise ValidationError(_("%(d)s đã ban hành: không sửa được; chỉ thu hồi hoặc thay thế.") % {"d": decision})
    before = snapshot(decision, DECISION_FIELDS)
    for name, value in values.items():
        if name in ("bases", "recipients"):
            value = _clean_list(value)
        elif name in ("article1", "article2", "article3"):
            value = nfc_multiline(value or "")
        elif isinstance(value, str):
            value = nfc(value)
        setattr(decision, name, value)
    decision.full_clean()
    decision.save()
    if "date" in values:
        _reprice(decision)
    audit_changes(actor=actor, obj=decision, fields=DECISION_FIELDS, before=before)
    return decision


def _reprice(decision):
    lines = list(decision.lines.select_related(*(f"nomination__{name}" for name in NOMINATION_RELATED)))
    bonuses = line_bonuses([line.nomination for line in lines], decision.date)
    for line in lines:
        found = bonuses[line.nomination_id]
        line.coefficient, line.base_salary, line.amount = found if found else (None, None, None)
    DecisionLine.objects.bulk_update(lines, ["coefficient", "base_salary", "amount"])


@transaction.atomic
def decision_line_remove(*, actor, line):
    """Take one line off a draft (its nomination waits for another decision)."""
    require_office(actor, OFFICE_ONLY)
    decision = _locked(Decision, line.decision)
    if not decision.is_draft:
        raise ValidationError(_("%(d)s đã ban hành: không sửa được danh sách.") % {"d": decision})
    if decision.lines.count() <= 1:
        raise ValidationError(_("Danh sách chỉ còn một dòng: hãy xoá dự thảo quyết định."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=decision, changes={"bỏ khỏi danh sách": [str(line.nomination), None]})
    line.delete()


@transaction.atomic
def decision_delete(*, actor, decision):
    """Delete a draft (an issued decision is revoked, never deleted)."""
    require_office(actor, OFFICE_ONLY)
    decision = _locked(Decision, decision)
    if not decision.is_draft:
        raise ValidationError(_("%(d)s đã ban hành: không xoá được; chỉ thu hồi hoặc thay thế.") % {"d": decision})
    audit_record(actor=actor, action=AuditAction.DELETE, obj=decision, changes={"trích yếu": [decision.subject, None]})
    decision.lines.all().delete()
    decision.delete()


# ---------------------------------------------------------------- decisions: issue, revoke, replace

def decision_lines(decision):
    """The lines of a decision with what the documents print (one query)."""
    return list(decision.lines.select_related(*(f"nomination__{name}" for name in NOMINATION_RELATED)).order_by("position", "pk"))


@transaction.atomic
def decision_issue(*, actor, decision):
    """Issue a draft: its number, the bonuses on its date, every nomination “có quyết định” with its award record, and
    the PDF — all in one transaction (a failure gives the number back)."""
    # the documents module renders with WeasyPrint, loaded on the first document only (not when the services load)
    from .. import documents

    require_office(actor, OFFICE_ONLY)
    decision = _locked(Decision, decision)
    if not decision.is_draft:
        raise ValidationError(_("%(d)s đã được ban hành.") % {"d": decision})
    decision.full_clean()
    agency = agency_profile()
    if agency is None or not agency.doc_code:
        raise ValidationError(_("Chưa khai báo ký hiệu viết tắt của cơ quan (Thông tin cơ quan): chưa cấp được số."))
    lines = decision_lines(decision)
    nominations = [line.nomination for line in lines]
    waiting = S.VETTED_PASS if decision.source == DecisionSource.ROUND else S.COUNCIL_PASSED
    wrong = [str(n) for n in nominations if n.state != waiting]
    if wrong:
        raise ValidationError(_("Không ban hành được: các đề nghị sau không còn ở trạng thái “%(state)s”: %(list)s.") % {
            "state": S(waiting).label, "list": "; ".join(wrong)})
    _reprice(decision)
    lines = decision_lines(decision)
    missing = [str(line.nomination) for line in lines if line.amount is None]
    if missing:
        raise ValidationError(_("Chưa có hệ số tiền thưởng hoặc lương cơ sở áp dụng ngày %(date)s cho: %(list)s.") % {
            "date": decision.date.strftime("%d/%m/%Y"), "list": "; ".join(missing)})
    before = snapshot(decision, DECISION_FIELDS)
    decision.number_int, decision.number = numbering.number_next(issuer_code=agency.doc_code, kind=numbering.DECISION,
                                                                 year=decision.date.year)
    decision.state = DecisionState.ISSUED
    decision.issued_at = timezone.now()
    decision.issued_by = actor if actor and actor.is_authenticated else None
    decision.full_clean()
    decision.save()
    audit_changes(actor=actor, obj=decision, fields=DECISION_FIELDS, before=before)
    nominations_decide(actor=actor, nominations=nominations, decision_number=decision.number, decision_date=decision.date,
                       issuer=_("Giám đốc Sở"))
    pdf = documents.decision_pdf(decision, lines=decision_lines(decision), agency=agency)
    decision.pdf_unsigned.save(f"{decision.number.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
    decision.save(update_fields=["pdf_unsigned"])
    return decision


def _end(*, actor, decision, reason, state):
    require_office(actor, OFFICE_ONLY)
    reason = nfc_multiline(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    decision = _locked(Decision, decision)
    if not decision.is_issued:
        raise ValidationError(_("Chỉ thu hồi, thay thế được quyết định đã ban hành."))
    before = snapshot(decision, DECISION_FIELDS)
    decision.state, decision.reason, decision.ended_at = state, reason, timezone.now()
    decision.full_clean()
    decision.save()
    audit_changes(actor=actor, obj=decision, fields=DECISION_FIELDS, before=before, reason=reason)
    nominations = [line.nomination for line in decision_lines(decision)]
    back = S.VETTED_PASS if decision.source == DecisionSource.ROUND else S.COUNCIL_PASSED
    nominations_undecide(actor=actor, nominations=nominations, to_state=back,
                         reason=_("%(d)s %(state)s: %(reason)s") % {"d": decision, "state": DecisionState(state).label.lower(),
                                                                     "reason": reason})
    return decision, nominations


@transaction.atomic
def decision_revoke(*, actor, decision, reason):
    """Revoke an issued decision (kept, with its reason): its award records leave the history and its nominations wait
    for a decision again."""
    decision, _nominations = _end(actor=actor, decision=decision, reason=reason, state=DecisionState.REVOKED)
    return decision


@transaction.atomic
def decision_replace(*, actor, decision, reason):
    """Replace an issued decision: revoked as above, and a new draft with the same lines (to correct, then issue under
    a new number); the old decision names it. Returns the new draft."""
    decision, nominations = _end(actor=actor, decision=decision, reason=reason, state=DecisionState.REPLACED)
    nominations = list(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).select_related(*NOMINATION_RELATED)
                       .order_by("pk"))
    order = {line.nomination_id: line.position for line in decision.lines.all()}
    nominations.sort(key=lambda n: order[n.pk])
    draft = Decision(
        title=decision.title, form=decision.form, source=decision.source, meeting=decision.meeting, round=decision.round,
        date=timezone.localdate(), subject=decision.subject, bases=list(decision.bases), article1=decision.article1,
        article2=decision.article2, article3=decision.article3, recipients=list(decision.recipients),
        signer_prefix=decision.signer_prefix, signer_authority=decision.signer_authority, signer_position=decision.signer_position,
        signer_name=decision.signer_name, created_by=actor if actor and actor.is_authenticated else None)
    draft.full_clean()
    draft.save()
    _set_lines(draft, nominations)
    audit_changes(actor=actor, obj=draft, fields=DECISION_FIELDS)
    Decision.objects.filter(pk=decision.pk).update(replaced_by=draft)
    decision.replaced_by = draft
    return draft


# ---------------------------------------------------------------- tờ trình to UBND tỉnh

PROPOSAL_BODY = ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và các văn bản hướng dẫn thi hành; căn cứ kết "
                 "quả xét của Hội đồng Thi đua – Khen thưởng Sở, Sở đề nghị Ủy ban nhân dân tỉnh xem xét, %(verb)s “%(award)s” "
                 "cho %(counted)s có thành tích xuất sắc năm %(year)s (có danh sách và hồ sơ kèm theo).")


@transaction.atomic
def proposals_create_from_meeting(*, actor, meeting, date):
    """Draft tờ trình for what a closed meeting passed above the Sở's authority, one per title or form."""
    require_office(actor, OFFICE_ONLY)
    if meeting.state != MeetingState.CLOSED:
        raise ValidationError(_("Phiên họp chưa kết thúc: chưa lập được tờ trình."))
    nominations = [n for n in passed_at_meeting(meeting) if n.award.needs_province_submission]
    if not nominations:
        raise ValidationError(_("Không có đề nghị nào vượt thẩm quyền Giám đốc Sở chờ trình UBND tỉnh."))
    drafts = []
    for group in _group_by_award(nominations).values():
        award, year = group[0].award, group[0].round.year
        persons = sum(1 for n in group if n.person_id)
        counted = " và ".join(filter(None, [_("%(n)s tập thể") % {"n": len(group) - persons} if len(group) > persons else "",
                                            _("%(n)s cá nhân") % {"n": persons} if persons else ""]))
        is_title = type(award).__name__ == "EmulationTitle"
        proposal = Proposal(
            title=group[0].title, form=group[0].form, meeting=meeting, round=group[0].round, date=date,
            subject=_("Về việc đề nghị %(verb)s “%(award)s” năm %(year)s") % {
                "verb": _("tặng danh hiệu") if is_title else _("tặng"), "award": award.name, "year": year},
            body=PROPOSAL_BODY % {"verb": _("tặng danh hiệu") if is_title else _("tặng"), "award": award.name, "counted": counted,
                                  "year": year},
            recipients=["Như trên;", "Lưu: VT, VP."], created_by=actor if actor and actor.is_authenticated else None,
            **_signer_defaults())
        proposal.full_clean()
        proposal.save()
        ProposalLine.objects.bulk_create([ProposalLine(proposal=proposal, nomination=n, position=i)
                                          for i, n in enumerate(group, start=1)])
        audit_changes(actor=actor, obj=proposal, fields=PROPOSAL_FIELDS)
        drafts.append(proposal)
    return drafts


@transaction.atomic
def proposal_update(*, actor, proposal, **values):
    require_office(actor, OFFICE_ONLY)
    unknown = sorted(set(values) - set(PROPOSAL_EDITABLE))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    proposal = _locked(Proposal, proposal)
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError(_("%(p)s đã trình: không sửa được.") % {"p": proposal})
    before = snapshot(proposal, PROPOSAL_FIELDS)
    for name, value in values.items():
        if name == "recipients":
            value = _clean_list(value)
        elif name == "body":
            value = nfc_multiline(value or "")
        elif isinstance(value, str):
            value = nfc(value)
        setattr(proposal, name, value)
    proposal.full_clean()
    proposal.save()
    audit_changes(actor=actor, obj=proposal, fields=PROPOSAL_FIELDS, before=before)
    return proposal


@transaction.atomic
def proposal_send(*, actor, proposal):
    """Number the tờ trình (its own “TTr” series) and mark it sent to UBND tỉnh."""
    require_office(actor, OFFICE_ONLY)
    proposal = _locked(Proposal, proposal)
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError(_("%(p)s đã được trình.") % {"p": proposal})
    agency = agency_profile()
    if agency is None or not agency.doc_code:
        raise ValidationError(_("Chưa khai báo ký hiệu viết tắt của cơ quan (Thông tin cơ quan): chưa cấp được số."))
    before = snapshot(proposal, PROPOSAL_FIELDS)
    proposal.number_int, proposal.number = numbering.number_next(issuer_code=agency.doc_code, kind=numbering.SUBMISSION,
                                                                 year=proposal.date.year)
    proposal.state, proposal.sent_at = ProposalState.SENT, timezone.now()
    proposal.full_clean()
    proposal.save()
    audit_changes(actor=actor, obj=proposal, fields=PROPOSAL_FIELDS, before=before)
    return proposal


@transaction.atomic
def proposal_record_decision(*, actor, proposal, issuer, number, date, upload, passed_line_ids):
    """The province decided on a sent tờ trình: recorded once for its list (issuer, number, date, the scanned file,
    which lines passed). The passed lines' nominations get “có quyết định” and their award records; the others stay
    “Hội đồng thông qua” with the line marked not passed."""
    require_office(actor, OFFICE_ONLY)
    proposal = _locked(Proposal, proposal)
    if proposal.state != ProposalState.SENT:
        raise ValidationError(_("Chỉ ghi quyết định của tỉnh cho tờ trình đã trình và chưa có quyết định."))
    issuer, number = nfc(issuer or ""), nfc(number or "")
    errors = {}
    if not issuer:
        errors["issuer"] = [_("Hãy ghi cấp quyết định.")]
    if not number:
        errors["number"] = [_("Hãy ghi số quyết định.")]
    if date is None:
        errors["date"] = [_("Hãy ghi ngày quyết định.")]
    if upload is None:
        errors["upload"] = [_("Hãy tải lên bản quét quyết định.")]
    if errors:
        raise ValidationError(errors)
    validate_upload(upload)
    lines = list(proposal.lines.select_related(*(f"nomination__{name}" for name in NOMINATION_RELATED)))
    passed_ids = {int(pk) for pk in passed_line_ids}
    unknown = passed_ids - {line.pk for line in lines}
    if unknown:
        raise ValidationError(_("Dòng không thuộc tờ trình này."))
    if not passed_ids:
        raise ValidationError(_("Chọn ít nhất một dòng được tỉnh khen thưởng."))
    before = snapshot(proposal, PROPOSAL_FIELDS)
    proposal.province_issuer, proposal.province_number, proposal.province_date = issuer, number, date
    proposal.state = ProposalState.DECIDED
    proposal.full_clean()
    proposal.province_file.save(upload.name, upload, save=False)
    proposal.province_file_name = original_name(upload)
    proposal.save()
    for line in lines:
        line.passed = line.pk in passed_ids
    ProposalLine.objects.bulk_update(lines, ["passed"])
    audit_changes(actor=actor, obj=proposal, fields=PROPOSAL_FIELDS, before=before)
    nominations_decide(actor=actor, nominations=[line.nomination for line in lines if line.passed], decision_number=number,
                       decision_date=date, issuer=issuer)
    return proposal


def proposal_lines(proposal):
    return list(proposal.lines.select_related(*(f"nomination__{name}" for name in NOMINATION_RELATED)).order_by("position", "pk"))


__all__ = [
    "DECISION_FIELDS", "EDITABLE_FIELDS", "PROPOSAL_EDITABLE", "DIRECT_GRANT_KINDS", "bonus_round_up", "default_bases",
    "decision_delete", "decision_issue", "decision_line_remove", "decision_lines", "decision_replace", "decision_revoke",
    "decision_update", "decisions_create_from_meeting", "decisions_create_from_round", "direct_grants_of_round", "line_bonuses",
    "passed_at_meeting", "proposal_lines", "proposal_record_decision", "proposal_send", "proposal_update",
    "proposals_create_from_meeting",
]
