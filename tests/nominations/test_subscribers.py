"""Notifications from the nominations app's events (issue 13): who is told, with what — never another unit's data."""

import datetime

import pytest
from django.core import mail

from nominations import services
from nominations.enums import AwardType, NominationState
from tdkt.enums import NotificationKind
from tdkt.models import Notification
from tests.factories import UnitUserFactory
from tests.factories.nominations import NominationFactory

pytestmark = pytest.mark.django_db

S = NominationState


@pytest.fixture
def heads(unit_a, unit_b):
    return (UnitUserFactory(unit=unit_a, email="a@example.gov.vn"), UnitUserFactory(unit=unit_a, email=""),
            UnitUserFactory(unit=unit_b, email="b@example.gov.vn"))


def texts(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "text", "link"))


def test_a_returned_nomination_tells_its_units_heads_with_the_reason(office_user, sub_a, person_a, person_b, sub_b, heads,
                                                                      django_capture_on_commit_callbacks):
    mine = NominationFactory(submission=sub_a, person=person_a, state=S.SUBMITTED)
    NominationFactory(submission=sub_b, person=person_b, state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_transition(actor=office_user, nomination=mine, to_state=S.RETURNED, reason="Thiếu báo cáo thành tích")
    expected = [(NotificationKind.NOMINATION_RETURNED,
                 "Đề nghị “Trần Thị Ánh – Lao động tiên tiến” (đợt “Tổng kết năm 2025”) bị trả lại. Lý do: Thiếu báo cáo thành "
                 "tích. Hãy sửa và gửi lại.", f"/de-nghi/{mine.pk}/")]
    assert texts(heads[0]) == expected
    assert texts(heads[1]) == expected
    assert texts(heads[2]) == []  # another unit's head
    assert texts(office_user) == []
    assert [m.to for m in mail.outbox] == [["a@example.gov.vn"]]
    assert "Lê Văn Bảo" not in mail.outbox[0].body


def test_failed_vetting_tells_the_reason(office_user, sub_a, person_a, heads, django_capture_on_commit_callbacks):
    mine = NominationFactory(submission=sub_a, person=person_a, state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_transition(actor=office_user, nomination=mine, to_state=S.VETTED_FAIL, reason="Không đủ tiêu chuẩn.")
    assert texts(heads[0]) == [(NotificationKind.NOMINATION_FAILED,
                                "Đề nghị “Trần Thị Ánh – Lao động tiên tiến” (đợt “Tổng kết năm 2025”) thẩm định không đạt. "
                                "Lý do: Không đủ tiêu chuẩn.", f"/de-nghi/{mine.pk}/")]
    assert texts(heads[2]) == []


def test_a_decision_tells_the_units_whose_people_are_in_it(office_user, sub_a, person_a, person_b, heads,
                                                           django_capture_on_commit_callbacks):
    # unit A proposed a person who has since moved to unit B: both units' heads hear of the decision
    mine = NominationFactory(submission=sub_a, person=person_b, state=S.COUNCIL_PASSED)
    other = NominationFactory(submission=sub_a, person=person_a, state=S.COUNCIL_PASSED)
    with django_capture_on_commit_callbacks(execute=True):
        # the decision step is the decision services' (councils): the list moves through nominations_decide
        services.nominations_decide(actor=office_user, nominations=[mine], decision_number="12/QĐ-SKHCN",
                                    decision_date=datetime.date(2026, 1, 10), issuer="Giám đốc Sở Khoa học và Công nghệ")
    text = "Đã có quyết định khen thưởng: “Lê Văn Bảo – Lao động tiên tiến” (đợt “Tổng kết năm 2025”) – Quyết định số 12/QĐ-SKHCN."
    assert texts(heads[0]) == [(NotificationKind.DECISION_ISSUED, text, f"/de-nghi/{mine.pk}/")]
    assert texts(heads[2]) == [(NotificationKind.DECISION_ISSUED, text, f"/de-nghi/{mine.pk}/")]
    assert Notification.objects.count() == 3  # A's two heads and B's: the other nomination was not decided
    assert other.state == S.COUNCIL_PASSED


def test_a_round_opened_tells_every_units_heads_once(office_user, heads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = services.round_create(actor=office_user, name="Tổng kết năm 2026", kind=AwardType.ANNUAL, year=2026,
                                        reference_date=datetime.date(2026, 12, 15), deadline=datetime.date(2026, 12, 31))
    for head in heads:
        assert texts(head) == [(NotificationKind.ROUND_OPENED,
                                "Mở đợt đề nghị “Tổng kết năm 2026” (năm 2026), hạn nộp hồ sơ: 31/12/2026.",
                                f"/de-nghi/dot/{created.pk}/")]
