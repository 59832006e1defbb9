import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nominations.enums import AwardType
from nominations.models import AwardRecord, Nomination, NominationRound, Rule
from tests.factories.nominations import AwardFactory, NominationFactory, build_nomination, staff, title

pytestmark = pytest.mark.integration


def test_a_nomination_has_exactly_one_subject_and_one_award_in_the_database(sub_a, person_a, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(round=sub_a.round, submission=sub_a, person=person_a, unit=unit_a, title=title("LDTT"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(round=sub_a.round, submission=sub_a, person=person_a)
    assert Nomination.objects.count() == 0


def test_clean_names_the_missing_subject_and_award(sub_a):
    nomination = Nomination(round=sub_a.round, submission=sub_a)
    with pytest.raises(ValidationError) as exc:
        nomination.full_clean()
    assert exc.value.message_dict == {
        "person": ["Chọn đúng một đối tượng: cá nhân hoặc tập thể."],
        "title": ["Chọn đúng một danh hiệu thi đua hoặc một hình thức khen thưởng."],
    }


def test_full_clean_of_a_plain_model_runs_the_rules(sub_a):
    """The model itself (used by forms, imports, services and the admin) enforces the rules."""
    nominee = staff(sub_a.unit, 1, rating="HTNV")[0]
    with pytest.raises(ValidationError) as exc:
        build_nomination(sub_a, person=nominee).full_clean()
    assert exc.value.messages[0].startswith("R4 – Điều kiện danh hiệu, hình thức khen thưởng: ")


def test_only_content_changes_rerun_the_entry_rules(sub_a):
    nomination = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1, rating="HTNV")[0])  # would fail R4
    nomination.state = "submitted"
    nomination.full_clean()  # a state change alone is judged by the transition's own stage, not here
    nomination.person = staff(sub_a.unit, 1, rating="HTNV")[0]
    nomination.state = "draft"
    with pytest.raises(ValidationError):
        nomination.full_clean()


def test_annual_titles_are_recorded_once_per_year_but_thematic_ones_may_repeat(person_a):
    AwardFactory(person=person_a, title=title("LDTT"), year=2023)
    with pytest.raises(ValidationError) as exc:
        AwardRecord(person=person_a, title=title("LDTT"), year=2023).full_clean()
    assert exc.value.messages == ["Cá nhân này đã có danh hiệu này trong năm đó."]
    AwardFactory(person=person_a, title=title("CSTDCS"), year=2023, kind=AwardType.THEMATIC)
    AwardFactory(person=person_a, title=title("CSTDCS"), year=2023, kind=AwardType.THEMATIC)
    assert AwardRecord.objects.filter(person=person_a).count() == 3


def test_award_record_decision_date_after_the_year(person_a):
    with pytest.raises(ValidationError) as exc:
        AwardRecord(person=person_a, title=title("LDTT"), year=2023, decision_date=datetime.date(2022, 12, 1)).full_clean()
    assert exc.value.message_dict == {"decision_date": ["Ngày quyết định không được trước năm thành tích."]}


@pytest.mark.parametrize(("code", "parameters", "errors"), [
    ("R99", {}, ["Chưa có bộ kiểm tra cho mã “R99”. Các mã hợp lệ: R1, R10, R11, R2, R4, R5, R6, R7, R8, R9."]),
    ("R1", {}, ["Thiếu tham số “max_share”."]),
    ("R1", {"max_share": 1.4}, ["“max_share” phải là tỷ lệ lớn hơn 0 và không quá 1 (ví dụ 0.4)."]),
    ("R1", {"max_share": 0.4, "scopes": ["phong"]}, ["“scopes” chỉ gồm “unit” (từng đơn vị) và “all” (toàn cơ quan)."]),
    ("R1", {"max_share": 0.4, "period": "month"}, ["“period” phải là “year” (cả năm) hoặc “round” (từng đợt)."]),
    ("R9", {"exempt_kinds": ["dot_xuat"]}, ["Loại đợt chỉ gồm: annual, thematic, ad_hoc, other."]),
    ("R1", {"max_share": 0.35, "scopes": ["unit"]}, None),
])
def test_rule_parameters_are_validated(db, code, parameters, errors):
    rule = Rule(code=code, name="Thử", parameters=parameters, legal_basis="Căn cứ thử", effective_from=datetime.date(2030, 1, 1))
    if errors is None:
        rule.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert exc.value.message_dict["parameters"] == errors


def test_seeded_rules(db):
    rows = list(Rule.objects.values_list("code", "severity", "active"))
    assert rows == [("R1", "blocking", True), ("R2", "blocking", True), ("R4", "blocking", True), ("R5", "blocking", True),
                    ("R6", "blocking", True), ("R7", "blocking", True), ("R8", "warning", False), ("R9", "blocking", True),
                    ("R10", "blocking", True), ("R11", "blocking", True)]
    assert Rule.objects.get(code="R1").parameters == {
        "max_share": 0.4, "scopes": ["unit", "all"], "period": "year", "round_kinds": ["annual", "thematic", "ad_hoc"]}


def test_round_constraints_hold_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationRound.objects.create(name="x", kind="ad_hoc", year=2025, reference_date=datetime.date(2025, 5, 1),
                                       deadline=datetime.date(2025, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationRound.objects.create(name="x", kind="annual", year=2025, reference_date=datetime.date(2025, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationRound.objects.create(name="x", kind="thematic", year=2025, reference_date=datetime.date(2025, 5, 1),
                                       deadline=datetime.date(2025, 6, 1))


def test_bonus_is_the_coefficient_times_the_base_salary_rounded_up_to_10000(db):
    from nominations.selectors import bonus_amount
    from tests.factories.nominations import form

    assert bonus_amount(title("LDTT"), subject_kind="person", on=datetime.date(2025, 1, 15)) == (710000, Decimal("0.30"), 2340000)
    assert bonus_amount(title("CSTDCS"), subject_kind="person", on=datetime.date(2024, 1, 15))[0] == 1800000
    assert bonus_amount(form("BK_TINH"), subject_kind="unit", on=datetime.date(2025, 1, 15))[0] == 7020000
    assert bonus_amount(title("LDTT"), subject_kind="person", on=datetime.date(2023, 12, 1)) is None  # before the coefficients


@pytest.mark.parametrize(("reference_date", "valid"), [
    (datetime.date(2024, 12, 31), False), (datetime.date(2025, 1, 1), True), (datetime.date(2025, 12, 15), True),
    (datetime.date(2026, 3, 1), True), (datetime.date(2027, 1, 1), False)])
def test_the_reference_date_falls_in_the_achievement_year_or_the_next(db, reference_date, valid):
    nomination_round = NominationRound(name="Tổng kết năm 2025", kind=AwardType.ANNUAL, year=2025, reference_date=reference_date,
                                       deadline=datetime.date(2027, 1, 15))  # not before any reference date here (issue 8)
    if valid:
        nomination_round.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        nomination_round.full_clean()
    assert exc.value.message_dict == {"reference_date": ["Ngày xét phải thuộc năm thành tích hoặc năm liền sau."]}
