"""Votes at each boundary of the issue's acceptance list (services.voting): quorum, thresholds on both bases, “more than”
and “at least”, written opinions, recusal and the base, refused votes, paper ballots, re-votes, immutability, written
consultations, and the outcome flowing back to the nominations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from councils import services
from councils.enums import AttendanceStatus, Choice, ItemState, MeetingState, Outcome, VoteRoundState, VotingBase, VotingMethod
from councils.models import AgendaItem, BallotBox, Meeting, Participation, VoteRound, VotingRule
from nominations.enums import NominationState
from nominations.models import Nomination
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.factories.councils import (
    CouncilMemberFactory,
    consultation,
    make_council,
    present,
    rule_for,
    sitting,
    vetted,
)
from tests.factories.nominations import NominationFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration

YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN


def cast(seats, item, choices):
    for seat, choice in zip(seats, choices, strict=True):
        services.vote_cast(actor=seat.user, item=item, choice=choice)


def close(chair, item):
    [closed] = services.voting_close(actor=chair.user, items=[item])
    return closed, closed.rounds.order_by("-number").first()


def state_of(nomination):
    return Nomination.objects.get(pk=nomination.pk).state


def meeting_state(meeting):
    return Meeting.objects.get(pk=meeting.pk).state


def open_vote(office, council, seats, secretary, *, attending, written=(), n=1, **rule):
    """A sitting with ``n`` LĐTT nominations, ``attending`` present, the vote open on every item."""
    rule_for(title("LDTT"), **rule)
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(n),
                             statuses=present(attending, written=written))
    services.voting_open(actor=seats[0].user, items=items)
    return meeting, items


@pytest.fixture
def council10(db):
    return make_council(10)


# ---------------------------------------------------------------- quorum

def test_six_of_nine_present_is_the_quorum_five_is_not(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats[:5]))
    with pytest.raises(ValidationError) as exc:
        services.voting_open(actor=seats[0].user, items=[item])
    assert exc.value.messages == ["Chưa đủ số thành viên có mặt: 5/9 thành viên có quyền biểu quyết, cần ít nhất 6 (2/3)."]
    assert (AgendaItem.objects.get(pk=item.pk).state, VoteRound.objects.count()) == (ItemState.PENDING, 0)
    services.attendance_set(actor=secretary.user, meeting=meeting, statuses={seats[5]: AttendanceStatus.PRESENT})
    [opened] = services.voting_open(actor=seats[0].user, items=[item])
    assert (opened.state, VoteRound.objects.get(item=item).state) == (ItemState.VOTING, VoteRoundState.OPEN)


def test_the_secretary_without_a_vote_is_not_counted_for_the_quorum(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present([*seats[:5], secretary]))
    with pytest.raises(ValidationError, match="5/9"):
        services.voting_open(actor=seats[0].user, items=[item])


def test_a_written_consultation_needs_its_quorum_of_answers(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base=VotingBase.PRESENT, threshold=Decimal("50"))
    meeting, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    cast(seats[:5], item, [YES] * 5)  # 5 answers of 9: 100 % of those who answered, but no quorum
    [closed] = services.consultations_close_due(now=meeting.deadline + datetime.timedelta(minutes=1))
    vote_round = VoteRound.objects.get(item=item)
    assert (closed.state, vote_round.quorum_met, vote_round.outcome, vote_round.result_text) == (
        MeetingState.CLOSED, False, Outcome.REJECTED, "Không đủ số thành viên theo quy định (2/3): không đạt.")


# ---------------------------------------------------------------- thresholds and bases

def test_ninety_percent_of_ten_members_nine_yes_pass(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, base=VotingBase.ALL, threshold=Decimal("90"))
    cast(seats, item, [YES] * 9 + [NO])
    closed, vote_round = close(seats[0], item)
    assert (closed.state, closed.outcome) == (ItemState.CLOSED, Outcome.PASSED)
    assert (vote_round.yes_count, vote_round.no_count, vote_round.abstain_count, vote_round.base_count, vote_round.percentage) == (
        9, 1, 0, 10, Decimal("90.00"))
    assert state_of(item.nomination) == NominationState.COUNCIL_PASSED


def test_ninety_percent_of_all_eight_yes_with_two_absent_fail(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], base=VotingBase.ALL,
                                 threshold=Decimal("90"))
    cast(seats[:8], item, [YES] * 8)
    closed, vote_round = close(seats[0], item)
    assert (closed.outcome, vote_round.base_count, vote_round.present_count, vote_round.percentage) == (
        Outcome.REJECTED, 10, 8, Decimal("80.00"))
    nomination = Nomination.objects.get(pk=item.nomination_id)
    assert nomination.state == NominationState.COUNCIL_REJECTED
    assert nomination.last_reason == (
        "Kết quả biểu quyết của Hội đồng (Phiên họp xét khen thưởng): Đồng ý 8/10 (80%), không đồng ý 0, không biểu quyết 0; "
        "cần từ 90% trở lên so với tổng số thành viên Hội đồng: không đạt.")


def test_the_same_eight_yes_pass_on_the_base_of_members_present(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], base=VotingBase.PRESENT,
                                 threshold=Decimal("90"))
    cast(seats[:8], item, [YES] * 8)
    closed, vote_round = close(seats[0], item)
    assert (closed.outcome, vote_round.base_count, vote_round.percentage) == (Outcome.PASSED, 8, Decimal("100.00"))


@pytest.mark.parametrize(("comparison", "outcome"), [("gte", Outcome.PASSED), ("gt", Outcome.REJECTED)])
def test_at_least_and_more_than_at_exactly_half(office, council10, comparison, outcome):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, base=VotingBase.PRESENT,
                                 threshold=Decimal("50"), comparison=comparison)
    cast(seats, item, [YES] * 5 + [NO] * 4 + [ABSTAIN])
    closed, vote_round = close(seats[0], item)
    assert (closed.outcome, vote_round.percentage, (vote_round.yes_count, vote_round.no_count, vote_round.abstain_count)) == (
        outcome, Decimal("50.00"), (5, 4, 1))


def test_members_present_who_do_not_vote_stay_in_the_base(office, council9):
    council, seats, secretary = council9
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, base=VotingBase.PRESENT, threshold=Decimal("70"))
    cast(seats[:6], item, [YES] * 6)  # 6 of 9 present = 66,67 %
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.outcome, vote_round.base_count, vote_round.percentage) == (Outcome.REJECTED, 9, Decimal("66.67"))


# ---------------------------------------------------------------- written opinions

def test_written_opinions_count_when_the_rule_says_so(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], written=seats[8:], base=VotingBase.ALL,
                                 threshold=Decimal("90"), written_opinions_count=True)
    cast(seats[:8], item, [YES] * 8)
    services.vote_cast(actor=seats[8].user, item=item, choice=YES)  # from their own screen
    services.written_opinion_record(actor=secretary.user, item=item, member=seats[9], choice=YES)  # handed to the secretary
    assert list(Participation.objects.filter(written=True).values_list("member", flat=True).order_by("member")) == [seats[8].pk, seats[9].pk]
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.outcome, vote_round.yes_count, vote_round.base_count) == (Outcome.PASSED, 10, 10)


def test_written_opinions_are_refused_when_the_rule_does_not_count_them(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], written=seats[8:], base=VotingBase.ALL,
                                 threshold=Decimal("90"), written_opinions_count=False)
    message = "Theo quy tắc biểu quyết của nội dung này, ý kiến bằng văn bản của thành viên vắng mặt không được tính."
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[8].user, item=item, choice=YES)
    assert exc.value.messages == [message]
    with pytest.raises(ValidationError) as exc:
        services.written_opinion_record(actor=secretary.user, item=item, member=seats[9], choice=YES)
    assert exc.value.messages == [message]
    cast(seats[:8], item, [YES] * 8)
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.outcome, vote_round.yes_count, vote_round.base_count) == (Outcome.REJECTED, 8, 10)


def test_on_the_base_present_counted_written_opinions_join_the_base(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:7], written=seats[7:8], base=VotingBase.PRESENT,
                                 threshold=Decimal("75"), written_opinions_count=True)
    cast(seats[:6], item, [YES] * 6)
    services.vote_cast(actor=seats[7].user, item=item, choice=NO)
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.base_count, vote_round.attending_count, vote_round.percentage, vote_round.outcome) == (
        8, 8, Decimal("75.00"), Outcome.PASSED)


def test_only_the_secretary_records_a_written_opinion(office, council10):
    council, seats, secretary = council10
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], written=seats[8:],
                                 written_opinions_count=True)
    with pytest.raises(PermissionDenied):
        services.written_opinion_record(actor=seats[0].user, item=item, member=seats[9], choice=YES)
    with pytest.raises(ValidationError) as exc:  # present members vote themselves
        services.written_opinion_record(actor=secretary.user, item=item, member=seats[1], choice=YES)
    assert exc.value.messages == ["Chỉ ghi ý kiến bằng văn bản của thành viên vắng mặt có ý kiến bằng văn bản."]
    assert Participation.objects.count() == 0


# ---------------------------------------------------------------- recusal

def test_recusal_changes_the_base(office, council10):
    """More than 90 % of all members: the nominee's recusal takes them out of the base (9/9 passes); the same nine yes
    with nobody recused are 9/10 = 90 %, not more than 90 %."""
    council, seats, secretary = council10
    rule_for(title("LDTT"), base=VotingBase.ALL, threshold=Decimal("90"), comparison="gt")
    submission = SubmissionFactory(unit=seats[9].person.unit)
    own = NominationFactory(submission=submission, person=seats[9].person, state=NominationState.VETTED_PASS)
    other = vetted(1)[0]
    _meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[own, other],
                              statuses=present(seats))
    item_own = next(i for i in items if i.nomination_id == own.pk)
    item_other = next(i for i in items if i.nomination_id == other.pk)
    assert [(r.member_id, r.automatic, r.reason) for r in item_own.recusals.all()] == [(seats[9].pk, True, "Là người được đề nghị.")]
    services.voting_open(actor=seats[0].user, items=items)
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[9].user, item=item_own, choice=YES)
    assert exc.value.messages == ["Bạn không tham gia xét nội dung này: Là người được đề nghị."]
    cast(seats[:9], item_own, [YES] * 9)
    cast(seats[:9], item_other, [YES] * 9)
    closed = {i.pk: i for i in services.voting_close(actor=seats[0].user, items=items)}
    own_round, other_round = VoteRound.objects.get(item=item_own), VoteRound.objects.get(item=item_other)
    assert (closed[item_own.pk].outcome, own_round.base_count, own_round.recused_count, own_round.percentage) == (
        Outcome.PASSED, 9, 1, Decimal("100.00"))
    assert (closed[item_other.pk].outcome, other_round.base_count, other_round.recused_count, other_round.percentage) == (
        Outcome.REJECTED, 10, 0, Decimal("90.00"))


def test_members_of_the_nominated_unit_and_its_head_are_recused_on_the_reference_date(office):
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    head = PersonFactory(unit=unit, is_head=True, is_leadership=True, position_title="Trưởng phòng")
    worker = PersonFactory(unit=unit)
    moved_in_later = PersonFactory(unit=unit, position=datetime.date(2026, 1, 1))  # joined after the reference date
    council, seats, secretary = make_council(6)
    extra = [CouncilMemberFactory(council=council, person=p) for p in (head, worker, moved_in_later)]
    rule_for(title("TTLDTT"))
    nomination = NominationFactory(submission=SubmissionFactory(unit=unit), person=None, unit=unit, title=title("TTLDTT"),
                                   state=NominationState.VETTED_PASS)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[nomination],
                               statuses=present([*seats, *extra]), start=False)
    assert [(r.member_id, r.reason) for r in item.recusals.order_by("member__sort_order")] == [
        (extra[0].pk, "Là người đứng đầu Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 15/12/2025."),
        (extra[1].pk, "Công tác tại Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 15/12/2025."),
    ]


def test_a_manual_recusal_needs_a_reason_and_leaves_the_base(office, council10):
    council, seats, secretary = council10
    rule_for(title("LDTT"), base=VotingBase.ALL, threshold=Decimal("90"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    with pytest.raises(ValidationError) as exc:
        services.recusal_add(actor=seats[3].user, item=item, member=seats[3], reason="  ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do không tham gia xét."]}
    with pytest.raises(PermissionDenied):
        services.recusal_add(actor=seats[2].user, item=item, member=seats[3], reason="Người thân")
    services.recusal_add(actor=seats[3].user, item=item, member=seats[3], reason="Người được đề nghị là em ruột")
    services.voting_open(actor=seats[0].user, items=[item])
    with pytest.raises(ValidationError, match="em ruột"):
        services.vote_cast(actor=seats[3].user, item=item, choice=YES)
    cast([s for s in seats if s != seats[3]], item, [YES] * 9)
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.base_count, vote_round.recused_count, vote_round.outcome) == (9, 1, Outcome.PASSED)


# ---------------------------------------------------------------- refused votes

def test_double_late_recused_absent_and_outsider_votes_are_refused(office, council9):
    council, seats, secretary = council9
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats[:8], allows_abstention=False)
    services.vote_cast(actor=seats[1].user, item=item, choice=YES)
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[1].user, item=item, choice=NO)
    assert exc.value.messages == ["Bạn đã biểu quyết nội dung này."]
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[8].user, item=item, choice=YES)
    assert exc.value.messages == ["Bạn không có mặt tại phiên họp: chỉ thành viên có mặt được biểu quyết."]
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=UserFactory(role="council"), item=item, choice=YES)
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=office, item=item, choice=YES)
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=secretary.user, item=item, choice=YES)
    assert exc.value.messages == ["Bạn không có quyền biểu quyết."]
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[2].user, item=item, choice=ABSTAIN)
    assert exc.value.message_dict == {"choice": ["Nội dung này không có lựa chọn “không biểu quyết”: hãy chọn đồng ý hoặc không đồng ý."]}
    with pytest.raises(ValidationError):
        services.vote_cast(actor=seats[2].user, item=item, choice="maybe")
    close(seats[0], item)
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=seats[2].user, item=item, choice=YES)
    assert exc.value.messages == [f"“{item}” không đang biểu quyết (việc biểu quyết chưa mở hoặc đã kết thúc)."]
    assert (Participation.objects.count(), VoteRound.objects.get().yes_count) == (1, 1)



def test_a_ballot_of_several_items_is_cast_whole_or_not_at_all(office, council9):
    council, seats, secretary = council9
    _meeting, items = open_vote(office, council, seats, secretary, attending=seats, n=3)
    services.vote_cast(actor=seats[1].user, item=items[2], choice=NO)
    with pytest.raises(ValidationError) as exc:
        services.votes_cast(actor=seats[1].user, choices=[(items[0], YES), (items[1], YES), (items[2], YES)])
    assert exc.value.messages == ["Bạn đã biểu quyết nội dung này."]
    assert Participation.objects.filter(member=seats[1]).count() == 1  # only the earlier vote on the third item
    cast = services.votes_cast(actor=seats[1].user, choices=[(items[0], YES), (items[1], NO)])
    assert len(cast) == 2 and Participation.objects.filter(member=seats[1]).count() == 3


def test_a_vote_before_the_chair_opens_it_is_refused(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    with pytest.raises(ValidationError, match="không đang biểu quyết"):
        services.vote_cast(actor=seats[1].user, item=item, choice=YES)


def test_only_the_chair_opens_and_closes(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    for actor in (seats[1].user, secretary.user, office):
        with pytest.raises(PermissionDenied) as exc:
            services.voting_open(actor=actor, items=[item])
        assert str(exc.value) == "Chỉ người chủ trì phiên họp được thực hiện thao tác này."
    services.voting_open(actor=seats[0].user, items=[item])
    with pytest.raises(PermissionDenied):
        services.voting_close(actor=seats[1].user, items=[item])
    assert AgendaItem.objects.get(pk=item.pk).state == ItemState.VOTING


def test_the_chair_opens_and_closes_a_title_group(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    rule_for(title("CSTDCS"))
    ldtt, cstdcs = vetted(2), vetted(1, code="CSTDCS")
    _meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=ldtt + cstdcs,
                              statuses=present(seats))
    opened = services.voting_open_group(actor=seats[0].user, meeting=items[0].meeting, title=title("LDTT"))
    assert sorted(i.nomination_id for i in opened) == sorted(n.pk for n in ldtt)
    assert AgendaItem.objects.get(nomination=cstdcs[0]).state == ItemState.PENDING
    closed = services.voting_close(actor=seats[0].user, items=opened)
    assert {i.outcome for i in closed} == {Outcome.REJECTED}  # nobody voted


# ---------------------------------------------------------------- open votes

def test_an_open_vote_keeps_each_choice(office, council9):
    council, seats, secretary = council9
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, method=VotingMethod.OPEN,
                                 base=VotingBase.PRESENT, threshold=Decimal("50"), comparison="gt")
    cast(seats[:3], item, [YES, NO, ABSTAIN])
    assert not BallotBox.objects.exists()
    assert dict(Participation.objects.values_list("member_id", "choice")) == {seats[0].pk: YES, seats[1].pk: NO, seats[2].pk: ABSTAIN}
    _closed, vote_round = close(seats[0], item)
    assert (vote_round.yes_count, vote_round.no_count, vote_round.abstain_count, vote_round.outcome) == (1, 1, 1, Outcome.REJECTED)


# ---------------------------------------------------------------- paper ballots

def test_the_secretary_enters_paper_results_checked_against_the_members_present(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base=VotingBase.PRESENT, threshold=Decimal("70"), allows_abstention=False)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats[:7]))
    with pytest.raises(PermissionDenied) as exc:
        services.paper_result_enter(actor=seats[0].user, item=item, yes=6, no=1)
    assert str(exc.value) == "Chỉ thư ký phiên họp được thực hiện thao tác này."
    with pytest.raises(ValidationError) as exc:
        services.paper_result_enter(actor=secretary.user, item=item, yes=7, no=1)
    assert exc.value.messages == ["Tổng số phiếu (8) nhiều hơn số thành viên được biểu quyết (7: có mặt, không thuộc diện không "
                                  "tham gia xét)."]
    with pytest.raises(ValidationError) as exc:
        services.paper_result_enter(actor=secretary.user, item=item, yes=5, no=1, abstain=1)
    rule = VotingRule.objects.get(title__code="LDTT")
    assert exc.value.message_dict == {"abstain": [f"Quy tắc biểu quyết “{rule}” không có lựa chọn “không biểu quyết”."]}
    for bad in ({"yes": -1, "no": 0}, {"yes": "năm", "no": 0}, {"yes": None, "no": 1}):
        with pytest.raises(ValidationError):
            services.paper_result_enter(actor=secretary.user, item=item, **bad)
    assert VoteRound.objects.count() == 0
    closed = services.paper_result_enter(actor=secretary.user, item=item, yes=5, no=2)
    vote_round = VoteRound.objects.get(item=item)
    assert (closed.state, closed.outcome, vote_round.is_paper, vote_round.base_count, vote_round.percentage) == (
        ItemState.CLOSED, Outcome.PASSED, True, 7, Decimal("71.43"))
    assert (vote_round.opened_by, vote_round.closed_by) == (secretary.user, secretary.user)
    assert state_of(item.nomination) == NominationState.COUNCIL_PASSED


def test_paper_results_need_the_quorum_and_a_pending_item(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             statuses=present(seats[:5]))
    with pytest.raises(ValidationError, match="Chưa đủ số thành viên có mặt"):
        services.paper_result_enter(actor=secretary.user, item=items[0], yes=5, no=0)
    services.attendance_set(actor=office, meeting=meeting, statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[items[1]])
    with pytest.raises(ValidationError) as exc:
        services.paper_result_enter(actor=secretary.user, item=items[1], yes=5, no=0)
    assert exc.value.messages == [f"{items[1]}: đang “Đang biểu quyết”; chỉ nhập kết quả phiếu giấy cho nội dung chưa biểu quyết "
                                  "trên hệ thống."]


# ---------------------------------------------------------------- re-votes and immutability

def test_a_revote_needs_the_chair_and_a_reason_and_keeps_the_old_result(office, council9):
    council, seats, secretary = council9
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, base=VotingBase.PRESENT, threshold=Decimal("70"))
    cast(seats, item, [YES] * 6 + [NO] * 3)
    _closed, first = close(seats[0], item)
    assert (first.outcome, state_of(item.nomination)) == (Outcome.REJECTED, NominationState.COUNCIL_REJECTED)
    with pytest.raises(PermissionDenied):
        services.vote_repeat(actor=seats[1].user, item=item, reason="Có sai sót")
    with pytest.raises(ValidationError) as exc:
        services.vote_repeat(actor=seats[0].user, item=item, reason="  ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do biểu quyết lại."]}
    again = services.vote_repeat(actor=seats[0].user, item=item, reason="Một thành viên bấm nhầm")
    assert (again.state, again.outcome, state_of(item.nomination)) == (ItemState.PENDING, "", NominationState.AT_COUNCIL)
    services.voting_open(actor=seats[0].user, items=[item])
    cast(seats, item, [YES] * 7 + [NO] * 2)
    closed, second = close(seats[0], item)
    first.refresh_from_db()
    assert [(r.number, r.outcome, r.yes_count, r.reason) for r in VoteRound.objects.filter(item=item).order_by("number")] == [
        (1, Outcome.REJECTED, 6, ""), (2, Outcome.PASSED, 7, "Một thành viên bấm nhầm")]
    assert (closed.outcome, state_of(item.nomination)) == (Outcome.PASSED, NominationState.COUNCIL_PASSED)


def test_closed_results_are_immutable(office, council9):
    council, seats, secretary = council9
    _meeting, [item] = open_vote(office, council, seats, secretary, attending=seats)
    cast(seats[:7], item, [YES] * 7)
    _closed, vote_round = close(seats[0], item)
    message = "Kết quả biểu quyết đã kết thúc không sửa, không xoá được; muốn xét lại hãy biểu quyết lại."
    vote_round.yes_count = 9
    with pytest.raises(ValidationError) as exc:
        vote_round.save()
    assert exc.value.messages == [message]
    for action in (lambda: VoteRound.objects.filter(pk=vote_round.pk).update(yes_count=9),
                   lambda: VoteRound.objects.filter(pk=vote_round.pk).delete(), lambda: VoteRound.objects.get().delete()):
        with pytest.raises(ValidationError, match="không sửa, không xoá"):
            action()
    with pytest.raises(ValidationError):
        Participation.objects.first().delete()
    with pytest.raises(ValidationError):
        Participation.objects.create(round=vote_round, member=seats[8])
    with pytest.raises(ValidationError):
        BallotBox.objects.get().save()
    with pytest.raises(ValidationError) as exc:
        services.voting_close(actor=seats[0].user, items=[item])
    assert exc.value.messages == [f"{item}: đang “Đã biểu quyết”, không có biểu quyết để kết thúc."]
    assert VoteRound.objects.get().yes_count == 7


def test_a_revote_is_refused_once_the_meeting_ended_or_the_award_is_decided(office, council9):
    council, seats, secretary = council9
    meeting, [item] = open_vote(office, council, seats, secretary, attending=seats, base=VotingBase.PRESENT,
                                threshold=Decimal("50"))
    cast(seats, item, [YES] * 9)
    close(seats[0], item)
    Nomination.objects.filter(pk=item.nomination_id).update(state=NominationState.DECIDED)
    with pytest.raises(ValidationError, match="đã ở trạng thái “Có quyết định”: không biểu quyết lại được"):
        services.vote_repeat(actor=seats[0].user, item=item, reason="Xét lại")
    Nomination.objects.filter(pk=item.nomination_id).update(state=NominationState.COUNCIL_PASSED)
    services.meeting_close(actor=seats[0].user, meeting=meeting)
    with pytest.raises(ValidationError, match="không diễn ra"):
        services.vote_repeat(actor=seats[0].user, item=item, reason="Xét lại")


# ---------------------------------------------------------------- written consultations

def test_a_consultation_is_computed_when_all_have_answered(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base=VotingBase.ALL, threshold=Decimal("70"))
    meeting, items = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2))
    assert {i.state for i in items} == {ItemState.VOTING}
    cast(seats, items[0], [YES] * 8 + [NO])
    assert AgendaItem.objects.get(pk=items[0].pk).outcome == Outcome.PASSED  # closed by the last answer
    assert meeting_state(meeting) == MeetingState.IN_PROGRESS
    cast(seats, items[1], [NO] * 9)
    assert (AgendaItem.objects.get(pk=items[1].pk).outcome, meeting_state(meeting)) == (Outcome.REJECTED, MeetingState.CLOSED)
    assert state_of(items[0].nomination) == NominationState.COUNCIL_PASSED


def test_a_consultation_is_computed_at_its_deadline_and_refuses_late_answers(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base=VotingBase.ALL, threshold=Decimal("70"))
    meeting, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    cast(seats[:7], item, [YES] * 7)
    assert services.consultations_close_due(now=meeting.deadline - datetime.timedelta(seconds=1)) == []
    Meeting.objects.filter(pk=meeting.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Đã hết hạn trả lời"):
        services.vote_cast(actor=seats[7].user, item=item, choice=YES)
    [closed] = services.consultations_close_due()
    vote_round = VoteRound.objects.get(item=item)
    assert (closed.state, vote_round.outcome, vote_round.yes_count, vote_round.base_count, vote_round.closed_by) == (
        MeetingState.CLOSED, Outcome.PASSED, 7, 9, None)
    assert services.consultations_close_due() == []
