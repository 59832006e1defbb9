"""``manage.py close_due_consultations``: the periodic job that computes written consultations at their deadline."""

import datetime
import io

import pytest
from django.core.management import call_command

from councils import periodic as council_jobs
from councils.enums import Choice, MeetingState, Outcome
from councils.models import AgendaItem, Meeting
from councils.services import vote_cast
from nominations.enums import NominationState
from nominations.models import Nomination
from tdkt import periodic
from tests.factories.councils import consultation, rule_for, vetted
from tests.factories.nominations import title

pytestmark = pytest.mark.integration


def test_the_command_closes_what_is_due_and_nothing_else(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), base="all", threshold=50)
    due, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    later, _items = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    for seat in seats[:6]:
        vote_cast(actor=seat.user, item=item, choice=Choice.YES)
    Meeting.objects.filter(pk=due.pk).update(deadline=due.deadline - datetime.timedelta(days=4))
    out = io.StringIO()
    call_command("close_due_consultations", stdout=out)
    assert out.getvalue() == "Đã kết thúc: Lấy ý kiến bằng văn bản (1 nội dung có kết quả).\n1 đợt lấy ý kiến đã kết thúc.\n"
    assert dict(Meeting.objects.values_list("pk", "state")) == {due.pk: MeetingState.CLOSED, later.pk: MeetingState.IN_PROGRESS}
    assert (AgendaItem.objects.get(pk=item.pk).outcome, Nomination.objects.get(pk=item.nomination_id).state) == (
        Outcome.PASSED, NominationState.COUNCIL_PASSED)
    out = io.StringIO()
    call_command("close_due_consultations", stdout=out)
    assert out.getvalue() == "0 đợt lấy ý kiến đã kết thúc.\n"


def test_the_task_worker_runs_it_every_five_minutes():
    job = {job.name: job for job in periodic.jobs()}["councils.close_due_consultations"]
    assert job.every == datetime.timedelta(minutes=5)
    assert job.func is council_jobs.close_due_consultations
