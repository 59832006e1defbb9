"""The two workflows of the nominations app on the one mechanism (``tdkt.workflow``): a move writes one
transition audit event per object (from, to, reason) and emits one ``transition_committed`` per object,
only after the commit; a rolled-back move leaves neither. ``available()`` gives each role its buttons."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nominations import services
from nominations.enums import NominationState, RoundStatus
from nominations.models import AwardRecord, Nomination, NominationRound
from nominations.workflows import NOMINATION_WORKFLOW, ROUND_WORKFLOW
from tdkt.events import transition_committed
from tdkt.models import AuditEvent
from tests.factories import UnitUserFactory
from tests.factories.nominations import NominationFactory, staff, title

pytestmark = pytest.mark.integration

S = NominationState


@pytest.fixture
def received():
    """Every ``transition_committed`` sent during the test: ``(sender, workflow, pk, from, to, audit event pk)``."""
    calls = []

    def receiver(sender, *, workflow, instance, from_state, to_state, event, **kwargs):
        calls.append((sender, workflow, instance.pk, from_state, to_state, event.pk))

    transition_committed.connect(receiver, weak=False, dispatch_uid="test_workflows")
    yield calls
    transition_committed.disconnect(dispatch_uid="test_workflows")


def transitions(model_name=None):
    """The transition audit events, oldest first: ``(model, object pk, actor, from, to, reason)``."""
    qs = AuditEvent.objects.filter(action="transition").order_by("id")
    if model_name:
        qs = qs.filter(content_type__model=model_name)
    return [(e.content_type.model, int(e.object_id), e.actor_id, e.from_state, e.to_state, e.reason) for e in qs]


def nominate(head, nomination_round, unit, n=1):
    return [services.nomination_create(actor=head, nomination_round=nomination_round, unit=unit, person=person, title=title("LDTT"))
            for person in staff(unit, n)]


# ---------------------------------------------------------------- the round workflow

def test_a_round_move_writes_one_audit_event_and_emits_once_after_the_commit(office_user, round_2025, received,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.round_set_status(actor=office_user, nomination_round=round_2025, status=RoundStatus.CLOSED,
                                  reason="Hết hạn nhận hồ sơ")
        assert received == []  # not before the commit
    assert len(callbacks) == 1
    assert transitions() == [("nominationround", round_2025.pk, office_user.pk, "open", "closed", "Hết hạn nhận hồ sơ")]
    event = AuditEvent.objects.get(action="transition")
    assert received == [(NominationRound, "nomination_round", round_2025.pk, "open", "closed", event.pk)]
    round_2025.refresh_from_db()
    assert round_2025.status == RoundStatus.CLOSED


def test_a_rolled_back_round_move_leaves_no_audit_event_and_emits_nothing(office_user, round_2025, received,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.round_set_status(actor=office_user, nomination_round=round_2025, status=RoundStatus.CLOSED)
            raise RuntimeError("the surrounding transaction fails")
    assert (callbacks, received, transitions()) == ([], [], [])
    round_2025.refresh_from_db()
    assert round_2025.status == RoundStatus.OPEN


def test_a_refused_round_move_emits_nothing(office_user, round_2025, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as exc:
            services.round_set_status(actor=office_user, nomination_round=round_2025, status=RoundStatus.DECIDED)
    assert exc.value.messages == ["Không chuyển được đợt đề nghị từ “Đang nhận hồ sơ” sang “Đã có quyết định”."]
    assert (callbacks, received, transitions()) == ([], [], [])


def test_round_moves_available_to_the_office_only(office_user, head_a, council_user, round_2025):
    assert [(m.target, str(m.label)) for m in ROUND_WORKFLOW.available(office_user, round_2025)] == [("closed", "Đã đóng")]
    round_2025.status = RoundStatus.CLOSED
    assert [m.target for m in ROUND_WORKFLOW.available(office_user, round_2025)] == ["at_council", "open"]
    round_2025.status = RoundStatus.AT_COUNCIL
    assert [m.target for m in ROUND_WORKFLOW.available(office_user, round_2025)] == ["closed", "decided"]
    round_2025.status = RoundStatus.DECIDED
    assert ROUND_WORKFLOW.available(office_user, round_2025) == []
    round_2025.status = RoundStatus.OPEN
    assert ROUND_WORKFLOW.available(head_a, round_2025) == []
    assert ROUND_WORKFLOW.available(council_user, round_2025) == []


# ---------------------------------------------------------------- the nomination workflow

def test_sending_writes_one_audit_event_per_nomination_and_emits_once_each_after_the_commit(
        head_a, round_2025, unit_a, received, django_capture_on_commit_callbacks):
    first, second = nominate(head_a, round_2025, unit_a, 2)
    services.submission_update(actor=head_a, submission=first.submission, memo_number="12/TTr-QLKH",
                               memo_date=datetime.date(2025, 12, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.submission_submit(actor=head_a, submission=first.submission)
        assert received == []
    assert len(callbacks) == 2
    assert transitions("nomination") == [("nomination", first.pk, head_a.pk, "draft", "submitted", ""),
                                         ("nomination", second.pk, head_a.pk, "draft", "submitted", "")]
    events = list(AuditEvent.objects.filter(action="transition", content_type__model="nomination").order_by("id")
                  .values_list("pk", flat=True))
    assert received == [(Nomination, "nomination", first.pk, "draft", "submitted", events[0]),
                        (Nomination, "nomination", second.pk, "draft", "submitted", events[1])]


def test_a_move_with_a_reason_records_it_on_the_event_and_the_nomination(head_a, office_user, round_2025, unit_a, received,
                                                                         django_capture_on_commit_callbacks):
    [nomination] = nominate(head_a, round_2025, unit_a)
    services.nomination_submit(actor=head_a, nomination=nomination)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_return(actor=office_user, nomination=nomination, reason="Thiếu báo cáo thành tích")
    assert transitions("nomination")[-1] == ("nomination", nomination.pk, office_user.pk, "submitted", "returned",
                                             "Thiếu báo cáo thành tích")
    assert [(sender, workflow, pk, a, b) for sender, workflow, pk, a, b, _event in received] == [
        (Nomination, "nomination", nomination.pk, "submitted", "returned")]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.last_reason) == (S.RETURNED, "Thiếu báo cáo thành tích")


def test_the_decided_step_records_the_award_and_emits_one_event(office_user, sub_a, received, django_capture_on_commit_callbacks):
    nomination = NominationFactory(submission=sub_a, state=S.COUNCIL_PASSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nominations_decide(actor=office_user, nominations=[nomination], decision_number="05/QĐ-SKHCN",
                                    decision_date=datetime.date(2026, 1, 5), issuer="Giám đốc Sở")
    assert transitions() == [("nomination", nomination.pk, office_user.pk, "council_passed", "decided", "")]
    assert [(pk, a, b) for _s, _w, pk, a, b, _e in received] == [(nomination.pk, "council_passed", "decided")]
    assert AwardRecord.objects.get(nomination=nomination).decision_number == "05/QĐ-SKHCN"


def test_a_refused_list_moves_none_writes_no_audit_event_and_emits_nothing(head_a, office_user, round_2025, unit_a, received,
                                                                           django_capture_on_commit_callbacks):
    nominations = nominate(head_a, round_2025, unit_a, 2)
    for n in nominations:
        services.nomination_submit(actor=head_a, nomination=n)
    services.nomination_return(actor=office_user, nomination=nominations[1], reason="Thiếu hồ sơ")
    before = transitions()
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as exc:
            services.nominations_bulk_transition(actor=office_user, nominations=nominations, to_state=S.VETTED_PASS)
    assert exc.value.messages == [f"{nominations[1]}: không chuyển được từ “Trả lại” sang “Thẩm định đạt”."]
    assert (callbacks, received, transitions()) == ([], [], before)
    assert list(Nomination.objects.order_by("pk").values_list("state", flat=True)) == [S.SUBMITTED, S.RETURNED]


def test_a_rolled_back_nomination_move_leaves_no_audit_event_and_emits_nothing(head_a, round_2025, unit_a, received,
                                                                               django_capture_on_commit_callbacks):
    [nomination] = nominate(head_a, round_2025, unit_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.nomination_submit(actor=head_a, nomination=nomination)
            raise RuntimeError("the surrounding transaction fails")
    assert (callbacks, received, transitions()) == ([], [], [])
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT


def test_nomination_moves_available_to_each_role(office_user, head_a, council_user, sub_a, unit_b):
    head_b = UnitUserFactory(unit=unit_b)
    nomination = NominationFactory(submission=sub_a)

    def moves(user):
        return [(m.target, str(m.label), m.danger) for m in NOMINATION_WORKFLOW.available(user, nomination)]

    assert moves(office_user) == moves(head_a) == [("submitted", "Gửi", False)]
    assert moves(head_b) == moves(council_user) == []
    nomination.state = S.SUBMITTED
    assert moves(office_user) == [("vetted_pass", "Thẩm định đạt", False), ("vetted_fail", "Thẩm định không đạt", True),
                                  ("returned", "Trả lại", True)]
    assert moves(head_a) == moves(council_user) == []
    nomination.state = S.RETURNED
    assert moves(head_a) == moves(office_user) == [("resubmitted", "Gửi lại", False)]
    assert moves(head_b) == []
    nomination.state = S.VETTED_PASS  # the council step (agenda, votes) is no button here: the councils app makes it
    assert moves(office_user) == [("returned", "Trả lại", True)]
    nomination.state = S.AT_COUNCIL
    assert moves(office_user) == moves(council_user) == []
    nomination.state = S.COUNCIL_REJECTED
    assert moves(office_user) == []
    nomination.state = S.COUNCIL_PASSED  # the decision is issued for a whole list (councils app): no button here
    assert moves(office_user) == []
    nomination.state = S.DECIDED
    assert moves(office_user) == []


def test_the_council_step_is_made_only_through_the_councils_service(office_user, council_user, sub_a, received,
                                                                     django_capture_on_commit_callbacks):
    """“Đưa ra Hội đồng”, “Hội đồng thông qua / không thông qua”, the withdrawal and the re-vote are moves no page offers
    (``manual=False``): the nomination's own services refuse them; ``nominations_council_transition`` (called by the
    councils app) makes them, audited once and emitted after the commit."""
    nomination = NominationFactory(submission=sub_a, state=S.VETTED_PASS)
    council_moves = [m for m in NOMINATION_WORKFLOW.moves if not m.manual]
    assert [(m.source, m.target) for m in council_moves] == [
        ((S.VETTED_PASS,), S.AT_COUNCIL), ((S.AT_COUNCIL,), S.VETTED_PASS), ((S.AT_COUNCIL,), S.COUNCIL_PASSED),
        ((S.AT_COUNCIL,), S.COUNCIL_REJECTED), ((S.COUNCIL_PASSED, S.COUNCIL_REJECTED), S.AT_COUNCIL),
        # the decision step and its revocation (issue 11): made by the councils app's decision services
        ((S.COUNCIL_PASSED, S.VETTED_PASS), S.DECIDED), ((S.DECIDED,), S.COUNCIL_PASSED), ((S.DECIDED,), S.VETTED_PASS)]
    assert not any(NOMINATION_WORKFLOW.may(user, nomination, move) for move in council_moves for user in (office_user, council_user))
    for call in (lambda: services.nomination_transition(actor=office_user, nomination=nomination, to_state=S.AT_COUNCIL),
                 lambda: services.nominations_bulk_transition(actor=office_user, nominations=[nomination], to_state=S.AT_COUNCIL)):
        with pytest.raises(PermissionDenied):
            call()
    assert (Nomination.objects.get(pk=nomination.pk).state, transitions()) == (S.VETTED_PASS, [])
    with django_capture_on_commit_callbacks(execute=True):
        services.nominations_council_transition(actor=council_user, nominations=[nomination], to_state=S.AT_COUNCIL,
                                                reason="Phiên họp số 1")
        services.nominations_council_transition(actor=council_user, nominations=[nomination], to_state=S.COUNCIL_REJECTED,
                                                reason="Đồng ý 5/9: không đạt")
    with pytest.raises(ValidationError) as exc:
        services.nominations_council_transition(actor=council_user, nominations=[nomination], to_state=S.COUNCIL_PASSED)
    assert exc.value.messages == [f"{nomination}: không chuyển được từ “Hội đồng không thông qua” sang “Hội đồng thông qua”."]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.last_reason) == (S.COUNCIL_REJECTED, "Đồng ý 5/9: không đạt")
    assert transitions() == [("nomination", nomination.pk, council_user.pk, "vetted_pass", "at_council", "Phiên họp số 1"),
                             ("nomination", nomination.pk, council_user.pk, "at_council", "council_rejected", "Đồng ý 5/9: không đạt")]
    assert [(a, b) for _s, _w, _pk, a, b, _e in received] == [("vetted_pass", "at_council"), ("at_council", "council_rejected")]
    head = UnitUserFactory(unit=sub_a.unit)
    with pytest.raises(PermissionDenied):
        services.nominations_council_transition(actor=head, nominations=[nomination], to_state=S.AT_COUNCIL)
