"""The Django admin is reserved to Quản trị, with a Vietnamese header (polish, issue 13)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_role_gets_in_with_a_vietnamese_header(client):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    page = client.get("/quan-tri/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Quản trị hệ thống Thi đua – Khen thưởng" in body and "Danh mục quản trị" in body


@pytest.mark.parametrize("role", ["office", "council", "unit"])
def test_other_roles_are_refused_even_when_marked_staff(client, role, unit_a):
    user = UserFactory(role=role, is_staff=True, unit=unit_a if role == "unit" else None)
    client.force_login(user)
    for url in ("/quan-tri/", "/quan-tri/tdkt/user/", "/quan-tri/tdkt/auditevent/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/quan-tri/login/"), url
