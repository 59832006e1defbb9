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

The council's side of each unit (:func:`build_council_side`): A's is a past council (inactive) whose closed meeting
voted on a nomination of unit A; B's is the council in office, its meeting in progress with a secret ballot open on a
nomination of unit B. The world's council account (``hoidong``) sits on both, present, and has voted in A's meeting
and not yet in B's; the world's office account (``vanphong``) is both meetings' secretary.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from councils.models import (
    AgendaItem,
    Attendance,
    BallotBox,
    Council,
    CouncilMember,
    Decision,
    DecisionLine,
    ItemComment,
    ItemReading,
    Meeting,
    Participation,
    Proposal,
    ProposalLine,
    Recusal,
    VoteRound,
    VotingRule,
)
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
    ImportJob,
    Initiative,
    Nomination,
    NominationRound,
    RequiredDocument,
    SubmissionDocument,
    UnitSubmission,
)
from tdkt.models import ExportJob, Notification
from tdkt.roles import Role
from tests.factories import UserFactory
from tests.factories.councils import reseed_voting_rules
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

    # An entry of the office's list of required documents (entry: issue 13; shared, not a unit's).
    side.add(RequiredDocument.objects.create(pk=pk, kind="other", scope="nominee", label=f"Tài liệu {short_code}"))

    # Award history and initiatives.
    side.add(AwardRecord.objects.create(pk=pk, person=person, title=ldtt, year=YEAR - 1, kind="annual",
                                        decision_number=f"01/QĐ-{short_code}", decision_date=datetime.date(YEAR, 1, 10),
                                        issuer="Giám đốc Sở"))
    side.add(Initiative.objects.create(pk=pk, person=person, title=f"Sáng kiến {private}", year=YEAR - 1))

    # A background import of a list by the unit's head (B's failed, naming a private text in its row messages).
    side.add(ImportJob.objects.create(id=uuid.UUID(int=pk), user=head, round=nomination_round, unit=unit,
                                      original_name=f"danh-sach-{short_code}.xlsx", rows=400, done_rows=400,
                                      status="failed" if sent else "done", created_count=0 if sent else 400,
                                      errors=[f"Dòng 7, cột C: không tìm thấy “{private}” trong {label}."] if sent else [],
                                      finished_at=timezone.now()))

    # A finished background export of the unit's head.
    side.add(ExportJob.objects.create(id=uuid.UUID(int=pk), user=head, key="movements.people", fmt="xlsx", status="done",
                                      file=_file(f"ca-nhan-{short_code}.xlsx", b"PK\x03\x04"), filename=f"ca-nhan-{short_code}.xlsx",
                                      finished_at=timezone.now()))

    # A notification to the unit's head (issue 13, home; B's names a private text).
    side.add(Notification.objects.create(pk=pk, recipient=head, kind="nom_returned", text=f"Đề nghị bị trả lại. Lý do: {private}",
                                         link=f"/de-nghi/{pk}/"))
    return side


def build_world():
    """The matrix's world; files go to the current ``MEDIA_ROOT``."""
    reseed_catalogues()  # a transactional test run earlier may have flushed them
    reseed_voting_rules()
    AgencyProfile.objects.create(name="Sở Thử nghiệm", parent_name="UBND tỉnh Thử nghiệm", doc_code="STN", place_name="Thử nghiệm")
    agency = Unit.objects.create(pk=1001, name="Sở Thử nghiệm", short_code="STN", kind=UnitKind.AGENCY)
    today = timezone.localdate()
    window = RegistrationWindow.objects.create(year=YEAR, opens_on=today - datetime.timedelta(days=30),
                                               closes_on=today + datetime.timedelta(days=30), required_for_nomination=False)

    def head_of(username):
        # at the unit's key: the account pages (movements:account_*) name the user at A_ID / B_ID
        return lambda unit: UserFactory(pk=unit.pk, username=username, role=Role.UNIT, unit=unit, full_name=f"Trưởng {unit.short_code}",
                                        email=f"{username}@example.test")

    a = build_side(pk=A_ID, agency=agency, window=window, label="Phòng Quản lý khoa học", short_code="QLKH",
                   head=head_of("truong_a"), private="Ánh", sent=False)
    b = build_side(pk=B_ID, agency=agency, window=window, label="Trung tâm Ứng dụng", short_code="TTUD",
                   head=head_of("truong_b"), private=B_MARKER, sent=True)
    office, council = UserFactory(username="vanphong", role=Role.OFFICE), UserFactory(username="hoidong", role=Role.COUNCIL)
    build_council_side(a, council_user=council, office=office, private="Ánh", current=False)
    build_council_side(b, council_user=council, office=office, private=B_MARKER, current=True)
    return World(office=office, council=council, a=a, b=b)


def _person(unit, name):
    return Person.objects.create(full_name=name, name_folded=name.lower(), gender="female", date_of_birth=datetime.date(1980, 3, 4),
                                 unit=unit, position_title="Chuyên viên")


def build_council_side(side, *, council_user, office, private, current):
    """The council objects of one side, each at the side's key: a council (B's in office, A's a past one), the council
    account's seat, a voting rule, a meeting (B's in progress, A's closed) with its roll, an item on a nomination of the
    side's unit (B's voting by secret ballot, A's closed), a vote round with its ballot box, a participation, a recusal,
    a reading and a comment. The chair's and the secretary's seats and the item's nomination are extra rows."""
    pk, unit, code = side.pk, side.unit, side.unit.short_code
    today = timezone.localdate()
    council = side.add(Council.objects.create(
        pk=pk, name=f"Hội đồng TĐKT {code}", decision_number=f"{pk}/QĐ-{code}", decision_date=datetime.date(2020, 1, 2),
        term_start=datetime.date(2020, 1, 2), term_end=None if current else datetime.date(2024, 12, 31), active=current))
    seat = side.add(CouncilMember.objects.create(pk=pk, council=council, user=council_user, person=side.objects[Person],
                                                 position="member", sort_order=30))
    chair = CouncilMember.objects.create(council=council, user=UserFactory(username=f"chutich_{code.lower()}", role=Role.COUNCIL),
                                         person=_person(unit, f"Chủ tịch {private}"), position="chair", sort_order=10)
    secretary = CouncilMember.objects.create(council=council, user=office, person=_person(unit, f"Thư ký {private}"),
                                             position="secretary", votes=False, sort_order=20)
    rule = side.add(VotingRule.objects.create(
        pk=pk, name=f"Quy tắc {private}", title=EmulationTitle.objects.get(code="LDTT" if current else "TTLDXS"), method="secret",
        base="present", threshold=Decimal("70"), legal_basis=f"Quy chế {private}",
        effective_from=datetime.date(2025, 1, 1) if current else datetime.date(2020, 1, 1),
        effective_to=None if current else datetime.date(2020, 12, 31)))
    meeting = side.add(Meeting.objects.create(
        pk=pk, council=council, kind="sitting", title=f"Phiên họp {private}", date=today if current else datetime.date(2024, 6, 3),
        start_time=datetime.time(8, 30), place=f"Phòng họp {code}", chair=chair, secretary=secretary,
        state="in_progress" if current else "closed", started_at=timezone.now(), closed_at=None if current else timezone.now(),
        created_by=office))
    side.add(Attendance.objects.create(pk=pk, meeting=meeting, member=seat, status="present"))
    for member in (chair, secretary):
        Attendance.objects.create(meeting=meeting, member=member, status="present")
    nomination = Nomination.objects.create(
        round=side.objects[NominationRound], submission=side.objects[UnitSubmission], person=side.objects[Person],
        title=EmulationTitle.objects.get(code="CSTDCS"), state="at_council" if current else "council_passed",
        achievement_summary=f"Sáng kiến {private}")
    item = side.add(AgendaItem.objects.create(pk=pk, meeting=meeting, nomination=nomination, position=10,
                                              state="voting" if current else "closed", outcome="" if current else "passed"))
    terms = {"method": "secret", "base": "present", "threshold": Decimal("70"), "comparison": "gte", "quorum_numerator": 2,
             "quorum_denominator": 3, "written_opinions_count": False, "allows_abstention": True}
    vote_round = side.add(VoteRound.objects.create(pk=pk, item=item, number=1, rule=rule, opened_by=chair.user,
                                                   opened_at=timezone.now(), **terms))
    side.add(BallotBox.objects.create(round=vote_round, yes_count=1))
    side.add(Participation.objects.create(pk=pk, round=vote_round, member=chair if current else seat))
    if not current:
        VoteRound.objects.filter(pk=pk).update(
            state="closed", closed_by=chair.user, closed_at=timezone.now(), yes_count=1, no_count=0, abstain_count=0, members_count=2,
            present_count=2, recused_count=0, attending_count=2, base_count=2, percentage=Decimal("50"), quorum_met=True,
            outcome="passed", result_text="Đồng ý 1/2 (50%)")
    side.add(Recusal.objects.create(pk=pk, item=item, member=secretary, reason=f"Lý do {private}", created_by=office))
    side.add(ItemReading.objects.create(pk=pk, item=item, member=seat))
    side.add(ItemComment.objects.create(pk=pk, item=item, member=seat, text=f"Ý kiến {private}"))
    build_decisions_side(side, meeting=meeting, nomination=nomination, office=office, private=private, issued=current)


def build_decisions_side(side, *, meeting, nomination, office, private, issued):
    """Decisions and tờ trình (issue 11), each at the side's key: A's a draft decision and a draft tờ trình on the item
    its closed meeting passed; B's an issued decision (numbered, with its stored PDF) and a sent tờ trình."""
    pk, code = side.pk, side.unit.short_code
    signer = {"signer_position": "Giám đốc", "signer_authority": "Giám đốc", "signer_name": f"Giám đốc {private}"}
    decision = side.add(Decision.objects.create(
        pk=pk, title=EmulationTitle.objects.get(code="CSTDCS"), source="meeting", meeting=meeting,
        round=side.objects[NominationRound], date=datetime.date(YEAR + 1, 1, 5), subject=f"Về việc công nhận {private}",
        bases=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"], article1=f"Công nhận {private}",
        recipients=["Như Điều 3;", "Lưu: VT, VP."], state="issued" if issued else "draft",
        number=f"01/QĐ-{code}" if issued else "", number_int=1 if issued else None,
        pdf_unsigned=_file(f"quyet-dinh-{code}.pdf") if issued else "", created_by=office, **signer))
    side.add(DecisionLine.objects.create(pk=pk, decision=decision, nomination=nomination, position=1, coefficient=Decimal("1.0"),
                                         base_salary=2340000, amount=2340000))
    proposal = side.add(Proposal.objects.create(
        pk=pk, title=EmulationTitle.objects.get(code="CSTD_TINH"), meeting=meeting, round=side.objects[NominationRound],
        date=datetime.date(YEAR + 1, 1, 5), subject=f"Về việc đề nghị {private}", body=f"Đề nghị {private}",
        recipients=["Như trên;", "Lưu: VT, VP."], state="sent" if issued else "draft",
        number=f"01/TTr-{code}" if issued else "", number_int=1 if issued else None, created_by=office, **signer))
    side.add(ProposalLine.objects.create(pk=pk, proposal=proposal, nomination=nomination, position=1))
