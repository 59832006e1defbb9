"""Notifications (issue 13): the inbox, the header's count, e-mail per kind, idempotent keys."""

import pytest
from django.core import mail
from django.urls import reverse

from tdkt.enums import NotificationKind
from tdkt.models import Notification, NotificationPreference
from tdkt.notifications import notify, reminder_threshold, unread_count
from tests.factories import UnitUserFactory, UserFactory

pytestmark = pytest.mark.django_db

K = NotificationKind


@pytest.fixture
def head(unit_a):
    return UnitUserFactory(unit=unit_a, username="truong_qlkh", email="qlkh@example.gov.vn", full_name="Trưởng phòng QLKH")


def test_notify_writes_one_row_per_recipient_and_emails_in_vietnamese_with_an_absolute_link(head, settings,
                                                                                            django_capture_on_commit_callbacks):
    settings.TDKT_BASE_URL = "https://tdkt.example.gov.vn"
    other = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[head, head, other], kind=K.NOMINATION_RETURNED, text="Đề nghị bị trả lại. Lý do: thiếu hồ sơ.",
                      link="/de-nghi/5/")
    assert len(rows) == 2
    assert Notification.objects.filter(recipient=head).count() == 1
    assert len(mail.outbox) == 1  # the other account has no address
    message = mail.outbox[0]
    assert message.to == ["qlkh@example.gov.vn"]
    assert message.subject == "[TĐKT] Đề nghị bị trả lại"
    assert "Kính gửi Trưởng phòng QLKH," in message.body
    assert "Đề nghị bị trả lại. Lý do: thiếu hồ sơ." in message.body
    assert "Xem chi tiết: https://tdkt.example.gov.vn/de-nghi/5/" in message.body


def test_a_key_makes_a_notification_idempotent_and_mails_only_once(head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[head], kind=K.DEADLINE, text="Còn 7 ngày.", key="deadline:1:2:7")
        again = notify(recipients=[head], kind=K.DEADLINE, text="Còn 7 ngày.", key="deadline:1:2:7")
    assert (len(first), len(again)) == (1, 0)
    assert Notification.objects.filter(recipient=head, key="deadline:1:2:7").count() == 1
    assert len(mail.outbox) == 1


def test_the_database_keeps_one_row_per_recipient_and_key(head):
    from django.db import IntegrityError, transaction

    Notification.objects.create(recipient=head, kind=K.DEADLINE, text="a", key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=head, kind=K.DEADLINE, text="b", key="k")
    Notification.objects.create(recipient=head, kind=K.DEADLINE, text="c")  # no key: no limit
    Notification.objects.create(recipient=head, kind=K.DEADLINE, text="d")


def test_email_off_for_a_kind_keeps_the_inbox(head, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=head, kind=K.ROUND_OPENED, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[head], kind=K.ROUND_OPENED, text="Mở đợt.")
        notify(recipients=[head], kind=K.NOMINATION_FAILED, text="Không đạt.")
    assert Notification.objects.filter(recipient=head).count() == 2
    assert [m.subject for m in mail.outbox] == ["[TĐKT] Đề nghị thẩm định không đạt"]


def test_an_inactive_account_gets_nothing(head):
    head.is_active = False
    head.save()
    assert notify(recipients=[head], kind=K.ROUND_OPENED, text="Mở đợt.") == []


@pytest.mark.parametrize(("days", "threshold"), [(9, None), (8, None), (7, 7), (5, 7), (2, 7), (1, 1), (0, 1), (-1, None)])
def test_reminder_thresholds(days, threshold):
    assert reminder_threshold(days) == threshold


# ---------------------------------------------------------------- the inbox

def test_the_inbox_lists_only_my_notifications_newest_first_paginated(client, head, unit_b):
    other = UnitUserFactory(unit=unit_b)
    Notification.objects.create(recipient=other, kind=K.NOMINATION_RETURNED, text="Bí mật của đơn vị B")
    for i in range(27):
        Notification.objects.create(recipient=head, kind=K.ROUND_OPENED, text=f"Thông báo số {i}")
    client.force_login(head)
    page = client.get(reverse("inbox"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bí mật của đơn vị B" not in body
    assert body.count('class="inbox-item unread"') == 25
    assert body.index("Thông báo số 26") < body.index("Thông báo số 25")
    assert "27 thông báo chưa đọc" in body
    second = client.get(reverse("inbox") + "?page=2").content.decode()
    assert "Thông báo số 1<" in second and "Thông báo số 0<" in second and "Thông báo số 2<" not in second


def test_open_marks_read_and_goes_to_the_link_mark_all_read(client, head):
    first = Notification.objects.create(recipient=head, kind=K.NOMINATION_RETURNED, text="a", link="/de-nghi/")
    second = Notification.objects.create(recipient=head, kind=K.NOMINATION_RETURNED, text="b", link="https://evil.example/")
    Notification.objects.create(recipient=head, kind=K.NOMINATION_RETURNED, text="c")
    client.force_login(head)
    assert client.get(reverse("inbox_open", args=[first.pk])).status_code == 405
    response = client.post(reverse("inbox_open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/de-nghi/"
    response = client.post(reverse("inbox_open", args=[second.pk]))
    assert response["Location"] == reverse("inbox")  # only a path of this site
    assert unread_count(head) == 1
    client.post(reverse("inbox_mark_all_read"))  # without the page's confirmation: nothing changes
    assert unread_count(head) == 1
    response = client.post(reverse("inbox_mark_all_read"), {"confirm": "1"})
    assert response.status_code == 302
    assert unread_count(head) == 0


def test_nobody_opens_or_marks_another_users_notification(client, head, unit_b):
    other = UnitUserFactory(unit=unit_b)
    theirs = Notification.objects.create(recipient=other, kind=K.NOMINATION_RETURNED, text="b")
    client.force_login(head)
    assert client.post(reverse("inbox_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("inbox_mark_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("inbox_mark_all_read"), {"confirm": "1"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_shows_the_unread_count_in_one_query(client, head, django_assert_num_queries):
    from django.test import RequestFactory

    from tdkt.context_processors import unread_notifications

    for _ in range(3):
        Notification.objects.create(recipient=head, kind=K.ROUND_OPENED, text="x")
    Notification.objects.create(recipient=head, kind=K.ROUND_OPENED, text="y", read_at="2026-01-01T00:00:00Z")
    request = RequestFactory().get("/")
    request.user = head
    count = unread_notifications(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert count() == 3
    client.force_login(head)
    body = client.get(reverse("inbox")).content.decode()
    assert '<span class="count" aria-label="3 chưa đọc">3</span>' in body


def test_preferences_turn_email_off_per_kind(client, head):
    client.force_login(head)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert page.count('type="checkbox" name="email"') == len(K.values)
    client.post(reverse("notification_preferences"), {})  # an empty POST changes nothing
    assert not NotificationPreference.objects.filter(user=head).exists()
    response = client.post(reverse("notification_preferences"),
                           {"form": "preferences", "email": [K.DEADLINE, K.NOMINATION_RETURNED, "khong-co"]})
    assert response.status_code == 302
    off = set(NotificationPreference.objects.filter(user=head, email=False).values_list("kind", flat=True))
    assert off == set(K.values) - {K.DEADLINE, K.NOMINATION_RETURNED}
