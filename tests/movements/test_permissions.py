"""Role matrix: what each role may read and change, with other units' data present."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def council_user(db):
    return UserFactory(role="council")


def test_unit_head_lists_only_own_unit_people(client, head_a, person_a, person_b):
    client.force_login(head_a)
    body = client.get(reverse("movements:person_list")).content.decode()
    assert "Trần Thị Ánh" in body
    assert "Lê Văn Bảo" not in body
    # Filtering by the other unit's id does not reveal it either.
    body = client.get(reverse("movements:person_list"), {"unit": person_b.unit_id}).content.decode()
    assert "Lê Văn Bảo" not in body


@pytest.mark.parametrize("name", ["person_detail", "person_edit", "person_position", "person_toggle_active"])
def test_unit_head_cannot_open_other_units_person_by_url(client, head_a, person_b, name):
    client.force_login(head_a)
    assert client.get(reverse(f"movements:{name}", args=[person_b.pk])).status_code == 404
    assert client.post(reverse(f"movements:{name}", args=[person_b.pk]), {"full_name": "X", "gender": "male",
                                                                          "reason": "x"}).status_code == 404
    person_b.refresh_from_db()
    assert (person_b.full_name, person_b.active) == ("Lê Văn Bảo", True)


def test_unit_head_cannot_open_other_unit(client, head_a, unit_b):
    client.force_login(head_a)
    assert client.get(reverse("movements:unit_detail", args=[unit_b.pk])).status_code == 404


def test_unit_head_edits_own_person(client, head_a, person_a):
    client.force_login(head_a)
    response = client.post(reverse("movements:person_edit", args=[person_a.pk]),
                           {"full_name": "Trần Thị Ánh Dương", "gender": "female", "date_of_birth": "17/05/1985"})
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.full_name == "Trần Thị Ánh Dương"


def test_unit_head_cannot_create_person_in_other_unit(client, head_a, unit_b):
    client.force_login(head_a)
    response = client.post(reverse("movements:person_create"), {
        "full_name": "Hoàng Văn Sơn", "gender": "male", "unit": unit_b.pk, "start_date": "01/01/2024"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or "Chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not unit_b.people.exists()


@pytest.mark.parametrize("name", ["unit_create", "agency_profile"])
def test_unit_head_cannot_manage_units_or_agency(client, head_a, name):
    client.force_login(head_a)
    assert client.get(reverse(f"movements:{name}")).status_code == 403


def test_unit_head_cannot_rate_or_discipline(client, head_a, person_a):
    client.force_login(head_a)
    assert client.get(reverse("movements:person_rating", args=[person_a.pk])).status_code == 403
    assert client.post(reverse("movements:person_discipline", args=[person_a.pk]),
                       {"kind": "reprimand", "start_date": "01/01/2024", "reason": "x"}).status_code == 403
    assert not person_a.disciplines.exists()


def test_council_reads_but_cannot_change(client, council_user, person_a):
    client.force_login(council_user)
    assert client.get(reverse("movements:person_detail", args=[person_a.pk])).status_code == 200
    assert client.get(reverse("movements:person_edit", args=[person_a.pk])).status_code == 403
    assert client.get(reverse("movements:person_create")).status_code == 403


def test_office_sees_everyone_and_creates(client, office_user, person_a, person_b, unit_b):
    client.force_login(office_user)
    body = client.get(reverse("movements:person_list")).content.decode()
    assert "Trần Thị Ánh" in body and "Lê Văn Bảo" in body
    response = client.post(reverse("movements:person_create"), {
        "full_name": "Hoàng Văn Sơn", "gender": "male", "unit": unit_b.pk, "position_title": "Chuyên viên",
        "start_date": "01/01/2024", "date_of_birth": "02/09/1990"})
    assert response.status_code == 302
    assert list(unit_b.people.values_list("full_name", flat=True).order_by("full_name")) == ["Hoàng Văn Sơn", "Lê Văn Bảo"]


def test_office_person_form_shows_vietnamese_errors(client, office_user, unit_a):
    client.force_login(office_user)
    response = client.post(reverse("movements:person_create"), {
        "full_name": "", "gender": "male", "unit": unit_a.pk, "start_date": "31/02/2024"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in body
    assert "Nhập ngày hợp lệ" in body or "ngày hợp lệ" in body


def test_person_list_htmx_returns_partial_and_bounded_queries(client, office_user, person_a, person_b,
                                                              django_assert_max_num_queries):
    from tests.factories import PersonFactory

    PersonFactory.create_batch(30, unit=person_a.unit)
    client.force_login(office_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("movements:person_list"), {"q": "tran thi"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Trần Thị Ánh" in body and "Lê Văn Bảo" not in body


def test_person_export_is_scoped_to_the_unit_head(client, head_a, person_a, person_b):
    import io

    from openpyxl import load_workbook

    client.force_login(head_a)
    response = client.get(reverse("movements:person_list"), {"xuat": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    names = [row[1] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=5, values_only=True)]
    assert names == ["Trần Thị Ánh"]
