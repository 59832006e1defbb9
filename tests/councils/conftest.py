import pytest

from tests.factories import UserFactory
from tests.factories.councils import make_council


@pytest.fixture
def office(db):
    return UserFactory(role="office", full_name="Chuyên viên Văn phòng", password=None)


@pytest.fixture
def council9(db):
    """A council of 9 voting members (chair first) and a secretary without a vote."""
    return make_council(9)
