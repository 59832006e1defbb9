"""Factories of the councils app. Rows are written directly (what you pass is what you get); the helpers below build a
council, a meeting in progress and its agenda through the services, as the office would, so that a test starts from a
state the app itself can reach."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from councils import services
from councils.enums import AttendanceStatus, CouncilPosition, MeetingKind, ThresholdComparison, VotingBase, VotingMethod
from councils.models import Council, CouncilMember, VotingRule
from nominations.enums import NominationState
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, staff, title

MEETING_DAY = datetime.date(2026, 1, 15)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Hội đồng Thi đua – Khen thưởng Sở, nhiệm kỳ {n}")
    decision_number = factory.Sequence(lambda n: f"{n + 1:02d}/QĐ-SKHCN")
    decision_date = datetime.date(2025, 1, 2)
    term_start = datetime.date(2025, 1, 2)
    term_end = None
    active = True


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    """A seat: a council account and a person of a unit."""

    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory, role=Role.COUNCIL, password=None)  # no password hashing: tests log in by force
    person = factory.SubFactory(PersonFactory)
    position = CouncilPosition.MEMBER
    votes = True
    active = True
    sort_order = factory.Sequence(lambda n: n + 1)


class VotingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VotingRule

    name = factory.Sequence(lambda n: f"Quy tắc thử nghiệm {n}")
    title = None
    form = None
    method = VotingMethod.SECRET
    base = VotingBase.ALL
    threshold = Decimal("90")
    comparison = ThresholdComparison.AT_LEAST
    quorum_numerator = 2
    quorum_denominator = 3
    written_opinions_count = False
    allows_abstention = True
    legal_basis = "Quy chế hoạt động của Hội đồng (thử nghiệm)"
    effective_from = datetime.date(2025, 1, 1)
    effective_to = None
    active = True


def make_council(voting=9, *, secretary_votes=False, unit=None):
    """A council with ``voting`` voting seats (the first is the chair, the second a vice chair, the third the standing
    member) and a secretary (``secretary_votes``: counted among the ``voting`` seats, else without a vote).

    Returns ``(council, voting seats, secretary)``."""
    council = CouncilFactory()
    unit = unit or UnitFactory(name="Ban Giám đốc Sở", short_code="BGD")
    positions = [CouncilPosition.CHAIR, CouncilPosition.VICE_CHAIR, CouncilPosition.STANDING]
    count = voting - 1 if secretary_votes else voting
    seats = [CouncilMemberFactory(council=council, person=PersonFactory(unit=unit),
                                  position=positions[i] if i < len(positions) else CouncilPosition.MEMBER)
             for i in range(count)]
    secretary = CouncilMemberFactory(council=council, person=PersonFactory(unit=unit), position=CouncilPosition.SECRETARY,
                                     votes=secretary_votes, user=UserFactory(role=Role.OFFICE, password=None))
    if secretary_votes:
        seats.append(secretary)
    return council, seats, secretary


def rule_for(award, **terms):
    """A voting rule of its own for ``award`` (a title or form) from 2025, with ``terms`` (defaults of the factory)."""
    key = {"title": award} if award.__class__.__name__ == "EmulationTitle" else {"form": award}
    return VotingRuleFactory(**key, **terms)


def vetted(n, *, unit=None, code="LDTT", submission=None, nomination_round=None):
    """``n`` nominations of people of ``unit`` (rated, no leaders) in state “thẩm định đạt”."""
    unit = unit or UnitFactory()
    submission = submission or SubmissionFactory(round=nomination_round or RoundFactory(), unit=unit)
    return [NominationFactory(submission=submission, person=person, title=title(code), state=NominationState.VETTED_PASS)
            for person in staff(unit, n)]


def sitting(*, office, council, chair, secretary, nominations, date=MEETING_DAY, statuses=None, start=True):
    """A sitting of ``council`` with ``nominations`` on its agenda, called, attendance recorded (``statuses``:
    ``{member: status}``; everyone else absent) and (``start``) in progress. Returns ``(meeting, items)``."""
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.SITTING,
                                      title="Phiên họp xét khen thưởng", date=date, chair=chair, secretary=secretary,
                                      start_time=datetime.time(8, 30), place="Phòng họp tầng 3")
    items = services.agenda_add(actor=office, meeting=meeting, nominations=nominations)
    services.meeting_schedule(actor=office, meeting=meeting)
    if statuses:
        services.attendance_set(actor=office, meeting=meeting, statuses=statuses)
    if start:
        services.meeting_start(actor=office, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, [type(item).objects.get(pk=item.pk) for item in items]


def consultation(*, office, council, chair, secretary, nominations, deadline=None, date=MEETING_DAY, start=True):
    """A written consultation with ``nominations``, called and (``start``) opened. Returns ``(meeting, items)``."""
    meeting = services.meeting_create(actor=office, council=council, kind=MeetingKind.WRITTEN,
                                      title="Lấy ý kiến bằng văn bản", date=date, chair=chair, secretary=secretary,
                                      deadline=deadline or timezone.now() + datetime.timedelta(days=3))
    items = services.agenda_add(actor=office, meeting=meeting, nominations=nominations)
    services.meeting_schedule(actor=office, meeting=meeting)
    if start:
        services.meeting_start(actor=office, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, [type(item).objects.get(pk=item.pk) for item in items]


def present(seats, *, written=()):
    """Attendance statuses: ``seats`` present, ``written`` absent with a written opinion."""
    statuses = {seat: AttendanceStatus.PRESENT for seat in seats}
    statuses.update({seat: AttendanceStatus.ABSENT_WRITTEN for seat in written})
    return statuses


def reseed_voting_rules():
    """Transactional tests flush the database: put the seeded voting rules back (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("councils.migrations.0002_seed_voting_rules").seed(apps, None)
