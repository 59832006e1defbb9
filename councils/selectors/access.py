"""Who sees what of the councils app, as querysets every list starts from: councils, members, voting rules, meetings.

The office (``tdkt.roles.manages_councils``) reads everything. A member reads the councils they sit on and the meetings
whose roll names them, once called (a draft is the office's preparation). Anybody else — unit heads, council accounts
without a seat — reads nothing.
"""

from django.db.models import Q

from movements.api import positions_at
from nominations.api import NominationState, nominations_visible_to
from tdkt.roles import is_active_account, manages_councils

from ..enums import MeetingState
from ..models import Attendance, Council, CouncilMember, Meeting, VotingRule

MEETING_RELATED = ("council", "chair", "chair__person", "chair__user", "secretary", "secretary__person", "secretary__user")


def councils_visible_to(user):
    """Office: every council. A member: the councils where they hold a seat (active or not). Others: none."""
    if manages_councils(user):
        return Council.objects.all()
    if not is_active_account(user):
        return Council.objects.none()
    return Council.objects.filter(members__user=user).distinct()


def council_members(council, *, active_only=False):
    """The seats of ``council`` in order, with their account, person and the person's current unit."""
    qs = CouncilMember.objects.filter(council=council).select_related("user", "person", "person__unit")
    return qs.filter(active=True) if active_only else qs


def active_council():
    """The council in office (one at most), or ``None``."""
    return Council.objects.filter(active=True).first()


def seats_of(user):
    """The user's active seats on active councils."""
    if not is_active_account(user):
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(user=user, active=True, council__active=True).select_related("council", "person")


def member_posts(members, on):
    """``{member pk: [(unit, post title, is head)]}``: each member's posts on ``on`` from the position history (one
    query), e.g. to show a member's unit and the units they head on the meeting's or the round's date."""
    members = list(members)
    by_person = {}
    for member in members:
        by_person.setdefault(member.person_id, []).append(member.pk)
    posts = {member.pk: [] for member in members}
    for assignment in positions_at(on, persons=list(by_person)).select_related("unit").order_by("-is_head", "unit__sort_order"):
        for member_pk in by_person[assignment.person_id]:
            posts[member_pk].append((assignment.unit, assignment.title, assignment.is_head))
    return posts


def voting_rules_visible_to(user):
    """Office and members read the voting rules (they decide how members vote); others none."""
    if manages_councils(user) or seats_of(user).exists():
        return VotingRule.objects.select_related("title", "form")
    return VotingRule.objects.none()


def voting_rule_for(award, on):
    """The voting rule of ``award`` (a title or a form) on ``on``: its own, else the default row; ``ValidationError``
    when none applies."""
    return VotingRule.objects.for_award(award, on)


def meetings_visible_to(user):
    """Office: every meeting. A member: the meetings whose roll names them, from the moment they are called. Others: none."""
    qs = Meeting.objects.select_related(*MEETING_RELATED)
    if manages_councils(user):
        return qs
    if not is_active_account(user):
        return qs.none()
    on_roll = Attendance.objects.filter(member__user=user).values("meeting_id")
    return qs.filter(Q(pk__in=on_roll), state__in=MeetingState.visible_to_members())


def seat_in(user, meeting):
    """The user's row on the meeting's roll (``Attendance`` with its member), or ``None``."""
    if not is_active_account(user):
        return None
    return Attendance.objects.filter(meeting=meeting, member__user=user).select_related("member", "member__person").first()


def agenda_candidates(user, *, nomination_round=None, title=None, form=None, unit=None):
    """Nominations the office may put on an agenda (“thẩm định đạt”: a nomination on a live agenda is “đưa ra Hội
    đồng”), optionally of one round, title or form, or proposing unit; grouped by title or form, then unit."""
    if not manages_councils(user):
        return nominations_visible_to(user).none()
    qs = nominations_visible_to(user).filter(state=NominationState.VETTED_PASS)
    for field_name, value in (("round", nomination_round), ("title", title), ("form", form), ("submission__unit", unit)):
        if value is not None:
            qs = qs.filter(**{field_name: value})
    return qs.order_by("title__sort_order", "form__sort_order", "submission__unit__sort_order", "unit_id", "person__sort_name", "pk")
