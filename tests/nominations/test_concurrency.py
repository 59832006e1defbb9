"""R1 under concurrency: two clerks add the leader that crosses 40 % at the same moment.

PostgreSQL only: SQLite ignores ``select_for_update`` (and serialises writers anyway), so
the lock on the rounds of the year and the unit submission can only be proven there.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nominations import rules_engine, services
from nominations.models import Nomination
from tests.factories import UserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, reseed_catalogues, staff, title

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite bỏ qua select_for_update nên không kiểm chứng được khoá "
                    "(chạy với DATABASE_URL=postgres://…).")


def test_two_clerks_adding_the_leader_that_crosses_40_percent(postgresql_only, unit_a, monkeypatch):
    reseed_catalogues()
    nomination_round = RoundFactory()
    submission = SubmissionFactory(round=nomination_round, unit=unit_a)
    for person in staff(unit_a, 2):
        NominationFactory(submission=submission, person=person)
    leaders = staff(unit_a, 2, leader=True)  # one more leader: 1/3 allowed; two more: 2/4 > floor(1,6)
    clerks = [UserFactory(role="office"), UserFactory(role="office")]

    real_evaluate = rules_engine.evaluate

    def slow_evaluate(*args, **kwargs):
        result = real_evaluate(*args, **kwargs)
        time.sleep(0.3)  # widen the window between the check and the insert
        return result

    monkeypatch.setattr(rules_engine, "evaluate", slow_evaluate)
    barrier = threading.Barrier(2)
    outcomes = []

    def add(clerk, leader):
        try:
            barrier.wait(timeout=10)
            services.nomination_create(actor=clerk, nomination_round=nomination_round, unit=unit_a, person=leader, title=title("LDTT"))
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(clerk, leader)) for clerk, leader in zip(clerks, leaders, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=len) == [
        "ok",
        f"R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là lãnh đạo, quản lý (50,0%) > 40% "
        f"(tối đa 1 người). Căn cứ: {rules_engine.load_rules()[0].legal_basis}.",
    ]
    assert Nomination.objects.filter(person__in=leaders).count() == 1
