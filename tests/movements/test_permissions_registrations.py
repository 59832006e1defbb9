"""Registration pages by role, with another unit's registration present (the data that could leak)."""

import pytest
from django.urls import reverse

from movements.models import Registration, RegistrationWindow
from tests.factories import UserFactory
from tests.factories.movements import (
    RegisteredInitiativeFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
    RegistrationWindowFactory,
    title,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def window(db):
    return RegistrationWindowFactory(year=2026)


@pytest.fixture
def own(window, unit_a, person_a):
    registration = RegistrationFactory(window=window, unit=unit_a, unit_title=title("TTLDTT"))
    RegistrationEntryFactory(registration=registration, person=person_a, title=title("LDTT"))
    return registration


@pytest.fixture
def other(window, unit_b, person_b):
    """Unit B's submitted registration: Lê Văn Bảo for CSTĐCS and an initiative."""
    registration = RegistrationFactory(window=window, unit=unit_b, unit_title=title("TTLDXS"), state="submitted")
    RegistrationEntryFactory(registration=registration, person=person_b, title=title("CSTDCS"))
    RegisteredInitiativeFactory(registration=registration, title="Bí mật của đơn vị B", owner=person_b)
    return registration


@pytest.fixture
def council_user(db):
    return UserFactory(role="council")


@pytest.mark.parametrize("name", ["registration_detail", "registration_edit", "registration_submit", "registration_export",
                                  "initiative_add", "registration_return", "registration_approve"])
def test_unit_head_cannot_reach_another_units_registration(client, head_a, own, other, name):
    client.force_login(head_a)
    url = reverse(f"movements:{name}", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"unit_title": title("LDTT").pk, f"person_{other.entries.get().person_id}": "",
                             "title": "X", "owner": other.entries.get().person_id, "reason": "x"}).status_code == 404
    other.refresh_from_db()
    assert (other.state, other.unit_title.code, other.entries.count(), other.initiatives.count()) == ("submitted", "TTLDXS", 1, 1)


def test_unit_head_cannot_remove_another_units_initiative(client, head_a, other):
    client.force_login(head_a)
    initiative = other.initiatives.get()
    url = reverse("movements:initiative_remove", args=[other.pk, initiative.pk])
    assert client.post(url).status_code == 404
    assert other.initiatives.count() == 1


def test_unit_head_cannot_start_a_registration_for_another_unit(client, head_a, window, unit_b):
    client.force_login(head_a)
    client.post(reverse("movements:registration_start", args=[window.year]), {"unit": unit_b.pk})
    assert not Registration.objects.filter(unit=unit_b).exists()
    assert Registration.objects.get().unit == head_a.unit  # the unit field is ignored: own unit only


def test_unit_head_is_sent_to_own_registration_and_never_sees_the_overview(client, head_a, own, other, window):
    client.force_login(head_a)
    response = client.get(reverse("movements:registration_window", args=[window.year]))
    assert response["Location"] == reverse("movements:registration_detail", args=[own.pk])
    assert client.get(reverse("movements:registration_rollup_export", args=[window.year])).status_code == 403
    body = client.get(reverse("movements:registration_windows")).content.decode()
    assert "Chưa gửi" in body and "Chờ duyệt" not in body  # own state only
    body = client.get(reverse("movements:registration_detail", args=[own.pk])).content.decode()
    assert "Trần Thị Ánh" in body and "Lê Văn Bảo" not in body and "Bí mật của đơn vị B" not in body


def test_unit_head_without_registration_sees_the_start_page(client, head_a, other, window):
    client.force_login(head_a)
    body = client.get(reverse("movements:registration_window", args=[window.year])).content.decode()
    assert "Đơn vị chưa lập phiếu đăng ký cho năm này." in body
    assert "Lê Văn Bảo" not in body


def test_unit_head_cannot_review_own_registration(client, head_a, own):
    own.state = "submitted"
    own.save()
    client.force_login(head_a)
    for name in ("registration_approve", "registration_return"):
        url = reverse(f"movements:{name}", args=[own.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "Tự duyệt"}).status_code == 403
    own.refresh_from_db()
    assert own.state == "submitted"


def test_unit_head_cannot_manage_windows(client, head_a, window):
    client.force_login(head_a)
    assert client.get(reverse("movements:registration_window_create")).status_code == 403
    assert client.post(reverse("movements:registration_window_edit", args=[window.year]),
                       {"opens_on": "01/01/2026", "closes_on": "02/01/2026"}).status_code == 403
    window.refresh_from_db()
    assert window.closes_on != window.opens_on


def test_unit_head_edits_and_submits_own_registration(client, head_a, own, person_a):
    client.force_login(head_a)
    response = client.post(reverse("movements:registration_edit", args=[own.pk]), {
        "unit_title": title("TTLDXS").pk, f"person_{person_a.pk}": title("CSTDCS").pk, "note": ""})
    assert response.status_code == 302
    assert client.post(reverse("movements:registration_submit", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert (own.state, own.unit_title.code, own.entries.get().title.code) == ("submitted", "TTLDXS", "CSTDCS")


def test_late_submission_page_shows_the_message(client, head_a, own):
    import datetime

    RegistrationWindow.objects.filter(pk=own.window_id).update(
        opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 1, 31))
    client.force_login(head_a)
    body = client.get(reverse("movements:registration_detail", args=[own.pk])).content.decode()
    assert "Đã hết hạn đăng ký thi đua năm 2026 (hạn cuối ngày 31/01/2026): đơn vị không thể gửi phiếu đăng ký." in body
    response = client.post(reverse("movements:registration_submit", args=[own.pk]), follow=True)
    assert "Đã hết hạn đăng ký thi đua năm 2026" in response.content.decode()
    own.refresh_from_db()
    assert own.state == "draft"


def test_office_sees_every_unit_and_reviews(client, office_user, own, other):
    client.force_login(office_user)
    body = client.get(reverse("movements:registration_window", args=[other.window.year])).content.decode()
    assert "Phòng Quản lý khoa học" in body and "Trung tâm Ứng dụng" in body
    url = reverse("movements:registration_return", args=[other.pk])
    response = client.post(url, {"reason": ""})
    assert "Trường này là bắt buộc." in response.content.decode()
    assert client.post(url, {"reason": "Thiếu minh chứng sáng kiến"}).status_code == 302
    other.refresh_from_db()
    assert (other.state, other.return_reason) == ("returned", "Thiếu minh chứng sáng kiến")


def test_council_reads_but_cannot_change(client, council_user, own, other):
    client.force_login(council_user)
    assert client.get(reverse("movements:registration_window", args=[own.window.year])).status_code == 200
    assert client.get(reverse("movements:registration_detail", args=[other.pk])).status_code == 200
    assert client.get(reverse("movements:registration_edit", args=[own.pk])).status_code == 403
    assert client.post(reverse("movements:registration_approve", args=[other.pk])).status_code == 403
    assert client.post(reverse("movements:registration_start", args=[own.window.year]), {"unit": own.unit_id}).status_code == 403
    other.refresh_from_db()
    assert other.state == "submitted"
