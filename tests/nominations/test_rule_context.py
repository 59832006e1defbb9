"""The rule context is an argument, the warnings a return value: ``Nomination.full_clean(rules=RuleContext(…))``."""

import pytest
from django.core.exceptions import ValidationError

from nominations.models import Rule
from nominations.rules_engine import STAGE_SUBMIT, RuleContext
from tests.factories.nominations import build_nomination, staff

pytestmark = pytest.mark.integration


def test_the_default_context_is_strict_and_a_reason_given_now_returns_the_warnings(sub_a):
    Rule.objects.filter(code="R4").update(severity="warning")
    nomination = build_nomination(sub_a, person=staff(sub_a.unit, 1, rating="HTNV")[0])
    with pytest.raises(ValidationError) as exc:
        nomination.full_clean()
    assert exc.value.messages[0].endswith("(Cảnh báo: ghi lý do vượt cảnh báo để tiếp tục.)")
    warnings = nomination.full_clean(rules=RuleContext(override_reason="Đã xác minh thành tích"))
    assert [(v.code, v.blocking) for v in warnings] == [("R4", False)]
    assert not hasattr(nomination, "_warnings") and not hasattr(nomination, "_override_reason")


def test_the_rest_of_an_import_is_judged_with_the_row(sub_a):
    leader = build_nomination(sub_a, person=staff(sub_a.unit, 1, leader=True)[0])
    workers = tuple(build_nomination(sub_a, person=p) for p in staff(sub_a.unit, 2))
    with pytest.raises(ValidationError) as exc:
        leader.full_clean(rules=RuleContext(stage=STAGE_SUBMIT))  # sent alone: 1 leader of 1 person
    assert exc.value.messages[0].startswith("R1 – ")
    assert leader.full_clean() == []  # a draft typed first is not judged by R1 at entry (issue 8)
    assert leader.full_clean(rules=RuleContext(stage=STAGE_SUBMIT, batch=workers)) == []  # with the rest of the list: 1 of 3
