import datetime

import pytest

from tests.factories import UserFactory
from tests.factories.nominations import RoundFactory, SubmissionFactory


@pytest.fixture
def council_user(db):
    return UserFactory(role="council", full_name="Ủy viên Hội đồng")


@pytest.fixture
def round_2025(db):
    return RoundFactory(name="Tổng kết năm 2025", year=2025, reference_date=datetime.date(2025, 12, 15))


@pytest.fixture
def sub_a(round_2025, unit_a):
    return SubmissionFactory(round=round_2025, unit=unit_a)


@pytest.fixture
def sub_b(round_2025, unit_b):
    return SubmissionFactory(round=round_2025, unit=unit_b)
