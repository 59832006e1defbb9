"""Notifications of the council (issue 13): a meeting called, a vote opened, a written consultation closing. They name
the meeting or the item, never a vote cast, a count or who has answered (a secret ballot stays secret)."""

import datetime

import pytest
from django.utils import timezone

from councils.enums import Choice, VotingBase, VotingMethod
from councils.reminders import consultations_closing
from councils.services import vote_cast, voting_close, voting_open
from tdkt.enums import NotificationKind
from tdkt.models import Notification
from tests.factories.councils import consultation, present, rule_for, sitting, vetted
from tests.factories.nominations import title

pytestmark = pytest.mark.django_db

K = NotificationKind


def kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def test_a_called_meeting_and_an_opened_secret_vote_tell_the_members_and_nothing_of_the_ballot(
        office, council9, django_capture_on_commit_callbacks):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base=VotingBase.PRESENT)
    with django_capture_on_commit_callbacks(execute=True):
        meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                                  statuses=present(seats))
        voting_open(actor=seats[0].user, items=[item])
    with django_capture_on_commit_callbacks(execute=True):
        for seat in seats[:5]:
            vote_cast(actor=seat.user, item=item, choice=Choice.YES)
        for seat in seats[5:]:
            vote_cast(actor=seat.user, item=item, choice=Choice.NO)
        voting_close(actor=seats[0].user, items=[item])
    assert kinds(seats[3].user) == [K.MEETING_SCHEDULED, K.VOTE_OPENED]
    assert kinds(secretary.user) == [K.MEETING_SCHEDULED]  # the secretary has no vote
    called = Notification.objects.filter(recipient=seats[3].user, kind=K.MEETING_SCHEDULED).get()
    assert called.text == "Triệu tập phiên họp Hội đồng “Phiên họp xét khen thưởng”: 08:30 ngày 15/01/2026 tại Phòng họp tầng 3."
    assert called.link == f"/hoi-dong/phien-hop/{meeting.pk}/"
    opened = Notification.objects.filter(recipient=seats[3].user, kind=K.VOTE_OPENED).get()
    assert opened.text == f"Mở biểu quyết tại phiên họp “Phiên họp xét khen thưởng”: {item.nomination}."
    # nothing written after the vote: no count, no choice, no list of who voted
    assert Notification.objects.count() == len(seats) + 1 + len(seats)
    for text in Notification.objects.values_list("text", flat=True):
        assert not any(word in text.lower() for word in ("tán thành", "không tán thành", "phiếu", "đã biểu quyết", "kết quả"))


def test_a_written_consultation_opens_with_one_notice_and_reminds_once_before_its_deadline(office, council9,
                                                                                          django_capture_on_commit_callbacks):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base="all", threshold=50)
    deadline = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        meeting, items = consultation(office=office, council=council, chair=seats[0], secretary=secretary,
                                      nominations=vetted(3), deadline=deadline)
    assert kinds(seats[1].user) == [K.MEETING_SCHEDULED, K.VOTE_OPENED]  # three items opened: one notice
    assert consultations_closing(now=deadline - datetime.timedelta(days=2)) == 0
    assert consultations_closing(now=deadline - datetime.timedelta(hours=20)) == len(seats)
    assert consultations_closing(now=deadline - datetime.timedelta(hours=2)) == 0
    closing = Notification.objects.filter(recipient=seats[1].user, kind=K.CONSULTATION_CLOSING).get()
    assert closing.key == f"consultation-closing:{meeting.pk}"
    assert closing.text.startswith("Lấy ý kiến bằng văn bản “Lấy ý kiến bằng văn bản” kết thúc lúc ")
    assert not Notification.objects.filter(recipient=secretary.user, kind=K.CONSULTATION_CLOSING).exists()


def test_a_meeting_entered_after_the_fact_leaves_no_stale_notice(office, council9, django_capture_on_commit_callbacks):
    """The events are delivered after the commit: a vote already closed, a meeting already over, is not announced."""
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    with django_capture_on_commit_callbacks(execute=True):
        meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                                  statuses=present(seats))
        voting_open(actor=seats[0].user, items=[item])
        for seat in seats:
            vote_cast(actor=seat.user, item=item, choice=Choice.YES)
        voting_close(actor=seats[0].user, items=[item])
    assert kinds(seats[3].user) == [K.MEETING_SCHEDULED]  # the meeting is still in progress; the vote is over
