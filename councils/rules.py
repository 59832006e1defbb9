"""Who may do what in the councils app: ``rules`` predicates built on the core's (:mod:`tdkt.roles`), never on role names.

The office (``manages_council``) sets up the council, the voting rules, the meetings and their agendas. The people of
a meeting are its seats: the chair (chủ trì) opens and closes votes and orders a re-vote, the secretary enters paper
results and written opinions, the members on the roll vote and comment. Unit heads and accounts without a seat see
nothing of the council's work.

The predicates about a meeting read ``meeting.chair.user_id`` and ``meeting.secretary.user_id`` (load meetings with
``select_related("chair", "secretary")``: no query per item); :func:`sits_in` asks the roll (one query).
"""

import rules

from tdkt.roles import is_active_account, manages_council

from .enums import MeetingKind, MeetingState
from .models import AgendaItem, Attendance, CouncilMember, Meeting, VoteRound


def meeting_of(obj):
    """The meeting an object belongs to (a meeting, an agenda item, a vote round), or ``None``."""
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, AgendaItem):
        return obj.meeting
    if isinstance(obj, VoteRound):
        return obj.item.meeting
    return None


def _holds(user, member):
    return is_active_account(user) and member is not None and member.user_id == user.pk


@rules.predicate
def chairs(user, obj):
    """The user presides over the object's meeting (chủ trì)."""
    meeting = meeting_of(obj)
    return meeting is not None and _holds(user, meeting.chair)


@rules.predicate
def is_secretary(user, obj):
    """The user is the secretary of the object's meeting."""
    meeting = meeting_of(obj)
    return meeting is not None and _holds(user, meeting.secretary)


@rules.predicate
def sits_in(user, obj):
    """The user is on the roll of the object's meeting (one query)."""
    meeting = meeting_of(obj)
    return (meeting is not None and is_active_account(user)
            and Attendance.objects.filter(meeting=meeting, member__user=user).exists())


@rules.predicate
def holds_a_seat(user):
    """The user sits on a council (an active seat): the council's pages are theirs."""
    return is_active_account(user) and CouncilMember.objects.filter(user=user, active=True, council__active=True).exists()


@rules.predicate
def is_sitting(user, obj):
    meeting = meeting_of(obj)
    return meeting is not None and meeting.kind == MeetingKind.SITTING


@rules.predicate
def is_written(user, obj):
    meeting = meeting_of(obj)
    return meeting is not None and meeting.kind == MeetingKind.WRITTEN


@rules.predicate
def meeting_called(user, obj):
    """Members see a meeting once it is called (a draft is the office's preparation)."""
    meeting = meeting_of(obj)
    return meeting is not None and meeting.state in MeetingState.visible_to_members()


# ---------------------------------------------------------------- the combinations the workflows, services and pages use

#: Reads a meeting (its agenda, its summary): the office, and the people on its roll once it is called.
reads_meeting = manages_council | (meeting_called & sits_in)
#: Starts a meeting: the office, the chair or the secretary (a written consultation: the office, which opens it).
starts_meeting = manages_council | (is_sitting & (chairs | is_secretary))
#: Ends a meeting: the office or the chair.
ends_meeting = manages_council | chairs
#: Records the attendance of a sitting: the office or the secretary.
records_attendance = is_sitting & (manages_council | is_secretary)
#: Opens the vote on an item: the chair of a sitting; the office, when it opens a written consultation.
opens_votes = (is_sitting & chairs) | (is_written & manages_council)
#: Closes a vote, orders a re-vote: the chair.
closes_votes = chairs
repeats_votes = chairs
#: Enters the counted result of paper ballots, records an absent member's written opinion: the secretary of a sitting.
enters_paper = is_sitting & is_secretary
#: Defers an item to a later meeting: the chair or the office.
defers_items = chairs | manages_council
#: Recuses a member by hand: the office or the chair (a member may recuse themselves: ``recusal_add`` checks it).
recuses_members = manages_council | chairs
#: Issues the minutes of a closed meeting (takes their number): the secretary or the office (part: docs, issue 11).
issues_minutes = manages_council | is_secretary
#: Comments on an item, votes on it: the people on the roll.
takes_part = meeting_called & sits_in

rules.add_perm("councils.view_council", manages_council | holds_a_seat)
rules.add_perm("councils.manage_council", manages_council)
rules.add_perm("councils.view_voting_rule", manages_council | holds_a_seat)
rules.add_perm("councils.manage_voting_rule", manages_council)
rules.add_perm("councils.manage_meeting", manages_council)
rules.add_perm("councils.view_meeting", reads_meeting)
rules.add_perm("councils.start_meeting", starts_meeting)
rules.add_perm("councils.end_meeting", ends_meeting)
rules.add_perm("councils.record_attendance", records_attendance)
rules.add_perm("councils.open_vote", opens_votes)
rules.add_perm("councils.close_vote", closes_votes)
rules.add_perm("councils.repeat_vote", repeats_votes)
rules.add_perm("councils.enter_paper", enters_paper)
rules.add_perm("councils.defer_item", defers_items)
rules.add_perm("councils.recuse_member", recuses_members)
rules.add_perm("councils.take_part", takes_part)
rules.add_perm("councils.view_readings", manages_council)
rules.add_perm("councils.export_summary", reads_meeting)
rules.add_perm("councils.issue_minutes", issues_minutes)

# ---------------------------------------------------------------- decisions and tờ trình (issue 11): the office's work
rules.add_perm("councils.manage_decision", manages_council)
