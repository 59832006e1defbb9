"""Reads the pages of the councils app need beyond the domain's selectors: the viewer's own readings, the live quorum of
an attendance form not yet saved, an open vote's choices per round, who opened which item, the viewer's ballot.

Nothing here decides anything: quorum, eligibility and results come from ``councils.counting`` / ``councils.tally``
through the domain selectors (``agenda``, ``quorum_status``); secret ballots are never read (their rounds have no
choices on the participations, and the ballot box is not touched).
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from tdkt.roles import is_active_account

from ..counting import Roll, roll_of
from ..enums import Choice, ItemState, MeetingState
from ..models import AgendaItem, Attendance, ItemReading, Participation
from .access import meetings_visible_to
from .agenda import agenda, agenda_groups, quorum_status
from .summary import item_readings


def opened_item_ids(user, items):
    """Ids of ``items`` whose dossier ``user`` has opened (one query)."""
    if not is_active_account(user):
        return set()
    return set(ItemReading.objects.filter(item__in=list(items), member__user=user).values_list("item_id", flat=True))


def quorum_preview(meeting, statuses, *, roll=None, rows=None):
    """The quorum the attendance form would give (``statuses``: ``{member pk: AttendanceStatus}`` as typed, nothing
    saved), by the same count as the saved roll (``selectors.quorum_status``)."""
    roll = roll or roll_of(meeting)
    attendances = [replace_status(a, statuses.get(a.member_id, a.status)) for a in roll.attendances]
    preview = Roll(meeting=meeting, attendances=attendances)
    return quorum_status(meeting, roll=preview, rows=rows if rows is not None else agenda(meeting, roll=roll))


def replace_status(attendance, status):
    """A copy of an attendance row with another status (never saved)."""
    copy = Attendance(pk=attendance.pk, meeting_id=attendance.meeting_id, member=attendance.member, status=status,
                      note=attendance.note)
    return copy


def open_choices(rounds):
    """``{round pk: [(member, choice label)]}`` of the open votes among ``rounds`` (a secret ballot's rounds are left out:
    their participations hold no choice). One query."""
    public = [r.pk for r in rounds if not r.is_secret]
    found = {}
    if not public:
        return found
    labels = dict(Choice.choices)
    for participation in (Participation.objects.filter(round_id__in=public).select_related("member", "member__person")
                          .order_by("round_id", "member__sort_order", "member_id")):
        found.setdefault(participation.round_id, []).append((participation.member, labels.get(participation.choice, "")))
    return found


@dataclass
class ReadingGrid:
    """Who opened which item: ``rows`` are ``(agenda row, [(attendance, opened at or None)])``."""

    roll: list
    rows: list

    @property
    def groups(self):
        return agenda_groups(self.rows_only)

    @property
    def rows_only(self):
        return [row for row, _cells in self.rows]


def reading_grid(meeting):
    """The office's view of the review before the meeting: per item, each member on the roll and when they first opened
    it; the number of comments per item. Bounded queries."""
    roll = roll_of(meeting)
    rows = agenda(meeting, roll=roll)
    readings = item_readings(meeting)
    comments = dict(AgendaItem.objects.filter(meeting=meeting).annotate(n=Count("comments")).values_list("pk", "n"))
    grid = []
    for row in rows:
        opened = readings.get(row.item.pk, {})
        row.comment_count = comments.get(row.item.pk, 0)
        row.opened_count = len(opened)
        grid.append((row, [(a, opened.get(a.member_id)) for a in roll.attendances]))
    return ReadingGrid(roll=roll.attendances, rows=grid)


@dataclass
class AgendaGroup:
    """The items of one title or form, in agenda order, with what the meeting page asks of them."""

    award: object
    rows: list

    @property
    def rule_text(self):
        return self.rows[0].rule_text if self.rows else ""

    @property
    def pending(self):
        return sum(1 for row in self.rows if row.item.state == ItemState.PENDING)

    @property
    def voting(self):
        return sum(1 for row in self.rows if row.item.state == ItemState.VOTING)

    @property
    def key(self):
        """``t:<id>`` / ``f:<id>``: the group in a form (open or close the vote on the group)."""
        return f"{'t' if self.rows[0].nomination.title_id else 'f'}:{self.award.pk}"


def grouped(rows):
    """Agenda rows as :class:`AgendaGroup` (``selectors.agenda_groups``)."""
    return [AgendaGroup(award=award, rows=group) for award, group in agenda_groups(rows)]


def ballot_rows(meeting, user):
    """The items of ``meeting`` ``user`` may vote on now (open, not voted, not recused, present), grouped by title or
    form: the member's ballot."""
    rows = [row for row in agenda(meeting, user=user) if row.viewer_may_vote]
    return grouped(rows)


def meetings_for_list(user):
    """The meetings ``user`` sees, newest first, with their number of live items."""
    return (meetings_visible_to(user)
            .annotate(item_count=Count("items", filter=~Q(items__state=ItemState.DEFERRED)))
            .order_by("-date", "-id"))


def my_meetings(user):
    """A member's meetings: the ones to come first (soonest first), then the last closed or cancelled ones."""
    visible = meetings_visible_to(user)
    upcoming = list(visible.filter(state__in=MeetingState.upcoming()).order_by("date", "pk"))
    past = list(visible.exclude(state__in=MeetingState.upcoming()).order_by("-date", "-pk")[:10])
    return upcoming, past


