"""The meeting and agenda-item workflows on the one mechanism (councils/workflows.py): each move audits once and emits
``transition_committed`` once after the commit (the nomination's own move too, when a close moves it), nothing on a
rollback; ``available()`` gives each seat its buttons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from councils import services
from councils.enums import Choice, ItemState, MeetingState, Outcome
from councils.models import AgendaItem, Meeting
from councils.workflows import ITEM_WORKFLOW, MEETING_WORKFLOW
from nominations.enums import NominationState
from nominations.models import Nomination
from tdkt.events import transition_committed
from tdkt.models import AuditEvent
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import MEETING_DAY, consultation, present, rule_for, sitting, vetted
from tests.factories.nominations import title

pytestmark = pytest.mark.integration


@pytest.fixture
def received():
    calls = []

    def receiver(sender, *, workflow, instance, from_state, to_state, event, **kwargs):
        calls.append((workflow, instance.pk, from_state, to_state))

    transition_committed.connect(receiver, weak=False, dispatch_uid="test_councils_workflows")
    yield calls
    transition_committed.disconnect(dispatch_uid="test_councils_workflows")


def transitions(model):
    return [(int(e.object_id), e.actor_id, e.from_state, e.to_state, e.reason)
            for e in AuditEvent.objects.filter(action="transition", content_type__model=model).order_by("id")]


@pytest.fixture
def prepared(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting = services.meeting_create(actor=office, council=council, kind="sitting", title="Phiên họp cuối năm", date=MEETING_DAY,
                                      chair=seats[0], secretary=secretary, start_time="08:00", place="Hội trường")
    return meeting, seats, secretary


def test_calling_a_meeting_audits_once_and_emits_after_the_commit(office, prepared, received, django_capture_on_commit_callbacks):
    meeting, _seats, _secretary = prepared
    with pytest.raises(ValidationError) as exc:
        services.meeting_schedule(actor=office, meeting=meeting)
    assert exc.value.messages == ["Chương trình phiên họp chưa có nội dung nào: hãy đưa các đề nghị đã thẩm định đạt vào trước."]
    services.agenda_add(actor=office, meeting=meeting, nominations=vetted(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.meeting_schedule(actor=office, meeting=meeting)
        assert [c for c in received if c[0] == "councils.meeting"] == []
    assert len(callbacks) == 1
    assert transitions("meeting") == [(meeting.pk, office.pk, "draft", "scheduled", "")]
    assert [c for c in received if c[0] == "councils.meeting"] == [("councils.meeting", meeting.pk, "draft", "scheduled")]


def test_a_rolled_back_close_leaves_no_trace(office, council9, received, django_capture_on_commit_callbacks):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[item])
    before = (len(received), AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.voting_close(actor=seats[0].user, items=[item])
            raise RuntimeError("the surrounding transaction fails")
    assert (callbacks, len(received), AuditEvent.objects.count()) == ([], before[0], before[1])
    assert (AgendaItem.objects.get(pk=item.pk).state, Nomination.objects.get(pk=item.nomination_id).state) == (
        ItemState.VOTING, NominationState.AT_COUNCIL)


def test_closing_an_item_moves_its_nomination_in_the_same_transaction_each_emitted_once(office, council9, received,
                                                                                      django_capture_on_commit_callbacks):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base="present", threshold=50)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[item])
    for seat in seats:
        services.vote_cast(actor=seat.user, item=item, choice=Choice.YES)
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.voting_close(actor=seats[0].user, items=[item])
    assert len(callbacks) == 2
    # the nomination's move is made inside the item's (its after_save hook), so it is queued first
    assert received == [("nomination", item.nomination_id, "at_council", "council_passed"),
                        ("councils.agenda_item", item.pk, "voting", "closed")]
    assert transitions("agendaitem")[-1] == (item.pk, seats[0].user.pk, "voting", "closed", "")
    event = AuditEvent.objects.filter(action="transition", content_type__model="agendaitem").order_by("id").last()
    assert event.changes == {"outcome": ["", Outcome.PASSED]}
    assert transitions("nomination")[-1][1:4] == (seats[0].user.pk, "at_council", "council_passed")


def test_the_buttons_of_each_seat(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats), start=False)
    outsider, head = UserFactory(role="council", password=None), UnitUserFactory(password=None)

    def moves(workflow, user, obj):
        return [m.target for m in workflow.available(user, obj)]

    assert moves(MEETING_WORKFLOW, office, meeting) == [MeetingState.IN_PROGRESS, MeetingState.CANCELLED]
    assert moves(MEETING_WORKFLOW, seats[0].user, meeting) == [MeetingState.IN_PROGRESS]
    # the secretary is the office's clerk (an office account): the office's buttons
    assert moves(MEETING_WORKFLOW, secretary.user, meeting) == [MeetingState.IN_PROGRESS, MeetingState.CANCELLED]
    assert moves(MEETING_WORKFLOW, seats[1].user, meeting) == moves(MEETING_WORKFLOW, outsider, meeting) == []
    assert moves(MEETING_WORKFLOW, head, meeting) == []
    services.meeting_start(actor=seats[0].user, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    item = AgendaItem.objects.select_related("meeting__chair", "meeting__secretary").get(pk=item.pk)
    assert moves(MEETING_WORKFLOW, seats[0].user, meeting) == moves(MEETING_WORKFLOW, office, meeting) == [MeetingState.CLOSED]
    assert moves(ITEM_WORKFLOW, seats[0].user, item) == [ItemState.VOTING, ItemState.DEFERRED]
    assert moves(ITEM_WORKFLOW, secretary.user, item) == [ItemState.CLOSED, ItemState.DEFERRED]  # paper ballots; office
    assert moves(ITEM_WORKFLOW, office, item) == [ItemState.DEFERRED]
    assert moves(ITEM_WORKFLOW, seats[1].user, item) == moves(ITEM_WORKFLOW, head, item) == []


def test_a_written_consultation_opens_every_item_when_the_office_sends_it(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(3),
                                  start=False)
    with pytest.raises(PermissionDenied):
        services.meeting_start(actor=seats[0].user, meeting=meeting)
    services.meeting_start(actor=office, meeting=meeting)
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True)) == {ItemState.VOTING}
    assert [t[1:4] for t in transitions("agendaitem")] == [(office.pk, "pending", "voting")] * 3


def test_ending_a_meeting_defers_what_was_not_voted_and_refuses_while_a_vote_is_open(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[items[0]])
    with pytest.raises(ValidationError, match="Còn 1 nội dung đang biểu quyết"):
        services.meeting_close(actor=seats[0].user, meeting=meeting)
    services.voting_close(actor=seats[0].user, items=[items[0]])
    with pytest.raises(PermissionDenied):
        services.meeting_close(actor=seats[1].user, meeting=meeting)
    services.meeting_close(actor=seats[0].user, meeting=meeting)
    assert dict(AgendaItem.objects.values_list("pk", "state")) == {items[0].pk: ItemState.CLOSED, items[1].pk: ItemState.DEFERRED}
    assert Nomination.objects.get(pk=items[1].nomination_id).state == NominationState.VETTED_PASS
    assert Meeting.objects.get(pk=meeting.pk).closed_at is not None


def test_cancelling_needs_a_reason_and_gives_the_nominations_back(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             start=False)
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=office, meeting=meeting, reason=" ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do huỷ phiên họp."]}
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=seats[0].user, meeting=meeting, reason="Hoãn")
    services.meeting_cancel(actor=office, meeting=meeting, reason="Chưa đủ hồ sơ")
    assert set(AgendaItem.objects.values_list("state", flat=True)) == {ItemState.DEFERRED}
    assert set(Nomination.objects.values_list("state", flat=True)) == {NominationState.VETTED_PASS}
    assert transitions("meeting")[-1] == (meeting.pk, office.pk, "scheduled", "cancelled", "Chưa đủ hồ sơ")
    # the nominations may go on another agenda
    other = services.meeting_create(actor=office, council=council, kind="sitting", title="Phiên họp bổ sung", date=MEETING_DAY,
                                    chair=seats[0], secretary=secretary, start_time="14:00", place="Hội trường")
    assert len(services.agenda_add(actor=office, meeting=other, nominations=[i.nomination for i in items])) == 2
