"""Decisions and tờ trình (issue 11): a closed meeting whose items passed, written directly (the vote itself is the
councils tests' business), and the agency profile every numbered document needs."""

import datetime

from councils import services
from councils.enums import CouncilPosition, ItemState, MeetingState, Outcome
from councils.models import AgendaItem, Council, Meeting
from movements.models import AgencyProfile
from nominations.enums import NominationState
from nominations.models import Nomination
from tests.factories.councils import make_council, sitting

DECISION_DAY = datetime.date(2026, 1, 5)


def agency(**values):
    defaults = {"name": "Sở Khoa học và Công nghệ", "parent_name": "UBND tỉnh Hưng Yên", "doc_code": "SKHCN",
                "place_name": "Hưng Yên", "director_title": "Giám đốc", "director_name": "Nguyễn Văn Giám"}
    defaults.update(values)
    profile = AgencyProfile.objects.filter(singleton=True).first()
    if profile is None:
        return AgencyProfile.objects.create(**defaults)
    AgencyProfile.objects.filter(pk=profile.pk).update(**defaults)
    profile.refresh_from_db()
    return profile


def passed_meeting(*, office, nominations, council=None):
    """A sitting with ``nominations`` on its agenda, every item voted “đạt”, the meeting closed; the nominations are
    “Hội đồng thông qua”. Returns ``(meeting, items)``."""
    council, seats, secretary = council or _the_council()
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=nominations,
                             start=False)
    AgendaItem.objects.filter(pk__in=[i.pk for i in items]).update(state=ItemState.CLOSED, outcome=Outcome.PASSED)
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(state=NominationState.COUNCIL_PASSED)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CLOSED)
    meeting.refresh_from_db()
    return meeting, items


def _the_council():
    """The council in office (one at a time), made on first use with 3 voting seats."""
    council = Council.objects.filter(active=True).first()
    if council is None:
        return make_council(3)
    members = list(council.members.order_by("sort_order"))
    return council, [m for m in members if m.votes], next(m for m in members if m.position == CouncilPosition.SECRETARY)


def issued_decision(*, office, nominations, date=DECISION_DAY):
    """One decision issued for ``nominations`` (one title) passed at a meeting. Returns the decision."""
    agency()
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (decision,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=date)
    return services.decision_issue(actor=office, decision=decision)


def sent_proposal(*, office, nominations, date=DECISION_DAY):
    """One tờ trình sent to UBND tỉnh (numbered) for ``nominations`` (a title above the director's authority, e.g.
    ``vetted(2, code="CSTD_TINH")``) passed at a meeting. Returns the proposal."""
    agency()
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (proposal,) = services.proposals_create_from_meeting(actor=office, meeting=meeting, date=date)
    return services.proposal_send(actor=office, proposal=proposal)
