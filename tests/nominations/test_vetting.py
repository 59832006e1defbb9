"""Vetting in bulk (issue 13): the page's selection and "all N matching the filter" (re-evaluated when confirmed),
all or nothing with errors naming the nominations, filters kept, the next item after a one-by-one move, and a number of
queries that does not grow with the selection."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nominations.models import Nomination
from tests.factories import DisciplineFactory
from tests.factories.nominations import NominationFactory, SubmissionFactory, staff

pytestmark = pytest.mark.integration

BULK = reverse("nominations:vetting_bulk")
QUEUE = reverse("nominations:vetting_queue")


def text(response):
    return response.content.decode()


def sent(submission, n):
    return [NominationFactory(submission=submission, person=p, state="submitted") for p in staff(submission.unit, n)]


def states(nominations):
    return [Nomination.objects.get(pk=n.pk).state for n in nominations]


def test_all_matching_the_filter_are_counted_confirmed_and_moved_and_the_filter_is_kept(client, office_user, sub_a, sub_b):
    mine, others = sent(sub_a, 3), sent(sub_b, 2)
    client.force_login(office_user)
    query = urlencode({"unit": sub_a.unit_id})
    page = text(client.get(QUEUE, {"unit": sub_a.unit_id}))
    assert "Cả 3 đề nghị khớp bộ lọc" in page
    assert f'name="query" value="{query}"' in page
    response = client.post(BULK, {"scope": "all", "query": query, "action": "vetted_pass"})
    body = text(response)
    assert "Thẩm định đạt: xác nhận 3 đề nghị" in body
    assert 'name="expected" value="3"' in body
    assert states(mine + others) == ["submitted"] * 5  # nothing moves before the confirmation
    response = client.post(BULK, {"scope": "all", "query": query, "action": "vetted_pass", "confirm": "1", "expected": "3"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?{query}"
    assert states(mine) == ["vetted_pass"] * 3
    assert states(others) == ["submitted"] * 2


def test_the_filter_is_evaluated_again_when_confirmed(client, office_user, sub_a):
    mine = sent(sub_a, 2)
    client.force_login(office_user)
    query = urlencode({"unit": sub_a.unit_id})
    client.post(BULK, {"scope": "all", "query": query, "action": "vetted_pass"})
    late = sent(sub_a, 1)  # arrives between the confirmation page and the click
    response = client.post(BULK, {"scope": "all", "query": query, "action": "vetted_pass", "confirm": "1", "expected": "2"})
    body = text(response)
    assert response.status_code == 200
    assert "Số đề nghị khớp bộ lọc đã thay đổi (2 → 3): hãy xem lại danh sách rồi xác nhận." in body
    assert 'name="expected" value="3"' in body
    assert states(mine + late) == ["submitted"] * 3


def test_selected_ids_stay_within_the_queue_and_the_filter_comes_back(client, office_user, sub_a):
    first, second, draft = *sent(sub_a, 2), NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0])
    client.force_login(office_user)
    query = urlencode({"unit": sub_a.unit_id, "q": "x"})
    response = client.post(BULK, {"ids": [first.pk, draft.pk], "query": query + "&page=2", "action": "returned", "confirm": "1",
                                  "reason": "Bổ sung biên bản"})
    assert response["Location"] == f"{QUEUE}?{query}"  # the filter, not the page number
    assert states([first, second, draft]) == ["returned", "submitted", "draft"]


def test_all_or_nothing_with_the_failing_nomination_named(client, office_user, sub_a):
    good, bad = sent(sub_a, 2)
    DisciplineFactory(person=bad.person, kind="under_review", start_date=datetime.date(2025, 12, 1), end_date=None)
    client.force_login(office_user)
    response = client.post(BULK, {"ids": [good.pk, bad.pk], "action": "vetted_pass", "confirm": "1"})
    body = text(response)
    assert response.status_code == 200
    assert f"{bad.person.full_name} – Lao động tiên tiến: R6 – Tạm dừng xét" in body
    assert good.person.full_name + " – Lao động tiên tiến: R" not in body
    assert states([good, bad]) == ["submitted", "submitted"]


def test_the_confirmation_explains_each_reason_box_it_shows_or_shows_none(client, office_user, sub_a, sub_b):
    nomination = sent(sub_a, 1)[0]
    client.force_login(office_user)
    passing = text(client.post(BULK, {"ids": [nomination.pk], "action": "vetted_pass"}))
    assert "Lý do vượt cảnh báo" not in passing  # no warning to go past: no box
    assert 'name="reason"' not in passing
    twice = NominationFactory(submission=sub_b, person=nomination.person, state="submitted")  # R5: proposed by two units
    passing = text(client.post(BULK, {"ids": [nomination.pk, twice.pk], "action": "vetted_pass"}))
    assert "Lý do vượt cảnh báo" in passing
    assert "Chỉ điền khi phần kiểm tra quy định báo “Cảnh báo”" in passing
    returning = text(client.post(BULK, {"ids": [nomination.pk], "action": "returned"}))
    assert 'name="reason"' in returning
    assert "Bắt buộc: đơn vị đọc được lý do này cùng đề nghị." in returning
    assert "Lý do vượt cảnh báo" not in returning


def test_after_a_one_by_one_move_the_next_item_of_the_filtered_queue_opens(client, office_user, sub_a, sub_b):
    first, second = sent(sub_a, 2)
    sent(sub_b, 1)  # outside the filter
    client.force_login(office_user)
    query = urlencode({"unit": sub_a.unit_id})
    carried = urlencode({"hang-doi": query})
    detail = text(client.get(reverse("nominations:nomination_detail", args=[first.pk]) + "?" + carried))
    transition = reverse("nominations:nomination_transition", args=[first.pk, "vetted_pass"]) + "?" + carried
    assert f'href="{transition.replace("&", "&amp;")}"' in detail
    response = client.post(transition, {})
    assert response["Location"] == reverse("nominations:nomination_detail", args=[second.pk]) + "?" + carried
    response = client.post(reverse("nominations:nomination_transition", args=[second.pk, "vetted_pass"]) + "?" + carried, {})
    assert response["Location"] == f"{QUEUE}?{query}"  # the filtered queue is empty: back to it, filter kept


def test_a_move_outside_the_queue_stays_on_the_nomination(client, office_user, sub_a):
    nomination = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state="vetted_pass")
    client.force_login(office_user)
    response = client.post(reverse("nominations:nomination_transition", args=[nomination.pk, "returned"]), {"reason": "Bổ sung"})
    assert response["Location"] == reverse("nominations:nomination_detail", args=[nomination.pk])


@pytest.mark.parametrize("action", ["vetted_pass", "returned"])
def test_bulk_vetting_reads_the_same_queries_for_2_and_8_nominations(client, office_user, round_2025, action):
    client.force_login(office_user)
    warm, small, big = (sent(SubmissionFactory(round=round_2025), n) for n in (1, 2, 8))
    counts = []
    for batch in (warm, small, big):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(BULK, {"ids": [n.pk for n in batch], "action": action, "confirm": "1", "reason": "Bổ sung"})
        assert response.status_code == 302
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[2]
    assert states(big) == [action] * 8
