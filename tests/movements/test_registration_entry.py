"""The registration grid helps (issue 13): “áp dụng cho tất cả” fills every member's title (drawn again, not saved), and
a title whose prerequisite is visibly missing (CSTĐCS without a sáng kiến of the person) is warned about."""

import re

import pytest
from django.urls import reverse

from movements import services
from movements.models import RegistrationEntry
from movements.selectors import registration_warnings
from tests.factories import PersonFactory
from tests.factories.movements import RegistrationWindowFactory, title

pytestmark = pytest.mark.integration


@pytest.fixture
def registration(db, unit_a, office_user):
    return services.registration_start(actor=office_user, window=RegistrationWindowFactory(year=2026), unit=unit_a)


def test_apply_to_all_fills_every_members_title_without_saving(client, head_a, registration, unit_a):
    people = [PersonFactory(unit=unit_a, full_name=name) for name in ("Trần Thị Ánh", "Lê Văn Bình", "Ngô Thu Ngọc")]
    ldtt = title("LDTT")
    client.force_login(head_a)
    url = reverse("movements:registration_edit", args=[registration.pk])
    body = client.get(url).content.decode()
    assert 'data-apply-all="id_all_titles"' in body
    body = client.post(url, {"unit_title": "", "note": "Ghi chú giữ lại", "all_titles": str(ldtt.pk), "apply_all": "1"}).content.decode()
    for person in people:
        select = re.search(rf'<select name="person_{person.pk}"[^>]*>(.*?)</select>', body, re.S).group(1)
        assert f'<option value="{ldtt.pk}" selected>Lao động tiên tiến</option>' in select
    assert "Ghi chú giữ lại" in body
    assert "Đã điền cùng một danh hiệu cho mọi cá nhân" in body
    assert RegistrationEntry.objects.count() == 0


def test_a_title_needing_an_initiative_without_one_is_warned_about(client, head_a, registration, unit_a):
    anh, binh = PersonFactory(unit=unit_a, full_name="Trần Thị Ánh"), PersonFactory(unit=unit_a, full_name="Lê Văn Bình")
    services.registration_save(actor=head_a, registration=registration, unit_title=None,
                               titles={anh: title("CSTDCS"), binh: title("LDTT")})
    warning = ("Trần Thị Ánh đăng ký “Chiến sĩ thi đua cơ sở” nhưng phiếu chưa có sáng kiến nào của người này (điều kiện của "
               "danh hiệu: có sáng kiến được công nhận).")
    assert registration_warnings(registration) == [warning]
    client.force_login(head_a)
    assert warning in client.get(reverse("movements:registration_detail", args=[registration.pk])).content.decode()
    services.initiative_add(actor=head_a, registration=registration, title="Số hoá quy trình", owner=anh)
    assert registration_warnings(registration) == []
