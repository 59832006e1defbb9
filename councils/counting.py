"""Reading a meeting for a vote: the roll (who may vote, the quorum), the recusals of an item, who may vote on it, and
the count of a vote round at its close. The arithmetic itself is :mod:`councils.tally`.

The base of a vote (the members its percentage is taken of; recused members are never in it):

- rule base “tổng số thành viên”: the voting members on the roll, minus the recused;
- rule base “số thành viên có mặt”, sitting: the voting members present, plus — when the rule counts written
  opinions — those absent with a written opinion, minus the recused (exactly the members who may vote);
- rule base “số thành viên có mặt”, written consultation: the members who answered.

The quorum of a sitting is the voting members present (recused ones included: the quorum is the meeting's) against
``numerator/denominator`` of the voting members, rounded up; a written consultation needs that share of the members
not recused to answer.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import AttendanceStatus, Choice, MeetingKind, Outcome, VoteRoundState
from .models import Attendance, BallotBox, Participation, Recusal
from .tally import judge, quorum_needed, result_text


@dataclass
class Roll:
    """The roll of a meeting (its attendance rows, with the members)."""

    meeting: object
    attendances: list = field(default_factory=list)

    @property
    def voting(self):
        return [a for a in self.attendances if a.member.votes]

    @property
    def members(self):
        """Voting members on the roll."""
        return len(self.voting)

    def ids_with(self, status):
        return {a.member_id for a in self.voting if a.status == status}

    @property
    def present(self):
        return len(self.ids_with(AttendanceStatus.PRESENT))

    def quorum_needed(self, terms):
        return quorum_needed(self.members, terms.quorum_numerator, terms.quorum_denominator)

    def sitting_quorum_met(self, terms):
        return self.present >= self.quorum_needed(terms)

    def member_of(self, user):
        """The user's attendance row (their seat on this meeting), or ``None``."""
        return next((a for a in self.attendances if a.member.user_id == getattr(user, "pk", None)), None)

    def eligible(self, terms, recused):
        """Ids of the members who may vote on an item with ``terms`` and the ``recused`` member ids."""
        ids = {a.member_id for a in self.voting} - set(recused)
        if self.meeting.kind == MeetingKind.WRITTEN:
            return ids
        allowed = {AttendanceStatus.PRESENT} | ({AttendanceStatus.ABSENT_WRITTEN} if terms.written_opinions_count else set())
        return {a.member_id for a in self.voting if a.status in allowed} & ids


def roll_of(meeting):
    """The meeting's :class:`Roll` (one query)."""
    return Roll(meeting=meeting, attendances=list(
        Attendance.objects.filter(meeting=meeting).select_related("member", "member__person", "member__person__unit",
                                                                   "member__user")))


def recused_ids(item):
    return set(Recusal.objects.filter(item=item).values_list("member_id", flat=True))


def voting_recused(roll, recused):
    """The recused members who have a vote (a non-voting secretary changes no base)."""
    return {a.member_id for a in roll.voting} & set(recused)


def counts_of(vote_round):
    """``(yes, no, abstain)`` of an open round: the ballot box of a secret ballot, the participations of an open vote."""
    if vote_round.is_secret:
        box = BallotBox.objects.get(round=vote_round)
        return box.yes_count, box.no_count, box.abstain_count
    tally = Counter(Participation.objects.filter(round=vote_round).values_list("choice", flat=True))
    return tally[Choice.YES], tally[Choice.NO], tally[Choice.ABSTAIN]


def result_of(vote_round, roll, recused, *, counts=None):
    """The :class:`~councils.tally.Result` of ``vote_round`` (``counts``: given for paper ballots)."""
    terms = vote_round.terms
    yes, no, abstain = counts if counts is not None else counts_of(vote_round)
    recused_voting = voting_recused(roll, recused)
    if roll.meeting.kind == MeetingKind.WRITTEN:
        answered = yes + no + abstain
        entitled = roll.members - len(recused_voting)
        quorum_met = answered >= quorum_needed(entitled, terms.quorum_numerator, terms.quorum_denominator)
        attending = answered
    else:
        quorum_met = roll.sitting_quorum_met(terms)
        attending = len(roll.eligible(terms, recused))
    return judge(terms, members=roll.members, recused=len(recused_voting), attending=attending, yes=yes, no=no,
                 abstain=abstain, quorum_met=quorum_met)


def seal(vote_round, result, *, present, actor):
    """Write the result on the round and close it (then it never changes: ``VoteRound.save`` refuses). ``present``:
    the voting members present (a sitting) or who answered (a written consultation)."""
    vote_round.yes_count, vote_round.no_count, vote_round.abstain_count = result.yes, result.no, result.abstain
    vote_round.members_count, vote_round.recused_count = result.members, result.recused
    vote_round.attending_count, vote_round.base_count = result.attending, result.base
    vote_round.present_count = present
    vote_round.percentage, vote_round.quorum_met = result.percentage, result.quorum_met
    vote_round.outcome = Outcome.PASSED if result.passed else Outcome.REJECTED
    vote_round.result_text = result_text(result, vote_round.terms)
    vote_round.state = VoteRoundState.CLOSED
    vote_round.closed_by = actor if actor is not None and actor.is_authenticated else None
    vote_round.closed_at = timezone.now()
    vote_round.full_clean()
    vote_round.save()
    return vote_round


def paper_counts(paper, *, rule, eligible):
    """The counted result of paper ballots (``{"yes", "no", "abstain"}``) as ``(yes, no, abstain)``, checked: whole
    numbers, not negative, no “không biểu quyết” when the rule has none, and no more ballots than the ``eligible``
    members (present, not recused; absent with a written opinion when the rule counts them)."""
    try:
        counts = tuple(int(str(paper.get(key, 0) if key == "abstain" else paper.get(key)).strip()) for key in ("yes", "no", "abstain"))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("Hãy nhập số phiếu đồng ý, không đồng ý và không biểu quyết (số nguyên).")) from None
    if min(counts) < 0:
        raise ValidationError(_("Số phiếu không được âm."))
    if counts[2] and not rule.allows_abstention:
        raise ValidationError({"abstain": _("Quy tắc biểu quyết “%(rule)s” không có lựa chọn “không biểu quyết”.") % {"rule": rule}})
    if sum(counts) > eligible:
        raise ValidationError(_("Tổng số phiếu (%(total)s) nhiều hơn số thành viên được biểu quyết (%(eligible)s: có mặt, không "
                                "thuộc diện không tham gia xét).") % {"total": sum(counts), "eligible": eligible})
    return counts
