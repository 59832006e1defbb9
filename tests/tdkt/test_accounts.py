"""Accounts without the Django admin (polish, issue 13): "Quên mật khẩu" by e-mail, the office's account services,
role changes in the audit trail."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tdkt import services
from tdkt.audit import audit_rows
from tdkt.enums import AuditAction
from tdkt.models import AuditEvent, User
from tests.factories import UnitUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/dat-mat-khau/[^/\s]+/[^/\s]+/)")


def _link(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_login_page_links_to_forgotten_password(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Quên mật khẩu?" in page


def test_forgotten_password_by_email_sets_a_new_password(client, head_a):
    head_a.email = "truong.qlkh@example.test"
    head_a.save()
    response = client.post(reverse("password_reset"), {"email": "TRUONG.QLKH@example.test"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["truong.qlkh@example.test"]
    assert message.subject == "Đặt lại mật khẩu tài khoản TĐKT"
    assert "Có yêu cầu đặt lại mật khẩu cho tài khoản truong_qlkh" in message.body
    link = _link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    head_a.refresh_from_db()
    assert head_a.check_password("Hoa-sen-2026!")
    # the link is used up
    again = client.get(link, follow=True).content.decode()
    assert "Liên kết không còn dùng được" in again


def test_unknown_or_inactive_address_sends_nothing_and_says_the_same(client, head_a):
    head_a.email, head_a.is_active = "ngung@example.test", False
    head_a.save()
    for email in ("khong-co@example.test", "ngung@example.test"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_office_creates_a_unit_account_that_sets_its_own_password(django_capture_on_commit_callbacks, office_user, unit_a):
    with django_capture_on_commit_callbacks(execute=True):
        account = services.account_create(actor=office_user, unit=unit_a, username="qlkh.vanthu", full_name="Phạm Thị Thu",
                                          email="vanthu@example.test", domain="testserver", use_https=False)
    assert (account.role, account.unit_id, account.is_active) == ("unit", unit_a.pk, True)
    assert account.has_usable_password()  # a random one nobody knows: "Quên mật khẩu" works for it too
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Tài khoản TĐKT của bạn: hãy đặt mật khẩu"
    assert "Tên đăng nhập của bạn: qlkh.vanthu." in mail.outbox[0].body
    event = AuditEvent.objects.get(object_id=str(account.pk), content_type__model="user")
    assert (event.actor, event.action, event.changes["role"], event.changes["unit"]) == (
        office_user, AuditAction.CREATE, [None, "unit"], [None, unit_a.name])


def test_account_create_refuses_a_taken_username_and_changes_nothing(office_user, unit_a, head_a):
    with pytest.raises(ValidationError) as exc:
        services.account_create(actor=office_user, unit=unit_a, username="TRUONG_QLKH", full_name="X", email="x@example.test")
    assert exc.value.message_dict == {"username": ["Tên đăng nhập “TRUONG_QLKH” đã có người dùng."]}
    assert User.objects.count() == 2


@pytest.mark.parametrize("maker", ["head", "council"])
def test_only_the_office_manages_accounts(maker, unit_a, head_a):
    actor = head_a if maker == "head" else UserFactory(role="council")
    with pytest.raises(PermissionDenied):
        services.account_create(actor=actor, unit=unit_a, username="moi", full_name="Mới", email="moi@example.test")
    with pytest.raises(PermissionDenied):
        services.account_set_active(actor=actor, account=head_a, active=False, reason="x")
    with pytest.raises(PermissionDenied):
        services.account_send_password_link(actor=actor, account=head_a, domain="testserver")
    assert User.objects.filter(username="moi").exists() is False
    head_a.refresh_from_db()
    assert head_a.is_active is True


def test_office_never_touches_office_or_admin_accounts(office_user):
    admin = UserFactory(role="admin", email="qt@example.test")
    with pytest.raises(PermissionDenied):
        services.account_set_active(actor=office_user, account=admin, active=False, reason="x")
    with pytest.raises(PermissionDenied):
        services.account_send_password_link(actor=office_user, account=admin, domain="testserver")
    admin.refresh_from_db()
    assert admin.is_active is True


def test_deactivate_needs_a_reason_then_is_audited(office_user, head_a):
    with pytest.raises(ValidationError) as exc:
        services.account_set_active(actor=office_user, account=head_a, active=False, reason="  ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do ngừng tài khoản."]}
    services.account_set_active(actor=office_user, account=head_a, active=False, reason="Chuyển công tác")
    head_a.refresh_from_db()
    assert head_a.is_active is False
    event = AuditEvent.objects.filter(object_id=str(head_a.pk), content_type__model="user").latest("id")
    assert (event.action, event.reason, event.changes) == (AuditAction.DEACTIVATE, "Chuyển công tác", {"is_active": [True, False]})


def test_password_link_is_audited_and_mailed(django_capture_on_commit_callbacks, office_user, head_a):
    head_a.email = "truong@example.test"
    head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.account_send_password_link(actor=office_user, account=head_a, domain="testserver", use_https=False)
    assert [m.to for m in mail.outbox] == [["truong@example.test"]]
    event = AuditEvent.objects.filter(object_id=str(head_a.pk), content_type__model="user").latest("id")
    assert (event.actor, event.reason) == (office_user, "Văn phòng gửi liên kết đặt lại mật khẩu đến truong@example.test")


def test_password_link_needs_an_address(office_user, head_a):
    head_a.email = ""
    head_a.save()
    with pytest.raises(ValidationError) as exc:
        services.account_send_password_link(actor=office_user, account=head_a, domain="testserver")
    assert exc.value.messages == ["Tài khoản chưa có địa chỉ thư điện tử: hãy nhờ Quản trị bổ sung trước khi gửi liên kết."]


def test_role_change_is_audited_with_who_from_and_to(unit_a):
    admin = UserFactory(role="admin")
    account = UnitUserFactory(unit=unit_a)
    account.role, account.unit = "council", None
    services.user_save(actor=admin, user=account)
    event = AuditEvent.objects.filter(object_id=str(account.pk), content_type__model="user").latest("id")
    assert (event.actor, event.changes["role"], event.changes["unit"]) == (admin, ["unit", "council"], [unit_a.name, None])
    # the history page shows the roles' Vietnamese names
    row = audit_rows(account)[0]
    assert ("Vai trò", "Trưởng đơn vị", "Hội đồng") in row["changes"]
