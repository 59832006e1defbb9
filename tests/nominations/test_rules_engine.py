"""Every rule with its edges, evaluated by the engine on pending nominations."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movements import services as org
from movements.models import CampaignDocument, PerformanceRating, PositionAssignment
from nominations.enums import AwardType, NominationState
from nominations.models import Nomination, Rule
from nominations.rules_engine import (
    STAGE_AUDIT,
    STAGE_ENTRY,
    STAGE_RESUBMIT,
    STAGE_SUBMIT,
    STAGE_VET,
    evaluate,
    floor_share,
    fmt_pct,
    round_violations,
)
from tests.factories import DisciplineFactory, PersonFactory, UnitFactory
from tests.factories.nominations import (
    AdHocRoundFactory,
    AwardFactory,
    CampaignFactory,
    InitiativeFactory,
    NominationFactory,
    RoundFactory,
    SubmissionFactory,
    build_nomination,
    form,
    messages,
    staff,
    title,
)

pytestmark = pytest.mark.integration


def check(*nominations, stage=STAGE_ENTRY):
    return evaluate(list(nominations), stage=stage)


def nominate(submission, people, code="LDTT", **kwargs):
    return [NominationFactory(submission=submission, person=p, title=title(code), **kwargs) for p in people]


# ---------------------------------------------------------------- formatting

def test_numbers_use_the_vietnamese_decimal_comma_and_floor():
    assert fmt_pct(5, 11) == "45,5"
    assert fmt_pct(3, 7) == "42,9"
    assert floor_share("0.4", 7) == 2
    assert floor_share("0.4", 10) == 4
    assert floor_share("0.15", 10) == 1


# ---------------------------------------------------------------- R1
# R1 judges a unit's list when it is sent and at every later stage, over what the units have sent (issue 8): the
# lists below are sent, the new nominations judged as they are sent.

def check_sent(*nominations):
    return check(*nominations, stage=STAGE_SUBMIT)


def nominate_sent(submission, people, code="LDTT", **kwargs):
    return nominate(submission, people, code, state=kwargs.pop("state", NominationState.SUBMITTED), **kwargs)


def test_r1_forty_percent_of_seven_is_two(sub_a):
    nominate_sent(sub_a, staff(sub_a.unit, 4) + staff(sub_a.unit, 2, leader=True))
    third_leader = staff(sub_a.unit, 1, leader=True)[0]
    [violations] = check_sent(build_nomination(sub_a, person=third_leader))
    assert messages(violations, "R1") == [
        "Phòng Quản lý khoa học, năm 2025: 3/7 cá nhân là lãnh đạo, quản lý (42,9%) > 40% (tối đa 2 người)",
        "Toàn cơ quan, năm 2025: 3/7 cá nhân là lãnh đạo, quản lý (42,9%) > 40% (tối đa 2 người)",
    ]
    assert str(violations[0]).startswith("R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 3/7")
    assert "Căn cứ: Điểm 5 Công văn của Sở Khoa học và Công nghệ tỉnh Hưng Yên" in str(violations[0])
    assert violations[0].blocking is True


def test_r1_the_example_of_the_issue_five_of_eleven(sub_a):
    nominate_sent(sub_a, staff(sub_a.unit, 6) + staff(sub_a.unit, 4, leader=True))
    [violations] = check_sent(build_nomination(sub_a, person=staff(sub_a.unit, 1, leader=True)[0]))
    assert messages(violations, "R1")[0] == \
        "Phòng Quản lý khoa học, năm 2025: 5/11 cá nhân là lãnh đạo, quản lý (45,5%) > 40% (tối đa 4 người)"


def test_r1_a_non_leader_or_a_leader_within_the_limit_passes(sub_a):
    nominate_sent(sub_a, staff(sub_a.unit, 5) + staff(sub_a.unit, 2, leader=True))
    leader, worker = staff(sub_a.unit, 1, leader=True)[0], staff(sub_a.unit, 1)[0]
    # 3 leaders of 8 = 37,5 %: floor(3,2) = 3 allowed
    assert check_sent(build_nomination(sub_a, person=leader), build_nomination(sub_a, person=worker))[0] == []
    assert messages(check_sent(build_nomination(sub_a, person=worker))[0], "R1") == []


def test_r1_leadership_is_judged_at_the_reference_date_from_position_history(sub_a, office_user):
    nominate_sent(sub_a, staff(sub_a.unit, 2) + staff(sub_a.unit, 1, leader=True))  # 1 leader of 3: one more leader → 2/4 > 1
    promoted_later = staff(sub_a.unit, 1)[0]
    org.person_change_position(actor=office_user, person=promoted_later, unit=sub_a.unit, title="Phó Trưởng phòng",
                               is_leadership=True, is_head=False, start_date=datetime.date(2026, 1, 1))
    stepped_down_later = staff(sub_a.unit, 1, leader=True)[0]
    org.person_change_position(actor=office_user, person=stepped_down_later, unit=sub_a.unit, title="Chuyên viên",
                               is_leadership=False, is_head=False, start_date=datetime.date(2026, 1, 1))
    promoted_later.refresh_from_db()
    stepped_down_later.refresh_from_db()
    assert (promoted_later.is_leadership, stepped_down_later.is_leadership) == (True, False)
    # today's flags say the opposite of the reference date (15/12/2025): the history decides
    assert messages(check_sent(build_nomination(sub_a, person=promoted_later))[0], "R1") == []
    assert messages(check_sent(build_nomination(sub_a, person=stepped_down_later))[0], "R1")[0] == \
        "Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người)"


def test_r1_counts_annual_thematic_and_ad_hoc_rounds_of_the_year(sub_a, unit_a):
    ad_hoc = SubmissionFactory(round=AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 6, 1)), unit=unit_a)
    last_year = SubmissionFactory(round=RoundFactory(year=2024, reference_date=datetime.date(2024, 12, 15)), unit=unit_a)
    other_kind = SubmissionFactory(round=RoundFactory(year=2025, kind=AwardType.OTHER), unit=unit_a)
    nominate_sent(sub_a, staff(unit_a, 3))
    nominate_sent(ad_hoc, staff(unit_a, 1, leader=True))                  # đột xuất of the same year: counted
    nominate_sent(last_year, staff(unit_a, 3, leader=True, year=2024))   # another year: not counted
    nominate_sent(other_kind, staff(unit_a, 3, leader=True))             # cống hiến, niên hạn: not counted
    # 1 leader of 4 already; one more leader makes 2/5 = 40 %: allowed (floor(2,0) = 2)
    assert messages(check_sent(build_nomination(sub_a, person=staff(unit_a, 1, leader=True)[0]))[0], "R1") == []
    first, second = check_sent(build_nomination(sub_a, person=staff(unit_a, 1, leader=True)[0]),
                          build_nomination(sub_a, person=staff(unit_a, 1, leader=True)[0]))
    assert messages(first, "R1") == []
    assert messages(second, "R1")[0] == \
        "Phòng Quản lý khoa học, năm 2025: 3/6 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 2 người)"


def test_r1_an_import_is_judged_as_a_whole_and_flags_the_last_leaders(sub_a):
    leaders, workers = staff(sub_a.unit, 3, leader=True), staff(sub_a.unit, 3)
    ok = evaluate([build_nomination(sub_a, person=p) for p in leaders[:2] + workers], stage=STAGE_ENTRY, whole_list=True)
    assert [messages(v, "R1") for v in ok] == [[], [], [], [], []]  # 2/5 = 40 %, leaders first is fine
    result = evaluate([build_nomination(sub_a, person=p) for p in leaders + workers[:2]], stage=STAGE_ENTRY, whole_list=True)
    assert [len(messages(v, "R1")) for v in result] == [0, 0, 2, 0, 0]
    assert messages(result[2], "R1")[0] == \
        "Phòng Quản lý khoa học, năm 2025: 3/5 cá nhân là lãnh đạo, quản lý (60,0%) > 40% (tối đa 2 người)"


def test_r1_refused_nominations_do_not_count_and_a_person_counts_once(sub_a):
    nominate_sent(sub_a, staff(sub_a.unit, 1, leader=True), state=NominationState.VETTED_FAIL)
    worker, leader = staff(sub_a.unit, 1)[0], staff(sub_a.unit, 1, leader=True)[0]
    NominationFactory(submission=sub_a, person=worker, title=title("LDTT"), state=NominationState.SUBMITTED)
    NominationFactory(submission=sub_a, person=worker, title=title("CSTDCS"), state=NominationState.SUBMITTED)
    # 1 leader of 2 persons (the worker has two nominations) = 50 % > 40 %
    assert messages(check_sent(build_nomination(sub_a, person=leader))[0], "R1")[0] == \
        "Phòng Quản lý khoa học, năm 2025: 1/2 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 0 người)"


def test_r1_unit_scope_ignores_other_units_but_the_whole_agency_does_not(sub_a, sub_b):
    nominate_sent(sub_b, staff(sub_b.unit, 10))
    nominate_sent(sub_a, staff(sub_a.unit, 1))
    [violations] = check_sent(build_nomination(sub_a, person=staff(sub_a.unit, 1, leader=True)[0]))
    assert messages(violations, "R1") == [
        "Phòng Quản lý khoa học, năm 2025: 1/2 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 0 người)"]
    rule = Rule.objects.get(code="R1")
    rule.parameters = {**rule.parameters, "scopes": ["all"]}
    rule.save()
    assert messages(check_sent(build_nomination(sub_a, person=staff(sub_a.unit, 1, leader=True)[0]))[0], "R1") == []


def test_r1_parameters_activity_and_effective_dates_are_data(sub_a):
    nominate_sent(sub_a, staff(sub_a.unit, 1))
    leader = staff(sub_a.unit, 1, leader=True)[0]
    rule = Rule.objects.get(code="R1")
    assert len(messages(check_sent(build_nomination(sub_a, person=leader))[0], "R1")) == 2
    rule.parameters = {**rule.parameters, "max_share": 0.5}
    rule.save()
    assert messages(check_sent(build_nomination(sub_a, person=leader))[0], "R1") == []  # 1/2 ≤ 50 %
    rule.parameters = {**rule.parameters, "max_share": 0.4}
    rule.effective_to = datetime.date(2025, 12, 14)  # ends the day before the round's reference date
    rule.save()
    assert messages(check_sent(build_nomination(sub_a, person=leader))[0], "R1") == []
    rule.effective_to = None
    rule.active = False
    rule.save()
    assert messages(check_sent(build_nomination(sub_a, person=leader))[0], "R1") == []


# ---------------------------------------------------------------- R2

def test_r2_a_collective_and_its_head_in_the_same_year(sub_a, unit_a, unit_b):
    head = PersonFactory(unit=unit_a, full_name="Đỗ Văn Hùng", is_leadership=True, is_head=True, position_title="Trưởng phòng")
    ad_hoc = SubmissionFactory(round=AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 5, 1)), unit=unit_a)
    NominationFactory(submission=ad_hoc, person=head, title=None, form=form("GIAY_KHEN"))
    [violations] = check(build_nomination(sub_a, unit=unit_a, code="TTLDTT"))
    assert messages(violations, "R2") == [
        "Đỗ Văn Hùng, người đứng đầu Phòng Quản lý khoa học, đã được đề nghị khen thưởng trong năm 2025: "
        "không đề nghị đồng thời tập thể và người đứng đầu tập thể đó"]
    # another unit (whose head is not nominated) is fine
    other = SubmissionFactory(round=sub_a.round, unit=unit_b)
    PersonFactory(unit=unit_b, is_leadership=True, is_head=True)
    assert messages(check(build_nomination(other, unit=unit_b, code="TTLDTT"))[0], "R2") == []


def test_r2_the_head_after_the_collective_and_only_the_same_year(sub_a, unit_a):
    head = PersonFactory(unit=unit_a, full_name="Đỗ Văn Hùng", is_leadership=True, is_head=True, position_title="Trưởng phòng")
    last_year = SubmissionFactory(round=RoundFactory(year=2024, reference_date=datetime.date(2024, 12, 15)), unit=unit_a)
    NominationFactory(submission=last_year, person=None, unit=unit_a, title=title("TTLDTT"))
    assert messages(check(build_nomination(sub_a, person=head))[0], "R2") == []
    NominationFactory(submission=sub_a, person=None, unit=unit_a, title=title("TTLDTT"))
    assert messages(check(build_nomination(sub_a, person=head))[0], "R2") == [
        "Tập thể Phòng Quản lý khoa học đã được đề nghị khen thưởng trong năm 2025: không đề nghị đồng thời người đứng đầu Đỗ Văn Hùng"]


def test_r2_the_head_is_judged_at_the_reference_date(sub_a, unit_a, office_user):
    former = PersonFactory(unit=unit_a, is_leadership=True, is_head=True, position_title="Trưởng phòng")
    org.person_change_position(actor=office_user, person=former, unit=unit_a, title="Chuyên viên chính", is_leadership=False,
                               is_head=False, start_date=datetime.date(2025, 3, 1))
    NominationFactory(submission=sub_a, person=former)
    assert messages(check(build_nomination(sub_a, unit=unit_a, code="TTLDTT"))[0], "R2") == []


def test_r2_within_one_import(sub_a, unit_a):
    head = PersonFactory(unit=unit_a, is_leadership=True, is_head=True)
    result = check(build_nomination(sub_a, person=head), build_nomination(sub_a, unit=unit_a, code="TTLDTT"))
    assert [len(messages(v, "R2")) for v in result] == [0, 1]


# ---------------------------------------------------------------- R4 prerequisites (and R7)

def rate(subject, **years):
    for key, rating in years.items():
        kwargs = {"person": subject} if subject.__class__.__name__ == "Person" else {"unit": subject}
        PerformanceRating.objects.create(year=int(key[1:]), rating=rating, **kwargs)


def test_r4_ldtt_needs_a_good_rating_that_year(sub_a):
    good, plain, unrated = (PersonFactory(unit=sub_a.unit, full_name=name) for name in ("Lê Thị Tốt", "Vũ Văn Thường", "Ngô Văn Mới"))
    rate(good, y2025="HTTNV")
    rate(plain, y2025="HTNV")
    results = check(*(build_nomination(sub_a, person=p) for p in (good, plain, unrated)))
    assert [messages(v, "R4") for v in results] == [
        [],
        ["Vũ Văn Thường chưa đủ điều kiện “Lao động tiên tiến”: xếp loại năm 2025 là “Hoàn thành nhiệm vụ”, "
         "cần từ “Hoàn thành tốt nhiệm vụ” trở lên"],
        ["Ngô Văn Mới chưa đủ điều kiện “Lao động tiên tiến”: chưa có xếp loại chất lượng năm 2025"],
    ]


def test_r4_cstdcs_needs_excellence_or_an_initiative_or_research(sub_a):
    excellent, inventor, researcher, plain = (PersonFactory(unit=sub_a.unit) for _ in range(4))
    rate(excellent, y2025="HTXSNV")
    for p in (inventor, researcher, plain):
        rate(p, y2025="HTTNV")
    InitiativeFactory(person=inventor, year=2025)
    InitiativeFactory(person=researcher, year=2025, kind="research")
    InitiativeFactory(person=plain, year=2024)  # last year's does not count for this year
    results = check(*(build_nomination(sub_a, person=p, code="CSTDCS") for p in (excellent, inventor, researcher, plain)))
    assert [len(messages(v, "R4")) for v in results] == [0, 0, 0, 1]
    assert messages(results[3], "R4")[0].endswith(
        "cần xếp loại “Hoàn thành xuất sắc nhiệm vụ” năm 2025 hoặc có sáng kiến, đề tài được công nhận, nghiệm thu trong năm 2025")


def test_r4_cstd_tinh_needs_three_consecutive_cstdcs_and_a_provincial_initiative(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    for year in (2023, 2024):
        AwardFactory(person=person, title=title("CSTDCS"), year=year)
    InitiativeFactory(person=person, year=2024, scope="province")
    NominationFactory(submission=sub_a, person=person, title=title("CSTDCS"))  # this year's, proposed in the same round
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4") == []


def test_r4_consecutive_means_no_gap_year(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    for year in (2022, 2023, 2025):
        AwardFactory(person=person, title=title("CSTDCS"), year=year)
    InitiativeFactory(person=person, year=2025, scope="province")
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4") == [
        "Phạm Thu Hà chưa đủ điều kiện “Chiến sĩ thi đua cấp tỉnh”: cần 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”, kết thúc năm "
        "2024 hoặc 2025 (Chiến sĩ thi đua cơ sở: 2022, 2023, 2025); thiếu năm 2024"]


def test_r4_thematic_and_ad_hoc_awards_do_not_count_r7(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    AwardFactory(person=person, title=title("CSTDCS"), year=2023)
    AwardFactory(person=person, title=title("CSTDCS"), year=2024, kind=AwardType.THEMATIC)
    AwardFactory(person=person, title=title("CSTDCS"), year=2025, kind=AwardType.AD_HOC)
    InitiativeFactory(person=person, year=2025, scope="province")
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4")[0].endswith(
        "(Chiến sĩ thi đua cơ sở: 2023)")
    Rule.objects.filter(code="R7").update(active=False)
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4") == []


def test_r4_cstd_tinh_without_a_provincial_initiative(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    for year in (2022, 2023, 2024):
        AwardFactory(person=person, title=title("CSTDCS"), year=year)
    InitiativeFactory(person=person, year=2023, scope="base")
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4") == [
        "Phạm Thu Hà chưa đủ điều kiện “Chiến sĩ thi đua cấp tỉnh”: cần ít nhất 1 sáng kiến, đề tài có phạm vi ảnh hưởng cấp tỉnh "
        "trong 2022–2024: có 0"]


def test_r4_bang_khen_needs_two_consecutive_and_two_initiatives_in_that_window(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Trịnh Minh Quân")
    rate(person, y2024="HTXSNV", y2025="HTXSNV")
    InitiativeFactory(person=person, year=2024)
    InitiativeFactory(person=person, year=2021)  # outside the window
    nomination = build_nomination(sub_a, person=person, code="BK_TINH")
    assert messages(check(nomination)[0], "R4") == [
        "Trịnh Minh Quân chưa đủ điều kiện “Bằng khen của Chủ tịch UBND tỉnh”: cần ít nhất 2 sáng kiến, đề tài trong 2024–2025: có 1"]
    InitiativeFactory(person=person, year=2025)
    assert messages(check(nomination)[0], "R4") == []


def test_r4_bang_khen_through_two_consecutive_cstdcs(sub_a):
    person = PersonFactory(unit=sub_a.unit)
    rate(person, y2023="HTXSNV", y2024="HTTNV", y2025="HTXSNV")  # no two consecutive excellent years
    AwardFactory(person=person, title=title("CSTDCS"), year=2023)
    AwardFactory(person=person, title=title("CSTDCS"), year=2024)
    InitiativeFactory(person=person, year=2023)
    InitiativeFactory(person=person, year=2024)
    assert messages(check(build_nomination(sub_a, person=person, code="BK_TINH"))[0], "R4") == []


def test_r4_ttldxs_collective_criteria(sub_a, unit_a):
    rate(unit_a, y2025="HTXSNV")
    members = staff(unit_a, 10)
    nominate(sub_a, members[:7])  # 7/10 members proposed for LĐTT this year = 70 %
    AwardFactory(person=members[0], title=title("CSTDCS"), year=2025)
    assert messages(check(build_nomination(sub_a, unit=unit_a, code="TTLDXS"))[0], "R4") == []


def test_r4_ttldxs_reports_each_missing_criterion(sub_a, unit_a):
    rate(unit_a, y2025="HTTNV")
    members = staff(unit_a, 9) + staff(unit_a, 1, rating="KHTNV")
    nominate(sub_a, members[:6])
    assert messages(check(build_nomination(sub_a, unit=unit_a, code="TTLDXS"))[0], "R4") == [
        "Phòng Quản lý khoa học chưa đủ điều kiện “Tập thể lao động xuất sắc”: tập thể xếp loại năm 2025 là “Hoàn thành tốt nhiệm "
        "vụ”, cần từ “Hoàn thành xuất sắc nhiệm vụ” trở lên; 1/10 thành viên chưa đạt từ “Hoàn thành nhiệm vụ” trở lên năm 2025 "
        "(cần 100%); 6/10 thành viên đạt “Lao động tiên tiến” năm 2025 (60,0%), cần từ 70%; cần ít nhất 1 thành viên đạt “Chiến sĩ "
        "thi đua cơ sở” năm 2025: có 0"]


def test_r4_members_proposed_in_the_same_import_count(sub_a, unit_a):
    rate(unit_a, y2025="HTTNV")
    members = staff(unit_a, 3)
    batch = [build_nomination(sub_a, person=p) for p in members[:2]] + [build_nomination(sub_a, unit=unit_a, code="TTLDTT")]
    assert messages(check(*batch)[2], "R4") == []  # 2/3 > 50 %
    assert messages(check(batch[0], batch[2])[1], "R4")[0].endswith(
        "1/3 thành viên đạt “Lao động tiên tiến” năm 2025 (33,3%), cần trên 50%")


def test_r4_after_a_discipline_only_later_achievements_count(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    for year in (2023, 2024, 2025):
        AwardFactory(person=person, title=title("CSTDCS"), year=year)
    InitiativeFactory(person=person, year=2025, scope="province")
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4") == []
    DisciplineFactory(person=person, kind="reprimand", start_date=datetime.date(2023, 3, 1), end_date=datetime.date(2024, 2, 28))
    assert messages(check(build_nomination(sub_a, person=person, code="CSTD_TINH"))[0], "R4")[0].startswith(
        "Phạm Thu Hà chưa đủ điều kiện “Chiến sĩ thi đua cấp tỉnh”: cần 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”, kết thúc năm "
        "2024 hoặc 2025 (Chiến sĩ thi đua cơ sở: 2025)")


# ---------------------------------------------------------------- R5

def test_r5_same_subject_and_title_twice_in_a_year(sub_a, unit_a):
    person = PersonFactory(unit=unit_a, full_name="Lê Văn Bình")
    earlier = SubmissionFactory(round=RoundFactory(name="Sơ kết 6 tháng 2025", year=2025), unit=unit_a)
    NominationFactory(submission=earlier, person=person)
    [violations] = check(build_nomination(sub_a, person=person))
    assert messages(violations, "R5") == [
        "Lê Văn Bình đã có đề nghị trong đợt “Sơ kết 6 tháng 2025” “Lao động tiên tiến” năm 2025: một thành tích chỉ khen thưởng một lần"]
    assert messages(check(build_nomination(sub_a, person=person, code="CSTDCS"))[0], "R5") == []


def test_r5_already_awarded_and_duplicates_inside_one_import(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Lê Văn Bình")
    AwardFactory(person=person, year=2025, decision_number="12/QĐ-SKHCN")
    assert messages(check(build_nomination(sub_a, person=person))[0], "R5") == [
        "Lê Văn Bình đã được khen thưởng (Quyết định số 12/QĐ-SKHCN) “Lao động tiên tiến” năm 2025: một thành tích chỉ khen thưởng một lần"]
    other = PersonFactory(unit=sub_a.unit)
    result = check(build_nomination(sub_a, person=other), build_nomination(sub_a, person=other))
    assert [len(messages(v, "R5")) for v in result] == [0, 1]


def test_r5_refused_nominations_and_ad_hoc_rounds_are_different_achievements(sub_a, unit_a):
    person = PersonFactory(unit=unit_a)
    NominationFactory(submission=sub_a, person=person, state=NominationState.VETTED_FAIL)
    assert messages(check(build_nomination(sub_a, person=person))[0], "R5") == []
    first = SubmissionFactory(round=AdHocRoundFactory(year=2025), unit=unit_a)
    second = SubmissionFactory(round=AdHocRoundFactory(year=2025), unit=unit_a)
    NominationFactory(submission=first, person=person, title=None, form=form("GIAY_KHEN"))
    assert messages(check(build_nomination(second, person=person, code="GIAY_KHEN"))[0], "R5") == []


def test_r5_a_person_proposed_by_two_units_is_a_warning(sub_a, sub_b):
    person = PersonFactory(unit=sub_a.unit, full_name="Lê Văn Bình")
    NominationFactory(submission=sub_b, person=person, title=title("CSTDCS"))
    [violations] = check(build_nomination(sub_a, person=person))
    [warning] = [v for v in violations if v.code == "R5"]
    assert warning.message == ("Lê Văn Bình cũng được Trung tâm Ứng dụng đề nghị trong năm 2025: kiểm tra để không khen hai lần cho "
                               "một thành tích")
    assert warning.blocking is False


# ---------------------------------------------------------------- R6

@pytest.mark.parametrize(("kind", "start", "end", "expected"), [
    ("complaint", datetime.date(2025, 10, 1), None,
     "Lê Văn Bình đang trong thời gian “Có đơn thư khiếu nại, tố cáo đang xác minh” (từ 01/10/2025, chưa kết thúc) vào ngày xét "
     "15/12/2025: không đề nghị khen thưởng"),
    ("investigation", datetime.date(2025, 12, 15), datetime.date(2026, 3, 1),
     "Lê Văn Bình đang trong thời gian “Đang bị điều tra, thanh tra, kiểm tra” (từ 15/12/2025 đến 01/03/2026) vào ngày xét "
     "15/12/2025: không đề nghị khen thưởng"),
    ("reprimand", datetime.date(2025, 1, 10), datetime.date(2025, 12, 14),
     "Lê Văn Bình bị “Kỷ luật: khiển trách” (từ 10/01/2025 đến 14/12/2025): chỉ tính thành tích từ 15/12/2025, thành tích năm 2025 "
     "không đủ để đề nghị"),
    ("complaint", datetime.date(2025, 1, 10), datetime.date(2025, 12, 14), None),   # a hold that ended: nothing
    ("reprimand", datetime.date(2024, 1, 10), datetime.date(2024, 12, 31), None),   # ended last year
    ("reprimand", datetime.date(2025, 12, 16), None, None),                         # starts after the reference date
])
def test_r6_hold_and_discipline_coverage(sub_a, kind, start, end, expected):
    person = PersonFactory(unit=sub_a.unit, full_name="Lê Văn Bình")
    DisciplineFactory(person=person, kind=kind, start_date=start, end_date=end)
    assert messages(check(build_nomination(sub_a, person=person))[0], "R6") == ([expected] if expected else [])


def test_r6_after_a_discipline_an_ad_hoc_achievement_counts(unit_a):
    person = PersonFactory(unit=unit_a)
    DisciplineFactory(person=person, kind="reprimand", start_date=datetime.date(2025, 1, 10), end_date=datetime.date(2025, 5, 31))
    submission = SubmissionFactory(round=AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 8, 1)), unit=unit_a)
    assert messages(check(build_nomination(submission, person=person, code="GIAY_KHEN"))[0], "R6") == []


def test_r6_applies_to_collectives(sub_a, unit_a):
    DisciplineFactory(person=None, unit=unit_a, kind="investigation", start_date=datetime.date(2025, 11, 1), end_date=None)
    assert len(messages(check(build_nomination(sub_a, unit=unit_a, code="TTLDTT"))[0], "R6")) == 1


# ---------------------------------------------------------------- R8

def test_r8_is_inactive_by_default_then_a_warning_with_the_numbers(sub_a):
    nominate(sub_a, staff(sub_a.unit, 10))
    NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1, rating="HTXSNV")[0], title=title("CSTDCS"))
    second = build_nomination(sub_a, person=staff(sub_a.unit, 1, rating="HTXSNV")[0], code="CSTDCS")
    assert messages(check(second)[0], "R8") == []
    Rule.objects.filter(code="R8").update(active=True)
    [violation] = [v for v in check(second)[0] if v.code == "R8"]
    assert violation.message == ("đợt “Tổng kết năm 2025”: 2 “Chiến sĩ thi đua cơ sở” / 10 “Lao động tiên tiến” (20,0%) > 15% "
                                 "(tối đa 1)")
    assert violation.blocking is False


# ---------------------------------------------------------------- R9, R10

def test_r9_deadline_except_ad_hoc_and_returned_dossiers(unit_a, person_a):
    today = datetime.date.today()
    late = SubmissionFactory(round=RoundFactory(name="Tổng kết năm 2025", deadline=today - datetime.timedelta(days=1)), unit=unit_a)
    on_time = SubmissionFactory(round=RoundFactory(deadline=today), unit=unit_a)
    ad_hoc = SubmissionFactory(round=AdHocRoundFactory(), unit=unit_a)
    deadline_text = (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert messages(check(build_nomination(late, person=person_a))[0], "R9") == [
        f"đợt “Tổng kết năm 2025” đã hết hạn nộp hồ sơ ngày {deadline_text}"]
    assert messages(check(build_nomination(late, person=person_a), stage=STAGE_SUBMIT)[0], "R9") != []
    assert messages(check(build_nomination(late, person=person_a, state="returned"))[0], "R9") == []
    assert messages(check(build_nomination(late, person=person_a), stage=STAGE_RESUBMIT)[0], "R9") == []
    assert messages(check(build_nomination(late, person=person_a), stage=STAGE_VET)[0], "R9") == []
    assert messages(check(build_nomination(on_time, person=person_a))[0], "R9") == []
    assert messages(check(build_nomination(ad_hoc, person=person_a, code="GIAY_KHEN"))[0], "R9") == []


def test_r10_thematic_rounds_need_the_campaign_plan_and_a_review(unit_a, person_a):
    campaign = CampaignFactory(name="Chuyển đổi số")
    thematic = RoundFactory(kind=AwardType.THEMATIC, campaign=campaign)
    expected = ("phong trào “Chuyển đổi số” chưa có đủ kế hoạch và báo cáo sơ kết hoặc tổng kết: không xét khen thưởng chuyên đề")
    assert [v.message for v in round_violations(thematic)] == [expected]
    submission = SubmissionFactory(round=thematic, unit=unit_a)
    assert messages(check(build_nomination(submission, person=person_a, code="GIAY_KHEN"))[0], "R10") == [expected]
    CampaignDocument.objects.create(campaign=campaign, kind="plan", title="Kế hoạch")
    assert messages(check(build_nomination(submission, person=person_a, code="GIAY_KHEN"))[0], "R10") == [expected]
    CampaignDocument.objects.create(campaign=campaign, kind="interim_report", title="Báo cáo sơ kết")
    assert messages(check(build_nomination(submission, person=person_a, code="GIAY_KHEN"))[0], "R10") == []
    assert round_violations(thematic) == []


# ---------------------------------------------------------------- R11 registration

def test_r11_registration_required_only_when_the_window_says_so(sub_a, person_a, person_b):
    from tests.factories.movements import RegistrationEntryFactory, RegistrationFactory, RegistrationWindowFactory

    expected = ("Trần Thị Ánh chưa đăng ký danh hiệu “Lao động tiên tiến” năm 2025 (hoặc phiếu đăng ký của đơn vị chưa "
                "được duyệt)")
    # No window for the year: nothing to check.
    assert messages(check(build_nomination(sub_a, person=person_a))[0], "R11") == []
    window = RegistrationWindowFactory(year=2025, required_for_nomination=False)
    assert messages(check(build_nomination(sub_a, person=person_a))[0], "R11") == []
    window.required_for_nomination = True
    window.save()
    assert messages(check(build_nomination(sub_a, person=person_a))[0], "R11") == [expected]
    # Registered, but the registration is still waiting for approval: still refused.
    registration = RegistrationFactory(window=window, unit=sub_a.unit, state="submitted", unit_title=title("TTLDTT"))
    RegistrationEntryFactory(registration=registration, person=person_a, title=title("LDTT"))
    assert messages(check(build_nomination(sub_a, person=person_a))[0], "R11") == [expected]
    registration.state = "approved"
    registration.save()
    [ok, other_title, collective] = check(build_nomination(sub_a, person=person_a),
                                          build_nomination(sub_a, person=person_a, code="CSTDCS"),
                                          build_nomination(sub_a, unit=sub_a.unit, code="TTLDTT"))
    assert messages(ok, "R11") == []
    assert messages(other_title, "R11") == [
        "Trần Thị Ánh chưa đăng ký danh hiệu “Chiến sĩ thi đua cơ sở” năm 2025 (hoặc phiếu đăng ký của đơn vị chưa được duyệt)"]
    assert messages(collective, "R11") == []
    # Commendation forms (Giấy khen) and ad hoc rounds are outside the rule.
    assert messages(check(build_nomination(sub_a, person=person_a, code="GIAY_KHEN"))[0], "R11") == []
    ad_hoc = SubmissionFactory(round=AdHocRoundFactory(year=2025), unit=sub_a.unit)
    assert messages(check(build_nomination(ad_hoc, person=person_a, code="LDTT"))[0], "R11") == []


def test_r11_is_enforced_on_the_service_write_path(sub_a, person_a, office_user):
    from django.core.exceptions import ValidationError

    from nominations import services
    from nominations.models import Nomination
    from tests.factories.movements import RegistrationWindowFactory

    RegistrationWindowFactory(year=2025, required_for_nomination=True)
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(actor=office_user, nomination_round=sub_a.round, unit=sub_a.unit, person=person_a,
                                   title=title("LDTT"), achievement_summary="Hoàn thành tốt nhiệm vụ")
    assert "R11 – Đăng ký thi đua trước khi đề nghị danh hiệu" in str(exc.value)
    assert Nomination.objects.filter(person=person_a).exists() is False


# ---------------------------------------------------------------- bounded queries

def _mixed_batch(submission, n):
    people = staff(submission.unit, n) + staff(submission.unit, 2, leader=True)
    for p in people[:3]:
        AwardFactory(person=p, title=title("CSTDCS"), year=2024)
        InitiativeFactory(person=p, year=2025)
    batch = [build_nomination(submission, person=p) for p in people]
    batch += [build_nomination(submission, person=p, code="CSTDCS") for p in people[:3]]
    batch += [build_nomination(submission, person=p, code="BK_TINH") for p in people[3:5]]
    batch.append(build_nomination(submission, unit=submission.unit, code="TTLDXS"))
    return batch


def test_rule_checks_use_a_bounded_number_of_queries(sub_a, sub_b, django_assert_max_num_queries):
    nominate(sub_b, staff(sub_b.unit, 20))
    small, big = _mixed_batch(sub_a, 5), _mixed_batch(SubmissionFactory(round=sub_a.round, unit=UnitFactory()), 80)
    counts = []
    for batch in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            evaluate(batch, stage=STAGE_AUDIT)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(20):
        evaluate(big, stage=STAGE_ENTRY)


def test_positions_are_loaded_once_for_the_batch(sub_a):
    people = staff(sub_a.unit, 3)
    with CaptureQueriesContext(connection) as ctx:
        evaluate([build_nomination(sub_a, person=p) for p in people], stage=STAGE_ENTRY)
    position_queries = [q for q in ctx.captured_queries if 'FROM "movements_positionassignment"' in q["sql"]
                        and "EXISTS" not in q["sql"]]
    assert len(position_queries) == 1
    assert PositionAssignment.objects.count() == 3


def _saved_round(submission, n):
    """A round's saved list: ``n`` persons (two leaders) and a collective, sent."""
    people = staff(submission.unit, n) + staff(submission.unit, 2, leader=True)
    nominate_sent(submission, people)
    nominate_sent(submission, people[:2], code="CSTDCS")
    NominationFactory(submission=submission, person=None, unit=submission.unit, title=title("TTLDTT"), state="submitted")
    return list(Nomination.objects.filter(submission=submission).select_related("round", "submission__unit", "person", "unit",
                                                                                "title", "form"))


def test_the_whole_round_check_reads_the_same_queries_at_any_size(sub_a, sub_b, django_assert_max_num_queries):
    small, big = _saved_round(sub_a, 3), _saved_round(sub_b, 60)
    with CaptureQueriesContext(connection) as ctx:
        evaluate(small, stage=STAGE_AUDIT)
    assert len(ctx.captured_queries) == 11
    with django_assert_max_num_queries(11):
        found = evaluate(big, stage=STAGE_AUDIT)
    assert len(found) == len(big) == 65
    # the subjects' nominations and award records are read once for R1, R4 and R5, and no DISTINCT carries an ordering
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum(s.startswith('SELECT "nominations_awardrecord"') for s in sql) == 1
    assert sum(s.startswith('SELECT "nominations_nomination"."person_id"') for s in sql) == 1
    assert not [s for s in sql if "DISTINCT" in s.split(" FROM ")[0] and "ORDER BY" in s]


@pytest.mark.postgresql
def test_on_postgresql_the_id_lists_are_one_array_each(sub_a, is_postgresql):
    if not is_postgresql:
        pytest.skip("Cần PostgreSQL: trên SQLite danh sách id vẫn là IN (…) (chạy với DATABASE_URL=postgres://…).")
    rows = _saved_round(sub_a, 40)
    with CaptureQueriesContext(connection) as ctx:
        evaluate(rows, stage=STAGE_AUDIT)
    longest = max(len(items.split(",")) for s in (q["sql"] for q in ctx.captured_queries)
                  for items in re.findall(r" IN \(([^()]*)\)", s))
    assert longest < 12  # state and kind lists only; the 40-odd ids go as = ANY('{…}')
    assert sum(" = ANY('{" in q["sql"] for q in ctx.captured_queries) >= 8
