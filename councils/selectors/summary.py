"""The meeting summary (the data the minutes and the decisions print), an item's dossier for the members, the office's
view of who read what, comments, and the blocks of the home page."""

from dataclasses import dataclass, field

from django.db.models import Q

from movements.api import PerformanceRating
from nominations.api import NominationState, awards_for_subject, documents_visible_to, violations_for
from tdkt.audit import audit_events_for
from tdkt.roles import manages_councils

from ..counting import roll_of
from ..enums import AttendanceStatus, Choice, ItemState, MeetingState, Outcome
from ..models import ItemComment, ItemReading, Participation
from .access import meetings_visible_to, seats_of
from .agenda import agenda, items_to_review, open_votes_for, quorum_status


@dataclass
class SummaryItem:
    """One item of the summary: the nomination, its result (the last closed round), the earlier results of a re-vote,
    the recusals and, for an open vote, each member's choice."""

    row: object  # selectors.agenda.AgendaRow
    choices: list = field(default_factory=list)  # [(member, choice label)] of the result's round, open votes only

    def __getattr__(self, name):
        if name.startswith("__") or name == "row":
            raise AttributeError(name)
        return getattr(self.row, name)  # item, nomination, award, result, earlier_results, recusals, rule_text…


@dataclass
class MeetingSummary:
    meeting: object
    roll: list  # Attendance rows (with member, person)
    quorum: object  # QuorumStatus
    items: list  # SummaryItem

    @property
    def present(self):
        return [a for a in self.roll if a.status == AttendanceStatus.PRESENT]

    @property
    def written(self):
        return [a for a in self.roll if a.status == AttendanceStatus.ABSENT_WRITTEN]

    @property
    def absent(self):
        return [a for a in self.roll if a.status == AttendanceStatus.ABSENT]

    @property
    def passed(self):
        return [i for i in self.items if i.item.outcome == Outcome.PASSED]

    @property
    def rejected(self):
        return [i for i in self.items if i.item.outcome == Outcome.REJECTED]

    @property
    def not_voted(self):
        return [i for i in self.items if i.item.state != ItemState.CLOSED]


def meeting_summary(meeting):
    """Per item the counts, percentage, outcome, recusals (and an open vote's choices), with the attendance: the
    data of the minutes. A constant number of queries (7), whatever the number of items."""
    roll = roll_of(meeting)
    rows = agenda(meeting, roll=roll)
    choice_labels = dict(Choice.choices)
    result_rounds = {row.result.pk: row for row in rows if row.result is not None and not row.result.is_secret}
    choices = {}
    if result_rounds:
        for participation in (Participation.objects.filter(round_id__in=result_rounds).select_related("member", "member__person")
                              .order_by("member__sort_order", "member_id")):
            choices.setdefault(participation.round_id, []).append((participation.member, str(choice_labels.get(participation.choice, ""))))
    items = [SummaryItem(row=row, choices=choices.get(row.result.pk, []) if row.result is not None else []) for row in rows]
    return MeetingSummary(meeting=meeting, roll=roll.attendances, quorum=quorum_status(meeting, roll=roll, rows=rows), items=items)


# ---------------------------------------------------------------- an item's dossier

@dataclass
class Dossier:
    """What a member reads before voting: the nomination (achievement summary), its files, the subject's award history
    and ratings, the rule checks with overrides and their reasons, the office's vetting note, the comments."""

    item: object
    nomination: object
    documents: list
    awards: list
    ratings: list
    violations: list
    overrides: list
    vetting_note: str
    comments: list


def item_dossier(item, *, user):
    """The dossier of ``item`` for ``user`` (the files ``user`` may read: what the unit sent). Bounded queries."""
    nomination = item.nomination
    subject = nomination.person if nomination.person_id else nomination.unit
    documents = list(documents_visible_to(user).filter(
        Q(nomination=nomination) | Q(submission=nomination.submission_id, nomination__isnull=True)).order_by("kind", "pk"))
    ratings = PerformanceRating.objects.filter(**({"person": subject} if nomination.person_id else {"unit": subject}))
    vetted = audit_events_for(nomination).filter(to_state=NominationState.VETTED_PASS).order_by("-created_at", "-id").first()
    return Dossier(
        item=item, nomination=nomination, documents=documents, awards=list(awards_for_subject(subject)),
        ratings=list(ratings.order_by("-year")), violations=violations_for([nomination])[nomination.pk],
        overrides=list(nomination.overrides.select_related("rule", "created_by")),
        vetting_note=vetted.reason if vetted is not None else "",
        comments=list(item_comments(item)))


def item_comments(item):
    return ItemComment.objects.filter(item=item).select_related("member", "member__person").order_by("created_at", "pk")


def item_readings(meeting):
    """``{item pk: {member pk: first opened at}}``: who opened which item (the office's view; one query)."""
    readings = {}
    for item_id, member_id, opened in ItemReading.objects.filter(item__meeting=meeting).values_list(
            "item_id", "member_id", "first_opened_at"):
        readings.setdefault(item_id, {})[member_id] = opened
    return readings


# ---------------------------------------------------------------- the home page

def home_summary(user):
    """The home page's council block (registered in ``CouncilsConfig.ready``): for a member, the votes waiting for
    them, the items to review and their coming meetings; for the office, the coming meetings. Nothing for others."""
    office = manages_councils(user)
    if not office and not seats_of(user).exists():
        return {}
    upcoming = list(meetings_visible_to(user).filter(state__in=MeetingState.upcoming()).order_by("date", "pk")[:5])
    block = {"upcoming_meetings": upcoming}
    if not office or seats_of(user).exists():
        block["open_votes"] = open_votes_for(user).count()
        block["items_to_review"] = items_to_review(user).count()
    return {"council": block}

