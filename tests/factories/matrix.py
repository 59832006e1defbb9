"""The world of the role × URL matrix (``tests/test_url_matrix.py``): two units, A and B, each with one
object of every model a URL parameter can name.

The trick that keeps the matrix generic: every object of side A has the primary key ``A_ID`` in its own
table and every object of side B the key ``B_ID``, so a URL whose ``<id:…>`` parameters are all filled
with ``B_ID`` points at unit B's object of whichever model the view reads (``<uuid:…>``: ``UUID(int=…)``,
``<year:…>``: ``YEAR``). Shared objects (campaigns, rounds: no ``scope_unit_id``) exist on both sides
too, so a URL mixing a shared and a unit-owned parameter still resolves.

Side A is a unit's work in progress (registration and nomination in draft, list not sent); side B's is
sent (registration submitted, list and nomination sent), so the council and the office have something
to read and vet. B's private texts carry ``B_MARKER``: it must never reach unit A's head.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from councils.enums import AttendanceStatus, CouncilPosition, ItemState, MeetingKind, MeetingState, Outcome, VoteRoundState
from councils.models import AgendaItem, Attendance, Council, CouncilMember, Meeting, Recusal, VoteRound, VotingRule
from councils.tally import TERM_FIELDS
from movements.enums import UnitKind
from movements.models import (
    AgencyProfile,
    Campaign,
    CampaignDocument,
    Cluster,
    ClusterAcclamation,
    ClusterMember,
    ClusterScore,
    DisciplineRecord,
    PerformanceRating,
    Person,
    PositionAssignment,
    RegisteredInitiative,
    Registration,
    RegistrationEntry,
    RegistrationWindow,
    ScoringCriterion,
    ScoringSection,
    Unit,
)
from nominations.models import (
    AwardRecord,
    CommendationForm,
    EmulationTitle,
    Initiative,
    Nomination,
    NominationRound,
    SubmissionDocument,
    UnitSubmission,
)
from tdkt.models import ExportJob
from tdkt.roles import Role
from tests.factories import UserFactory
from tests.factories.nominations import reseed_catalogues

A_ID = 5001
B_ID = 7001
YEAR = 2025
#: In every private text of unit B (people's names, initiatives, notes, file names).
B_MARKER = "BIMATB7001"

PDF = b"%PDF-1.4\n% tdkt url matrix\n"


@dataclass
class Side:
    """The objects of one side (A or B), keyed by model."""

    pk: int
    unit: Unit
    head: object
    objects: dict = field(default_factory=dict)

    def add(self, obj):
        self.objects[type(obj)] = obj
        return obj


@dataclass
class World:
    office: object
    council: object
    a: Side
    b: Side
    year: int = YEAR

    @property
    def models(self):
        """Every model with an object at ``A_ID`` and ``B_ID``."""
        return list(self.b.objects)

    def side(self, name):
        return {"A": self.a, "B": self.b}[name]

    def owned_by_b(self):
        """``{(model, pk)}`` of B's unit-owned objects, as stored: ``scope_unit_id`` is unit B (``tdkt/roles.py``);
        an export job belongs to the user who asked for it, here B's head."""
        owned = set()
        for model, obj in self.b.objects.items():
            stored = model._base_manager.get(pk=obj.pk)
            unit_id = stored.user.unit_id if isinstance(stored, ExportJob) else getattr(stored, "scope_unit_id", None)
            if unit_id == self.b.unit.pk:
                owned.add((model, stored.pk))
        return owned


def _file(name, content=PDF):
    return ContentFile(content, name=name)


def build_side(*, pk, agency, window, label, short_code, head, private, sent):
    """One unit and its objects, every one at primary key ``pk``. ``private``: the text every private field carries."""
    unit = Unit.objects.create(pk=pk, name=label, short_code=short_code, kind=UnitKind.DIVISION, parent=agency)
    head = head(unit)
    side = Side(pk=pk, unit=unit, head=head)
    side.add(unit)
    today = timezone.localdate()
    ldtt = EmulationTitle.objects.get(code="LDTT")

    person = side.add(Person.objects.create(
        pk=pk, full_name=f"Nguyễn Văn {private}", name_folded=f"nguyen van {private.lower()}", gender="male",
        date_of_birth=datetime.date(1985, 5, 17), unit=unit, position_title="Chuyên viên"))
    side.add(PositionAssignment.objects.create(pk=pk, person=person, unit=unit, title="Chuyên viên",
                                               start_date=datetime.date(2015, 1, 1)))
    side.add(PerformanceRating.objects.create(pk=pk, person=person, year=YEAR - 1, rating="HTTNV"))
    PerformanceRating.objects.create(person=person, year=YEAR, rating="HTTNV")
    side.add(DisciplineRecord.objects.create(pk=pk, person=person, kind="reprimand", start_date=datetime.date(2019, 1, 1),
                                             end_date=datetime.date(2019, 12, 31), reason=f"Lý do {private}"))

    # Campaigns (shared: every role reads them).
    campaign = side.add(Campaign.objects.create(pk=pk, name=f"Phong trào {short_code}", level="province", kind="thematic",
                                                start_year=YEAR - 2, end_year=YEAR, status="launched",
                                                launched_on=datetime.date(YEAR - 2, 3, 1)))
    side.add(CampaignDocument.objects.create(pk=pk, campaign=campaign, kind="plan", title=f"Kế hoạch {short_code}",
                                             file=_file(f"ke-hoach-{short_code}.pdf"), original_name=f"ke-hoach-{short_code}.pdf"))

    # Registration of the year.
    registration = side.add(Registration.objects.create(
        pk=pk, window=window, unit=unit, unit_title=EmulationTitle.objects.get(code="TTLDTT"),
        state="submitted" if sent else "draft", note=f"Ghi chú {private}", submitted_at=timezone.now() if sent else None))
    side.add(RegistrationEntry.objects.create(pk=pk, registration=registration, person=person, title=ldtt))
    side.add(RegisteredInitiative.objects.create(pk=pk, registration=registration, title=f"Sáng kiến {private}", owner=person))

    # The unit's own cluster (leader: the unit), scoring ended, the unit acclaimed.
    cluster = side.add(Cluster.objects.create(pk=pk, year=YEAR, name=f"Cụm {short_code}", leader_unit=unit, state="concluded",
                                              pact_number=f"01/GU-{short_code}", pact_file=_file(f"giao-uoc-{short_code}.pdf"),
                                              pact_original_name=f"giao-uoc-{short_code}.pdf"))
    side.add(ClusterMember.objects.create(pk=pk, cluster=cluster, unit=unit))
    section = side.add(ScoringSection.objects.create(pk=pk, cluster=cluster, name="I. Nhiệm vụ chuyên môn"))
    criterion = side.add(ScoringCriterion.objects.create(pk=pk, section=section, name="Hoàn thành nhiệm vụ", max_score=Decimal("10")))
    side.add(ClusterScore.objects.create(pk=pk, cluster=cluster, criterion=criterion, unit=unit, self_score=Decimal("8"),
                                         self_note=f"Minh chứng {private}", agreed_score=Decimal("8")))
    side.add(ClusterAcclamation.objects.create(pk=pk, cluster=cluster, unit=unit, year=YEAR, rank=1, total_score=Decimal("8"),
                                               meeting_date=datetime.date(YEAR, 12, 20), minutes_number=f"01/BB-{short_code}",
                                               form=CommendationForm.objects.get(code="BK_TINH")))

    # A nomination round (shared) with the unit's submission, one nomination and one document.
    nomination_round = side.add(NominationRound.objects.create(
        pk=pk, name=f"Tổng kết năm {YEAR} ({short_code})", kind="annual", year=YEAR,
        reference_date=datetime.date(YEAR, 12, 15), deadline=today + datetime.timedelta(days=30)))
    submission = side.add(UnitSubmission.objects.create(
        pk=pk, round=nomination_round, unit=unit, memo_number=f"01/TTr-{short_code}" if sent else "",
        memo_date=datetime.date(YEAR, 12, 16) if sent else None, submitted_at=timezone.now() if sent else None,
        submitted_by=head if sent else None))
    side.add(Nomination.objects.create(pk=pk, round=nomination_round, submission=submission, person=person, title=ldtt,
                                       state="submitted" if sent else "draft", achievement_summary=f"Thành tích {private}",
                                       created_by=head))
    side.add(SubmissionDocument.objects.create(pk=pk, submission=submission, kind="memo", file=_file(f"to-trinh-{private}.pdf"),
                                               original_name=f"to-trinh-{private}.pdf", size=len(PDF), uploaded_by=head))

    # Award history and initiatives.
    side.add(AwardRecord.objects.create(pk=pk, person=person, title=ldtt, year=YEAR - 1, kind="annual",
                                        decision_number=f"01/QĐ-{short_code}", decision_date=datetime.date(YEAR, 1, 10),
                                        issuer="Giám đốc Sở"))
    side.add(Initiative.objects.create(pk=pk, person=person, title=f"Sáng kiến {private}", year=YEAR - 1))

    # A finished background export of the unit's head.
    side.add(ExportJob.objects.create(id=uuid.UUID(int=pk), user=head, key="movements.people", fmt="xlsx", status="done",
                                      file=_file(f"ca-nhan-{short_code}.xlsx", b"PK\x03\x04"), filename=f"ca-nhan-{short_code}.xlsx",
                                      finished_at=timezone.now()))
    return side


def build_world():
    """The matrix's world; files go to the current ``MEDIA_ROOT``."""
    reseed_catalogues()  # a transactional test run earlier may have flushed them
    AgencyProfile.objects.create(name="Sở Thử nghiệm", parent_name="UBND tỉnh Thử nghiệm", doc_code="STN", place_name="Thử nghiệm")
    agency = Unit.objects.create(pk=1001, name="Sở Thử nghiệm", short_code="STN", kind=UnitKind.AGENCY)
    today = timezone.localdate()
    window = RegistrationWindow.objects.create(year=YEAR, opens_on=today - datetime.timedelta(days=30),
                                               closes_on=today + datetime.timedelta(days=30), required_for_nomination=False)

    def head_of(username):
        return lambda unit: UserFactory(username=username, role=Role.UNIT, unit=unit, full_name=f"Trưởng {unit.short_code}")

    a = build_side(pk=A_ID, agency=agency, window=window, label="Phòng Quản lý khoa học", short_code="QLKH",
                   head=head_of("truong_a"), private="Ánh", sent=False)
    b = build_side(pk=B_ID, agency=agency, window=window, label="Trung tâm Ứng dụng", short_code="TTUD",
                   head=head_of("truong_b"), private=B_MARKER, sent=True)
    world = World(office=UserFactory(username="vanphong", role=Role.OFFICE), council=UserFactory(username="hoidong", role=Role.COUNCIL),
                  a=a, b=b)
    build_council(world, agency)
    return world


def build_council(world, agency):
    """The council's work (``councils``), rows written directly in the states the pages show.

    Council A (active) and B (an ended term). Seats: A_ID is the matrix's council account (``hoidong``), B_ID the chair,
    a third the secretary (the office's account). Meeting A is called, with A's nomination on its agenda; the council
    account is not on its roll (so it must get 404 there). Meeting B runs: the council account and the chair are present,
    B's item is being voted on (an open vote, nobody has voted yet) and a second item of B's unit is closed (passed).
    Recusals by hand: the chair on A's item, the secretary on B's item."""
    a, b = world.a, world.b
    council = a.add(Council.objects.create(pk=A_ID, name="Hội đồng Thi đua – Khen thưởng Sở", decision_number="01/QĐ-STN",
                                           decision_date=datetime.date(YEAR - 1, 1, 2), term_start=datetime.date(YEAR - 1, 1, 2)))
    b.add(Council.objects.create(pk=B_ID, name="Hội đồng nhiệm kỳ trước", decision_number="09/QĐ-STN", active=False,
                                 decision_date=datetime.date(YEAR - 6, 1, 2), term_start=datetime.date(YEAR - 6, 1, 2),
                                 term_end=datetime.date(YEAR - 2, 12, 31)))

    def seat(pk, user, name, position, votes=True, order=10):
        person = Person.objects.create(full_name=name, name_folded=name.lower(), gender="male", date_of_birth=datetime.date(1970, 1, 1),
                                       unit=agency, position_title="Lãnh đạo Sở")
        return CouncilMember.objects.create(pk=pk, council=council, user=user, person=person, position=position, votes=votes,
                                            sort_order=order)

    member = a.add(seat(A_ID, world.council, "Ủy viên Hội đồng", CouncilPosition.MEMBER, order=20))
    chair = b.add(seat(B_ID, UserFactory(username="chutich", role=Role.COUNCIL), "Chủ tịch Hội đồng", CouncilPosition.CHAIR, order=10))
    secretary = seat(None, world.office, "Thư ký Hội đồng", CouncilPosition.SECRETARY, votes=False, order=90)

    ldtt = EmulationTitle.objects.get(code="LDTT")
    a.add(VotingRule.objects.create(pk=A_ID, name="Lao động tiên tiến", title=ldtt, method="open", base="present", threshold=Decimal("50"),
                                    comparison="gte", legal_basis="Quy chế của Hội đồng", effective_from=datetime.date(YEAR - 5, 1, 1)))
    b.add(VotingRule.objects.create(pk=B_ID, name="Bằng khen (quy chế cũ)", form=CommendationForm.objects.get(code="BK_TINH"),
                                    method="secret", base="all", threshold=Decimal("70"), legal_basis="Quy chế cũ của Hội đồng",
                                    effective_from=datetime.date(YEAR - 10, 1, 1), effective_to=datetime.date(YEAR - 6, 12, 31),
                                    active=False))
    rule = VotingRule.objects.get(pk=A_ID)

    def meeting(pk, state, roll):
        found = Meeting.objects.create(pk=pk, council=council, kind=MeetingKind.SITTING, title=f"Phiên họp {pk}",
                                       date=datetime.date(YEAR, 12, 20), start_time=datetime.time(8, 0), place="Phòng họp",
                                       chair=chair, secretary=secretary, state=state,
                                       started_at=timezone.now() if state == MeetingState.IN_PROGRESS else None)
        for seat_, status in roll:
            Attendance.objects.create(meeting=found, member=seat_, status=status)
        return found

    present = AttendanceStatus.PRESENT
    meeting_a = a.add(meeting(A_ID, MeetingState.SCHEDULED, [(chair, AttendanceStatus.ABSENT), (secretary, AttendanceStatus.ABSENT)]))
    meeting_b = b.add(meeting(B_ID, MeetingState.IN_PROGRESS, [(chair, present), (member, present), (secretary, present)]))

    def at_council(side, state="at_council"):
        nomination = Nomination.objects.get(pk=side.pk)
        person = Person.objects.create(full_name=f"Đỗ Thị {side.pk}", name_folded=f"do thi {side.pk}", gender="female",
                                       date_of_birth=datetime.date(1988, 3, 3), unit=side.unit, position_title="Chuyên viên")
        return Nomination.objects.create(round=nomination.round, submission=nomination.submission, person=person, title=ldtt,
                                         state=state, achievement_summary="Hoàn thành xuất sắc nhiệm vụ")

    item_a = a.add(AgendaItem.objects.create(pk=A_ID, meeting=meeting_a, nomination=at_council(a), position=10))
    item_b = b.add(AgendaItem.objects.create(pk=B_ID, meeting=meeting_b, nomination=at_council(b), position=10, state=ItemState.VOTING))
    terms = {name: getattr(rule, name) for name in TERM_FIELDS}
    VoteRound.objects.create(item=item_b, number=1, rule=rule, opened_by=chair.user, opened_at=timezone.now(), **terms)
    passed = AgendaItem.objects.create(meeting=meeting_b, nomination=at_council(b, "council_passed"), position=20,
                                       state=ItemState.CLOSED, outcome=Outcome.PASSED)
    VoteRound.objects.create(item=passed, number=1, rule=rule, opened_by=chair.user, opened_at=timezone.now(), state=VoteRoundState.CLOSED,
                             closed_by=chair.user, closed_at=timezone.now(), yes_count=2, no_count=0, abstain_count=0,
                             members_count=2, present_count=2, recused_count=0, attending_count=2, base_count=2,
                             percentage=Decimal("100"), quorum_met=True, outcome=Outcome.PASSED,
                             result_text="Đồng ý 2/2 (100%), không đồng ý 0, không biểu quyết 0: đạt.", **terms)
    a.add(Recusal.objects.create(pk=A_ID, item=item_a, member=chair, reason="Có quan hệ gia đình với người được đề nghị"))
    b.add(Recusal.objects.create(pk=B_ID, item=item_b, member=secretary, reason=f"Lý do {B_MARKER}"))
