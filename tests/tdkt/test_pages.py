import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.integration


def test_login_page_is_vietnamese_with_strict_csp(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng nhập hệ thống Thi đua – Khen thưởng" in body
    assert '<html lang="vi">' in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in body and "style=" not in body


def test_failed_login_shows_vietnamese_error(client, office_user):
    response = client.post(reverse("login"), {"username": office_user.username, "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("movements:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@override_settings(DEBUG=False)
def test_404_page_is_vietnamese(client, office_user):
    client.force_login(office_user)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang (404)" in response.content.decode()


def test_navigation_by_role(client, office_user, head_a):
    client.force_login(office_user)
    body = client.get(reverse("home")).content.decode()
    assert reverse("movements:unit_list") in body
    client.force_login(head_a)
    body = client.get(reverse("home")).content.decode()
    assert reverse("movements:unit_list") + '"' not in body
    assert reverse("movements:unit_detail", args=[head_a.unit_id]) in body


def test_repeated_failed_logins_lock_the_account_with_a_vietnamese_page(client, office_user, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": office_user.username, "password": "sai"}, REMOTE_ADDR="10.0.0.7")
    response = client.post(reverse("login"), {"username": office_user.username, "password": "mat-khau-thu-nghiem-1"},
                           REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session
