"""Polish of the round and person pages (issue 13): the tờ trình's own date and a totals row; the person's
nominations on their way and initiatives."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.nominations import InitiativeFactory, NominationFactory, SubmissionFactory, title

pytestmark = pytest.mark.django_db


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_round_page_shows_memo_date_and_a_totals_row(client, office_user, round_2025, unit_a, unit_b):
    sub_a = SubmissionFactory(round=round_2025, unit=unit_a, memo_number="05/TTr-QLKH", memo_date=datetime.date(2025, 12, 10),
                              submitted_at=timezone.make_aware(datetime.datetime(2025, 12, 12, 9, 0)))
    sub_b = SubmissionFactory(round=round_2025, unit=unit_b)
    NominationFactory(submission=sub_a, state="submitted")
    NominationFactory(submission=sub_a, state="vetted_pass")
    NominationFactory(submission=sub_b, state="returned")
    NominationFactory(submission=sub_b, state="draft")
    client.force_login(office_user)
    text = _text(client.get(reverse("nominations:round_detail", args=[round_2025.pk])).content.decode())
    assert "05/TTr-QLKH ngày 10/12/2025 (gửi 12/12/2025)" in text
    # Tổng cộng | đề nghị | nháp | chờ thẩm định | trả lại | đạt | không đạt | lãnh đạo / cá nhân | tờ trình
    assert "Tổng cộng 4 1 1 1 1 0 0/4 (0,0%) 1 tờ trình đã gửi" in text


def test_person_page_lists_nominations_on_their_way_and_initiatives(client, office_user, person_a, person_b, round_2025):
    sub = SubmissionFactory(round=round_2025, unit=person_a.unit)
    NominationFactory(submission=sub, person=person_a, state="submitted")
    NominationFactory(submission=sub, person=person_a, state="decided", title=title("CSTDCS"))
    InitiativeFactory(person=person_a, title="Số hoá hồ sơ thi đua", year=2025)
    InitiativeFactory(person=person_b, title="Sáng kiến của đơn vị khác")
    client.force_login(office_user)
    body = client.get(reverse("movements:person_detail", args=[person_a.pk])).content.decode()
    assert "Đề nghị khen thưởng đang xử lý" in body
    text = _text(body)
    assert "Tổng kết năm 2025 Lao động tiên tiến Phòng Quản lý khoa học Đã gửi" in text
    assert "Chiến sĩ thi đua cơ sở Phòng Quản lý khoa học Có quyết định" not in text
    assert "Số hoá hồ sơ thi đua" in body and "Sáng kiến của đơn vị khác" not in body


def test_council_sees_no_draft_on_the_person_page(client, council_user, person_a, round_2025):
    sub = SubmissionFactory(round=round_2025, unit=person_a.unit)
    NominationFactory(submission=sub, person=person_a, state="draft")
    client.force_login(council_user)
    body = client.get(reverse("movements:person_detail", args=[person_a.pk])).content.decode()
    assert "Không có đề nghị nào đang xử lý." in body
