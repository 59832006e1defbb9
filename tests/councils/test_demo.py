"""The demo council (councils/demo.py): idempotent, through the services, consistent with the rules and the votes."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from councils import demo
from councils.enums import CouncilPosition, ItemState, MeetingState, Outcome, VotingMethod
from councils.models import Attendance, Council, Decision, Meeting, Participation, Recusal, VoteRound
from movements.demo import seed_demo
from nominations.demo import seed_demo_nominations
from nominations.enums import NominationState
from nominations.models import AwardRecord, Nomination
from nominations.rules_engine import check_nominations
from tdkt.roles import Role

pytestmark = pytest.mark.integration


def seed_all():
    seed_demo()
    seed_demo_nominations()
    demo.seed()


def test_the_demo_council_and_its_meetings(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the decision's PDF
    seed_all()
    counts = (Council.objects.count(), Meeting.objects.count(), VoteRound.objects.count(), Participation.objects.count(),
              Nomination.objects.count())
    seed_all()
    assert (Council.objects.count(), Meeting.objects.count(), VoteRound.objects.count(), Participation.objects.count(),
            Nomination.objects.count()) == counts
    council = Council.objects.get()
    seats = list(council.members.select_related("user", "person__unit").order_by("sort_order"))
    assert (len(seats), sum(s.votes for s in seats)) == (9, 9)
    assert [s.position for s in seats].count(CouncilPosition.CHAIR) == 1
    assert {s.user.username: s.user.role for s in seats if s.user.username in ("chutich", "hoidong", "uyvien", "vanphong")} == {
        "chutich": Role.COUNCIL, "hoidong": Role.COUNCIL, "uyvien": Role.COUNCIL, "vanphong": Role.OFFICE}
    assert all(get_user_model().objects.get(username=u).check_password("tdkt-demo-2026") for u in ("chutich", "hoidong", "uyvien"))

    finished = Meeting.objects.get(state=MeetingState.CLOSED)
    items = list(finished.items.select_related("nomination").order_by("position"))
    rounds = {r.item_id: r for r in VoteRound.objects.filter(item__meeting=finished)}
    assert {(rounds[i.pk].method, rounds[i.pk].is_paper, i.outcome) for i in items} == {
        (VotingMethod.OPEN, False, Outcome.PASSED), (VotingMethod.SECRET, False, Outcome.REJECTED),
        (VotingMethod.OPEN, True, Outcome.PASSED)}
    # what passed has its decision (issue 11): issued, numbered in 2024, the awards in the history
    assert {i.nomination.state for i in items} == {NominationState.DECIDED, NominationState.COUNCIL_REJECTED}
    [decision] = Decision.objects.filter(meeting=finished)
    assert (decision.state, decision.number, decision.date, decision.lines.count()) == (
        "issued", "01/QĐ-SKHCN", datetime.date(2024, 12, 26), 2)
    assert AwardRecord.objects.filter(decision_number="01/QĐ-SKHCN", nomination__isnull=False).count() == 2
    [recusal] = Recusal.objects.filter(item__meeting=finished)
    assert (recusal.automatic, recusal.member.user.username, recusal.item.nomination.unit.short_code) == (True, "hd_ttud", "TTUD")
    assert Attendance.objects.filter(meeting=finished, status="written").count() == 1
    secret = next(r for r in rounds.values() if r.method == VotingMethod.SECRET)
    assert set(Participation.objects.filter(round=secret).values_list("choice", flat=True)) == {""}

    upcoming = Meeting.objects.get(state=MeetingState.SCHEDULED)
    assert upcoming.items.filter(state=ItemState.PENDING).count() == 2
    assert set(upcoming.items.values_list("nomination__state", flat=True)) == {NominationState.AT_COUNCIL}
    assert Nomination.objects.filter(state=NominationState.VETTED_PASS).exists()  # one left for the office to put on an agenda

    nominations = Nomination.objects.select_related("round", "submission__unit", "person", "unit", "title", "form")
    violations = {n: [str(v) for v in found] for n, found in check_nominations(nominations).items() if found}
    assert violations == {}
    assert demo.demo_logins() == [("chutich", "tdkt-demo-2026", "Hội đồng", "Chủ tịch Hội đồng"),
                                  ("phochutich", "tdkt-demo-2026", "Hội đồng", "Phó Chủ tịch Hội đồng"),
                                  ("uyvien", "tdkt-demo-2026", "Hội đồng", "Ủy viên")]
