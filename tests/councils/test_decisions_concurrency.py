"""Two decisions issued at the same moment get consecutive numbers (PostgreSQL: the series row is locked until the
issuing transaction commits; SQLite ignores ``select_for_update``)."""

import threading

import pytest
from django.db import connection

from councils import services
from tests.factories import UserFactory
from tests.factories.councils import reseed_voting_rules, vetted
from tests.factories.decisions import DECISION_DAY, agency, passed_meeting
from tests.factories.nominations import reseed_catalogues

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite bỏ qua select_for_update nên không kiểm chứng được khoá "
                    "(chạy với DATABASE_URL=postgres://…).")


def test_two_decisions_issued_at_once_get_consecutive_numbers(postgresql_only, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reseed_catalogues()
    reseed_voting_rules()
    agency()
    office = UserFactory(role="office")
    drafts = []
    for code in ("LDTT", "CSTDCS"):
        meeting, _items = passed_meeting(office=office, nominations=vetted(2, code=code))
        drafts += services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def issue(draft):
        try:
            barrier.wait(timeout=10)
            numbers.append(services.decision_issue(actor=office, decision=draft).number)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == ["01/QĐ-SKHCN", "02/QĐ-SKHCN"]
