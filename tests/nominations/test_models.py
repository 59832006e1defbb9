import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from movements.models import PositionAssignment
from nominations.enums import AwardType
from nominations.models import AwardRecord, Nomination, NominationRound, Rule
from nominations.rules_engine import RuleContext
from tdkt.validation import ManyValidationError
from tests.factories import UnitFactory
from tests.factories.nominations import (
    AdHocRoundFactory,
    AwardFactory,
    NominationFactory,
    RoundFactory,
    SubmissionFactory,
    build_nomination,
    form,
    staff,
    title,
)

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
    ("R99", {}, ["Chưa có bộ kiểm tra cho mã “R99”. Các mã hợp lệ: R1, R10, R11, R12, R2, R4, R5, R6, R7, R8, R9."]),
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
                    ("R10", "blocking", True), ("R11", "blocking", True), ("R12", "blocking", True)]
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


# ---------------------------------------------------------------- a whole list judged at once (issue 9)

def _copy(n):
    """A fresh unsaved copy, with the related objects ``n`` holds."""
    copy = Nomination(round_id=n.round_id, submission_id=n.submission_id, person_id=n.person_id, unit_id=n.unit_id,
                      title_id=n.title_id, form_id=n.form_id, state=n.state)
    for name in ("round", "submission", "person", "unit", "title", "form"):
        if Nomination._meta.get_field(name).is_cached(n):
            setattr(copy, name, getattr(n, name))
    return copy


def _one_by_one(items, context):
    """What ``full_clean`` says of each row with the rows before it saved and the rows after it as ``batch``
    (the old per-row import), each judged in a transaction rolled back."""
    verdicts = []
    for index, item in enumerate(items):
        with transaction.atomic():
            Nomination.objects.bulk_create([_copy(n) for n in items[:index]])
            try:
                warnings = _copy(item).full_clean(rules=replace(context, batch=tuple(_copy(n) for n in items[index + 1:])))
            except ValidationError as exc:
                # a row twice: the second is "already in the list" at once, "already proposed in the round" one by one
                verdicts.append(("errors", [m.replace(f"đã có đề nghị trong đợt “{item.round}”", "đã có trong danh sách này")
                                            for m in exc.messages]))
            else:
                verdicts.append(("warnings", [str(v) for v in warnings]))
            transaction.set_rollback(True)
    return verdicts


def _at_once(items, context):
    items = [_copy(n) for n in items]
    try:
        warnings = Nomination.full_clean_many(items, rules=context)
    except ManyValidationError as exc:  # the warnings of the rows that pass are not returned then
        return [("errors", exc.by_index[i].messages) if i in exc.by_index else ("passes", None) for i in range(len(items))]
    return [("warnings", [str(v) for v in found]) for found in warnings]


def _passes(verdicts):
    return [("passes", None) if kind == "warnings" else (kind, found) for kind, found in verdicts]


@pytest.fixture
def a_list(sub_a, sub_b, unit_a):
    """A list breaking R1 (leaders), R2 (the unit and its head), R4 (no rating), R5 (a row twice; a person another unit
    proposed: a warning) between its rows and with what is stored."""
    leaders = staff(unit_a, 3, leader=True)
    workers = staff(unit_a, 3)
    head = staff(unit_a, 1, leader=True, is_head=True)[0]
    unrated = staff(unit_a, 1, rating=None)[0]
    earlier = SubmissionFactory(round=AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 3, 1)), unit=sub_b.unit)
    NominationFactory(submission=earlier, person=workers[2], title=None, form=form("GIAY_KHEN"))
    rows = [leaders[0], workers[0], leaders[1], workers[0], head, leaders[2], unrated, workers[1], workers[2]]
    items = [build_nomination(sub_a, person=p) for p in rows]
    items.insert(5, build_nomination(sub_a, unit=unit_a, code="TTLDTT"))
    return items


@pytest.mark.parametrize("reason", ["", "Đã xác minh"])
def test_a_list_at_once_gets_the_verdicts_of_its_rows_judged_one_by_one(a_list, reason):
    context = RuleContext(override_reason=reason, whole_list=True)
    at_once, one_by_one = _at_once(a_list, context), _one_by_one(a_list, context)
    assert at_once == _passes(one_by_one)
    assert {m.split(" – ")[0] for kind, messages in at_once if kind == "errors" for m in messages} == {"R1", "R2", "R4", "R5"}
    failing = [i for i, (kind, _found) in enumerate(at_once) if kind == "errors"]
    assert failing == ([3, 5, 6, 7] if reason else [3, 5, 6, 7, 9])
    # a list that passes: the same warnings (the person another unit proposed, passing with the reason)
    workers = [a_list[1], a_list[8], a_list[9]]
    if reason:
        assert _at_once(workers, context) == _one_by_one(workers, context)
        assert [bool(found) for _kind, found in _at_once(workers, context)] == [False, False, True]
    else:
        assert _at_once(workers, context) == _passes(_one_by_one(workers, context))
        assert [kind for kind, _found in _at_once(workers, context)] == ["passes", "passes", "errors"]


def test_a_list_at_once_gets_the_per_row_checks_of_full_clean(sub_a, unit_a, unit_b, round_2025):
    worker = staff(unit_a, 1)[0]
    closed = SubmissionFactory(round=RoundFactory(status="closed"), unit=unit_a)
    items = [
        build_nomination(sub_a, person=worker),                                 # fine
        build_nomination(sub_a, person=staff(unit_b, 1)[0]),                    # not of the unit
        build_nomination(sub_a, person=worker, state="submitted"),              # not a draft
        build_nomination(closed, person=worker),                                # a closed round
        build_nomination(sub_a, unit=unit_b, code="TTLDTT"),                    # another unit
        build_nomination(sub_a, person=worker, code="TTLDTT"),                  # a unit's title
        Nomination(round=round_2025, submission=sub_a, person_id=987654, title=title("LDTT")),  # nobody
    ]
    one_by_one = []
    for item in items:
        try:
            _copy(item).full_clean()
        except ValidationError as exc:
            one_by_one.append(exc.messages)
        else:
            one_by_one.append([])
    with pytest.raises(ManyValidationError) as exc:
        Nomination.full_clean_many([_copy(n) for n in items])
    assert [exc.value.by_index[i].messages if i in exc.value.by_index else [] for i in range(len(items))] == one_by_one
    assert one_by_one[0] == [] and all(one_by_one[1:])


def test_a_list_at_once_asks_the_database_the_same_number_of_times_whatever_its_length(sub_a, unit_a):
    people = staff(unit_a, 40) + staff(unit_a, 4, leader=True)
    moved = staff(UnitFactory(), 2)  # people who worked in the unit on the reference date, now elsewhere
    for person in moved:
        PositionAssignment.objects.create(person=person, unit=unit_a, title="Chuyên viên", start_date=datetime.date(2010, 1, 1),
                                          end_date=datetime.date(2025, 12, 31))

    def queries(people):
        items = [build_nomination(sub_a, person=p) for p in people]
        with CaptureQueriesContext(connection) as ctx:
            assert Nomination.full_clean_many(items, rules=RuleContext(whole_list=True)) == [[] for _p in people]
        return len(ctx.captured_queries)

    assert queries(people[:4] + moved) == queries(people + moved)
