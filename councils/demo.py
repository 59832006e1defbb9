"""Demo data of the councils app, on top of the organisation and the nominations of ``movements.demo`` and
``nominations.demo``: the Sở's council of 9, a finished 2024 meeting and a meeting called for the 2025 round.

- The council (term from 2024): the Director chairs it, two Deputy Directors are vice chairs, the Chánh Văn phòng is the
  standing member, four heads of divisions and units are members, and the office's clerk (the ``vanphong`` account) is
  the secretary, with a vote. Each member logs in with a council account (``chutich``, ``hoidong``, ``uyvien``… — a
  unit head's own account is tied to their unit and never sits).
- 20/12/2024: a sitting on an ad hoc 2024 round — a Giấy khen voted openly (passed), a Bằng khen for a collective by
  secret ballot (not passed), and a Giấy khen for the Trung tâm Ứng dụng entered from paper ballots by the secretary,
  its director recused; one member absent with a written opinion.
- 26/12/2024: the Director's decision on what that sitting passed (the two Giấy khen), issued: number, bonus, the
  nominations “có quyết định” and the awards in their history (issue 11).
- A week from today: a sitting called for the 2025 annual round, with two vetted nominations on its agenda.

Everything goes through the services (rules, workflows, audit). Safe to run again.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from movements.api import DEMO_PASSWORD, Person, Unit
from nominations.api import (
    AwardRecord,
    AwardType,
    CommendationForm,
    Nomination,
    NominationRound,
    NominationState,
    nomination_create,
    nomination_vet,
    round_create,
    submission_submit,
    submission_update,
)
from tdkt.roles import Role

from . import services
from .enums import AttendanceStatus, Choice, CouncilPosition, MeetingKind, MeetingState
from .models import Council, CouncilMember, Decision, Meeting

DECISION = "125/QĐ-SKHCN"
ROUND_2024 = "Khen thưởng đột xuất năm 2024: hoàn thành xuất sắc nhiệm vụ chuyển đổi số"
MEETING_2024 = "Phiên họp xét khen thưởng đột xuất năm 2024"
MEETING_2025 = "Phiên họp xét khen thưởng tổng kết năm 2025"
PLACE = "Phòng họp tầng 2, trụ sở Sở Khoa học và Công nghệ"

# (login, full name of the account, unit short code, head of it?, index among the unit's non-heads, position, votes)
SEATS = [
    ("chutich", "Chủ tịch Hội đồng TĐKT (Giám đốc Sở)", "BGD", True, 0, CouncilPosition.CHAIR),
    ("phochutich", "Phó Chủ tịch Hội đồng TĐKT (Phó Giám đốc Sở)", "BGD", False, 0, CouncilPosition.VICE_CHAIR),
    ("hd_pgd", "Phó Chủ tịch Hội đồng TĐKT (Phó Giám đốc Sở)", "BGD", False, 1, CouncilPosition.VICE_CHAIR),
    ("hd_cvp", "Ủy viên thường trực Hội đồng TĐKT (Chánh Văn phòng)", "VP", True, 0, CouncilPosition.STANDING),
    ("hoidong", "Ủy viên Hội đồng TĐKT", "TTRA", True, 0, CouncilPosition.MEMBER),
    ("uyvien", "Ủy viên Hội đồng TĐKT (Trưởng phòng Kế hoạch – Tài chính)", "KHTC", True, 0, CouncilPosition.MEMBER),
    ("hd_qlkh", "Ủy viên Hội đồng TĐKT (Trưởng phòng Quản lý khoa học)", "QLKH", True, 0, CouncilPosition.MEMBER),
    ("hd_ttud", "Ủy viên Hội đồng TĐKT (Giám đốc Trung tâm Ứng dụng)", "TTUD", True, 0, CouncilPosition.MEMBER),
    ("vanphong", None, "VP", False, 3, CouncilPosition.SECRETARY),  # the office's clerk: an office account
]
PRINTED_LOGINS = ("chutich", "phochutich", "uyvien")


def _person(code, head, index):
    people = Person.objects.filter(unit__short_code=code, active=True, is_head=head).order_by("-is_leadership", "pk")
    return people[index] if head else [p for p in people if (code != "VP" or not p.is_leadership)][index]


def _account(username, full_name):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, role=Role.COUNCIL)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    return user


def _council(office):
    council = Council.objects.filter(decision_number=DECISION).first()
    if council is not None:
        return council
    council = services.council_create(actor=office, name="Hội đồng Thi đua – Khen thưởng Sở Khoa học và Công nghệ",
                                      decision_number=DECISION, decision_date=datetime.date(2024, 1, 2),
                                      term_start=datetime.date(2024, 1, 2), note="Kiện toàn Hội đồng theo Quyết định của Giám đốc Sở.")
    for username, full_name, code, head, index, position in SEATS:
        user = office if username == "vanphong" else _account(username, full_name)
        services.member_add(actor=office, council=council, user=user, person=_person(code, head, index), position=position)
    return council


def _seat(council, username):
    return CouncilMember.objects.select_related("user").get(council=council, user__username=username)


# ---------------------------------------------------------------- 2024: a finished sitting

def _nominations_2024(office):
    """An ad hoc 2024 round: a Giấy khen for a person, a Bằng khen for a collective, a Giấy khen for the Trung tâm Ứng
    dụng; each unit's list sent and vetted."""
    units = {u.short_code: u for u in Unit.objects.all()}
    nomination_round = round_create(actor=office, name=ROUND_2024, kind=AwardType.AD_HOC, year=2024,
                                    reference_date=datetime.date(2024, 11, 15),
                                    note="Khen thưởng các tập thể, cá nhân có thành tích xuất sắc triển khai chuyển đổi số năm 2024.")
    giay_khen, bang_khen = CommendationForm.objects.get(code="GIAY_KHEN"), CommendationForm.objects.get(code="BK_TINH")
    awarded = set(AwardRecord.objects.filter(year=2024, form=giay_khen).values_list("person_id", flat=True))
    sitting = set(CouncilMember.objects.values_list("person_id", flat=True))
    person = next(p for p in Person.objects.filter(unit=units["TTTT"], active=True, is_leadership=False).order_by("pk")
                  if p.pk not in awarded and p.pk not in sitting)
    made = [
        nomination_create(actor=office, nomination_round=nomination_round, unit=units["TTTT"], person=person, form=giay_khen,
                          achievement_summary="Chủ trì xây dựng cơ sở dữ liệu nhiệm vụ khoa học và công nghệ trên nền tảng số."),
        nomination_create(actor=office, nomination_round=nomination_round, unit=units["TTKT"], subject_unit=units["TTKT"], form=bang_khen,
                          achievement_summary="Số hoá toàn bộ quy trình kiểm định, hiệu chuẩn; tiếp nhận hồ sơ trực tuyến mức độ toàn trình."),
        nomination_create(actor=office, nomination_round=nomination_round, unit=units["TTUD"], subject_unit=units["TTUD"], form=giay_khen,
                          achievement_summary="Ứng dụng phần mềm quản lý mô hình chuyển giao công nghệ cho các hợp tác xã."),
    ]
    for index, nomination in enumerate(made):
        submission_update(actor=office, submission=nomination.submission, memo_number=f"{31 + index}/TTr-{nomination.submission.unit.short_code}",
                          memo_date=datetime.date(2024, 11, 20))
        submission_submit(actor=office, submission=nomination.submission)
        nomination_vet(actor=office, nomination=Nomination.objects.get(pk=nomination.pk), passed=True)
    return made


def _meeting_2024(office, council):
    if Meeting.objects.filter(title=MEETING_2024).exists():
        return
    opened, secret, paper = _nominations_2024(office)
    chair, secretary = _seat(council, "chutich"), _seat(council, "vanphong")
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title=MEETING_2024,
                                      date=datetime.date(2024, 12, 20), start_time=datetime.time(14, 0), place=PLACE,
                                      chair=chair, secretary=secretary)
    items = {i.nomination_id: i for i in services.agenda_add(actor=office, meeting=meeting, nominations=[opened, secret, paper])}
    services.meeting_schedule(actor=office, meeting=meeting)
    seats = list(CouncilMember.objects.filter(council=council).select_related("user").order_by("sort_order"))
    absent = _seat(council, "hd_pgd")
    services.attendance_set(actor=secretary.user, meeting=meeting,
                            statuses={s: AttendanceStatus.ABSENT_WRITTEN if s == absent else AttendanceStatus.PRESENT for s in seats},
                            notes={absent: "Đi công tác, gửi ý kiến bằng văn bản"})
    services.meeting_start(actor=chair.user, meeting=meeting)
    voting = [s for s in seats if s != absent]
    services.voting_open(actor=chair.user, items=[items[opened.pk], items[secret.pk]])
    for seat, choice in zip(voting, [Choice.YES] * 7 + [Choice.NO], strict=True):  # openly: 7 of 8 present
        services.vote_cast(actor=seat.user, item=items[opened.pk], choice=choice)
    secret_choices = [Choice.YES] * 5 + [Choice.NO, Choice.NO, Choice.ABSTAIN]  # 5 of 8 = 62,5 % < 70 %
    for seat, choice in zip(voting, secret_choices, strict=True):
        services.vote_cast(actor=seat.user, item=items[secret.pk], choice=choice)
    services.voting_close(actor=chair.user, items=[items[opened.pk], items[secret.pk]])
    # counted by the vote-counting committee on paper: 6 of the 7 present who may judge the Trung tâm (its director recused)
    services.paper_result_enter(actor=secretary.user, item=items[paper.pk], yes=6, no=1)
    services.meeting_close(actor=chair.user, meeting=meeting, reason="Hoàn thành chương trình phiên họp.")
    services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)  # the minutes numbered (part: docs, issue 11)


# ---------------------------------------------------------------- 2025: a called sitting

def _meeting_2025(office, council):
    if Meeting.objects.filter(title=MEETING_2025).exists():
        return
    annual = NominationRound.objects.filter(year=2025, kind=AwardType.ANNUAL).order_by("pk").first()
    if annual is None:
        return
    vetted = list(Nomination.objects.filter(round=annual, state=NominationState.VETTED_PASS).order_by("pk")[:2])
    if not vetted:
        return
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING, title=MEETING_2025,
                                      date=timezone.localdate() + datetime.timedelta(days=7), start_time=datetime.time(8, 30),
                                      place=PLACE, chair=_seat(council, "chutich"), secretary=_seat(council, "vanphong"),
                                      note="Xét các đề nghị đã thẩm định đạt của đợt khen thưởng tổng kết năm 2025.")
    services.agenda_add(actor=office, meeting=meeting, nominations=vetted)
    services.meeting_schedule(actor=office, meeting=meeting)


DECISION_DAY_2024 = datetime.date(2024, 12, 26)


def _decision_2024(office):
    """The decision on what the 2024 meeting passed (Giấy khen for a person and for a collective), issued: numbered in
    the Sở's 2024 series, the nominations “có quyết định”, the awards in the history, the PDF stored."""
    meeting = Meeting.objects.filter(title=MEETING_2024, state=MeetingState.CLOSED).first()
    if meeting is None or Decision.objects.filter(meeting=meeting).exists():
        return
    with transaction.atomic():
        for draft in services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY_2024):
            services.decision_issue(actor=office, decision=draft)


@transaction.atomic
def seed(stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    office = get_user_model().objects.filter(username="vanphong").first()
    if office is None or not Person.objects.exists():
        say("Chưa có dữ liệu mẫu về đơn vị, cá nhân: chạy manage.py seed_demo trước.\n")
        return
    council = _council(office)
    _meeting_2024(office, council)
    _decision_2024(office)
    _meeting_2025(office, council)
    say(f"Hội đồng TĐKT: {council.members.filter(active=True, votes=True).count()} thành viên biểu quyết; "
        f"{Meeting.objects.filter(state=MeetingState.CLOSED).count()} phiên họp đã kết thúc, "
        f"{Meeting.objects.filter(state__in=MeetingState.upcoming()).count()} phiên họp sắp tới.\n")


def demo_logins():
    """The council's logins printed by ``seed_demo --print-logins`` (``hoidong`` and ``vanphong`` are printed by
    ``movements``)."""
    names = {username: position for username, _n, _c, _h, _i, position in SEATS}
    return [(username, DEMO_PASSWORD, Role.COUNCIL.label, str(names[username].label)) for username in PRINTED_LOGINS]

