"""The demo department's nominations: idempotent, consistent with the rules."""

import pytest

from movements.demo import seed_demo
from nominations.demo import seed_demo_nominations
from nominations.models import AwardRecord, Nomination, NominationRound
from nominations.rules_engine import check_nominations

pytestmark = pytest.mark.integration


def test_demo_nominations_are_idempotent_and_break_no_rule(db):
    seed_demo()
    seed_demo_nominations()
    counts = (AwardRecord.objects.count(), Nomination.objects.count(), NominationRound.objects.count())
    seed_demo()
    seed_demo_nominations()
    assert (AwardRecord.objects.count(), Nomination.objects.count(), NominationRound.objects.count()) == counts
    assert counts[0] > 300 and counts[1] > 15 and counts[2] == 2
    assert set(Nomination.objects.values_list("state", flat=True)) >= {"draft", "submitted", "returned", "vetted_pass"}
    nominations = Nomination.objects.select_related("round", "submission__unit", "person", "unit", "title", "form")
    violations = {n: [str(v) for v in found] for n, found in check_nominations(nominations).items() if found}
    assert violations == {}
