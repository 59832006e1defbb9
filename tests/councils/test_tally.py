"""The arithmetic of a vote (councils/tally.py): quorum, threshold, base, texts. No database."""

from decimal import Decimal

import pytest

from councils.enums import ThresholdComparison, VotingBase, VotingMethod
from councils.tally import Terms, describe, fmt_number, judge, percentage, quorum_needed, reaches, result_text, yes_needed

pytestmark = pytest.mark.unit

GTE, GT = ThresholdComparison.AT_LEAST, ThresholdComparison.MORE_THAN


def terms(**changes):
    values = {"method": VotingMethod.SECRET, "base": VotingBase.ALL, "threshold": Decimal("90"), "comparison": GTE,
              "quorum_numerator": 2, "quorum_denominator": 3, "written_opinions_count": False, "allows_abstention": True}
    values.update(changes)
    return Terms(**values)


@pytest.mark.parametrize(("members", "needed"), [(9, 6), (10, 7), (3, 2), (1, 1), (0, 0), (12, 8)])
def test_quorum_is_two_thirds_rounded_up(members, needed):
    assert quorum_needed(members, 2, 3) == needed


def test_quorum_other_fractions():
    assert (quorum_needed(9, 1, 2), quorum_needed(10, 1, 2), quorum_needed(7, 3, 4), quorum_needed(9, 1, 1)) == (5, 5, 6, 9)


def test_ninety_percent_of_ten_needs_nine():
    assert yes_needed(10, Decimal("90"), GTE) == 9
    assert (reaches(9, 10, Decimal("90"), GTE), reaches(8, 10, Decimal("90"), GTE)) == (True, False)
    assert yes_needed(9, Decimal("90"), GTE) == 9  # 8/9 = 88,9 %


def test_more_than_and_at_least_differ_exactly_at_the_threshold():
    assert (reaches(5, 10, Decimal("50"), GTE), reaches(5, 10, Decimal("50"), GT)) == (True, False)
    assert (reaches(6, 10, Decimal("50"), GT), yes_needed(10, Decimal("50"), GT), yes_needed(10, Decimal("50"), GTE)) == (True, 6, 5)
    # exact: 2/3 of 3 is 66,666…%, a float would round it
    assert (reaches(2, 3, Decimal("66.67"), GTE), reaches(2, 3, Decimal("66.66"), GTE)) == (False, True)


def test_an_empty_base_never_passes():
    assert (reaches(0, 0, Decimal("50"), GTE), yes_needed(0, Decimal("50"), GTE), percentage(0, 0)) == (False, None, Decimal("0.00"))


def test_percentage_is_rounded_half_up_to_two_decimals():
    assert (percentage(2, 3), percentage(1, 8), percentage(9, 10)) == (Decimal("66.67"), Decimal("12.50"), Decimal("90.00"))


def test_the_base_all_members_minus_recused_or_the_attending():
    result = judge(terms(), members=10, recused=1, attending=7, yes=8, no=1, abstain=0)
    assert (result.base, result.percentage, result.needed, result.passed) == (9, Decimal("88.89"), 9, False)
    result = judge(terms(base=VotingBase.PRESENT), members=10, recused=1, attending=7, yes=7, no=0, abstain=0)
    assert (result.base, result.percentage, result.passed) == (7, Decimal("100.00"), True)


def test_without_quorum_nothing_passes():
    result = judge(terms(base=VotingBase.PRESENT), members=9, recused=0, attending=5, yes=5, no=0, abstain=0, quorum_met=False)
    assert (result.passed, result_text(result, terms())) == (False, "Không đủ số thành viên theo quy định (2/3): không đạt.")


def test_texts():
    assert fmt_number(Decimal("90.00")) == "90" and fmt_number(Decimal("55.56")) == "55,56" and fmt_number(Decimal("12.50")) == "12,5"
    result = judge(terms(), members=10, recused=0, attending=10, yes=9, no=1, abstain=0)
    assert result_text(result, terms()) == ("Đồng ý 9/10 (90%), không đồng ý 1, không biểu quyết 0; cần từ 90% trở lên so với "
                                            "tổng số thành viên Hội đồng: đạt.")
    assert describe(terms(comparison=GT, threshold=Decimal("50"), base=VotingBase.PRESENT, method=VotingMethod.OPEN,
                          written_opinions_count=True, allows_abstention=False)) == (
        "Biểu quyết công khai; đạt khi số phiếu đồng ý trên 50% so với số thành viên có mặt (không tính thành viên không tham "
        "gia xét); cần có mặt ít nhất 2/3 thành viên; ý kiến bằng văn bản của thành viên vắng mặt được tính; không có lựa "
        "chọn “không biểu quyết”.")
