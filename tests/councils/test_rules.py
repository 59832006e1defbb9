"""Permissions of the councils app (councils/rules.py), for every kind of account: the office, the chair, the
secretary, a member, a council account without a seat, a unit head, an inactive member's account."""

import pytest

from councils.enums import MeetingState
from councils.models import AgendaItem, Meeting
from tdkt.roles import Role
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import consultation, present, rule_for, sitting, vetted
from tests.factories.nominations import title

pytestmark = pytest.mark.integration

PERMS = ["councils.view_council", "councils.manage_council", "councils.view_voting_rule", "councils.manage_voting_rule",
         "councils.manage_meeting"]
MEETING_PERMS = ["councils.view_meeting", "councils.start_meeting", "councils.end_meeting", "councils.record_attendance",
                 "councils.export_summary"]
ITEM_PERMS = ["councils.open_vote", "councils.close_vote", "councils.repeat_vote", "councils.enter_paper", "councils.defer_item",
              "councils.recuse_member", "councils.take_part"]


@pytest.fixture
def people(office, council9, unit_a):
    council, seats, secretary = council9
    inactive = UserFactory(role=Role.COUNCIL, is_active=False, password=None)
    return {"office": office, "chair": seats[0].user, "secretary": secretary.user, "member": seats[4].user,
            "council without a seat": UserFactory(role=Role.COUNCIL, password=None),
            "unit head": UnitUserFactory(unit=unit_a, password=None), "inactive": inactive}


def table(user, perms, obj=None):
    return [user.has_perm(p, obj) if obj is not None else user.has_perm(p) for p in perms]


def test_who_sets_up_the_council(people):
    expected = {"office": [True] * 5, "chair": [True, False, True, False, False], "secretary": [True] * 5,  # an office account
                "member": [True, False, True, False, False], "council without a seat": [False] * 5, "unit head": [False] * 5,
                "inactive": [False] * 5}
    assert {name: table(user, PERMS) for name, user in people.items()} == expected


def test_who_does_what_in_a_sitting(people, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats))
    meeting = Meeting.objects.select_related("chair", "secretary").get(pk=meeting.pk)
    item = AgendaItem.objects.select_related("meeting__chair", "meeting__secretary").get(pk=item.pk)
    assert {name: table(user, MEETING_PERMS, meeting) for name, user in people.items()} == {
        "office": [True] * 5, "chair": [True, True, True, False, True], "secretary": [True] * 5,
        "member": [True, False, False, False, True], "council without a seat": [False] * 5, "unit head": [False] * 5,
        "inactive": [False] * 5}
    assert {name: table(user, ITEM_PERMS, item) for name, user in people.items()} == {
        "office": [False, False, False, False, True, True, False],
        "chair": [True, True, True, False, True, True, True],
        "secretary": [False, False, False, True, True, True, True],
        "member": [False, False, False, False, False, False, True],
        "council without a seat": [False] * 7, "unit head": [False] * 7, "inactive": [False] * 7}


def test_members_see_nothing_of_a_draft_and_the_office_opens_a_consultation(people, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                                   start=False)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.DRAFT)
    meeting = Meeting.objects.select_related("chair", "secretary").get(pk=meeting.pk)
    assert [people["member"].has_perm("councils.view_meeting", meeting), people["office"].has_perm("councils.view_meeting", meeting)] == [
        False, True]
    item = AgendaItem.objects.select_related("meeting__chair", "meeting__secretary").get(pk=item.pk)
    assert [people[n].has_perm("councils.open_vote", item) for n in ("office", "chair", "secretary")] == [True, False, True]
    assert [people[n].has_perm("councils.start_meeting", meeting) for n in ("office", "chair")] == [True, False]
