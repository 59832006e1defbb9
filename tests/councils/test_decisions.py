"""Decisions (issue 11): drafts from a meeting's passed items, bonus, issuing (number, states, award records in one
transaction), no edit once issued, revoking and replacing with a reason; tờ trình to UBND tỉnh and the province's
decision."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from councils import services
from councils.enums import DecisionSource, DecisionState, ProposalState
from councils.models import Decision, DecisionLine, Proposal
from nominations.enums import NominationState
from nominations.models import AwardRecord, BaseSalary, Nomination
from tdkt.models import AuditEvent, DocumentSeries
from tests.factories import UnitUserFactory
from tests.factories.councils import vetted
from tests.factories.decisions import DECISION_DAY, agency, passed_meeting
from tests.factories.nominations import AdHocRoundFactory, NominationFactory, SubmissionFactory, form, staff

pytestmark = pytest.mark.integration
S = NominationState


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def profile(db):
    return agency()


def states(nominations):
    return sorted(set(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("state", flat=True)))


# ---------------------------------------------------------------- bonus

@pytest.mark.parametrize(("coefficient", "salary", "amount"), [
    ("0.3", 2530000, 760000),     # 759.000 → 760.000
    ("0.3", 2340000, 710000),     # 702.000 → 710.000
    ("1.0", 2340000, 2340000),    # exact: unchanged
    ("0.3", 1800000, 540000),     # exact
    ("0.8", 2340000, 1880000),    # 1.872.000 → 1.880.000
    ("1.5", 2340001, 3520000),    # 3.510.001,5 → 3.520.000
    ("0.01", 1, 10000),           # anything above 0 is at least 10.000
])
def test_bonus_rounds_up_to_the_next_10_000(coefficient, salary, amount):
    assert services.bonus_round_up(Decimal(coefficient), salary) == amount


def test_lines_take_the_base_salary_in_force_on_the_decision_date(office, profile):
    BaseSalary.objects.create(amount=2530000, effective_from=datetime.date(2026, 7, 1))
    nominations = vetted(2)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (before,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=datetime.date(2026, 6, 30))
    assert [(line.coefficient, line.base_salary, line.amount) for line in before.lines.all()] == [
        (Decimal("0.30"), 2340000, 710000)] * 2
    services.decision_update(actor=office, decision=before, date=datetime.date(2026, 7, 1))
    assert [(line.base_salary, line.amount) for line in before.lines.all()] == [(2530000, 760000)] * 2


# ---------------------------------------------------------------- drafts

def test_drafts_from_a_meeting_one_per_title_with_default_bases(office, profile, unit_a):
    ldtt = vetted(3, unit=unit_a)
    cstd = vetted(1, unit=unit_a, code="CSTDCS", submission=ldtt[0].submission)
    above = vetted(1, unit=unit_a, code="CSTD_TINH", submission=ldtt[0].submission)
    meeting, _items = passed_meeting(office=office, nominations=[*ldtt, *cstd, *above])
    drafts = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert [(d.award.code, d.lines.count(), d.state, d.number) for d in drafts] == [("LDTT", 3, "draft", ""), ("CSTDCS", 1, "draft", "")]
    ldtt_decision = drafts[0]
    assert ldtt_decision.subject == "Về việc công nhận danh hiệu “Lao động tiên tiến” năm 2025"
    assert ldtt_decision.article1 == "Công nhận danh hiệu “Lao động tiên tiến” năm 2025 cho 3 cá nhân (có danh sách kèm theo)."
    assert ldtt_decision.bases == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết và hướng dẫn thi hành "
        "một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng Sở ngày 15/01/2026;",
        "Theo đề nghị của Chánh Văn phòng Sở.",
    ]
    assert (ldtt_decision.signer_position, ldtt_decision.signer_name) == ("Giám đốc", "Nguyễn Văn Giám")
    # the title above the Sở's authority is for a tờ trình; nothing is left for a second set of drafts
    with pytest.raises(ValidationError):
        services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    (proposal,) = services.proposals_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert (proposal.award.code, proposal.lines.count()) == ("CSTD_TINH", 1)


def test_bases_before_july_2025_name_decree_98():
    bases = services.default_bases(on=datetime.date(2025, 6, 30))
    assert bases[1].startswith("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023")
    assert services.default_bases(on=datetime.date(2025, 7, 1))[1].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP")


def test_only_the_office_drafts_and_a_meeting_must_be_closed(office, profile, unit_a):
    nominations = vetted(1, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    with pytest.raises(PermissionDenied):
        services.decisions_create_from_meeting(actor=UnitUserFactory(unit=unit_a), meeting=meeting, date=DECISION_DAY)
    meeting.state = "in_progress"
    with pytest.raises(ValidationError) as exc:
        services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert exc.value.messages == ["Phiên họp chưa kết thúc: chưa lập được quyết định."]
    assert Decision.objects.count() == 0


def test_a_direct_grant_from_an_ad_hoc_round(office, profile, unit_a):
    nomination_round = AdHocRoundFactory()
    submission = SubmissionFactory(round=nomination_round, unit=unit_a)
    nominations = [NominationFactory(submission=submission, person=p, title=None, form=form("GIAY_KHEN"), state=S.VETTED_PASS)
                   for p in staff(unit_a, 2)]
    (draft,) = services.decisions_create_from_round(actor=office, nomination_round=nomination_round, date=DECISION_DAY)
    assert (draft.source, draft.meeting, draft.subject) == (DecisionSource.ROUND, None, "Về việc tặng Giấy khen của Giám đốc Sở")
    decision = services.decision_issue(actor=office, decision=draft)
    assert states(nominations) == [S.DECIDED]
    services.decision_revoke(actor=office, decision=decision, reason="Nhầm đối tượng")
    assert states(nominations) == [S.VETTED_PASS]  # back where the decision took them from


# ---------------------------------------------------------------- issuing

def test_issuing_numbers_moves_every_nomination_and_records_the_awards(office, profile, unit_a):
    nominations = vetted(3, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    decision = services.decision_issue(actor=office, decision=draft)
    assert (decision.number, decision.number_int, decision.state) == ("01/QĐ-SKHCN", 1, DecisionState.ISSUED)
    with decision.pdf_unsigned.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert states(nominations) == [S.DECIDED]
    awards = AwardRecord.objects.filter(nomination__in=nominations).order_by("pk")
    assert [(a.decision_number, a.decision_date, a.issuer, a.year) for a in awards] == [
        ("01/QĐ-SKHCN", DECISION_DAY, "Giám đốc Sở", 2025)] * 3
    assert DocumentSeries.objects.get().last_number == 1
    # the next decision of the year takes 02
    others = vetted(1, unit=unit_a)
    meeting2, _items = passed_meeting(office=office, nominations=others)
    (draft2,) = services.decisions_create_from_meeting(actor=office, meeting=meeting2, date=DECISION_DAY)
    assert services.decision_issue(actor=office, decision=draft2).number == "02/QĐ-SKHCN"


def test_a_failed_issue_changes_nothing_and_gives_the_number_back(office, profile, unit_a):
    nominations = vetted(2, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    Nomination.objects.filter(pk=nominations[1].pk).update(state=S.AT_COUNCIL)  # re-voted meanwhile
    with pytest.raises(ValidationError) as exc:
        services.decision_issue(actor=office, decision=draft)
    assert "không còn ở trạng thái “Hội đồng thông qua”" in exc.value.messages[0]
    draft.refresh_from_db()
    assert (draft.state, draft.number, AwardRecord.objects.count(), DocumentSeries.objects.count()) == ("draft", "", 0, 0)
    assert states(nominations[:1]) == [S.COUNCIL_PASSED]


def test_an_issued_decision_cannot_be_edited_deleted_or_issued_again(office, profile, unit_a):
    nominations = vetted(2, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    decision = services.decision_issue(actor=office, decision=draft)
    for call in (lambda: services.decision_update(actor=office, decision=decision, subject="Khác"),
                 lambda: services.decision_delete(actor=office, decision=decision),
                 lambda: services.decision_issue(actor=office, decision=decision),
                 lambda: services.decision_line_remove(actor=office, line=decision.lines.first())):
        with pytest.raises(ValidationError):
            call()
    decision.refresh_from_db()
    assert (decision.subject, decision.lines.count()) == ("Về việc công nhận danh hiệu “Lao động tiên tiến” năm 2025", 2)


def test_a_nomination_is_on_one_live_decision_only(office, profile, unit_a):
    nominations = vetted(2, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert services.passed_at_meeting(meeting) == []


# ---------------------------------------------------------------- revoking, replacing

def test_revoking_needs_a_reason_keeps_the_decision_and_reverses_the_awards(office, profile, unit_a):
    nominations = vetted(2, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    decision = services.decision_issue(actor=office, decision=draft)
    with pytest.raises(ValidationError):
        services.decision_revoke(actor=office, decision=decision, reason="  ")
    assert AwardRecord.objects.count() == 2
    services.decision_revoke(actor=office, decision=decision, reason="Cá nhân bị kỷ luật trước ngày quyết định")
    decision.refresh_from_db()
    assert (decision.state, decision.reason, decision.number) == (
        DecisionState.REVOKED, "Cá nhân bị kỷ luật trước ngày quyết định", "01/QĐ-SKHCN")
    assert AwardRecord.objects.count() == 0
    assert states(nominations) == [S.COUNCIL_PASSED]
    deleted = AuditEvent.objects.filter(action="delete", content_type__model="awardrecord")
    assert deleted.count() == 2 and all("Cá nhân bị kỷ luật" in e.reason for e in deleted)
    # revoked: the nominations may be decided again
    (again,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert services.decision_issue(actor=office, decision=again).number == "02/QĐ-SKHCN"


def test_replacing_opens_a_new_draft_with_the_same_lines(office, profile, unit_a):
    nominations = vetted(2, unit=unit_a)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    decision = services.decision_issue(actor=office, decision=draft)
    replacement = services.decision_replace(actor=office, decision=decision, reason="Sai chức vụ trong danh sách")
    decision.refresh_from_db()
    assert (decision.state, decision.replaced_by) == (DecisionState.REPLACED, replacement)
    assert (replacement.state, [line.nomination_id for line in replacement.lines.order_by("position")]) == (
        DecisionState.DRAFT, [n.pk for n in nominations])
    services.decision_update(actor=office, decision=replacement, date=DECISION_DAY)
    issued = services.decision_issue(actor=office, decision=replacement)
    assert (issued.number, states(nominations), AwardRecord.objects.filter(decision_number="02/QĐ-SKHCN").count()) == (
        "02/QĐ-SKHCN", [S.DECIDED], 2)


# ---------------------------------------------------------------- tờ trình

def test_proposal_numbered_when_sent_and_the_province_decision_creates_the_awards(office, profile, unit_a):
    nominations = vetted(3, unit=unit_a, code="CSTD_TINH")
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (proposal,) = services.proposals_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    assert proposal.subject == "Về việc đề nghị tặng danh hiệu “Chiến sĩ thi đua cấp tỉnh” năm 2025"
    proposal = services.proposal_send(actor=office, proposal=proposal)
    assert (proposal.number, proposal.state) == ("01/TTr-SKHCN", ProposalState.SENT)
    lines = list(proposal.lines.order_by("position"))
    scan = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 scanned", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.proposal_record_decision(actor=office, proposal=proposal, issuer="", number="", date=None, upload=None,
                                          passed_line_ids=[])
    services.proposal_record_decision(actor=office, proposal=proposal, issuer="Chủ tịch UBND tỉnh", number="123/QĐ-UBND",
                                      date=datetime.date(2026, 2, 10), upload=scan, passed_line_ids=[lines[0].pk, lines[2].pk])
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert (proposal.state, proposal.province_number, proposal.province_file_name) == (ProposalState.DECIDED, "123/QĐ-UBND", "qd.pdf")
    assert [line.passed for line in proposal.lines.order_by("position")] == [True, False, True]
    assert [Nomination.objects.get(pk=n.pk).state for n in nominations] == [S.DECIDED, S.COUNCIL_PASSED, S.DECIDED]
    assert sorted(AwardRecord.objects.values_list("decision_number", "issuer")) == [("123/QĐ-UBND", "Chủ tịch UBND tỉnh")] * 2
    assert DecisionLine.objects.count() == 0
