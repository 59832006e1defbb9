import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from movements import services
from tdkt.models import AuditEvent

pytestmark = pytest.mark.integration


def test_audit_rows_cannot_be_changed_or_deleted(office_user, unit_a):
    person = services.person_create(actor=office_user, full_name="Phạm Minh Đức", gender="male", unit=unit_a)
    event = AuditEvent.objects.get(object_id=str(person.pk), content_type__model="person")
    event.reason = "sửa"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    admin = site._registry[AuditEvent]
    assert admin.has_change_permission(None) is False
    assert admin.has_delete_permission(None) is False
    assert admin.has_add_permission(None) is False


def test_history_page_shows_who_what_and_reason(client, office_user, person_a):
    services.person_set_active(actor=office_user, person=person_a, active=False, reason="Nghỉ hưu theo chế độ")
    client.force_login(office_user)
    response = client.get(reverse("audit_history", args=["movements", "person", person_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nghỉ hưu theo chế độ" in body
    assert "Chuyên viên Văn phòng" in body
    assert "Ngừng hoạt động" in body
    assert "<strong>Đang công tác</strong>: Có → Không" in body


def test_history_shows_labels_choices_and_dates(client, office_user, unit_a):
    import datetime

    person = services.person_create(actor=office_user, full_name="Phạm Thu Hà", gender="female", unit=unit_a,
                                    date_of_birth=datetime.date(1990, 2, 3))
    client.force_login(office_user)
    body = client.get(reverse("audit_history", args=["movements", "person", person.pk])).content.decode()
    assert "<strong>Giới tính</strong>: ∅ → Nữ" in body
    assert "<strong>Ngày sinh</strong>: ∅ → 03/02/1990" in body
    assert "<strong>Đơn vị</strong>: ∅ → Phòng Quản lý khoa học" in body


def test_history_page_is_office_only(client, head_a, person_a):
    client.force_login(head_a)
    response = client.get(reverse("audit_history", args=["movements", "person", person_a.pk]))
    assert response.status_code == 403


# polish (issue 13): states by their Vietnamese names, and a way back.
def test_history_names_states_in_vietnamese_and_links_back(client, office_user):
    from tdkt.audit import audit_record
    from tdkt.enums import AuditAction
    from tests.factories.movements import CampaignFactory

    campaign = CampaignFactory(status="launched")
    audit_record(actor=office_user, action=AuditAction.TRANSITION, obj=campaign, from_state="draft", to_state="launched")
    client.force_login(office_user)
    url = reverse("audit_history", args=["movements", "campaign", campaign.pk])
    came_from = f"http://testserver{reverse('movements:campaign_detail', args=[campaign.pk])}"
    body = client.get(url, HTTP_REFERER=came_from).content.decode()
    assert "Chuyển trạng thái: Dự thảo → Đã phát động" in body
    assert "draft" not in body and "launched" not in body
    assert f'href="{came_from}"' in body
    # from elsewhere (another site, or no referer): home
    body = client.get(url, HTTP_REFERER="https://evil.example/").content.decode()
    assert f'<a class="btn btn-secondary" href="{reverse("home")}">' in body
