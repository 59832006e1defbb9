"""Registration deadline reminders (issue 13) with a fixed clock: one per unit and threshold, only to the units whose
registration is not sent."""

import datetime
import zoneinfo

import pytest

from movements.reminders import registration_reminders
from tdkt.enums import NotificationKind
from tdkt.models import Notification
from tests.factories import UnitUserFactory
from tests.factories.movements import RegistrationFactory, RegistrationWindowFactory

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day):
    return datetime.datetime(2026, 2, day, 9, 0, tzinfo=HANOI)


def test_one_reminder_per_unit_and_threshold_only_to_units_that_have_not_sent(unit_a, unit_b):
    window = RegistrationWindowFactory(year=2026, opens_on=datetime.date(2026, 1, 5), closes_on=datetime.date(2026, 2, 20))
    RegistrationFactory(window=window, unit=unit_a, state="returned")
    RegistrationFactory(window=window, unit=unit_b, state="submitted")
    head_a, head_b = UnitUserFactory(unit=unit_a), UnitUserFactory(unit=unit_b)
    runs = [registration_reminders(now=at(day)) for day in (12, 13, 13, 17, 19, 20, 21)]
    assert runs == [0, 1, 0, 0, 1, 0, 0]
    assert list(Notification.objects.filter(recipient=head_a).order_by("pk").values_list("kind", "key", "text")) == [
        (NotificationKind.DEADLINE, f"registration:2026:{unit_a.pk}:7",
         "Hạn gửi phiếu đăng ký thi đua năm 2026 là 20/02/2026 (còn 7 ngày): phiếu của đơn vị chưa được gửi."),
        (NotificationKind.DEADLINE, f"registration:2026:{unit_a.pk}:1",
         "Hạn gửi phiếu đăng ký thi đua năm 2026 là 20/02/2026 (còn 1 ngày): phiếu của đơn vị chưa được gửi."),
    ]
    assert not Notification.objects.filter(recipient=head_b).exists()
