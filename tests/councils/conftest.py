import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from councils import services
from councils.enums import AttendanceStatus, Choice, VotingBase, VotingMethod
from movements.models import AgencyProfile
from nominations.enums import NominationState
from tests.factories import UserFactory
from tests.factories.councils import make_council, present, rule_for, sitting, vetted
from tests.factories.nominations import NominationFactory, SubmissionFactory, title


@pytest.fixture
def office(db):
    return UserFactory(role="office", full_name="Chuyên viên Văn phòng", password=None)


@pytest.fixture
def council9(db):
    """A council of 9 voting members (chair first) and a secretary without a vote."""
    return make_council(9)


@pytest.fixture
def closed(office, council9):
    """A sitting with an open vote (one recusal) and a secret ballot, closed at 10:15."""
    AgencyProfile.objects.create(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Hưng Yên", doc_code="SKHCN",
                                 place_name="Hưng Yên")
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.OPEN, base=VotingBase.PRESENT, threshold=Decimal("50"), comparison="gt")
    rule_for(title("CSTDCS"), method=VotingMethod.SECRET, base=VotingBase.ALL, threshold=Decimal("50"))
    own = NominationFactory(submission=SubmissionFactory(unit=seats[5].person.unit), person=seats[5].person,
                            state=NominationState.VETTED_PASS)
    cstdcs = vetted(1, code="CSTDCS")
    statuses = present(seats[:7], written=seats[7:8])
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[own, *cstdcs],
                             statuses=statuses)
    services.attendance_set(actor=office, meeting=meeting, statuses={**statuses, seats[8]: AttendanceStatus.ABSENT},
                            notes={seats[8]: "Đi công tác."})
    ldtt, secret = sorted(items, key=lambda i: i.position)
    services.voting_open(actor=seats[0].user, items=[ldtt, secret])
    for seat in seats[:5]:
        services.vote_cast(actor=seat.user, item=ldtt, choice=Choice.YES)
    for seat, choice in zip(seats[:7], [Choice.YES] * 5 + [Choice.NO, Choice.ABSTAIN], strict=True):
        services.vote_cast(actor=seat.user, item=secret, choice=choice)
    services.voting_close(actor=seats[0].user, items=[ldtt, secret])
    services.meeting_close(actor=seats[0].user, meeting=meeting)
    meeting.refresh_from_db()
    type(meeting).objects.filter(pk=meeting.pk).update(
        closed_at=timezone.make_aware(datetime.datetime(2026, 1, 15, 10, 15)))
    meeting.refresh_from_db()
    return meeting, seats, secretary, own, cstdcs[0]
