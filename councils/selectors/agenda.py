"""The agenda of a meeting as its pages show it, and what waits for a member.

:func:`agenda` reads a meeting's items with everything a row needs (the nomination, the voting rule in force, the vote
rounds, the recusals, the turnout, the viewer's own situation) in a constant number of queries, whatever the number of
items. A secret ballot's running counts are never read here: the turnout is the number of participations.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.utils import timezone

from tdkt.roles import is_active_account

from ..counting import paper_counts, result_of, roll_of
from ..enums import AttendanceStatus, Choice, ItemState, MeetingKind, MeetingState, VoteRoundState
from ..models import AgendaItem, Attendance, Participation, Recusal, VoteRound, VotingRule, choose_rule, no_rule_message
from ..recusal import automatic_recusals
from ..tally import TERM_FIELDS, describe, quorum_needed, result_text

ITEM_RELATED = ("nomination", "nomination__round", "nomination__submission__unit", "nomination__person",
                "nomination__person__unit", "nomination__unit", "nomination__title", "nomination__form")


@dataclass
class AgendaRow:
    """One item of the agenda as a page shows it (see :func:`agenda`)."""

    item: AgendaItem
    rule: VotingRule | None  # the rule the item is (or will be) voted by
    rule_error: str  # why no rule applies (then ``rule`` is None)
    rounds: list = field(default_factory=list)  # every vote round, in order
    recusals: list = field(default_factory=list)
    eligible: int = 0  # members who may vote on it now
    voted: int = 0  # participations in the open round
    own_recusal: Recusal | None = None  # the viewer's recusal
    voted_by_viewer: bool = False
    viewer_may_vote: bool = False

    @property
    def nomination(self):
        return self.item.nomination

    @property
    def award(self):
        return self.item.nomination.award

    @property
    def terms(self):
        if self.current_round is not None:
            return self.current_round.terms
        return self.rule.terms if self.rule is not None else None

    @property
    def rule_text(self):
        return describe(self.terms) if self.terms is not None else self.rule_error

    @property
    def current_round(self):
        """The open round, or ``None``."""
        return next((r for r in self.rounds if r.state == VoteRoundState.OPEN), None)

    @property
    def result(self):
        """The last closed round (the item's result), or ``None``."""
        closed = [r for r in self.rounds if r.state == VoteRoundState.CLOSED]
        return closed[-1] if closed else None

    @property
    def earlier_results(self):
        """Closed rounds before the last one (kept when the chair ordered a re-vote)."""
        return [r for r in self.rounds if r.state == VoteRoundState.CLOSED][:-1]


def rules_by_award(date):
    """``lookup(award) -> (rule, error)`` over the rules in force on ``date`` (one query)."""
    rules = list(VotingRule.objects.in_force(date))

    def lookup(award):
        rule = choose_rule(rules, award)
        return (rule, "") if rule is not None else (None, no_rule_message(award, date))

    return lookup


def agenda(meeting, *, user=None, roll=None):
    """The meeting's items (deferred ones included, last) as :class:`AgendaRow` in agenda order, for ``user`` (their own
    recusal, whether they voted and may vote). A constant number of queries (7), whatever the number of items."""
    roll = roll or roll_of(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related(*ITEM_RELATED)
                 .order_by(Case(When(state=ItemState.DEFERRED, then=1), default=0), "position", "pk"))
    lookup = rules_by_award(meeting.date)
    rounds, recusals = {}, {}
    for vote_round in VoteRound.objects.filter(item__meeting=meeting).select_related("rule").order_by("item_id", "number"):
        rounds.setdefault(vote_round.item_id, []).append(vote_round)
    for recusal in Recusal.objects.filter(item__meeting=meeting).select_related("member", "member__person"):
        recusals.setdefault(recusal.item_id, []).append(recusal)
    turnout = dict(Participation.objects.filter(round__item__meeting=meeting, round__state=VoteRoundState.OPEN)
                   .values("round_id").annotate(n=Count("pk")).values_list("round_id", "n"))
    seat = roll.member_of(user) if user is not None else None
    own_rounds = set(Participation.objects.filter(round__item__meeting=meeting, member_id=seat.member_id)
                     .values_list("round_id", flat=True)) if seat is not None else set()
    rows = []
    for item in items:
        item_rounds = rounds.get(item.pk, [])
        rule, error = (item_rounds[-1].rule, "") if item_rounds else lookup(item.nomination.award)
        row = AgendaRow(item=item, rule=rule, rule_error=error, rounds=item_rounds, recusals=recusals.get(item.pk, []))
        current = row.current_round
        if current is not None:
            row.voted = turnout.get(current.pk, 0)
        recused = {r.member_id for r in row.recusals}
        if row.terms is not None:
            row.eligible = len(roll.eligible(row.terms, recused))
        if seat is not None:
            row.own_recusal = next((r for r in row.recusals if r.member_id == seat.member_id), None)
            row.voted_by_viewer = current is not None and current.pk in own_rounds
            row.viewer_may_vote = (current is not None and not row.voted_by_viewer and row.own_recusal is None
                                   and seat.member_id in roll.eligible(current.terms, recused) and _before_deadline(meeting))
        rows.append(row)
    return rows


def _before_deadline(meeting):
    return meeting.kind != MeetingKind.WRITTEN or (meeting.deadline is not None and timezone.now() <= meeting.deadline)


def agenda_groups(rows):
    """``[(award, [rows])]``: the rows grouped by title or form, in agenda order (for display, and “open the vote on a
    title group”)."""
    groups = []
    for row in rows:
        if groups and groups[-1][0] == row.award:
            groups[-1][1].append(row)
        else:
            groups.append((row.award, [row]))
    return groups


# ---------------------------------------------------------------- quorum and turnout

@dataclass(frozen=True)
class QuorumStatus:
    members: int  # voting members on the roll
    present: int
    written: int  # absent with a written opinion
    absent: int
    needed: int
    numerator: int
    denominator: int

    @property
    def met(self):
        return self.present >= self.needed


def quorum_status(meeting, *, roll=None, rows=None):
    """The quorum of a sitting, shown live: voting members present against the strictest quorum of the items still to
    vote (2/3 when none), rounded up."""
    roll = roll or roll_of(meeting)
    fractions = [(row.terms.quorum_numerator, row.terms.quorum_denominator) for row in (rows or [])
                 if row.terms is not None and row.item.state in (ItemState.PENDING, ItemState.VOTING)]
    numerator, denominator = max(fractions, key=lambda f: f[0] / f[1], default=(2, 3))
    written = len(roll.ids_with(AttendanceStatus.ABSENT_WRITTEN))
    return QuorumStatus(members=roll.members, present=roll.present, written=written,
                        absent=roll.members - roll.present - written,
                        needed=quorum_needed(roll.members, numerator, denominator), numerator=numerator, denominator=denominator)


@dataclass
class Turnout:
    """Who took part in an item's open round. ``choices``: each member's choice — an open vote only (a secret ballot:
    always empty)."""

    eligible: list  # members who may vote
    voted: list  # members who voted
    waiting: list  # eligible members who have not voted yet
    choices: dict  # {member pk: Choice} (open votes only)

    @property
    def counts(self):
        """Counts of an open vote by choice (empty for a secret ballot)."""
        tally = Counter(self.choices.values())
        return {choice: tally[choice] for choice in Choice.values} if self.choices else {}


def vote_turnout(item, *, roll=None):
    """The live turnout of ``item``'s open round (the chair's screen): never a secret ballot's choices."""
    vote_round = VoteRound.objects.filter(item=item, state=VoteRoundState.OPEN).first()
    if vote_round is None:
        return None
    roll = roll or roll_of(item.meeting)
    recused = set(Recusal.objects.filter(item=item).values_list("member_id", flat=True))
    eligible_ids = roll.eligible(vote_round.terms, recused)
    rows = list(Participation.objects.filter(round=vote_round).values_list("member_id", "choice"))
    voted_ids = {member_id for member_id, _choice in rows}
    members = {a.member_id: a.member for a in roll.attendances}
    ordered = [a.member_id for a in roll.attendances]
    return Turnout(
        eligible=[members[i] for i in ordered if i in eligible_ids],
        voted=[members[i] for i in ordered if i in voted_ids],
        waiting=[members[i] for i in ordered if i in eligible_ids - voted_ids],
        choices={} if vote_round.is_secret else dict(rows))


# ---------------------------------------------------------------- paper ballots: the confirmation page

@dataclass(frozen=True)
class PaperPreview:
    rule: VotingRule
    counts: tuple
    eligible: int
    present: int
    recused: int
    result: object  # councils.tally.Result
    result_text: str


def paper_result_preview(item, *, yes, no, abstain=0):
    """What entering these paper counts for ``item`` would give (the secretary's confirmation page shows the totals
    against the members present): the same checks as ``services.paper_result_enter``, nothing saved. Raises
    ``ValidationError`` for counts the service would refuse."""
    meeting = item.meeting
    rule = VotingRule.objects.for_award(item.nomination.award, meeting.date)
    roll = roll_of(meeting)
    recused = set(Recusal.objects.filter(item=item).values_list("member_id", flat=True))
    recused |= {member_pk for (_item, member_pk) in automatic_recusals([item], [a.member for a in roll.attendances])}
    eligible = roll.eligible(rule.terms, recused)
    counts = paper_counts({"yes": yes, "no": no, "abstain": abstain}, rule=rule, eligible=len(eligible))
    probe = VoteRound(item=item, rule=rule, **{name: getattr(rule, name) for name in TERM_FIELDS})
    result = result_of(probe, roll, recused, counts=counts)
    return PaperPreview(rule=rule, counts=counts, eligible=len(eligible), present=roll.present,
                        recused=len(recused & {a.member_id for a in roll.voting}), result=result,
                        result_text=result_text(result, rule.terms))


# ---------------------------------------------------------------- what waits for a member

def _seat(user, meeting_ref="meeting"):
    return Attendance.objects.filter(meeting=OuterRef(meeting_ref), member__user=user)


def items_to_review(user):
    """Items of the called or running meetings whose roll names ``user``, still to vote on, where they are not recused."""
    if not is_active_account(user):
        return AgendaItem.objects.none()
    return (AgendaItem.objects.filter(state__in=[ItemState.PENDING, ItemState.VOTING], meeting__state__in=MeetingState.upcoming())
            .filter(Exists(_seat(user)))
            .exclude(Exists(Recusal.objects.filter(item=OuterRef("pk"), member__user=user)))
            .select_related("meeting", *ITEM_RELATED).order_by("meeting__date", "meeting_id", "position", "pk"))


def open_votes_for(user):
    """Items ``user`` may vote on now and has not: the vote is open, they have a vote on the roll, are not recused, are
    present (or absent with a written opinion the rule counts; any member of a written consultation before its
    deadline)."""
    if not is_active_account(user):
        return AgendaItem.objects.none()
    seat = Attendance.objects.filter(meeting=OuterRef("meeting"), member__user=user, member__votes=True)
    counts_written = VoteRound.objects.filter(item=OuterRef("pk"), state=VoteRoundState.OPEN, written_opinions_count=True)
    voted = Participation.objects.filter(round__item=OuterRef("pk"), round__state=VoteRoundState.OPEN, member__user=user)
    recused = Recusal.objects.filter(item=OuterRef("pk"), member__user=user)
    return (AgendaItem.objects.filter(state=ItemState.VOTING, meeting__state=MeetingState.IN_PROGRESS)
            .filter((Q(meeting__kind=MeetingKind.WRITTEN, meeting__deadline__gte=timezone.now()) & Exists(seat))
                    | Exists(seat.filter(status=AttendanceStatus.PRESENT))
                    | (Exists(seat.filter(status=AttendanceStatus.ABSENT_WRITTEN)) & Exists(counts_written)))
            .exclude(Exists(recused)).exclude(Exists(voted))
            .select_related("meeting", *ITEM_RELATED).order_by("meeting__date", "meeting_id", "position", "pk"))

