"""Vietnamese order (tdkt/collation.py), in Python and from the database's ``sort_name`` on SQLite and PostgreSQL."""

import unicodedata

import pytest

from movements.models import Person, Unit
from tdkt.collation import person_sort_key, sort_key, vietnamese_sorted
from tests.factories import PersonFactory, UnitFactory

#: Given names in the expected order: base letters first (a < ă < â, d < đ, o < ô < ơ, u < ư), then the tone
#: (none, huyền, hỏi, ngã, sắc, nặng), shorter before longer.
GIVEN_EXPECTED = ["An", "Anh", "Ảnh", "Ánh", "Ăn", "Ân", "Bảo", "Cường", "Dũng", "Duy", "Đào", "Đạt", "Giang", "Hà",
                  "Hải", "Hạnh", "Hoa", "Hòa", "Hỏa", "Hóa", "Hùng", "Khánh", "Linh", "Lĩnh", "Lịnh", "Long", "Ông",
                  "Ơn", "Phúc", "Thu", "Thư", "Tú", "Tư", "Uyên", "Ưng", "Yến"]

#: Full names, expected in the order of a clerk's list: by given name, then family and middle names.
PEOPLE_EXPECTED = [
    "Trần Văn An",
    "Nguyễn Thị Ánh",
    "Đỗ Minh Bảo",
    "Đặng Văn Dũng",
    "Lê Đức Dũng",
    "Nguyễn Hữu Đạt",
    "Võ Thị Hà",
    "Bùi Thị Hạnh",
    "Lê Văn Hòa",
    "Lê Văn Hóa",
    "Phạm Thu Hương",
    "Đinh Thị Lan",
    "Ông Văn Lộc",
    "Nguyễn Văn Tú",
    "Ưng Thị Tư",
    "Dương Thị Yến",
]


def test_given_names_sort_base_letters_then_tones():
    shuffled = list(reversed(GIVEN_EXPECTED))
    assert vietnamese_sorted(shuffled) == GIVEN_EXPECTED


def test_d_bar_after_every_d():
    assert vietnamese_sorted(["Đa", "Dz", "Dương", "Da"]) == ["Da", "Dương", "Dz", "Đa"]


def test_tones_order_none_huyen_hoi_nga_sac_nang():
    assert vietnamese_sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_base_letters_decide_before_any_tone():
    # "Hà" has a tone and "Hai" has none, but a < ai at the letters' level: Hà first.
    assert vietnamese_sorted(["Hai", "Hà"]) == ["Hà", "Hai"]
    assert vietnamese_sorted(["Ầu", "Ăn", "Áo"]) == ["Áo", "Ăn", "Ầu"]


def test_case_nfd_and_punctuation_do_not_matter():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert sort_key(nfd, person=True) == sort_key("nguyễn văn đức", person=True) == person_sort_key("NGUYỄN VĂN ĐỨC")
    assert sort_key("Lê-Ánh") == sort_key("Lê Ánh".replace(" ", ""))


def test_people_by_given_name_then_family_and_middle_names():
    assert vietnamese_sorted(list(reversed(PEOPLE_EXPECTED)), person=True) == PEOPLE_EXPECTED
    # Same given name: family and middle names decide.
    assert vietnamese_sorted(["Nguyễn Thị An", "Lê Văn An"], person=True) == ["Lê Văn An", "Nguyễn Thị An"]


def test_key_is_digits_only():
    """Digits compare the same under every database collation (binary, C, C.UTF-8, en_US, ICU)."""
    key = person_sort_key("Nguyễn Thị Ánh-Tuyết O'Neil 2")
    assert key.isdigit()


@pytest.mark.django_db
def test_database_orders_people_in_vietnamese_order(unit_a):
    for name in reversed(PEOPLE_EXPECTED):
        PersonFactory(unit=unit_a, full_name=name)
    assert list(Person.objects.filter(unit=unit_a).values_list("full_name", flat=True)) == PEOPLE_EXPECTED
    assert list(Person.objects.order_by("sort_name").values_list("full_name", flat=True)) == PEOPLE_EXPECTED


@pytest.mark.django_db
def test_bulk_create_and_rename_keep_the_key(unit_a):
    people = Person.objects.bulk_create([Person(full_name=name, name_folded="", gender="male", unit=unit_a)
                                         for name in reversed(PEOPLE_EXPECTED)])
    assert [p.sort_name for p in people] == [person_sort_key(n) for n in reversed(PEOPLE_EXPECTED)]
    assert list(Person.objects.order_by("sort_name").values_list("full_name", flat=True)) == PEOPLE_EXPECTED
    last = Person.objects.get(full_name="Dương Thị Yến")
    last.full_name = "Dương Thị Ái"
    last.save(update_fields=["full_name"])
    assert Person.objects.order_by("sort_name").values_list("full_name", flat=True)[0] == "Dương Thị Ái"


@pytest.mark.django_db
def test_database_orders_units_with_the_same_order_by_name():
    names = ["Phòng Đào tạo", "Phòng Dịch vụ", "Phòng Ảnh", "Phòng An ninh", "Phòng Ứng dụng", "Phòng Uỷ thác"]
    for name in names:
        UnitFactory(name=name, sort_order=5)
    assert list(Unit.objects.filter(sort_order=5).values_list("name", flat=True)) == [
        "Phòng An ninh", "Phòng Ảnh", "Phòng Dịch vụ", "Phòng Đào tạo", "Phòng Uỷ thác", "Phòng Ứng dụng"]
