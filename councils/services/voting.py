"""Writes of the votes: opening and closing them (the chair), each member's vote, written opinions and paper results
(the secretary), re-votes, deferrals, and the written consultations' deadline.

**Secret ballot.** :func:`vote_cast` writes two things in one transaction: a ``Participation`` row (member, round —
no time, no choice) and ``+1`` on one counter of the round's ``BallotBox`` (a row with three numbers, no voter, no
time). There is no ballot row at all, so no key, order, timestamp or sequence can tie a choice to the participation;
the audit event says that the member voted and names no choice. The counter's ``UPDATE`` is executed below Django's
query logging (:func:`_drop_in_box`), so not even a development server with ``DEBUG`` and SQL logging writes the choice
next to the participation. What remains visible is what a ballot box shows: the counts, read at the close.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_record
from tdkt.enums import AuditAction
from tdkt.guards import require

from .. import rules as perms
from ..counting import recused_ids, roll_of
from ..enums import AttendanceStatus, Choice, ItemState, MeetingKind, MeetingState, VoteRoundState
from ..models import AgendaItem, BallotBox, Meeting, Participation, Recusal, VoteRound
from ..workflows import ITEM_WORKFLOW, MEETING_WORKFLOW

BOX_FIELDS = {Choice.YES: "yes_count", Choice.NO: "no_count", Choice.ABSTAIN: "abstain_count"}


def _items_of_one_meeting(items):
    items = list(items)
    if not items:
        raise ValidationError(_("Chưa chọn nội dung nào."))
    if len({item.meeting_id for item in items}) != 1:
        raise ValidationError(_("Các nội dung phải thuộc cùng một phiên họp."))
    return items


def _require_state(items, state, message):
    wrong = [item for item in items if item.state != state]
    if wrong:
        raise ValidationError([message % {"item": item, "state": item.get_state_display()} for item in wrong])


# ---------------------------------------------------------------- opening and closing

@transaction.atomic
def voting_open(*, actor, items):
    """Open the vote on ``items`` (one, or a title group: all or none) — the chair of a sitting, with the quorum
    present. Each item gets a vote round with the terms of its voting rule on the meeting's date (and, for a secret
    ballot, an empty ballot box); automatic recusals are brought up to date first."""
    items = _items_of_one_meeting(items)
    fresh = list(AgendaItem.objects.filter(pk__in=[i.pk for i in items]))
    _require_state(fresh, ItemState.PENDING, _("%(item)s: đang “%(state)s”, không mở biểu quyết được."))
    return ITEM_WORKFLOW.apply_many(items, actor=actor, to=ItemState.VOTING)


@transaction.atomic
def voting_open_group(*, actor, meeting, title=None, form=None):
    """Open the vote on every pending item of ``meeting`` for one emulation title or commendation form."""
    if (title is None) == (form is None):
        raise ValidationError(_("Chọn một danh hiệu hoặc một hình thức khen thưởng."))
    lookup = {"nomination__title": title} if title is not None else {"nomination__form": form}
    items = list(AgendaItem.objects.filter(meeting=meeting, state=ItemState.PENDING, **lookup).order_by("position", "pk"))
    if not items:
        raise ValidationError(_("Không còn nội dung nào của “%(award)s” chờ biểu quyết.") % {"award": title or form})
    return voting_open(actor=actor, items=items)


@transaction.atomic
def voting_close(*, actor, items):
    """Close the vote on ``items`` (the chair): count each round (the ballot box of a secret ballot, the participations
    of an open vote), judge it by its terms, and move each nomination to “Hội đồng thông qua” / “không thông qua”."""
    items = _items_of_one_meeting(items)
    fresh = list(AgendaItem.objects.filter(pk__in=[i.pk for i in items]))
    _require_state(fresh, ItemState.VOTING, _("%(item)s: đang “%(state)s”, không có biểu quyết để kết thúc."))
    return ITEM_WORKFLOW.apply_many(items, actor=actor, to=ItemState.CLOSED)


@transaction.atomic
def paper_result_enter(*, actor, item, yes, no, abstain=0):
    """The secretary enters the counted result of paper ballots for a pending item of a sitting (with its quorum):
    the totals must not exceed the members who may vote. The round is marked as paper, closed at once, and the
    nomination moves as for any close."""
    fresh = AgendaItem.objects.get(pk=item.pk)
    _require_state([fresh], ItemState.PENDING, _("%(item)s: đang “%(state)s”; chỉ nhập kết quả phiếu giấy cho nội dung chưa "
                                                 "biểu quyết trên hệ thống."))
    return ITEM_WORKFLOW.apply(item, actor=actor, to=ItemState.CLOSED, paper={"yes": yes, "no": no, "abstain": abstain})


@transaction.atomic
def vote_repeat(*, actor, item, reason):
    """A re-vote (the chair, with a reason, while the meeting is in progress): the item goes back to “chờ biểu quyết”
    and its nomination back to “Đưa ra Hội đồng”; the earlier round keeps its result. Then the chair opens the vote
    again, or the secretary enters paper results."""
    fresh = AgendaItem.objects.get(pk=item.pk)
    _require_state([fresh], ItemState.CLOSED, _("%(item)s: đang “%(state)s”, chưa có kết quả để biểu quyết lại."))
    return ITEM_WORKFLOW.apply(item, actor=actor, to=ItemState.PENDING, reason=reason)


@transaction.atomic
def item_defer(*, actor, item, reason=""):
    """Defer a pending item to a later meeting (the chair or the office, during the meeting): the nomination goes back
    to “thẩm định đạt” and may be put on another agenda."""
    fresh = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    if fresh.meeting.state != MeetingState.IN_PROGRESS:
        raise ValidationError(_("Chỉ hoãn xét trong phiên họp đang diễn ra (trước đó: rút khỏi chương trình)."))
    _require_state([fresh], ItemState.PENDING, _("%(item)s: đang “%(state)s”, không hoãn xét được."))
    return ITEM_WORKFLOW.apply(item, actor=actor, to=ItemState.DEFERRED, reason=reason)


# ---------------------------------------------------------------- a vote

def _drop_in_box(vote_round, choice):
    """``+1`` on one counter of the round's ballot box.

    Run on a cursor below Django's query logging (``make_cursor`` instead of the debug wrapper that ``DEBUG=True`` or a
    query capture installs): the statement names the choice, and a log of it next to the participation's ``INSERT``
    would tie the two. Nothing else differs from ``connection.cursor()`` (same connection and transaction, the
    database errors wrapped as usual).
    """
    column = BallotBox._meta.get_field(BOX_FIELDS[choice]).column
    key = BallotBox._meta.get_field("round").column
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote(BallotBox._meta.db_table)} SET {quote(column)} = {quote(column)} + 1 WHERE {quote(key)} = %s"
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = connection.make_cursor(connection.create_cursor())
    with cursor:
        cursor.execute(sql, [vote_round.pk])
        if cursor.rowcount != 1:
            raise ValidationError(_("Không tìm thấy hòm phiếu của lần biểu quyết này."))


def _cast(*, actor, item, choice, voter=None):
    """One vote on ``item``: by ``actor`` themselves, or (``voter``, a member) an absent member's written opinion entered by
    the secretary. Locks the meeting, the item and the round, in that order."""
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Hãy chọn đồng ý hoặc không đồng ý.")})
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("chair", "secretary").get(pk=item.meeting_id)
    item = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    item.meeting = meeting
    vote_round = VoteRound.objects.select_for_update(of=("self",)).filter(item=item, state=VoteRoundState.OPEN).first()
    if meeting.state != MeetingState.IN_PROGRESS or item.state != ItemState.VOTING or vote_round is None:
        raise ValidationError(_("“%(item)s” không đang biểu quyết (việc biểu quyết chưa mở hoặc đã kết thúc).") % {"item": item})
    if meeting.kind == MeetingKind.WRITTEN and timezone.now() > meeting.deadline:
        raise ValidationError(_("Đã hết hạn trả lời (%(deadline)s).") % {
            "deadline": timezone.localtime(meeting.deadline).strftime("%H:%M %d/%m/%Y")})
    roll = roll_of(meeting)
    if voter is None:
        seat = roll.member_of(actor)
        if seat is None:
            raise PermissionDenied(_("Bạn không có tên trong thành phần phiên họp này."))
    else:
        seat = next((a for a in roll.attendances if a.member_id == voter.pk), None)
        if seat is None:
            raise ValidationError(_("%(member)s không có tên trong thành phần phiên họp.") % {"member": voter})
    member = seat.member
    who = _("Bạn") if voter is None else member.person.full_name
    if not member.votes:
        raise ValidationError(_("%(who)s không có quyền biểu quyết.") % {"who": who})
    recusal = Recusal.objects.filter(item=item, member=member).first()
    if recusal is not None:
        raise ValidationError(_("%(who)s không tham gia xét nội dung này: %(reason)s") % {"who": who, "reason": recusal.reason})
    terms = vote_round.terms
    written = meeting.kind == MeetingKind.WRITTEN
    if meeting.kind == MeetingKind.SITTING:
        if voter is not None or seat.status == AttendanceStatus.ABSENT_WRITTEN:
            if seat.status != AttendanceStatus.ABSENT_WRITTEN:
                raise ValidationError(_("Chỉ ghi ý kiến bằng văn bản của thành viên vắng mặt có ý kiến bằng văn bản."))
            if not terms.written_opinions_count:
                raise ValidationError(_("Theo quy tắc biểu quyết của nội dung này, ý kiến bằng văn bản của thành viên vắng mặt "
                                        "không được tính."))
            written = True
        elif seat.status != AttendanceStatus.PRESENT:
            raise ValidationError(_("%(who)s không có mặt tại phiên họp: chỉ thành viên có mặt được biểu quyết.") % {"who": who})
    if choice == Choice.ABSTAIN and not terms.allows_abstention:
        raise ValidationError({"choice": _("Nội dung này không có lựa chọn “không biểu quyết”: hãy chọn đồng ý hoặc không đồng ý.")})
    if Participation.objects.filter(round=vote_round, member=member).exists():
        raise ValidationError(_("%(who)s đã biểu quyết nội dung này.") % {"who": who})
    participation = Participation(round=vote_round, member=member, written=written,
                                  choice="" if vote_round.is_secret else choice)
    participation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            participation.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("%(who)s đã biểu quyết nội dung này.") % {"who": who}) from None
    if vote_round.is_secret:
        _drop_in_box(vote_round, choice)
    # that the member voted, never how (an open vote's choice is public: it is in the results)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=participation,
                 changes={} if vote_round.is_secret else {"choice": [None, choice]})
    if meeting.kind == MeetingKind.WRITTEN:
        _close_when_all_answered(meeting, item, vote_round, roll)
    return participation


def _close_when_all_answered(meeting, item, vote_round, roll):
    """A written consultation: an item whose every entitled member answered is closed at once (by the system), and the
    consultation once no item is left open."""
    entitled = roll.eligible(vote_round.terms, recused_ids(item))
    if Participation.objects.filter(round=vote_round, member_id__in=entitled).count() < len(entitled):
        return
    ITEM_WORKFLOW.apply(item, actor=None, to=ItemState.CLOSED, reason=_("Tất cả thành viên đã cho ý kiến."))
    if not meeting.items.filter(state__in=[ItemState.PENDING, ItemState.VOTING]).exists():
        MEETING_WORKFLOW.apply(meeting, actor=None, to=MeetingState.CLOSED, reason=_("Tất cả thành viên đã cho ý kiến."))


@transaction.atomic
def vote_cast(*, actor, item, choice):
    """``actor`` votes on ``item`` (``Choice``): a member on the roll with a vote, not recused, present at a sitting (or
    absent with a written opinion the rule counts), before the close or the consultation's deadline, once. A secret
    ballot keeps the choice only as a count; an open vote keeps it on the participation. Returns the participation."""
    return _cast(actor=actor, item=item, choice=choice)


@transaction.atomic
def votes_cast(*, actor, choices):
    """The ballot: ``actor`` votes on several items at once (``[(item, Choice), …]``), each as :func:`vote_cast`, all
    or none (one refused choice refuses the whole ballot and nothing is counted). Returns the participations."""
    return [_cast(actor=actor, item=item, choice=choice) for item, choice in choices]


@transaction.atomic
def written_opinion_record(*, actor, item, member, choice):
    """The secretary records the written opinion of ``member``, absent from a sitting with a written opinion, when the
    item's rule counts written opinions (as the member's own vote: once, before the close)."""
    meeting = Meeting.objects.select_related("chair", "secretary").get(pk=item.meeting_id)
    require(perms.enters_paper, actor, meeting, _("Chỉ thư ký phiên họp được ghi ý kiến bằng văn bản."))
    return _cast(actor=actor, item=item, choice=choice, voter=member)


# ---------------------------------------------------------------- written consultations: the deadline

def consultations_close_due(*, now=None):
    """Close every written consultation whose deadline has passed (the periodic job: ``manage.py
    close_due_consultations``): each open item is counted and closed, then the consultation, by the system. Returns the
    meetings closed. Each consultation in its own transaction."""
    now = now or timezone.now()
    closed = []
    due = Meeting.objects.filter(kind=MeetingKind.WRITTEN, state=MeetingState.IN_PROGRESS, deadline__lt=now).order_by("deadline", "pk")
    for meeting_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting_id)
            if meeting.state != MeetingState.IN_PROGRESS:
                continue
            items = list(meeting.items.filter(state=ItemState.VOTING).order_by("position", "pk"))
            reason = _("Hết hạn trả lời.")
            if items:
                ITEM_WORKFLOW.apply_many(items, actor=None, to=ItemState.CLOSED, reason=reason)
            closed.append(MEETING_WORKFLOW.apply(meeting, actor=None, to=MeetingState.CLOSED, reason=reason))
    return closed
