"""Models of the councils app: constraints and ``clean()`` (who may sit, one chair, the secretary's vote, meetings),
the voting rules as data (overlaps, resolution by award and date) and the seeded defaults."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.enums import CouncilPosition, MeetingKind, ThresholdComparison, VotingBase, VotingMethod
from councils.models import Meeting, VotingRule
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitUserFactory, UserFactory
from tests.factories.councils import CouncilFactory, CouncilMemberFactory, VotingRuleFactory, rule_for
from tests.factories.nominations import form, title

pytestmark = pytest.mark.integration


def errors(obj):
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


# ---------------------------------------------------------------- councils and seats

def test_one_active_council_and_an_ordered_term(db):
    CouncilFactory()
    second = CouncilFactory.build(term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2025, 1, 1))
    assert errors(second) == {"term_end": ["Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."],
                              "__all__": ["Đã có một Hội đồng đang hoạt động: hãy kết thúc Hội đồng đó trước."]}
    CouncilFactory(active=False)  # past councils stay


def test_who_may_sit_on_the_council(db):
    council = CouncilFactory()
    head = UnitUserFactory(password=None)
    seat = CouncilMemberFactory.build(council=council, user=head, person=PersonFactory())
    assert errors(seat) == {"user": [f"Tài khoản “{head.username}” không thể là thành viên Hội đồng: chỉ tài khoản Hội đồng hoặc "
                                     "Văn phòng (đang hoạt động) được tham gia; Trưởng đơn vị dùng một tài khoản Hội đồng riêng."]}
    for user in (UserFactory(role=Role.COUNCIL, password=None), UserFactory(role=Role.OFFICE, password=None)):
        CouncilMemberFactory.build(council=council, user=user, person=PersonFactory()).full_clean()
    inactive = UserFactory(role=Role.COUNCIL, is_active=False, password=None)
    assert "user" in errors(CouncilMemberFactory.build(council=council, user=inactive, person=PersonFactory()))


def test_one_chair_one_secretary_one_seat_per_account_and_person(db):
    chair = CouncilMemberFactory(position=CouncilPosition.CHAIR)
    council = chair.council
    assert errors(CouncilMemberFactory.build(council=council, user=UserFactory(role=Role.COUNCIL, password=None),
                                             person=PersonFactory(), position=CouncilPosition.CHAIR)) == {
        "__all__": ["Hội đồng đã có Chủ tịch."]}
    assert errors(CouncilMemberFactory.build(council=council, user=chair.user, person=PersonFactory())) == {
        "__all__": ["Tài khoản này đã là thành viên của Hội đồng."]}
    assert errors(CouncilMemberFactory.build(council=council, user=UserFactory(role=Role.COUNCIL, password=None),
                                             person=chair.person)) == {"__all__": ["Cá nhân này đã là thành viên của Hội đồng."]}
    CouncilMemberFactory(council=council, position=CouncilPosition.SECRETARY, votes=False)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CouncilMemberFactory(council=council, position=CouncilPosition.SECRETARY)
    chair.active = False
    chair.save()
    CouncilMemberFactory(council=council, position=CouncilPosition.CHAIR)  # a new chair once the old one left


def test_only_the_secretary_may_sit_without_a_vote(db):
    seat = CouncilMemberFactory.build(council=CouncilFactory(), user=UserFactory(role=Role.COUNCIL, password=None),
                                      person=PersonFactory(), position=CouncilPosition.MEMBER, votes=False)
    assert errors(seat)["votes"] == ["Chỉ Thư ký có thể là thành viên không biểu quyết."]
    with transaction.atomic(), pytest.raises(IntegrityError):
        seat.save()


# ---------------------------------------------------------------- meetings

def test_a_sitting_needs_time_and_place_a_consultation_its_deadline(db):
    chair = CouncilMemberFactory(position=CouncilPosition.CHAIR)
    secretary = CouncilMemberFactory(council=chair.council, position=CouncilPosition.SECRETARY, votes=False)
    sitting = Meeting(council=chair.council, kind=MeetingKind.SITTING, title="Phiên họp", date=datetime.date(2026, 1, 15),
                      chair=chair, secretary=secretary)
    assert errors(sitting) == {"start_time": ["Hãy ghi giờ họp."], "place": ["Hãy ghi địa điểm họp."]}
    written = Meeting(council=chair.council, kind=MeetingKind.WRITTEN, title="Lấy ý kiến", date=datetime.date(2026, 1, 15),
                      chair=chair, secretary=secretary)
    assert errors(written) == {"deadline": ["Lấy ý kiến bằng văn bản phải có hạn trả lời."]}
    written.deadline = timezone.make_aware(datetime.datetime(2026, 1, 10, 17, 0))
    assert errors(written) == {"deadline": ["Hạn trả lời không được trước ngày gửi lấy ý kiến."]}


def test_the_chair_votes_is_not_the_secretary_and_both_sit_on_this_council(db):
    chair = CouncilMemberFactory(position=CouncilPosition.CHAIR)
    secretary = CouncilMemberFactory(council=chair.council, position=CouncilPosition.SECRETARY, votes=False)
    stranger = CouncilMemberFactory(council=CouncilFactory(active=False))
    meeting = Meeting(council=chair.council, kind=MeetingKind.SITTING, title="Phiên họp", date=datetime.date(2024, 1, 15),
                      start_time=datetime.time(8), place="Hội trường", chair=secretary, secretary=stranger)
    assert errors(meeting) == {
        "secretary": [f"{stranger} không phải thành viên đang hoạt động của Hội đồng này."],
        "chair": ["Người chủ trì phải là thành viên có quyền biểu quyết."],
        "date": ["Ngày 15/01/2024 nằm ngoài nhiệm kỳ của Hội đồng."]}
    meeting.chair, meeting.secretary, meeting.date = chair, chair, datetime.date(2026, 1, 15)
    assert errors(meeting) == {"secretary": ["Người chủ trì và thư ký phải là hai người khác nhau."]}
    with transaction.atomic(), pytest.raises(IntegrityError):
        meeting.save()  # the database refuses it too


# ---------------------------------------------------------------- voting rules

def test_a_voting_rule_validates_its_terms(db):
    rule = VotingRuleFactory.build(title=title("LDTT"), form=form("GIAY_KHEN"), threshold=Decimal("120"), quorum_numerator=4,
                                   quorum_denominator=3, effective_from=datetime.date(2026, 1, 1),
                                   effective_to=datetime.date(2025, 1, 1))
    found = errors(rule)
    assert found["form"] == ["Chọn một danh hiệu hoặc một hình thức khen thưởng, không chọn cả hai."]
    assert found["threshold"] == ["Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 100 ."]  # Django's own translation
    assert found["quorum_numerator"] == ["Số thành viên có mặt tối thiểu không được quá toàn bộ thành viên (tử số ≤ mẫu số)."]
    assert found["effective_to"] == ["Ngày kết thúc phải sau ngày bắt đầu áp dụng."]


def test_two_rules_for_one_award_never_overlap(db):
    first = rule_for(title("LDTT"), effective_from=datetime.date(2025, 1, 1))
    overlapping = VotingRuleFactory.build(title=title("LDTT"), effective_from=datetime.date(2026, 1, 1))
    assert errors(overlapping) == {"effective_from": [
        f"Quy tắc “{first}” đã áp dụng cho Lao động tiên tiến trong khoảng thời gian này: hãy kết thúc quy tắc đó trước ngày "
        "bắt đầu của quy tắc mới."]}
    first.effective_to = datetime.date(2025, 12, 31)
    first.save()
    overlapping.full_clean()
    overlapping.save()
    VotingRuleFactory.build(title=title("CSTD_TINH"), effective_from=datetime.date(2026, 1, 1), active=True)  # other award: fine


def test_the_rule_of_an_award_on_a_date(db):
    old = rule_for(title("LDTT"), effective_from=datetime.date(2023, 1, 1), effective_to=datetime.date(2025, 6, 30))
    new = rule_for(title("LDTT"), effective_from=datetime.date(2025, 7, 1), threshold=Decimal("70"))
    default = VotingRule.objects.get(title__isnull=True, form__isnull=True)
    assert VotingRule.objects.for_award(title("LDTT"), datetime.date(2025, 6, 30)) == old
    assert VotingRule.objects.for_award(title("LDTT"), datetime.date(2025, 7, 1)) == new
    assert VotingRule.objects.for_award(form("GIAY_KHEN"), datetime.date(2025, 7, 1)) == default
    assert VotingRule.objects.for_award(title("LDTT"), datetime.date(2022, 1, 1)) == default
    default.active = False
    default.save()
    with pytest.raises(ValidationError) as exc:
        VotingRule.objects.for_award(form("GIAY_KHEN"), datetime.date(2025, 7, 1))
    assert exc.value.messages == ["Chưa có quy tắc biểu quyết áp dụng cho “Giấy khen của Giám đốc Sở” vào ngày 01/07/2025: Văn phòng "
                                  "cần khai báo quy tắc (hoặc quy tắc chung)."]


def test_the_seeded_defaults_say_they_come_from_the_councils_quy_che(db):
    rows = {(r.title.code if r.title else r.form.code if r.form else None): r for r in VotingRule.objects.all()}
    assert set(rows) == {None, "CSTDCS", "CSTD_TINH", "BK_TINH", "CO_TINH"}
    assert all(r.legal_basis.startswith("Quy chế tổ chức và hoạt động của Hội đồng Thi đua – Khen thưởng Sở") for r in rows.values())
    default, cstd = rows[None], rows["CSTD_TINH"]
    assert (default.method, default.base, default.threshold, default.comparison, default.quorum_numerator,
            default.quorum_denominator) == (VotingMethod.OPEN, VotingBase.PRESENT, Decimal("50.00"), ThresholdComparison.MORE_THAN, 2, 3)
    assert (cstd.method, cstd.base, cstd.threshold, cstd.comparison, cstd.written_opinions_count, cstd.allows_abstention) == (
        VotingMethod.SECRET, VotingBase.ALL, Decimal("90.00"), ThresholdComparison.AT_LEAST, True, False)
    assert cstd.description_text == (
        "Bỏ phiếu kín; đạt khi số phiếu đồng ý từ 90% trở lên so với tổng số thành viên Hội đồng (không tính thành viên không "
        "tham gia xét); cần có mặt ít nhất 2/3 thành viên; ý kiến bằng văn bản của thành viên vắng mặt được tính; không có "
        "lựa chọn “không biểu quyết”.")
