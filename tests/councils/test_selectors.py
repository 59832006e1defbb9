"""Reads of the councils app: who sees which meetings (other councils', other units' data present), what waits for a
member, the agenda and the summary in a constant number of queries whatever the number of items, the live turnout
(never a secret ballot's choices), the paper-ballot preview, the dossier."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils import selectors, services
from councils.enums import Choice, ItemState, MeetingState, Outcome, VotingBase, VotingMethod
from councils.models import Meeting, VoteRound
from movements.models import PerformanceRating
from nominations.enums import NominationState
from nominations.models import SubmissionDocument
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.councils import (
    CouncilFactory,
    CouncilMemberFactory,
    consultation,
    make_council,
    present,
    rule_for,
    sitting,
    vetted,
)
from tests.factories.nominations import AwardFactory, NominationFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration

YES, NO = Choice.YES, Choice.NO


@pytest.fixture
def running(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base=VotingBase.PRESENT, threshold=Decimal("50"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(3),
                             statuses=present(seats[:7], written=seats[7:8]))
    return meeting, items, seats, secretary


# ---------------------------------------------------------------- who sees what

def test_meetings_visible_to_each_role(office, council9, unit_a):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    called, _items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    draft = services.meeting_create(actor=office, council=council, kind="sitting", title="Dự thảo", date=called.date,
                                    chair=seats[0], secretary=secretary, start_time="09:00", place="Phòng họp")
    old_council = CouncilFactory(active=False)
    old_chair = CouncilMemberFactory(council=old_council, position="chair")
    old_meeting = Meeting.objects.create(council=old_council, kind="sitting", title="Nhiệm kỳ trước", date=datetime.date(2024, 1, 5),
                                         start_time=datetime.time(8), place="Hội trường", chair=old_chair,
                                         secretary=CouncilMemberFactory(council=old_council, votes=True), state=MeetingState.CLOSED)
    assert set(selectors.meetings_visible_to(office)) == {called, draft, old_meeting}
    assert list(selectors.meetings_visible_to(seats[3].user)) == [called]
    assert list(selectors.meetings_visible_to(old_chair.user)) == []  # not on that roll (made without one)
    for nobody in (UserFactory(role=Role.COUNCIL, password=None), UnitUserFactory(unit=unit_a, password=None)):
        assert (list(selectors.meetings_visible_to(nobody)), list(selectors.councils_visible_to(nobody))) == ([], [])
    assert list(selectors.councils_visible_to(seats[3].user)) == [council]
    assert set(selectors.councils_visible_to(office)) == {council, old_council}


def test_what_waits_for_a_member(running):
    meeting, items, seats, _secretary = running
    services.voting_open(actor=seats[0].user, items=items[:2])
    member, absent, written = seats[2], seats[8], seats[7]
    assert list(selectors.open_votes_for(member.user)) == items[:2]
    assert list(selectors.items_to_review(member.user)) == items
    assert list(selectors.open_votes_for(absent.user)) == []
    assert list(selectors.open_votes_for(written.user)) == []  # the rule does not count written opinions
    services.vote_cast(actor=member.user, item=items[0], choice=YES)
    assert list(selectors.open_votes_for(member.user)) == [items[1]]
    services.recusal_add(actor=member.user, item=items[2], member=member, reason="Người thân")
    assert list(selectors.items_to_review(member.user)) == items[:2]
    assert selectors.home_summary(member.user)["council"] | {"upcoming_meetings": None} == {
        "upcoming_meetings": None, "open_votes": 1, "items_to_review": 2}
    assert selectors.home_summary(UserFactory(role=Role.COUNCIL, password=None)) == {}
    assert selectors.home_summary(seats[0].user)["council"]["upcoming_meetings"] == [meeting]


def test_written_opinions_wait_for_the_absent_member_when_the_rule_counts_them(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), written_opinions_count=True)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats[:7], written=seats[7:8]))
    services.voting_open(actor=seats[0].user, items=[item])
    assert (list(selectors.open_votes_for(seats[7].user)), list(selectors.open_votes_for(seats[8].user))) == ([item], [])


def test_a_consultation_waits_for_every_member_until_its_deadline(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    assert list(selectors.open_votes_for(seats[8].user)) == [item]
    Meeting.objects.filter(pk=meeting.pk).update(deadline=meeting.deadline - datetime.timedelta(days=10))
    assert list(selectors.open_votes_for(seats[8].user)) == []


# ---------------------------------------------------------------- the agenda and the summary in constant queries

def test_the_agenda_reads_in_a_constant_number_of_queries(office, council9, django_assert_num_queries):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    small, _ = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                       statuses=present(seats))
    big, big_items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(12),
                             statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=big_items[:6])
    for item in big_items[:3]:
        services.vote_cast(actor=seats[1].user, item=item, choice=YES)
    for meeting in (small, big):
        with django_assert_num_queries(7):
            rows = selectors.agenda(meeting, user=seats[1].user)
    assert [(r.voted, r.voted_by_viewer, r.viewer_may_vote) for r in rows[:7]] == [
        (1, True, False)] * 3 + [(0, False, True)] * 3 + [(0, False, False)]
    assert [len(rows) for _award, rows in selectors.agenda_groups(rows)] == [12]


def test_the_summary_reads_in_a_constant_number_of_queries(office, council9, django_assert_num_queries):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.OPEN, base=VotingBase.PRESENT, threshold=Decimal("50"))
    counts = {}
    for n in (2, 10):
        meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(n),
                                 statuses=present(seats))
        services.voting_open(actor=seats[0].user, items=items)
        for item in items:
            for seat in seats[:5]:
                services.vote_cast(actor=seat.user, item=item, choice=YES)
        services.voting_close(actor=seats[0].user, items=items)
        with CaptureQueriesContext(connection) as captured:
            summary = selectors.meeting_summary(meeting)
        counts[n] = len(captured)
        assert [len(i.choices) for i in summary.items] == [5] * n
    assert counts[2] == counts[10] == 7
    with django_assert_num_queries(7):
        selectors.meeting_summary(meeting)


def test_the_summary_holds_what_the_minutes_print(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.OPEN, base=VotingBase.PRESENT, threshold=Decimal("50"), comparison="gt")
    rule_for(title("CSTDCS"), method=VotingMethod.SECRET, base=VotingBase.ALL, threshold=Decimal("70"))
    own = NominationFactory(submission=SubmissionFactory(unit=seats[5].person.unit), person=seats[5].person,
                            state=NominationState.VETTED_PASS)
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary,
                             nominations=[own, *vetted(1, code="CSTDCS")], statuses=present(seats[:8], written=seats[8:]))
    ldtt, cstdcs = sorted(items, key=lambda i: i.position)
    services.voting_open(actor=seats[0].user, items=[ldtt])
    for seat, choice in zip(seats[:5], [YES, YES, NO, YES, NO], strict=True):
        services.vote_cast(actor=seat.user, item=ldtt, choice=choice)
    services.voting_close(actor=seats[0].user, items=[ldtt])
    services.vote_repeat(actor=seats[0].user, item=ldtt, reason="Bấm nhầm")
    services.paper_result_enter(actor=secretary.user, item=ldtt, yes=6, no=1)
    services.voting_open(actor=seats[0].user, items=[cstdcs])
    for seat in seats[:7]:
        services.vote_cast(actor=seat.user, item=cstdcs, choice=YES)
    services.voting_close(actor=seats[0].user, items=[cstdcs])
    summary = selectors.meeting_summary(meeting)
    assert (len(summary.present), len(summary.written), len(summary.absent), summary.quorum.met) == (8, 1, 1, True)
    first, second = summary.items
    assert (first.item.outcome, first.result.is_paper, first.result.yes_count, first.result.base_count, first.choices) == (
        Outcome.PASSED, True, 6, 7, [])
    assert [(r.number, r.outcome, r.yes_count) for r in first.earlier_results] == [(1, Outcome.REJECTED, 3)]
    assert [(r.member, r.reason) for r in first.recusals] == [(seats[5], "Là người được đề nghị.")]
    assert (second.item.outcome, second.result.percentage, second.choices, second.rule_text.startswith("Bỏ phiếu kín")) == (
        Outcome.PASSED, Decimal("77.78"), [], True)
    assert [m.person.full_name for m, _c in selectors.meeting_summary(meeting).items[0].choices] == []


# ---------------------------------------------------------------- quorum, turnout, paper preview

def test_quorum_and_turnout_live(running):
    meeting, items, seats, _secretary = running
    quorum = selectors.quorum_status(meeting, rows=selectors.agenda(meeting))
    assert (quorum.members, quorum.present, quorum.written, quorum.absent, quorum.needed, quorum.met) == (9, 7, 1, 1, 6, True)
    services.voting_open(actor=seats[0].user, items=[items[0]])
    services.vote_cast(actor=seats[1].user, item=items[0], choice=NO)
    turnout = selectors.vote_turnout(items[0])
    assert ([m.pk for m in turnout.voted], len(turnout.waiting), len(turnout.eligible), turnout.choices) == (
        [seats[1].pk], 6, 7, {})
    assert selectors.vote_turnout(items[1]) is None


def test_an_open_votes_turnout_shows_each_choice(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.OPEN)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[item])
    services.vote_cast(actor=seats[1].user, item=item, choice=NO)
    services.vote_cast(actor=seats[2].user, item=item, choice=YES)
    turnout = selectors.vote_turnout(item)
    assert (turnout.choices, turnout.counts) == ({seats[1].pk: NO, seats[2].pk: YES}, {"yes": 1, "no": 1, "abstain": 0})


def test_the_paper_preview_judges_without_saving(running):
    meeting, items, _seats, _secretary = running
    preview = selectors.paper_result_preview(items[0], yes=4, no=3)
    assert (preview.eligible, preview.present, preview.recused, preview.result.base, preview.result.passed) == (7, 7, 0, 7, True)
    assert preview.result_text == "Đồng ý 4/7 (57,14%), không đồng ý 3, không biểu quyết 0; cần từ 50% trở lên so với số thành viên có mặt: đạt."
    with pytest.raises(ValidationError, match="Tổng số phiếu \\(8\\)"):
        selectors.paper_result_preview(items[0], yes=5, no=3)
    assert (VoteRound.objects.count(), items[0].state) == (0, ItemState.PENDING)


# ---------------------------------------------------------------- candidates, posts, dossier

def test_agenda_candidates_by_round_title_and_unit(office, council9):
    unit_x, unit_y = UnitFactory(), UnitFactory()
    ldtt_x, cstdcs_x, ldtt_y = vetted(2, unit=unit_x), vetted(1, unit=unit_x, code="CSTDCS"), vetted(1, unit=unit_y)
    NominationFactory(submission=ldtt_x[0].submission, state=NominationState.SUBMITTED)
    assert set(selectors.agenda_candidates(office)) == {*ldtt_x, *cstdcs_x, *ldtt_y}
    assert set(selectors.agenda_candidates(office, title=title("CSTDCS"))) == set(cstdcs_x)
    assert set(selectors.agenda_candidates(office, unit=unit_y)) == set(ldtt_y)
    assert set(selectors.agenda_candidates(office, nomination_round=ldtt_x[0].round)) == set(ldtt_x)
    assert list(selectors.agenda_candidates(council9[1][0].user)) == []


def test_member_posts_on_a_date(db):
    unit = UnitFactory(name="Văn phòng Sở")
    council, seats, _secretary = make_council(3, unit=unit)
    head = CouncilMemberFactory(council=council, person=PersonFactory(unit=unit, is_head=True, is_leadership=True,
                                                                      position_title="Chánh Văn phòng"))
    posts = selectors.member_posts([seats[1], head], datetime.date(2025, 12, 15))
    assert posts == {seats[1].pk: [(unit, "Chuyên viên", False)], head.pk: [(unit, "Chánh Văn phòng", True)]}
    assert selectors.member_posts([head], datetime.date(2010, 1, 1)) == {head.pk: []}


def test_the_dossier_of_an_item(running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, items, seats, _secretary = running
    nomination = items[0].nomination
    AwardFactory(person=nomination.person, year=2024)
    PerformanceRating.objects.create(person=nomination.person, year=2024, rating="HTXSNV")
    SubmissionDocument.objects.create(submission=nomination.submission, nomination=nomination, kind="report",
                                      file=ContentFile(b"%PDF-1.4", name="bao-cao.pdf"), original_name="bao-cao.pdf")
    dossier = selectors.item_dossier(items[0], user=seats[1].user)
    assert ([d.original_name for d in dossier.documents], [(a.year, a.title.code) for a in dossier.awards],
            [(r.year, r.rating) for r in dossier.ratings], dossier.violations, dossier.overrides, dossier.comments) == (
        ["bao-cao.pdf"], [(2024, "LDTT")], [(2025, "HTTNV"), (2024, "HTXSNV")], [], [], [])
    assert dossier.vetting_note == ""
    services.item_comment_add(actor=seats[1].user, item=items[0], text="Đủ hồ sơ")
    assert [c.text for c in selectors.item_dossier(items[0], user=seats[1].user).comments] == ["Đủ hồ sơ"]
    services.item_mark_read(actor=seats[1].user, item=items[0])
    assert list(selectors.item_readings(meeting)) == [items[0].pk]
