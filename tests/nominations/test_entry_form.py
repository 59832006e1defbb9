"""Data entry that helps (issue 13): the titles follow the subject, the initiatives the person, “Lưu và thêm tiếp”
leaves out who is already in the list, and searchable person and unit pickers (accent-insensitive)."""

import re

import pytest
from django.urls import reverse

from nominations.models import Nomination
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory
from tests.factories.nominations import InitiativeFactory, staff, title

pytestmark = pytest.mark.integration


def text(response):
    return response.content.decode()


def options(body, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def award_options(body):
    return [o for o in options(body, "id_award") if o != "———"]


@pytest.fixture
def urls(sub_a):
    args = [sub_a.round_id, sub_a.unit_id]
    return {name: reverse(f"nominations:{name}", args=args)
            for name in ("nomination_create", "nomination_form_fields", "person_options", "unit_options", "nomination_check")}


def test_the_titles_follow_the_subject(client, head_a, sub_a, urls):
    client.force_login(head_a)
    person_titles = award_options(text(client.get(urls["nomination_create"])))
    assert "Lao động tiên tiến" in person_titles and "Chiến sĩ thi đua cơ sở" in person_titles
    assert "Tập thể lao động tiên tiến" not in person_titles
    unit_titles = award_options(text(client.get(urls["nomination_form_fields"], {"subject_kind": "unit"})))
    assert "Tập thể lao động tiên tiến" in unit_titles and "Cờ thi đua của UBND tỉnh" in unit_titles
    assert "Lao động tiên tiến" not in unit_titles
    assert "Bằng khen của Chủ tịch UBND tỉnh" in unit_titles and "Bằng khen của Chủ tịch UBND tỉnh" in person_titles  # both kinds


def test_a_collective_title_for_a_person_is_refused_by_the_form_as_by_the_live_check(client, head_a, sub_a, urls):
    person = staff(sub_a.unit, 1)[0]
    client.force_login(head_a)
    data = {"subject_kind": "person", "person": person.pk, "award": f"t:{title('TTLDTT').pk}"}
    check = text(client.post(urls["nomination_check"], data))
    assert "Đạt các quy định" not in check  # nothing judged as if it could be saved
    body = text(client.post(urls["nomination_create"], data))
    assert "Hãy chọn một lựa chọn hợp lệ" in body or "Chọn một lựa chọn hợp lệ" in body
    assert Nomination.objects.count() == 0


def test_the_initiatives_are_the_chosen_persons(client, head_a, sub_a, urls):
    anh, binh = staff(sub_a.unit, 2)
    InitiativeFactory(person=anh, title="Sáng kiến của Ánh")
    InitiativeFactory(person=binh, title="Sáng kiến của Bình")
    client.force_login(head_a)
    assert "Sáng kiến của" not in text(client.get(urls["nomination_create"]))
    body = text(client.get(urls["nomination_form_fields"], {"subject_kind": "person", "person": anh.pk}))
    assert "Sáng kiến của Ánh" in body and "Sáng kiến của Bình" not in body
    theirs = binh.initiatives.get()
    body = text(client.post(urls["nomination_create"], {"subject_kind": "person", "person": anh.pk, "award": f"t:{title('LDTT').pk}",
                                                        "initiatives": [theirs.pk]}))
    assert Nomination.objects.count() == 0
    assert "lựa chọn hợp lệ" in body


def test_save_and_add_another_leaves_out_who_is_already_in_the_list(client, head_a, sub_a, urls):
    first, second = staff(sub_a.unit, 2)
    client.force_login(head_a)
    response = client.post(urls["nomination_create"], {"subject_kind": "person", "person": first.pk, "award": f"t:{title('LDTT').pk}",
                                                       "add_another": "1"})
    assert response["Location"] == urls["nomination_create"] + "?tiep=1"
    body = text(client.get(response["Location"]))
    people = options(body, "id_person")
    assert second.full_name + " – Chuyên viên" in people and first.full_name + " – Chuyên viên" not in people
    assert "Danh sách cá nhân đã bỏ những người đã có trong danh sách đề nghị của đơn vị ở đợt này." in body
    found = text(client.get(urls["person_options"], {"person_tim": "", "tiep": "1"}))
    assert first.full_name not in found and second.full_name in found
    assert first.full_name + " – Chuyên viên" in options(text(client.get(urls["nomination_create"])), "id_person")  # plain add: all


def test_the_person_picker_finds_names_without_accents(client, head_a, sub_a, urls):
    for name in ("Nguyễn Văn Hải", "Nguyễn Vân Anh", "Đỗ Thị Dung", "Trần Văn Đức"):
        PersonFactory(unit=sub_a.unit, full_name=name)
    client.force_login(head_a)
    found = re.findall(r"<option[^>]*>([^<]*)</option>", text(client.get(urls["person_options"], {"person_tim": "nguyen van"})))
    assert found == ["— 2 kết quả cho “nguyen van” —", "Nguyễn Vân Anh – Chuyên viên", "Nguyễn Văn Hải – Chuyên viên"] or \
        found == ["— 2 kết quả cho “nguyen van” —", "Nguyễn Văn Hải – Chuyên viên", "Nguyễn Vân Anh – Chuyên viên"]
    found = re.findall(r"<option[^>]*>([^<]*)</option>", text(client.get(urls["person_options"], {"person_tim": "đô"})))
    assert found == ["— 1 kết quả cho “đô” —", "Đỗ Thị Dung – Chuyên viên"]
    found = re.findall(r"<option[^>]*>([^<]*)</option>", text(client.get(urls["person_options"], {"person_tim": "d"})))
    assert set(found[1:]) == {"Đỗ Thị Dung – Chuyên viên", "Trần Văn Đức – Chuyên viên"}


def test_the_chosen_person_stays_among_the_options(client, head_a, sub_a, urls):
    chosen, _other = PersonFactory(unit=sub_a.unit, full_name="Lê Thị Mai"), PersonFactory(unit=sub_a.unit, full_name="Phạm Văn Nam")
    client.force_login(head_a)
    body = text(client.get(urls["person_options"], {"person_tim": "nam", "person": chosen.pk}))
    assert f'<option value="{chosen.pk}" selected>Lê Thị Mai – Chuyên viên</option>' in body


def test_the_unit_picker_finds_the_unit_and_its_subunits(client, head_a, sub_a, urls, unit_b):
    UnitFactory(name="Tổ Đo lường", short_code="TDL", parent=sub_a.unit)
    client.force_login(head_a)
    found = re.findall(r"<option[^>]*>([^<]*)</option>", text(client.get(urls["unit_options"], {"subject_unit_tim": "do luong"})))
    assert found == ["— 1 kết quả cho “do luong” —", "Tổ Đo lường"]
    assert unit_b.name not in text(client.get(urls["unit_options"], {"subject_unit_tim": ""}))


def test_a_long_list_shows_thirty_and_says_how_to_find_the_others(client, head_a, sub_a, urls):
    staff(sub_a.unit, 35, rating=None)
    client.force_login(head_a)
    body = text(client.get(urls["nomination_create"]))
    assert len(options(body, "id_person")) == 31  # the empty choice and 30 people
    assert "gõ tên vào ô tìm để thấy người khác" in body
    assert f'hx-get="{urls["person_options"]}"' in body


def test_another_units_head_gets_no_options(client, sub_a, unit_b, urls):
    PersonFactory(unit=sub_a.unit, full_name="Nguyễn Văn Riêng")
    client.force_login(UnitUserFactory(unit=unit_b))
    for name in ("person_options", "unit_options", "nomination_form_fields"):
        response = client.get(urls[name], {"person_tim": "rieng"})
        assert response.status_code in (403, 404)
        assert "Nguyễn Văn Riêng" not in text(response)
