"""The pages of the councils app (views, forms, templates): the office's management, the members' pages, voting from
each member's own screen with its confirmation, the live parts (htmx partials), the summary, and what the nomination
pages no longer offer."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.enums import AttendanceStatus, Choice, CouncilPosition, ItemState, MeetingKind, MeetingState, Outcome
from councils.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    ItemComment,
    ItemReading,
    Meeting,
    Participation,
    VoteRound,
    VotingRule,
)
from movements.models import PerformanceRating
from nominations.enums import NominationState
from nominations.models import AwardRecord, Nomination, Rule, RuleOverride, SubmissionDocument
from nominations.services import nominations_bulk_transition
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.councils import (
    MEETING_DAY,
    consultation,
    present,
    rule_for,
    sitting,
    vetted,
)
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration

HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, user, url, **extra):
    client.force_login(user)
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def item_url(item, name="item_detail"):
    return reverse(f"councils:{name}", args=[item.pk])


def meeting_url(meeting, name="meeting_detail"):
    return reverse(f"councils:{name}", args=[meeting.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def open_sitting(office, council9):
    """A sitting of the council of 9 with 7 present, two LĐTT nominations, an open vote (biểu quyết công khai, ≥ 50 % of
    the members present)."""
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="open", base="present", threshold=Decimal("50"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             statuses=present(seats[:7]))
    return meeting, items, seats, secretary


# ---------------------------------------------------------------- the meeting page

def _meeting_with(office, council, seats, secretary, n, unit):
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary,
                             nominations=vetted(n, unit=unit) + vetted(1, unit=unit, code="CSTDCS"),
                             statuses=present(seats[:7]))
    services.voting_open(actor=seats[0].user, items=items[:2])
    services.vote_cast(actor=seats[1].user, item=items[0], choice=Choice.YES)
    services.recusal_add(actor=office, item=items[-1], member=seats[2], reason="Quan hệ gia đình")
    return meeting


@pytest.mark.parametrize("viewer", ["member", "chair", "office"])
def test_the_meeting_page_query_count_does_not_grow_with_the_agenda(client, office, council9, viewer):
    """The same number of queries for 3 items and for 15 (the page, its live part, an item's live part), under a bound."""
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="secret", base="present", threshold=Decimal("50"))
    small = _meeting_with(office, council, seats, secretary, 2, UnitFactory())
    large = _meeting_with(office, council, seats, secretary, 14, UnitFactory())
    user = {"member": seats[1].user, "chair": seats[0].user, "office": office}[viewer]
    client.force_login(user)

    def counted(url, **extra):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **extra)
        assert response.status_code == 200, url
        return len(captured), response.content.decode()

    assert client.get(meeting_url(small)).status_code == 200  # the session's first page fills what later ones find cached
    queries = {}
    for meeting, n in ((small, 3), (large, 15)):
        for part, extra in (("page", {}), ("live", HTMX)):
            queries[part, n], html = counted(meeting_url(meeting), **extra)
            assert html.count('id="noi-dung-') == n
        queries["item", n], html = counted(item_url(meeting.items.order_by("position").first()), **HTMX)
        assert html.strip().startswith('<section id="item-state"')
    # the page and its live part: 15, and the header's unread notifications (issue 13); the item's live part, polled every 3 s
    for part, bound in (("page", 16), ("live", 16), ("item", 18)):
        assert queries[part, 3] == queries[part, 15] <= bound, (part, queries)


def test_the_meeting_page_groups_the_agenda_by_title_with_each_members_situation(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    services.voting_open(actor=seats[0].user, items=[items[0]])
    services.vote_cast(actor=seats[1].user, item=items[0], choice=Choice.YES)
    html = page(client, seats[1].user, meeting_url(meeting))
    assert html.count('class="agenda-group"') == 1  # two LĐTT items: one group
    assert "Lao động tiên tiến" in html and "đã biểu quyết 1/7" in html
    assert "✓ đã biểu quyết" in html  # the viewer's own situation on item 1
    html = page(client, seats[2].user, meeting_url(meeting))
    assert "Có 1 nội dung đang chờ bạn biểu quyết." in html
    assert reverse("councils:ballot", args=[meeting.pk]) in html


def test_the_live_part_polls_every_3s_while_the_meeting_runs_and_stops_after(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    client.force_login(seats[1].user)
    fragment = client.get(meeting_url(meeting), **HTMX).content.decode().strip()
    url = meeting_url(meeting)
    assert fragment.startswith(f'<div id="meeting-state" hx-get="{url}" hx-trigger="every 3s" hx-swap="outerHTML">')
    assert "<html" not in fragment and "Thành phần tham dự" not in fragment
    services.meeting_close(actor=seats[0].user, meeting=meeting)
    fragment = client.get(meeting_url(meeting), **HTMX).content.decode().strip()
    assert fragment.startswith('<div id="meeting-state">')
    assert "hx-trigger" not in fragment


def test_the_pages_load_htmx_and_app_js_from_our_origin_and_have_no_inline_script(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    for url in (meeting_url(meeting), item_url(items[0]), reverse("councils:home"), meeting_url(meeting, "attendance")):
        client.force_login(seats[0].user if "diem-danh" not in url else _secretary.user)
        response = client.get(url)
        html = response.content.decode()
        assert '<script src="/static/js/htmx-2.0.11.min.js" defer></script>' in html
        assert "<script>" not in html and " style=" not in html and "onclick" not in html
        assert "script-src 'self'" in response["Content-Security-Policy"]


# ---------------------------------------------------------------- the item page: the dossier, readings, comments

def test_the_item_page_shows_the_dossier_and_records_the_reading(client, office, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    item = items[0]
    nomination = item.nomination
    Nomination.objects.filter(pk=nomination.pk).update(achievement_summary="Hoàn thành xuất sắc nhiệm vụ; 2 sáng kiến cấp cơ sở.")
    AwardRecord.objects.create(person=nomination.person, title=title("LDTT"), year=2023, kind="annual", decision_number="15/QĐ-SKHCN",
                               decision_date=datetime.date(2024, 1, 10), issuer="Giám đốc Sở")
    PerformanceRating.objects.filter(person=nomination.person).delete()
    PerformanceRating.objects.create(person=nomination.person, year=2025, rating="HTXSNV")
    SubmissionDocument.objects.create(submission=nomination.submission, nomination=nomination, kind="report",
                                      file="tai-lieu/bao-cao.pdf", original_name="bao-cao-thanh-tich.pdf", size=10, uploaded_by=office)
    html = page(client, seats[3].user, item_url(item))
    for text in ("Hoàn thành xuất sắc nhiệm vụ; 2 sáng kiến cấp cơ sở.", "bao-cao-thanh-tich.pdf", "15/QĐ-SKHCN ngày 10/01/2024",
                 "<strong>2025</strong>: Hoàn thành xuất sắc nhiệm vụ", "Đạt các quy định kiểm tra.", "Ý kiến thẩm định của Văn phòng",
                 nomination.submission.unit.name, "Nội dung 1/2", "Nội dung sau"):
        assert text in html, text
    reading = ItemReading.objects.get()
    assert (reading.item_id, reading.member_id) == (item.pk, seats[3].pk)
    page(client, seats[3].user, item_url(item))
    page(client, office, item_url(item))  # the office reads without being recorded
    assert ItemReading.objects.count() == 1
    html = page(client, office, meeting_url(meeting, "readings"))
    assert html.count("✓ ") == 1 and '<td class="num">1/10</td>' in html  # 9 voting members and the secretary on the roll
    assert seats[3].person.full_name in html


def test_the_item_page_shows_rule_overrides_with_their_reasons_and_the_vetting_note(client, office, council9):
    council, seats, secretary = council9
    [nomination] = vetted(1)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.SUBMITTED)
    nominations_bulk_transition(actor=office, nominations=[Nomination.objects.get(pk=nomination.pk)],
                                to_state=NominationState.VETTED_PASS, reason="Hồ sơ đầy đủ, đúng quy định.")
    RuleOverride.objects.create(nomination=nomination, rule=Rule.objects.get(code="R8"), reason="Đơn vị có 3 người, tỷ lệ làm tròn.",
                                created_by=office)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[nomination],
                               start=False)
    html = page(client, seats[1].user, item_url(item))
    assert '<dd class="prewrap">Hồ sơ đầy đủ, đúng quy định.</dd>' in html
    assert "<strong>R8</strong> – Đơn vị có 3 người, tỷ lệ làm tròn." in html
    assert "Biểu quyết khi phiên họp diễn ra." in html


def test_recusals_are_shown_on_the_item_and_on_the_meeting_page(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    own = NominationFactory(submission=SubmissionFactory(unit=seats[5].person.unit), person=seats[5].person,
                            state=NominationState.VETTED_PASS)
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[own],
                              statuses=present(seats))
    manual = services.recusal_add(actor=office, item=item, member=seats[6], reason="Quan hệ gia đình")
    automatic = item.recusals.get(automatic=True)
    nominee, relative = seats[5].person.full_name, seats[6].person.full_name
    for viewer, may_undo in ((seats[1].user, False), (office, True)):
        html = page(client, viewer, item_url(item))
        assert (f'<li><strong>{nominee}</strong>: Là người được đề nghị. <span class="muted small">(tự động, theo quá trình '
                'công tác)</span>') in html
        assert f'<li><strong>{relative}</strong>: Quan hệ gia đình <span class="muted small">(ghi nhận)</span>' in html
        assert (reverse("councils:recusal_remove", args=[manual.pk]) in html) is may_undo
        assert reverse("councils:recusal_remove", args=[automatic.pk]) not in html  # automatic: never removed by hand
        html = page(client, viewer, meeting_url(meeting))
        assert f'<td class="hide-sm small">{nominee}; {relative}</td>' in html


def test_a_member_comments_on_an_item_for_the_meeting(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    client.force_login(seats[4].user)
    url = item_url(items[0], "item_comment")
    response = client.post(url, {"text": ""}, follow=True)
    assert messages_of(response) == ["Trường này là bắt buộc."]
    assert ItemComment.objects.count() == 0
    response = client.post(url, {"text": "Đề nghị làm rõ  sáng kiến năm 2025."}, follow=True)
    assert messages_of(response) == ["Đã ghi ý kiến của bạn."]
    assert ItemComment.objects.get().text == "Đề nghị làm rõ sáng kiến năm 2025."
    assert "Đề nghị làm rõ sáng kiến năm 2025." in page(client, seats[5].user, item_url(items[0]))


# ---------------------------------------------------------------- voting from a member's screen

def test_a_member_votes_with_a_confirmation_and_cannot_vote_twice(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    item = items[0]
    services.voting_open(actor=seats[0].user, items=[item])
    html = page(client, seats[1].user, item_url(item))
    assert 'name="choice" value="yes"' in html and 'name="choice" value="no"' in html and 'name="choice" value="abstain"' in html
    response = client.post(item_url(item, "vote"), {"choice": "yes"})
    assert response.status_code == 200
    assert "Xác nhận biểu quyết" in response.content.decode() and Participation.objects.count() == 0
    response = client.post(item_url(item, "vote"), {"choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == [f"Đã ghi nhận biểu quyết của bạn: {item}."]
    assert list(Participation.objects.values_list("member", "choice")) == [(seats[1].pk, Choice.YES)]
    assert "Bạn đã biểu quyết nội dung này." in response.content.decode()
    response = client.post(item_url(item, "vote"), {"choice": "no", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Bạn đã biểu quyết nội dung này."]
    assert Participation.objects.count() == 1


def test_a_vote_without_a_choice_or_with_a_choice_the_rule_lacks_changes_nothing(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="secret", allows_abstention=False)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[item])
    client.force_login(seats[1].user)
    assert 'value="abstain"' not in page(client, seats[1].user, item_url(item))
    for data in ({}, {"choice": "abstain", "confirm": "1"}, {"choice": "maybe", "confirm": "1"}):
        response = client.post(item_url(item, "vote"), data, follow=True)
        assert messages_of(response) == ["Hãy chọn đồng ý hoặc không đồng ý."] if not data else len(messages_of(response)) == 1
    assert Participation.objects.count() == 0


def test_an_absent_member_and_a_recused_member_are_refused(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="open", base="present", threshold=Decimal("50"))
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats[:7]))
    services.recusal_add(actor=office, item=item, member=seats[6], reason="Là người thân của người được đề nghị")
    services.voting_open(actor=seats[0].user, items=[item])
    html = page(client, seats[8].user, item_url(item))
    assert "Bạn không biểu quyết nội dung này" in html and 'name="choice"' not in html
    response = client.post(item_url(item, "vote"), {"choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Bạn không có mặt tại phiên họp: chỉ thành viên có mặt được biểu quyết."]
    html = page(client, seats[6].user, item_url(item))
    assert "Bạn không tham gia xét nội dung này: Là người thân của người được đề nghị" in html
    response = client.post(item_url(item, "vote"), {"choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Bạn không tham gia xét nội dung này: Là người thân của người được đề nghị"]
    assert Participation.objects.count() == 0


def test_the_ballot_casts_every_chosen_item_together_or_none(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="secret", base="present", threshold=Decimal("50"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(3),
                             statuses=present(seats[:7]))
    services.voting_open(actor=seats[0].user, items=items)
    client.force_login(seats[1].user)
    url = meeting_url(meeting, "ballot")
    html = client.get(url).content.decode()
    assert html.count('class="ballot-row"') == 3
    response = client.post(url, {f"choice_{items[0].pk}": "yes", f"choice_{items[1].pk}": "no"})
    assert response.status_code == 200 and Participation.objects.count() == 0
    assert response.content.decode().count('<span class="badge vote-') == 2
    # another screen closes item 2 before the confirmation: the whole ballot is refused
    services.vote_cast(actor=seats[1].user, item=items[1], choice=Choice.NO)
    response = client.post(url, {f"choice_{items[0].pk}": "yes", f"choice_{items[1].pk}": "no", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Có nội dung không còn chờ bạn biểu quyết (đã biểu quyết hoặc đã kết thúc): hãy xem lại "
                                     "phiếu biểu quyết."]
    assert Participation.objects.filter(member=seats[1]).count() == 1
    response = client.post(url, {f"choice_{items[0].pk}": "yes", f"choice_{items[2].pk}": "abstain", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Đã ghi nhận 2 ý kiến biểu quyết của bạn."]
    assert Participation.objects.filter(member=seats[1]).count() == 3
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert messages_of(response) == ["Chưa chọn ý kiến cho nội dung nào."]


def test_the_chair_opens_and_closes_and_the_outcome_flows_back(client, open_sitting):
    meeting, items, seats, _secretary = open_sitting
    item = items[0]
    html = page(client, seats[0].user, item_url(item))
    assert "Mở biểu quyết" in html
    response = client.post(item_url(item, "voting_open"), follow=True)
    assert messages_of(response) == [f"Đã mở biểu quyết: {item}."]
    for seat, choice in zip(seats[1:6], ["yes", "yes", "yes", "yes", "no"], strict=True):
        client.force_login(seat.user)
        client.post(item_url(item, "vote"), {"choice": choice, "confirm": "1"})
    html = page(client, seats[0].user, item_url(item))
    assert "Đã biểu quyết: 5/7 thành viên" in html
    assert "Đồng ý: 4 · Không đồng ý: 1 · Không biểu quyết: 0" in html  # an open vote: the chair sees the tally
    html = page(client, seats[0].user, item_url(item, "voting_close"))
    assert '<td class="num">5/7</td><td class="num">2</td>' in html
    assert Nomination.objects.get(pk=item.nomination_id).state == NominationState.AT_COUNCIL
    response = client.post(item_url(item, "voting_close"), {"confirm": "1"}, follow=True)
    assert messages_of(response) == ["Đã kết thúc biểu quyết 1 nội dung."]
    assert Nomination.objects.get(pk=item.nomination_id).state == NominationState.COUNCIL_PASSED
    vote_round = VoteRound.objects.get(item=item)
    assert (vote_round.yes_count, vote_round.no_count, vote_round.base_count, vote_round.percentage, vote_round.outcome) == (
        4, 1, 7, Decimal("57.14"), Outcome.PASSED)
    html = page(client, seats[8].user, item_url(item))  # an absent member sees the result too
    assert '<span class="badge outcome-passed">Đạt</span>' in html
    assert "<strong>57,14%</strong>" in html
    assert f"{seats[1].person.full_name}: <strong>Đồng ý</strong>" in html  # an open vote: each member's choice
    assert f"{seats[5].person.full_name}: <strong>Không đồng ý</strong>" in html


# ---------------------------------------------------------------- secrecy on the pages

def _secret_vote(office, council9, choices):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="secret", base="present", threshold=Decimal("50"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats[:7]))
    services.voting_open(actor=seats[0].user, items=[item])
    for seat, choice in zip(seats[1:], choices, strict=False):
        services.vote_cast(actor=seat.user, item=item, choice=choice)
    return meeting, item, seats


def test_the_chair_sees_only_the_turnout_of_a_secret_ballot(client, office, council9):
    meeting, item, seats = _secret_vote(office, council9, [Choice.YES, Choice.NO, Choice.YES])
    html = page(client, seats[0].user, item_url(item))
    assert "Đã biểu quyết: 3/7 thành viên" in html
    assert "Bỏ phiếu kín: chỉ hiển thị số thành viên đã bỏ phiếu, không ai xem được lựa chọn." in html
    for text in ("Đồng ý: ", "Chưa biểu quyết", seats[1].person.full_name):
        assert text not in html, text
    assert "3/7" in page(client, seats[0].user, item_url(item, "voting_close"))


# ---------------------------------------------------------------- attendance and the quorum

def test_the_attendance_form_shows_the_quorum_live_and_saves(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    url = meeting_url(meeting, "attendance")
    html = page(client, secretary.user, url)
    assert "Chưa đủ số thành viên</strong>:\ncó mặt 0/9 thành viên có quyền biểu quyết, cần ít nhất 6 (2/3)" in html
    assert f'hx-get="{url}" hx-trigger="change" hx-target="#quorum"' in html
    statuses = {f"status_{seat.pk}": "present" for seat in seats[:6]}
    fragment = client.get(url, statuses, **HTMX).content.decode()
    assert "✓ Đủ số thành viên</strong>:\ncó mặt 6/9 thành viên có quyền biểu quyết, cần ít nhất 6 (2/3); 3 vắng mặt." in fragment
    assert "(chưa lưu)" in fragment and "<form" not in fragment
    assert Attendance.objects.filter(status=AttendanceStatus.PRESENT).count() == 0
    statuses = {f"status_{a.member_id}": "absent" for a in Attendance.objects.filter(meeting=meeting)}
    statuses.update({f"status_{seat.pk}": "present" for seat in seats[:5]})
    statuses[f"status_{seats[5].pk}"] = "written"
    statuses[f"note_{seats[5].pk}"] = "Đi công tác,  gửi ý kiến"
    response = client.post(url, statuses, follow=True)
    assert messages_of(response) == ["Đã lưu điểm danh (6 thay đổi)."]
    assert Attendance.objects.get(member=seats[5]).note == "Đi công tác, gửi ý kiến"
    assert "Chưa đủ số thành viên" in response.content.decode()
    services.meeting_start(actor=office, meeting=meeting)
    client.force_login(seats[0].user)
    response = client.post(item_url(item, "voting_open"), follow=True)
    assert messages_of(response) == ["Chưa đủ số thành viên có mặt: 5/9 thành viên có quyền biểu quyết, cần ít nhất 6 (2/3)."]
    assert AgendaItem.objects.get(pk=item.pk).state == ItemState.PENDING


def test_a_bad_attendance_status_changes_nothing(client, office, council9):
    council, seats, secretary = council9
    meeting, _items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    client.force_login(office)
    data = {f"status_{a.member_id}": "present" for a in Attendance.objects.filter(meeting=meeting)}
    data[f"status_{seats[0].pk}"] = "maybe"
    response = client.post(meeting_url(meeting, "attendance"), data)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ. maybe không phải là một trong các lựa chọn khả thi." in response.content.decode()
    assert Attendance.objects.filter(status=AttendanceStatus.PRESENT).count() == 0


# ---------------------------------------------------------------- the agenda builder

def test_the_agenda_builder_adds_vetted_nominations_in_bulk_by_unit_and_removes_one(client, office, council9):
    council, seats, secretary = council9
    unit_a, unit_b = UnitFactory(name="Phòng Kế hoạch"), UnitFactory(name="Phòng Pháp chế")
    nomination_round = RoundFactory()
    in_a = vetted(2, unit=unit_a, nomination_round=nomination_round)
    in_b = vetted(2, unit=unit_b, nomination_round=nomination_round)
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title="Phiên họp tháng 12",
                                      date=MEETING_DAY, chair=seats[0], secretary=secretary, start_time=datetime.time(8),
                                      place="Phòng họp")
    url = meeting_url(meeting, "agenda_builder")
    html = page(client, office, url)
    assert html.count('name="ids"') == 4 and 'data-select-all="ids"' in html
    assert '<select name="round" id="id_round">' in html and '<select name="unit" id="id_unit">' in html
    html = page(client, office, f"{url}?unit={unit_b.pk}")
    assert html.count('name="ids"') == 2 and in_a[0].person.full_name not in html
    response = client.post(f"{url}?unit={unit_b.pk}", {"ids": [n.pk for n in in_b]}, follow=True)
    assert messages_of(response) == ["Đã đưa 2 đề nghị vào chương trình phiên họp."]
    assert set(Nomination.objects.filter(pk__in=[n.pk for n in in_b]).values_list("state", flat=True)) == {NominationState.AT_COUNCIL}
    html = page(client, office, url)
    assert html.count('name="ids"') == 2 and "Chương trình: 2 nội dung" in html
    response = client.post(url, {"ids": []}, follow=True)
    assert messages_of(response) == ["Chưa chọn đề nghị nào."]
    item = AgendaItem.objects.filter(meeting=meeting).first()
    assert "Rút" in page(client, office, item_url(item, "item_remove"))
    response = client.post(item_url(item, "item_remove"), follow=True)
    assert messages_of(response) == [f"Đã rút “{item}” khỏi chương trình: đề nghị trở về “thẩm định đạt”."]
    assert Nomination.objects.get(pk=item.nomination_id).state == NominationState.VETTED_PASS
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_the_agenda_builder_is_the_offices_and_closed_once_the_meeting_runs(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    vetted(1)
    client.force_login(seats[0].user)
    assert client.get(meeting_url(meeting, "agenda_builder")).status_code == 403
    html = page(client, office, meeting_url(meeting, "agenda_builder"))
    assert "Phiên họp đang ở trạng thái “Đang họp, lấy ý kiến”: không thay đổi chương trình được nữa." in html
    assert 'name="ids"' not in html


# ---------------------------------------------------------------- the secretary: paper ballots, written opinions

def test_paper_results_are_confirmed_against_the_members_present(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    item = items[0]
    services.recusal_add(actor=office, item=item, member=seats[6], reason="Cùng đơn vị")
    client.force_login(secretary.user)
    url = item_url(item, "paper_entry")
    response = client.post(url, {"yes": "5", "no": "2", "abstain": "0"})
    assert "Tổng số phiếu (7) nhiều hơn số thành viên được biểu quyết (6: có mặt, không thuộc diện không tham gia xét)." in \
        response.content.decode()
    response = client.post(url, {"yes": "4", "no": "1", "abstain": "1"})
    html = response.content.decode()
    assert "<strong>Tổng số phiếu: 6/6</strong>" in html
    assert '<th>Thành viên có mặt</th><td class="num">7</td><th>Không tham gia xét</th><td class="num">1</td>' in html
    assert VoteRound.objects.count() == 0
    response = client.post(url, {"yes": "4", "no": "1", "abstain": "1", "confirm": "1"}, follow=True)
    assert messages_of(response) == [f"Đã nhập kết quả phiếu giấy: {item}."]
    vote_round = VoteRound.objects.get(item=item)
    assert (vote_round.is_paper, vote_round.yes_count, vote_round.base_count, vote_round.outcome) == (True, 4, 6, Outcome.PASSED)
    assert Nomination.objects.get(pk=item.nomination_id).state == NominationState.COUNCIL_PASSED
    assert '<span class="badge badge-off">phiếu giấy</span>' in response.content.decode()
    client.force_login(seats[0].user)
    assert client.get(item_url(items[1], "paper_entry")).status_code == 403


def test_the_secretary_records_an_absent_members_written_opinion(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="secret", base="all", threshold=Decimal("70"), written_opinions_count=True)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats[:7], written=seats[7:8]))
    services.voting_open(actor=seats[0].user, items=[item])
    client.force_login(secretary.user)
    assert "Ghi ý kiến bằng văn bản" in client.get(item_url(item)).content.decode()
    url = item_url(item, "written_opinion")
    html = client.get(url).content.decode()
    assert seats[7].person.full_name in html and seats[8].person.full_name not in html.split("<form")[1]
    response = client.post(url, {"member": seats[7].pk, "choice": "yes"})
    assert "Xác nhận ý kiến bằng văn bản" in response.content.decode() and Participation.objects.count() == 0
    response = client.post(url, {"member": seats[7].pk, "choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == [f"Đã ghi ý kiến bằng văn bản của {seats[7].person.full_name}."]
    participation = Participation.objects.get()
    assert (participation.member_id, participation.written, participation.choice) == (seats[7].pk, True, "")


# ---------------------------------------------------------------- re-votes, deferrals, the meeting's workflow

def test_a_revote_needs_the_chair_and_a_reason_and_keeps_the_old_result(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    item = items[0]
    services.voting_open(actor=seats[0].user, items=[item])
    services.vote_cast(actor=seats[1].user, item=item, choice=Choice.NO)
    services.voting_close(actor=seats[0].user, items=[item])
    client.force_login(seats[1].user)
    assert client.get(item_url(item, "vote_repeat")).status_code == 403
    client.force_login(seats[0].user)
    response = client.post(item_url(item, "vote_repeat"), {"reason": ""})
    assert "Trường này là bắt buộc." in response.content.decode()
    response = client.post(item_url(item, "vote_repeat"), {"reason": "Có thành viên bấm nhầm"}, follow=True)
    assert messages_of(response) == [f"“{item}” chờ biểu quyết lại; kết quả lần trước vẫn được lưu."]
    assert Nomination.objects.get(pk=item.nomination_id).state == NominationState.AT_COUNCIL
    services.voting_open(actor=seats[0].user, items=[item])
    for seat in seats[1:5]:
        services.vote_cast(actor=seat.user, item=item, choice=Choice.YES)
    services.voting_close(actor=seats[0].user, items=[item])
    html = page(client, seats[3].user, item_url(item))
    assert "Các lần biểu quyết trước" in html and "Lý do biểu quyết lại: Có thành viên bấm nhầm" in html
    assert html.count('class="result outcome-box-') == 2
    assert list(VoteRound.objects.filter(item=item).values_list("number", "outcome")) == [(1, Outcome.REJECTED), (2, Outcome.PASSED)]


def test_an_item_is_deferred_with_its_nomination_back_to_the_office(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    client.force_login(seats[0].user)
    response = client.post(item_url(items[1], "item_defer"), {"reason": "Bổ sung hồ sơ"}, follow=True)
    assert messages_of(response) == [f"Đã hoãn xét “{items[1]}”: đề nghị trở về Văn phòng."]
    assert (AgendaItem.objects.get(pk=items[1].pk).state, Nomination.objects.get(pk=items[1].nomination_id).state) == (
        ItemState.DEFERRED, NominationState.VETTED_PASS)


def test_the_meeting_workflow_from_its_page(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2), start=False)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.DRAFT)
    html = page(client, office, meeting_url(meeting))
    assert reverse("councils:meeting_transition", args=[meeting.pk, "scheduled"]) in html
    html = page(client, office, reverse("councils:meeting_transition", args=[meeting.pk, "scheduled"]))
    assert "Triệu tập: Phiên họp xét khen thưởng?" in html
    response = client.post(reverse("councils:meeting_transition", args=[meeting.pk, "scheduled"]), follow=True)
    assert messages_of(response) == ["Phiên họp chuyển sang “Đã triệu tập”."]
    response = client.post(reverse("councils:meeting_transition", args=[meeting.pk, "cancelled"]), {"reason": ""})
    assert "Trường này là bắt buộc." in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED
    client.force_login(seats[3].user)
    assert client.get(reverse("councils:meeting_transition", args=[meeting.pk, "cancelled"])).status_code == 403
    client.force_login(seats[0].user)  # the chair starts the sitting and ends it
    client.post(reverse("councils:meeting_transition", args=[meeting.pk, "in_progress"]))
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.IN_PROGRESS
    html = page(client, seats[0].user, reverse("councils:meeting_transition", args=[meeting.pk, "closed"]))
    assert "Các nội dung chưa biểu quyết sẽ được hoãn xét (đề nghị trở về Văn phòng):" in html
    client.post(reverse("councils:meeting_transition", args=[meeting.pk, "closed"]), {"reason": ""})
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.CLOSED
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True)) == {ItemState.DEFERRED}
    assert client.get(reverse("councils:meeting_transition", args=[meeting.pk, "khong-co"])).status_code == 404


def test_a_written_consultation_is_answered_until_its_deadline(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method="open", base="present", threshold=Decimal("50"))
    meeting, [item] = consultation(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1))
    html = page(client, seats[4].user, item_url(item))
    assert 'name="choice" value="yes"' in html
    assert "Hạn trả lời" in page(client, seats[4].user, meeting_url(meeting))
    response = client.post(item_url(item, "vote"), {"choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == [f"Đã ghi nhận biểu quyết của bạn: {item}."]
    deadline = timezone.now() - datetime.timedelta(minutes=1)
    Meeting.objects.filter(pk=meeting.pk).update(deadline=deadline)
    client.force_login(seats[5].user)
    response = client.post(item_url(item, "vote"), {"choice": "yes", "confirm": "1"}, follow=True)
    assert messages_of(response) == [f"Đã hết hạn trả lời ({timezone.localtime(deadline).strftime('%H:%M %d/%m/%Y')})."]
    assert Participation.objects.count() == 1
    assert 'name="choice"' not in page(client, seats[5].user, item_url(item))


# ---------------------------------------------------------------- the office's set-up pages

def test_the_office_sets_up_a_council_its_members_and_a_voting_rule(client, office):
    unit = UnitFactory(name="Ban Giám đốc")
    client.force_login(office)
    response = client.post(reverse("councils:council_create"), {
        "name": "Hội đồng Thi đua – Khen thưởng Sở", "decision_number": "15/QĐ-SKHCN", "decision_date": "02/01/2026",
        "term_start": "02/01/2026", "term_end": "01/01/2026", "active": "on"})
    assert "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in response.content.decode()
    assert Council.objects.count() == 0
    response = client.post(reverse("councils:council_create"), {
        "name": "Hội đồng Thi đua – Khen thưởng Sở", "decision_number": "15/QĐ-SKHCN", "decision_date": "02/01/2026",
        "term_start": "02/01/2026", "active": "on"}, follow=True)
    council = Council.objects.get()
    assert messages_of(response) == [f"Đã thành lập “{council}”: hãy thêm các thành viên."]
    chair_user, head = UserFactory(role=Role.COUNCIL, full_name="Giám đốc Sở"), UnitUserFactory()
    person = PersonFactory(unit=unit, full_name="Nguyễn Văn Giám")
    html = page(client, office, reverse("councils:member_add", args=[council.pk]))
    assert chair_user.username in html and f"({head.username}," not in html  # a unit head's account never sits
    response = client.post(reverse("councils:member_add", args=[council.pk]), {
        "user": chair_user.pk, "person": person.pk, "position": CouncilPosition.CHAIR, "votes": ""})
    assert "Chỉ Thư ký có thể là thành viên không biểu quyết." in response.content.decode()
    response = client.post(reverse("councils:member_add", args=[council.pk]), {
        "user": chair_user.pk, "person": person.pk, "position": CouncilPosition.CHAIR, "votes": "on"}, follow=True)
    member = CouncilMember.objects.get()
    assert (member.position, member.votes, member.sort_order) == (CouncilPosition.CHAIR, True, 10)
    assert "Nguyễn Văn Giám" in response.content.decode()
    response = client.post(reverse("councils:member_edit", args=[member.pk]), {
        "position": CouncilPosition.CHAIR, "votes": "on", "sort_order": "5", "active": ""}, follow=True)
    assert CouncilMember.objects.get().active is False
    count = VotingRule.objects.count()
    response = client.post(reverse("councils:rule_create"), {
        "name": "Lao động tiên tiến", "award": f"t:{title('LDTT').pk}", "method": "open", "base": "present", "threshold": "50",
        "comparison": "gt", "quorum_numerator": "3", "quorum_denominator": "2", "allows_abstention": "on",
        "legal_basis": "Quy chế, điều 12", "effective_from": "01/01/2026"})
    assert "Số thành viên có mặt tối thiểu không được quá toàn bộ thành viên (tử số ≤ mẫu số)." in response.content.decode()
    response = client.post(reverse("councils:rule_create"), {
        "name": "Lao động tiên tiến", "award": f"t:{title('LDTT').pk}", "method": "open", "base": "present", "threshold": "50",
        "comparison": "gt", "quorum_numerator": "2", "quorum_denominator": "3", "allows_abstention": "on",
        "legal_basis": "Quy chế, điều 12", "effective_from": "01/01/2026"}, follow=True)
    rule = VotingRule.objects.get(title=title("LDTT"))
    assert VotingRule.objects.count() == count + 1 and rule.legal_basis == "Quy chế, điều 12"
    assert "Biểu quyết công khai; đạt khi số phiếu đồng ý trên 50% so với số thành viên có mặt" in response.content.decode()
    html = page(client, office, reverse("councils:rule_edit", args=[rule.pk]))
    assert f'<option value="t:{title("LDTT").pk}" selected>' in html


def test_the_office_creates_a_sitting_and_a_written_consultation(client, office, council9):
    council, seats, secretary = council9
    client.force_login(office)
    url = reverse("councils:meeting_create")
    html = client.get(url).content.decode()
    assert f'<option value="{seats[0].pk}" selected>' in html  # the council's chair by default
    base = {"title": "Phiên họp xét khen thưởng năm 2025", "date": "15/01/2026", "chair": seats[0].pk, "secretary": secretary.pk}
    response = client.post(url, {**base, "kind": "sitting"})
    html = response.content.decode()
    assert "Hãy ghi giờ họp." in html and "Hãy ghi địa điểm họp." in html
    response = client.post(url, {**base, "kind": "sitting", "start_time": "08:30", "place": "Phòng họp tầng 3"})
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting_url(meeting, "agenda_builder")
    assert (meeting.state, meeting.start_time, Attendance.objects.filter(meeting=meeting).count()) == (
        MeetingState.DRAFT, datetime.time(8, 30), 10)
    response = client.post(url, {**base, "kind": "written", "start_time": "08:30", "place": "x"})
    assert "Lấy ý kiến bằng văn bản phải có hạn trả lời." in response.content.decode()
    client.post(url, {**base, "kind": "written", "deadline": "20/01/2026 17:00"})
    written = Meeting.objects.get(kind=MeetingKind.WRITTEN)
    assert (written.place, written.start_time, timezone.localtime(written.deadline).strftime("%H:%M %d/%m/%Y")) == (
        "", None, "17:00 20/01/2026")


def test_the_meeting_list_filters_and_shows_an_empty_state(client, office, council9):
    council, seats, secretary = council9
    sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    html = page(client, office, reverse("councils:meeting_list"))
    assert "1 phiên họp" in html and "Phiên họp xét khen thưởng" in html
    html = page(client, office, reverse("councils:meeting_list") + "?state=closed")
    assert "Không có phiên họp nào khớp bộ lọc." in html
    fragment = page(client, office, reverse("councils:meeting_list") + "?kind=sitting&year=2026", **HTMX)
    assert fragment.strip().startswith('<div id="results" class="results">') and "1 phiên họp" in fragment
    html = page(client, seats[1].user, reverse("councils:meeting_list"))
    assert "1 phiên họp" in html


# ---------------------------------------------------------------- the summary

def test_the_summary_shows_counts_percentage_outcome_recusals_and_attendance(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    services.recusal_add(actor=office, item=items[0], member=seats[6], reason="Cùng đơn vị")
    services.voting_open(actor=seats[0].user, items=items)
    for seat in seats[1:4]:
        services.vote_cast(actor=seat.user, item=items[0], choice=Choice.YES)
    services.vote_cast(actor=seats[4].user, item=items[0], choice=Choice.NO)
    services.voting_close(actor=seats[0].user, items=items)
    html = page(client, seats[2].user, meeting_url(meeting, "meeting_summary"))
    assert "Đạt: <strong>1</strong>" in html and "Không đạt: <strong>1</strong>" in html
    assert '<td class="num">3</td><td class="num">1</td><td class="num">0</td><td class="num">50% <span class="muted small">/6</span></td>' in html
    assert f"{seats[6].person.full_name}: Cùng đơn vị" in html
    assert "Có mặt (7)" in html and "Vắng mặt (3)" in html
    assert f"{seats[1].person.full_name}: <strong>Đồng ý</strong>" in html  # an open vote


def test_the_summary_exports_to_excel_and_pdf(client, office, open_sitting):
    meeting, items, seats, secretary = open_sitting
    client.force_login(seats[3].user)
    response = client.get(meeting_url(meeting, "summary_export"))
    assert (response.status_code, response["Content-Type"]) == (
        200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:2] == b"PK"
    response = client.get(meeting_url(meeting, "summary_export") + "?dinh-dang=pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
