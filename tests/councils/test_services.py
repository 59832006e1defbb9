"""Services of the councils app other than the votes (test_voting.py): the council's set-up, meetings, the agenda built
from the vetted nominations, attendance, recusals by hand and the members' review. Every write is audited; wrong roles
are refused; bad input changes nothing."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils import services
from councils.enums import AttendanceStatus, CouncilPosition, ItemState, MeetingKind, MeetingState
from councils.models import AgendaItem, Attendance, Council, CouncilMember, ItemComment, ItemReading, Meeting, Recusal, VotingRule
from movements.models import PositionAssignment
from nominations.enums import NominationState
from nominations.models import Nomination
from tdkt.models import AuditEvent
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.councils import MEETING_DAY, present, rule_for, sitting, vetted
from tests.factories.nominations import NominationFactory, SubmissionFactory, staff, title

pytestmark = pytest.mark.integration


def audit(obj):
    return list(AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
                .order_by("id").values_list("action", "changes"))


# ---------------------------------------------------------------- the council

def test_the_office_sets_up_the_council_and_its_members(office, unit_a):
    council = services.council_create(actor=office, name=unicodedata.normalize("NFD", "Hội đồng TĐKT  Sở"), decision_number="12/QĐ-SKHCN",
                                      decision_date=datetime.date(2025, 1, 2), term_start=datetime.date(2025, 1, 2))
    assert council.name == "Hội đồng TĐKT Sở"
    assert audit(council)[0][0] == "create"
    director = PersonFactory(unit=unit_a, is_head=True, is_leadership=True)
    chair = services.member_add(actor=office, council=council, user=UserFactory(role=Role.COUNCIL, password=None), person=director,
                                position=CouncilPosition.CHAIR)
    clerk = services.member_add(actor=office, council=council, user=office, person=PersonFactory(unit=unit_a),
                                position=CouncilPosition.SECRETARY, votes=False)
    assert (chair.sort_order, clerk.sort_order) == (10, 20)
    assert audit(clerk) == [("create", {"council": [None, str(council)], "user": [None, str(office)], "person": [None, str(clerk.person)],
                                        "position": [None, "secretary"], "votes": [None, False], "active": [None, True],
                                        "sort_order": [None, 20]})]
    services.member_update(actor=office, member=chair, active=False)
    assert audit(chair)[-1] == ("update", {"active": [True, False]})
    with pytest.raises(TypeError):
        services.member_update(actor=office, member=chair, person=director)
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=office, council=council, user=UnitUserFactory(unit=unit_a, password=None),
                            person=PersonFactory(unit=unit_a))
    assert list(exc.value.message_dict) == ["user"]
    assert CouncilMember.objects.count() == 2


def test_only_the_office_sets_up_councils_and_rules(council9, unit_a):
    council, seats, _secretary = council9
    for actor in (seats[0].user, UnitUserFactory(unit=unit_a, password=None)):
        with pytest.raises(PermissionDenied):
            services.council_update(actor=actor, council=council, name="Khác")
        with pytest.raises(PermissionDenied):
            services.member_add(actor=actor, council=council, user=actor, person=PersonFactory())
        with pytest.raises(PermissionDenied):
            services.voting_rule_create(actor=actor, name="Quy tắc", legal_basis="Quy chế", effective_from=datetime.date(2026, 1, 1),
                                        threshold=Decimal("70"))
    assert Council.objects.get().name != "Khác"


def test_voting_rules_are_edited_with_their_basis_and_audited(office):
    rule = services.voting_rule_create(actor=office, name="Lao động tiên tiến", title=title("LDTT"), threshold=Decimal("70"),
                                       legal_basis="Điều 12 Quy chế hoạt động của Hội đồng", effective_from=datetime.date(2026, 1, 1))
    services.voting_rule_update(actor=office, rule=rule, threshold=Decimal("75"), method="secret")
    assert audit(rule)[-1] == ("update", {"method": ["open", "secret"], "threshold": ["70.00", "75"]})
    with pytest.raises(ValidationError) as exc:
        services.voting_rule_update(actor=office, rule=rule, legal_basis="  ")
    assert exc.value.message_dict == {"legal_basis": ["Hãy ghi căn cứ của quy tắc biểu quyết."]}
    with pytest.raises(ValidationError):
        services.voting_rule_create(actor=office, name="Trùng", title=title("LDTT"), threshold=Decimal("70"), legal_basis="Quy chế",
                                    effective_from=datetime.date(2026, 6, 1))
    assert VotingRule.objects.filter(title__code="LDTT").count() == 1


# ---------------------------------------------------------------- meetings and the agenda

def test_a_meeting_is_created_with_the_roll_of_the_active_members(office, council9):
    council, seats, secretary = council9
    CouncilMember.objects.filter(pk=seats[8].pk).update(active=False)
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title="Phiên họp tháng 1",
                                      date=MEETING_DAY, chair=seats[0], secretary=secretary, start_time=datetime.time(8),
                                      place="Hội trường", deadline=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert (meeting.state, meeting.deadline, meeting.created_by) == (MeetingState.DRAFT, None, office)
    assert set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True)) == {s.pk for s in [*seats[:8], secretary]}
    assert set(Attendance.objects.values_list("status", flat=True)) == {AttendanceStatus.ABSENT}
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=seats[0].user, council=council, kind=MeetingKind.SITTING, title="X", date=MEETING_DAY,
                                chair=seats[0], secretary=secretary, start_time=datetime.time(8), place="Y")


def test_the_agenda_is_built_in_bulk_from_vetted_nominations_grouped_by_title(office, council9):
    council, seats, secretary = council9
    unit_x, unit_y = UnitFactory(sort_order=2), UnitFactory(sort_order=1)
    cstdcs = vetted(1, unit=unit_x, code="CSTDCS")
    ldtt_x, ldtt_y = vetted(2, unit=unit_x), vetted(1, unit=unit_y)
    draft = NominationFactory(submission=SubmissionFactory(unit=unit_x), person=staff(unit_x, 1)[0])
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title="Phiên họp", date=MEETING_DAY,
                                      chair=seats[0], secretary=secretary, start_time=datetime.time(8), place="Hội trường")
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=office, meeting=meeting, nominations=[*ldtt_x, draft])
    assert exc.value.messages == [f"{draft}: đang ở trạng thái “Nháp”, chỉ đưa ra Hội đồng đề nghị đã thẩm định đạt."]
    assert (AgendaItem.objects.count(), set(Nomination.objects.filter(pk__in=[n.pk for n in ldtt_x]).values_list("state", flat=True))) == (
        0, {NominationState.VETTED_PASS})
    items = services.agenda_add(actor=office, meeting=meeting, nominations=[*cstdcs, *ldtt_x, *ldtt_y])
    assert [i.nomination_id for i in AgendaItem.objects.order_by("position")] == [
        ldtt_y[0].pk, *sorted((n.pk for n in ldtt_x), key=lambda pk: str(Nomination.objects.get(pk=pk).person)), cstdcs[0].pk]
    assert [i.position for i in AgendaItem.objects.order_by("position")] == [10, 20, 30, 40]
    assert set(Nomination.objects.filter(pk__in=[i.nomination_id for i in items]).values_list("state", flat=True)) == {
        NominationState.AT_COUNCIL}
    with pytest.raises(ValidationError, match="chỉ đưa ra Hội đồng đề nghị đã thẩm định đạt"):
        services.agenda_add(actor=office, meeting=meeting, nominations=ldtt_y)  # already on it
    with pytest.raises(PermissionDenied):
        services.agenda_add(actor=seats[0].user, meeting=meeting, nominations=vetted(1))


def test_the_agenda_is_judged_by_the_rules_as_a_whole(office, council9):
    council, seats, secretary = council9
    unit = UnitFactory()
    submission = SubmissionFactory(unit=unit)
    people = staff(unit, 2) + staff(unit, 1, leader=True)
    nominations = [NominationFactory(submission=submission, person=p, state=NominationState.VETTED_PASS) for p in people]
    PositionAssignment.objects.filter(person=people[1]).update(is_leadership=True)  # 2 leaders of 3 after vetting
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title="Phiên họp", date=MEETING_DAY,
                                      chair=seats[0], secretary=secretary, start_time=datetime.time(8), place="Hội trường")
    with pytest.raises(ValidationError, match="R1 – Tỷ lệ cá nhân lãnh đạo, quản lý"):
        services.agenda_add(actor=office, meeting=meeting, nominations=nominations)
    assert AgendaItem.objects.count() == 0


def test_an_item_comes_off_the_agenda_only_before_the_meeting(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             statuses=present(seats), start=False)
    services.agenda_remove(actor=office, item=items[0])
    assert (AgendaItem.objects.filter(pk=items[0].pk).exists(), Nomination.objects.get(pk=items[0].nomination_id).state) == (
        False, NominationState.VETTED_PASS)
    assert AuditEvent.objects.filter(content_type__model="agendaitem", object_id=str(items[0].pk), action="delete").exists()
    services.meeting_start(actor=office, meeting=meeting)
    with pytest.raises(ValidationError, match="không rút nội dung được nữa"):
        services.agenda_remove(actor=office, item=items[1])
    services.item_defer(actor=seats[0].user, item=items[1], reason="Chờ bổ sung hồ sơ")
    assert (AgendaItem.objects.get(pk=items[1].pk).state, Nomination.objects.get(pk=items[1].nomination_id).state) == (
        ItemState.DEFERRED, NominationState.VETTED_PASS)


def test_a_meeting_is_edited_only_while_it_is_prepared(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, _items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              start=False)
    services.meeting_update(actor=office, meeting=meeting, place=" Phòng họp  số 2 ", chair=seats[1])
    assert Meeting.objects.values_list("place", "chair").get() == ("Phòng họp số 2", seats[1].pk)
    assert AuditEvent.objects.filter(content_type__model="meeting", action="update").get().changes == {
        "place": ["Phòng họp tầng 3", "Phòng họp số 2"], "chair": [str(seats[0]), str(seats[1])]}
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(actor=office, meeting=meeting, chair=secretary)
    assert exc.value.message_dict["secretary"] == ["Người chủ trì và thư ký phải là hai người khác nhau."]
    services.meeting_start(actor=office, meeting=meeting)
    with pytest.raises(ValidationError, match="không sửa được nữa"):
        services.meeting_update(actor=office, meeting=meeting, place="Khác")


# ---------------------------------------------------------------- attendance

def test_attendance_by_the_office_or_the_secretary_never_during_a_vote(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    with pytest.raises(PermissionDenied):
        services.attendance_set(actor=seats[0].user, meeting=meeting, statuses=present(seats))
    changed = services.attendance_set(actor=secretary.user, meeting=meeting, statuses=present(seats[:8], written=seats[8:]),
                                      notes={seats[8]: "Đi công tác, gửi phiếu"})
    assert len(changed) == 9
    assert Attendance.objects.get(member=seats[8]).note == "Đi công tác, gửi phiếu"
    with pytest.raises(ValidationError):
        services.attendance_set(actor=office, meeting=meeting, statuses={seats[0]: "maybe"})
    with pytest.raises(ValidationError, match="không có tên"):
        services.attendance_set(actor=office, meeting=meeting, statuses={999999: AttendanceStatus.PRESENT})
    services.voting_open(actor=seats[0].user, items=[item])
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=office, meeting=meeting, statuses={seats[8]: AttendanceStatus.PRESENT})
    assert exc.value.messages == ["Đang có nội dung biểu quyết: hãy kết thúc biểu quyết rồi mới điểm danh lại."]
    assert Attendance.objects.get(member=seats[8]).status == AttendanceStatus.ABSENT_WRITTEN


# ---------------------------------------------------------------- recusals

def test_a_manual_recusal_is_removed_by_the_chair_an_automatic_one_never(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    own = NominationFactory(submission=SubmissionFactory(unit=seats[4].person.unit), person=seats[4].person,
                            state=NominationState.VETTED_PASS)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[own],
                               statuses=present(seats))
    automatic = Recusal.objects.get(item=item)
    manual = services.recusal_add(actor=office, item=item, member=seats[5], reason="Vợ của người được đề nghị")
    with pytest.raises(ValidationError, match="đã không tham gia xét"):
        services.recusal_add(actor=office, item=item, member=seats[5], reason="Lần nữa")
    with pytest.raises(ValidationError, match="là tự động"):
        services.recusal_remove(actor=seats[0].user, recusal=automatic)
    with pytest.raises(PermissionDenied):
        services.recusal_remove(actor=seats[5].user, recusal=manual)
    services.recusal_remove(actor=seats[0].user, recusal=manual)
    assert list(Recusal.objects.values_list("member_id", flat=True)) == [seats[4].pk]
    services.voting_open(actor=seats[0].user, items=[item])
    with pytest.raises(ValidationError, match="trước khi biểu quyết"):
        services.recusal_add(actor=office, item=item, member=seats[6], reason="Muộn")


def test_automatic_recusals_follow_the_position_history_until_the_vote(office, council9):
    council, seats, secretary = council9
    rule_for(title("TTLDTT"))
    unit = UnitFactory()
    nomination = NominationFactory(submission=SubmissionFactory(unit=unit), person=None, unit=unit, title=title("TTLDTT"),
                                   state=NominationState.VETTED_PASS)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[nomination],
                               statuses=present(seats))
    assert not Recusal.objects.exists()
    # a backdated move: on the round's reference date (15/12/2025) seats[3] worked in the nominated unit
    PositionAssignment.objects.filter(person=seats[3].person).update(unit=unit)
    services.voting_open(actor=seats[0].user, items=[item])
    assert list(Recusal.objects.values_list("member_id", "automatic")) == [(seats[3].pk, True)]


# ---------------------------------------------------------------- review

def test_members_open_and_comment_the_items_the_office_sees_who_read(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    first = services.item_mark_read(actor=seats[2].user, item=item)
    again = services.item_mark_read(actor=seats[2].user, item=item)
    assert (first.pk, again.pk, services.item_mark_read(actor=office, item=item)) == (first.pk, first.pk, None)
    assert AuditEvent.objects.filter(content_type__model="itemreading").count() == 1
    comment = services.item_comment_add(actor=seats[2].user, item=item, text=" Đề nghị  làm rõ\nsáng kiến ")
    assert comment.text == "Đề nghị làm rõ\nsáng kiến"
    for actor in (office, UserFactory(role=Role.COUNCIL, password=None)):
        with pytest.raises(PermissionDenied):
            services.item_comment_add(actor=actor, item=item, text="Ý kiến")
    with pytest.raises(ValidationError):
        services.item_comment_add(actor=seats[2].user, item=item, text="x" * 2001)
    services.meeting_start(actor=office, meeting=meeting)
    services.meeting_close(actor=office, meeting=meeting)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.item_comment_add(actor=seats[2].user, item=item, text="Muộn")
    assert (ItemComment.objects.count(), ItemReading.objects.count()) == (1, 1)
