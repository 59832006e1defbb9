"""Statistics of the issued decisions (councils/exports.py, part: docs of issue 11): counts by title and unit, the
leaders' share and the bonus totals, from the decision lines; a revoked decision does not count."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from councils.models import DecisionLine
from nominations.enums import NominationState
from tests.factories.councils import vetted
from tests.factories.decisions import issued_decision
from tests.factories.nominations import NominationFactory, staff

pytestmark = pytest.mark.integration


def test_statistics_by_title_and_unit_with_leaders_and_bonus(client, office, unit_a, unit_b, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    plain = vetted(2, unit=unit_a)
    submission = plain[0].submission
    leader = NominationFactory(submission=submission, person=staff(unit_a, 1, leader=True)[0],
                               state=NominationState.VETTED_PASS)
    other = vetted(1, unit=unit_b, nomination_round=submission.round)
    decision = issued_decision(office=office, nominations=[*plain, leader, *other])
    amounts = dict(DecisionLine.objects.filter(decision=decision).values_list("nomination__submission__unit__name", "amount"))
    total = sum(DecisionLine.objects.filter(decision=decision).values_list("amount", flat=True))
    assert total > 0
    client.force_login(office)
    response = client.get(reverse("councils:decision_statistics"), {"year": str(decision.date.year)})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Thống kê khen thưởng theo quyết định năm 2026"
    by_award = rows.index(("I. THEO DANH HIỆU, HÌNH THỨC", *([None] * 6)))
    assert rows[by_award + 2] == (1, "Lao động tiên tiến", 4, 0, 1, 25, total)
    by_unit = rows.index(("II. THEO ĐƠN VỊ", *([None] * 6)))
    assert rows[by_unit + 2][1:5] == (unit_a.name, 3, 0, 1) and rows[by_unit + 2][5] == pytest.approx(33.33)
    assert rows[by_unit + 3][1:6] == (unit_b.name, 1, 0, 0, 0) and rows[by_unit + 3][6] == amounts[unit_b.name]
    assert rows[by_unit + 4] == (None, "Tổng cộng", 4, 0, 1, 25, total)
    assert ws.freeze_panes == "A6" and ws.page_setup.fitToWidth == 1
    assert client.get(reverse("councils:decision_statistics"), {"year": "2019"}).status_code == 200
