"""Deadline reminders (issue 13), run by the task worker's periodic job with a fixed clock: exactly one reminder per
unit, round and threshold (7 days, 1 day), only to the units that still have something to send, naming only their own."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from nominations.enums import NominationState
from nominations.reminders import deadline_reminders
from tdkt.enums import NotificationKind
from tdkt.models import Notification
from tdkt.periodic import run_due_jobs
from tests.factories import UnitUserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime.date(2026, 12, 20)


def at(day, hour=9):
    return datetime.datetime(2026, 12, day, hour, 0, tzinfo=HANOI)


@pytest.fixture
def world(unit_a, unit_b, person_a, person_b):
    nomination_round = RoundFactory(name="Tổng kết năm 2026", year=2026, reference_date=datetime.date(2026, 12, 1), deadline=DEADLINE)
    # unit A: a draft and a returned nomination still to send; unit B: its list sent, nothing left to do
    sub_a = SubmissionFactory(round=nomination_round, unit=unit_a)
    NominationFactory(submission=sub_a, person=person_a, state=NominationState.DRAFT)
    NominationFactory(submission=sub_a, state=NominationState.RETURNED)
    sub_b = SubmissionFactory(round=nomination_round, unit=unit_b, submitted_at=timezone.now())
    NominationFactory(submission=sub_b, person=person_b, state=NominationState.SUBMITTED)
    head_a, head_b = UnitUserFactory(unit=unit_a), UnitUserFactory(unit=unit_b)
    return nomination_round, head_a, head_b


def reminders(user):
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.DEADLINE).order_by("pk")
                .values_list("key", "text"))


def test_one_reminder_per_item_and_threshold_and_none_for_another_unit(world):
    nomination_round, head_a, head_b = world
    key = f"deadline:{nomination_round.pk}:{head_a.unit_id}"
    assert deadline_reminders(now=at(12)) == 0  # 8 days before: nothing yet
    assert deadline_reminders(now=at(13)) == 1  # 7 days before
    assert deadline_reminders(now=at(13, 15)) == 0  # the same day again
    assert deadline_reminders(now=at(16)) == 0  # 4 days before: the 7-day reminder was sent
    assert deadline_reminders(now=at(19)) == 1  # the eve
    assert deadline_reminders(now=at(20)) == 0  # the day itself: the 1-day reminder was sent
    assert deadline_reminders(now=at(21)) == 0  # past the deadline
    assert reminders(head_a) == [
        (f"{key}:7", "Hạn nộp hồ sơ đợt “Tổng kết năm 2026” là 20/12/2026 (còn 7 ngày): 1 đề nghị chưa gửi; "
                     "1 đề nghị bị trả lại chờ gửi lại."),
        (f"{key}:1", "Hạn nộp hồ sơ đợt “Tổng kết năm 2026” là 20/12/2026 (còn 1 ngày): 1 đề nghị chưa gửi; "
                     "1 đề nghị bị trả lại chờ gửi lại."),
    ]
    assert reminders(head_b) == []
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE).count() == 2


def test_a_unit_that_has_sent_nothing_is_reminded_and_a_late_first_run_sends_only_the_due_threshold(world, unit_a):
    from tests.factories import UnitFactory

    idle = UnitFactory(name="Thanh tra Sở", short_code="TTRA")
    head = UnitUserFactory(unit=idle)
    nomination_round = world[0]
    assert deadline_reminders(now=at(20, 8)) == 2  # first run on the day itself: unit A and the idle unit, 1-day only
    assert reminders(head) == [(f"deadline:{nomination_round.pk}:{idle.pk}:1",
                                "Hạn nộp hồ sơ đợt “Tổng kết năm 2026” là 20/12/2026 (hôm nay): đơn vị chưa gửi hồ sơ.")]


def test_the_task_workers_periodic_job_runs_it_once_per_interval(world):
    nomination_round, head_a, head_b = world
    done = run_due_jobs(now=at(13))
    assert done["nominations.deadline_reminders"] == (True, "notifications=1")
    assert "nominations.deadline_reminders" not in run_due_jobs(now=at(13) + datetime.timedelta(minutes=30))
    assert run_due_jobs(now=at(13, 11))["nominations.deadline_reminders"] == (True, "notifications=0")
    assert len(reminders(head_a)) == 1 and reminders(head_b) == []
