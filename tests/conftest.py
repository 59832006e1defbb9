import pytest
from django.db import connection

from tests.demo_site import demo_site  # noqa: F401  (session fixture: the demo in its own database, for ops tests)
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def office_user(db):
    return UserFactory(role="office", full_name="Chuyên viên Văn phòng")


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")


@pytest.fixture
def head_a(unit_a):
    return UnitUserFactory(unit=unit_a, username="truong_qlkh")


@pytest.fixture
def person_a(unit_a):
    return PersonFactory(unit=unit_a, full_name="Trần Thị Ánh")


@pytest.fixture
def person_b(unit_b):
    """Data that could leak: a person of another unit."""
    return PersonFactory(unit=unit_b, full_name="Lê Văn Bảo")


@pytest.fixture
def is_postgresql():
    return connection.vendor == "postgresql"
