"""Re-judging after history changes (issue 8, item 1): a change of a person's posts after the list was sent is
reported by ``tdkt.events.subject_facts_changed``; the open nominations concerned are judged again and flagged to
the office (“thay đổi sau khi gửi”) when they now break a blocking rule; the flag clears when a later check passes.

The movements side emits the event on its own writes; here the test changes a ``PositionAssignment`` directly and
sends the event itself, inside ``django_capture_on_commit_callbacks(execute=True)`` (the event is sent after commit).
"""

import datetime

import pytest
from django.urls import reverse

from movements.models import PositionAssignment
from nominations import services
from nominations.enums import NominationState
from nominations.facts import OPEN_STATES, flag_set
from nominations.models import Nomination
from tdkt.events import emit_subject_facts_changed
from tdkt.models import AuditEvent
from tests.factories.nominations import NominationFactory, staff, title

pytestmark = pytest.mark.integration

S = NominationState
REF = datetime.date(2025, 12, 15)


def flag_events(nomination):
    return list(AuditEvent.objects.filter(content_type__model="nomination", object_id=str(nomination.pk),
                                          changes__has_key="thay đổi sau khi gửi").order_by("id"))


@pytest.fixture
def sent_list(sub_a):
    """Phòng QLKH sent 2 workers, 1 leader and a person who was no leader on the reference date: 1/4 leaders."""
    workers, leader, other = staff(sub_a.unit, 2), staff(sub_a.unit, 1, leader=True)[0], staff(sub_a.unit, 1)[0]
    nominations = [NominationFactory(submission=sub_a, person=p, title=title("LDTT"), state=S.SUBMITTED)
                   for p in [*workers, leader, other]]
    return nominations, other


def give_back_the_post(person, actor=None):
    """What the issue describes: the post is “put back” after the list was sent (written directly here)."""
    PositionAssignment.objects.filter(person=person).update(is_leadership=True, title="Phó Trưởng phòng")
    emit_subject_facts_changed(sender=PositionAssignment, person_ids={person.pk}, actor=actor, reason="Sửa quá trình công tác")


def test_a_post_given_back_after_sending_flags_the_nomination_that_now_breaks_r1(sent_list, office_user,
                                                                                 django_capture_on_commit_callbacks):
    nominations, other = sent_list
    with django_capture_on_commit_callbacks(execute=True):
        give_back_the_post(other, actor=office_user)
    flagged = Nomination.objects.exclude(facts_flag="")
    assert list(flagged) == [nominations[3]]
    n = flagged.get()
    assert n.facts_flag.startswith("R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là lãnh đạo, "
                                   "quản lý (50,0%) > 40% (tối đa 1 người).")
    assert n.facts_flagged_at is not None
    [event] = flag_events(n)
    assert (event.actor, event.action, event.reason) == (office_user, "update", "Sửa quá trình công tác")
    assert event.changes["thay đổi sau khi gửi"] == [None, n.facts_flag]
    # the same change reported twice: no second flag, no second audit event
    with django_capture_on_commit_callbacks(execute=True):
        emit_subject_facts_changed(sender=PositionAssignment, person_ids={other.pk})
    assert len(flag_events(n)) == 1


def test_the_flag_clears_when_a_later_check_passes(sent_list, django_capture_on_commit_callbacks):
    nominations, other = sent_list
    with django_capture_on_commit_callbacks(execute=True):
        give_back_the_post(other)
    with django_capture_on_commit_callbacks(execute=True):
        PositionAssignment.objects.filter(person=other).update(is_leadership=False)
        emit_subject_facts_changed(sender=PositionAssignment, person_ids={other.pk}, reason="Sửa lại quá trình công tác")
    n = Nomination.objects.get(pk=nominations[3].pk)
    assert (n.facts_flag, n.facts_flagged_at) == ("", None)
    assert [e.changes["thay đổi sau khi gửi"][1] for e in flag_events(n)] == [flag_events(n)[0].changes["thay đổi sau khi gửi"][1], None]


def test_nothing_is_sent_on_rollback_and_drafts_decided_or_refused_are_not_flagged(sub_a, django_capture_on_commit_callbacks):
    workers = staff(sub_a.unit, 2)
    for p in workers:
        NominationFactory(submission=sub_a, person=p, state=S.SUBMITTED)
    people = staff(sub_a.unit, 3)
    for p, state in zip(people, (S.DRAFT, S.DECIDED, S.VETTED_FAIL), strict=True):
        NominationFactory(submission=sub_a, person=p, state=state)
    with django_capture_on_commit_callbacks(execute=True):
        for p in people:
            give_back_the_post(p)
    assert not Nomination.objects.exclude(facts_flag="").exists()
    assert set(OPEN_STATES) == {S.SUBMITTED, S.RESUBMITTED, S.VETTED_PASS, S.AT_COUNCIL, S.COUNCIL_PASSED}


def test_a_rating_changed_after_sending_flags_r4_and_concerns_only_that_person(sub_a, django_capture_on_commit_callbacks):
    person, other = staff(sub_a.unit, 1)[0], staff(sub_a.unit, 1)[0]
    mine = NominationFactory(submission=sub_a, person=person, state=S.VETTED_PASS)
    NominationFactory(submission=sub_a, person=other, state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        person.ratings.filter(year=2025).update(rating="HTNV")
        emit_subject_facts_changed(sender=PositionAssignment, person_ids={person.pk}, reason="Sửa xếp loại 2025")
    assert list(Nomination.objects.exclude(facts_flag="")) == [mine]
    assert "R4 – Điều kiện danh hiệu, hình thức khen thưởng" in Nomination.objects.get(pk=mine.pk).facts_flag


def test_the_office_sees_the_flag_on_the_page_the_queue_and_the_list_and_filters_on_it(client, office_user, head_a, sent_list,
                                                                                         django_capture_on_commit_callbacks):
    nominations, other = sent_list
    with django_capture_on_commit_callbacks(execute=True):
        give_back_the_post(other)
    client.force_login(office_user)
    for url in (reverse("nominations:nomination_detail", args=[nominations[3].pk]), reverse("nominations:vetting_queue"),
                reverse("nominations:nomination_list")):
        body = client.get(url).content.decode()
        assert "Thay đổi sau khi gửi" in body and "2/4 cá nhân là lãnh đạo, quản lý (50,0%) &gt; 40%" in body, url
    body = client.get(reverse("nominations:nomination_list"), {"flagged": "co"}).content.decode()
    assert other.full_name in body and nominations[0].person.full_name not in body
    body = client.get(reverse("nominations:vetting_queue"), {"flagged": "co"}).content.decode()
    assert "1 đề nghị chờ thẩm định" in body
    client.force_login(head_a)  # the flag is the office's
    assert "Thay đổi sau khi gửi" not in client.get(reverse("nominations:nomination_detail", args=[nominations[3].pk])).content.decode()


def test_a_move_that_judges_every_rule_and_passes_clears_the_flag_and_a_refusal_too(sub_a, office_user):
    passing, refused = (NominationFactory(submission=sub_a, person=p, state=S.SUBMITTED) for p in staff(sub_a.unit, 2))
    for n in (passing, refused):
        flag_set(nomination=n, message="R4 – …", reason="thử")
    services.nomination_vet(actor=office_user, nomination=passing, passed=True)
    services.nomination_vet(actor=office_user, nomination=refused, passed=False, reason="Không đủ thành tích")
    assert list(Nomination.objects.exclude(facts_flag="")) == []
    assert flag_events(passing)[-1].reason == "Kiểm tra lại khi “Thẩm định đạt”: đạt các quy định."
    assert flag_events(refused)[-1].reason == "Đề nghị không được xét tiếp (Thẩm định không đạt)."
