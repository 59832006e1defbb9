"""Notifications of the registration's workflow (issue 13): returned (with the reason) or approved, to the unit's heads."""

import pytest

from movements import services
from tdkt.enums import NotificationKind
from tdkt.models import Notification
from tests.factories import UnitUserFactory
from tests.factories.movements import RegistrationWindowFactory, title

pytestmark = pytest.mark.django_db


def test_returned_then_approved_registration_is_told_to_its_units_heads_only(office_user, unit_a, unit_b, person_a,
                                                                               django_capture_on_commit_callbacks):
    window = RegistrationWindowFactory(year=2026)
    head_a, head_b = UnitUserFactory(unit=unit_a), UnitUserFactory(unit=unit_b)
    registration = services.registration_start(actor=office_user, window=window, unit=unit_a)
    services.registration_save(actor=office_user, registration=registration, unit_title=title("TTLDTT"),
                               titles={person_a: title("LDTT")})
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_submit(registration=registration, actor=head_a)
        services.registration_return(registration=registration, actor=office_user, reason="Sửa danh hiệu tập thể")
        services.registration_submit(registration=registration, actor=head_a)
        services.registration_approve(registration=registration, actor=office_user)
    link = f"/dang-ky/phieu/{registration.pk}/"
    assert list(Notification.objects.filter(recipient=head_a).order_by("pk").values_list("kind", "text", "link")) == [
        (NotificationKind.REGISTRATION_RETURNED,
         "Phiếu đăng ký thi đua năm 2026 của Phòng Quản lý khoa học bị trả lại. Lý do: Sửa danh hiệu tập thể", link),
        (NotificationKind.REGISTRATION_APPROVED, "Phiếu đăng ký thi đua năm 2026 của Phòng Quản lý khoa học đã được duyệt.", link),
    ]
    assert not Notification.objects.filter(recipient__in=[head_b, office_user]).exists()
