import pytest
from django.db import connection

from tests.demo_site import demo_site  # noqa: F401  (session fixture: the demo in its own database, for ops tests)
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _required_documents_where_tested(request):
    """The seeded required documents (issue 13, rule R12) refuse to send a list without its files. Tests that are not
    about them send lists without files: they run without that list, unless marked ``required_documents``."""
    if request.node.get_closest_marker("required_documents"):
        return
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        return  # a transactional test starts from a flushed database: nothing seeded to remove
    if "db" not in request.fixturenames and marker is None:
        return
    request.getfixturevalue("db")
    # imported here: the app registry is ready only once pytest-django has set Django up
    from nominations.models import RequiredDocument

    RequiredDocument.objects.all().delete()


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
