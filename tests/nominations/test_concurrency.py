"""R1 under concurrency: two clerks send the leader that crosses 40 % at the same moment.

PostgreSQL only: SQLite ignores ``select_for_update`` (and serialises writers anyway), so
the lock on the rounds of the year and the unit submission can only be proven there.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nominations import rules_engine, services
from nominations.enums import NominationState
from nominations.models import Nomination
from tests.factories import UserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, reseed_catalogues, staff, title

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite bỏ qua select_for_update nên không kiểm chứng được khoá "
                    "(chạy với DATABASE_URL=postgres://…).")


def test_two_clerks_sending_the_leader_that_crosses_40_percent(postgresql_only, unit_a, monkeypatch):
    """R1 judges a list when it is sent (issue 8: a draft typed alone is no longer refused at entry), so the race is
    at the send stage: two leaders typed as drafts, each sent by a clerk at the same moment; one more leader is
    allowed (1/3), two are not (2/4 > floor(1,6))."""
    reseed_catalogues()
    nomination_round = RoundFactory()
    submission = SubmissionFactory(round=nomination_round, unit=unit_a)
    for person in staff(unit_a, 2):
        NominationFactory(submission=submission, person=person, state=NominationState.SUBMITTED)
    leaders = staff(unit_a, 2, leader=True)
    clerks = [UserFactory(role="office"), UserFactory(role="office")]
    drafts = [services.nomination_create(actor=clerks[0], nomination_round=nomination_round, unit=unit_a, person=leader,
                                         title=title("LDTT")) for leader in leaders]

    real_evaluate = rules_engine.evaluate

    def slow_evaluate(*args, **kwargs):
        result = real_evaluate(*args, **kwargs)
        time.sleep(0.3)  # widen the window between the check and the write
        return result

    monkeypatch.setattr(rules_engine, "evaluate", slow_evaluate)
    barrier = threading.Barrier(2)
    outcomes = []

    def send(clerk, draft):
        try:
            barrier.wait(timeout=10)
            services.nomination_submit(actor=clerk, nomination=draft)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(clerk, draft)) for clerk, draft in zip(clerks, drafts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    ok, refused = sorted(outcomes, key=len)
    assert ok == "ok"
    assert refused in [
        f"{leader} – Lao động tiên tiến: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là "
        f"lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người). Căn cứ: {rules_engine.load_rules()[0].legal_basis}."
        for leader in leaders]
    assert Nomination.objects.filter(person__in=leaders, state=NominationState.SUBMITTED).count() == 1
