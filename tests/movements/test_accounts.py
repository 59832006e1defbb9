"""A unit's accounts on the unit page (polish, issue 13): the office creates, sends links, deactivates; nobody else."""

import pytest
from django.core import mail
from django.urls import reverse

from tdkt.models import User
from tests.factories import UnitUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_b(unit_b):
    return UnitUserFactory(unit=unit_b, username="truong_ttud", email="ttud@example.test")


def test_unit_page_lists_only_that_units_accounts_to_the_office(client, office_user, head_a, head_b, unit_a):
    client.force_login(office_user)
    page = client.get(reverse("movements:unit_detail", args=[unit_a.pk])).content.decode()
    assert "Tài khoản đăng nhập của đơn vị" in page
    assert "truong_qlkh" in page and "truong_ttud" not in page
    assert reverse("movements:account_toggle_active", args=[head_a.pk]) in page


def test_unit_head_sees_no_account_section(client, head_a, unit_a):
    client.force_login(head_a)
    page = client.get(reverse("movements:unit_detail", args=[unit_a.pk])).content.decode()
    assert "Tài khoản đăng nhập của đơn vị" not in page


def test_office_creates_an_account_and_the_user_gets_the_link(client, office_user, unit_a, django_capture_on_commit_callbacks):
    client.force_login(office_user)
    url = reverse("movements:account_create", args=[unit_a.pk])
    assert "Tạo tài khoản cho Phòng Quản lý khoa học" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"username": "qlkh.vanthu", "full_name": "Phạm  Thị Thu", "email": "thu@example.test"})
    assert response.status_code == 302
    assert response.url == reverse("movements:unit_detail", args=[unit_a.pk]) + "#tai-khoan"
    account = User.objects.get(username="qlkh.vanthu")
    assert (account.full_name, account.role, account.unit_id) == ("Phạm Thị Thu", "unit", unit_a.pk)
    assert [m.to for m in mail.outbox] == [["thu@example.test"]]
    assert "http://testserver/dat-mat-khau/" in mail.outbox[0].body


def test_bad_username_is_refused_with_a_vietnamese_message(client, office_user, unit_a):
    client.force_login(office_user)
    response = client.post(reverse("movements:account_create", args=[unit_a.pk]),
                           {"username": "văn thư", "full_name": "A", "email": "a@example.test"})
    assert response.status_code == 200
    assert "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ -" in response.content.decode()
    assert not User.objects.filter(full_name="A").exists()


def test_deactivation_asks_for_confirmation_and_a_reason(client, office_user, head_a):
    client.force_login(office_user)
    url = reverse("movements:account_toggle_active", args=[head_a.pk])
    page = client.get(url).content.decode()
    assert "Ngừng tài khoản truong_qlkh" in page and "Lý do" in page
    head_a.refresh_from_db()
    assert head_a.is_active is True
    assert client.post(url, {"reason": ""}).status_code == 200
    head_a.refresh_from_db()
    assert head_a.is_active is True
    response = client.post(url, {"reason": "Nghỉ hưu"})
    assert response.status_code == 302
    head_a.refresh_from_db()
    assert head_a.is_active is False
    # and back
    client.post(url)
    head_a.refresh_from_db()
    assert head_a.is_active is True


def test_send_link_confirms_then_mails(client, office_user, head_b, django_capture_on_commit_callbacks):
    client.force_login(office_user)
    url = reverse("movements:account_send_link", args=[head_b.pk])
    assert "ttud@example.test" in client.get(url).content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert [m.to for m in mail.outbox] == [["ttud@example.test"]]


@pytest.mark.parametrize("who", ["head_a", "council"])
def test_other_roles_are_refused_everywhere(client, who, head_a, head_b, unit_b, office_user):
    client.force_login(head_a if who == "head_a" else UserFactory(role="council"))
    for url in (reverse("movements:account_create", args=[unit_b.pk]), reverse("movements:account_send_link", args=[head_b.pk]),
                reverse("movements:account_toggle_active", args=[head_b.pk]),
                reverse("movements:account_toggle_active", args=[head_a.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", "username": "moi", "full_name": "M", "email": "m@example.test"}).status_code == 403
    head_b.refresh_from_db()
    assert head_b.is_active is True and not User.objects.filter(username="moi").exists() and mail.outbox == []


def test_office_cannot_reach_an_office_account_through_these_pages(client, office_user):
    client.force_login(office_user)
    assert client.get(reverse("movements:account_toggle_active", args=[office_user.pk])).status_code == 404
