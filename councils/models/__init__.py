"""Models of the councils app: the council and its members (``councils``), the voting rules (``voting_rules``), the
meetings with their roll, agenda, recusals and review (``meetings``) and the votes (``votes``)."""

from .councils import Council, CouncilMember
from .decisions import Decision, DecisionLine, Proposal, ProposalLine
from .meetings import AgendaItem, Attendance, ItemComment, ItemReading, Meeting, Recusal
from .minutes import MeetingMinutes
from .votes import BallotBox, Participation, VoteRound, closed_round_message
from .voting_rules import VotingRule, choose_rule, no_rule_message

__all__ = [
    "Council", "CouncilMember", "VotingRule", "Meeting", "Attendance", "AgendaItem", "Recusal", "ItemReading",
    "ItemComment", "MeetingMinutes", "Decision", "DecisionLine", "Proposal", "ProposalLine", "VoteRound", "Participation", "BallotBox", "choose_rule", "closed_round_message", "no_rule_message",
]
