"""The state machines of the councils app, as tables of the one workflow mechanism (:mod:`tdkt.workflow`).

Meeting (phiên họp)::

    dự thảo → đã triệu tập → đang họp, lấy ý kiến → đã kết thúc
         ↘ đã huỷ (lý do) ↙

Agenda item (one nomination)::

    chờ biểu quyết → đang biểu quyết → đã biểu quyết (đạt / không đạt) → chờ biểu quyết (biểu quyết lại: chủ trì, lý do)
          ↘ đã biểu quyết (phiếu giấy: thư ký nhập kết quả)
          ↘ hoãn xét (the nomination goes back to the office)

A vote round (``VoteRound``) is opened by the item's move to “đang biểu quyết” and sealed by its move to “đã biểu
quyết”; closing an item moves its nomination to “Hội đồng thông qua” / “Hội đồng không thông qua” through the
nomination workflow (``nominations.api.nominations_council_transition``), in the same transaction. Every move writes one
audit event and emits ``tdkt.events.transition_committed`` after the commit.

Locks, always in this order: the meeting, the item, the vote round (``services.voting.vote_cast`` takes all three), so
a vote, a close and the deadline job never wait on each other in a circle.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations.api import NominationState, nominations_council_transition
from tdkt.audit import audit_changes, audit_events_for, audit_record
from tdkt.enums import AuditAction
from tdkt.roles import manages_council, seals_document, signs_document
from tdkt.workflow import Move, Workflow

from . import rules as perms
from . import signing as doc_signing
from .counting import paper_counts, recused_ids, result_of, roll_of, seal
from .enums import AttendanceStatus, ItemState, MeetingKind, MeetingState, Outcome, SignatureState, VoteRoundState
from .models import (
    AgendaItem,
    Attendance,
    BallotBox,
    CouncilMember,
    Decision,
    Meeting,
    MeetingMinutes,
    Proposal,
    Recusal,
    VoteRound,
    VotingRule,
)
from .recusal import automatic_recusals
from .tally import TERM_FIELDS

M, IS = MeetingState, ItemState

OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở (thường trực Hội đồng) được thực hiện thao tác này.")
CHAIR_ONLY = gettext_lazy("Chỉ người chủ trì phiên họp được thực hiện thao tác này.")
SECRETARY_ONLY = gettext_lazy("Chỉ thư ký phiên họp được thực hiện thao tác này.")

ROUND_FIELDS = ("number", "is_paper", "rule", *TERM_FIELDS, "reason")
RESULT_FIELDS = ("yes_count", "no_count", "abstain_count", "members_count", "present_count", "recused_count",
                 "attending_count", "base_count", "percentage", "quorum_met", "outcome")


def stored(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# ================================================================ the roll and the automatic recusals

def sync_roll(meeting, *, actor):
    """The roll holds the council's active members: add the missing ones, drop the rows of members who left (only
    before the meeting starts: a started meeting keeps its roll)."""
    members = {m.pk: m for m in CouncilMember.objects.filter(council_id=meeting.council_id, active=True)}
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member", "member__person")}
    for member_id, attendance in rows.items():
        if member_id not in members:
            audit_record(actor=actor, action=AuditAction.DELETE, obj=attendance, changes={"member": [str(attendance.member), None]})
            attendance.delete()
    for member_id, member in members.items():
        if member_id not in rows:
            attendance = Attendance(meeting=meeting, member=member)
            attendance.full_clean()
            attendance.save()
            audit_changes(actor=actor, obj=attendance, fields=["member", "status"])


def sync_recusals(items, *, actor):
    """Bring the automatic recusals of ``items`` up to date with the position history (before their vote): add the
    members who must now stand aside, drop automatic ones that no longer hold. Manual recusals are left alone."""
    items = list(items)
    if not items:
        return
    meeting_ids = {item.meeting_id for item in items}
    members = [a.member for a in Attendance.objects.filter(meeting_id__in=meeting_ids).select_related("member")]
    wanted = automatic_recusals(items, members)
    on_roll = {(a_meeting, a_member) for a_meeting, a_member in
               Attendance.objects.filter(meeting_id__in=meeting_ids).values_list("meeting_id", "member_id")}
    items_by_pk = {item.pk: item for item in items}
    wanted = {key: reason for key, reason in wanted.items() if (items_by_pk[key[0]].meeting_id, key[1]) in on_roll}
    existing = {(r.item_id, r.member_id): r for r in Recusal.objects.filter(item__in=items).select_related("member__person")}
    for key, recusal in existing.items():
        if recusal.automatic and key not in wanted:
            audit_record(actor=actor, action=AuditAction.DELETE, obj=items_by_pk[key[0]],
                         changes={"không tham gia xét": [str(recusal), None]})
            recusal.delete()
    for (item_pk, member_pk), reason in wanted.items():
        if (item_pk, member_pk) in existing:
            continue
        recusal = Recusal(item=items_by_pk[item_pk], member_id=member_pk, automatic=True, reason=reason, created_by=None)
        recusal.full_clean()
        recusal.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=items_by_pk[item_pk],
                     changes={"không tham gia xét": [None, str(recusal)]}, reason=reason)


# ================================================================ meetings: the hooks

def _has_agenda(step):
    if not step.obj.items.exclude(state=IS.DEFERRED).exists():
        raise ValidationError(_("Chương trình phiên họp chưa có nội dung nào: hãy đưa các đề nghị đã thẩm định đạt vào trước."))


def _deadline_ahead(step):
    meeting = step.obj
    if meeting.kind == MeetingKind.WRITTEN and meeting.deadline <= timezone.now():
        raise ValidationError({"deadline": _("Hạn trả lời đã qua: hãy sửa hạn trả lời trước khi gửi lấy ý kiến.")})


def _no_vote_open(step):
    open_items = list(step.obj.items.filter(state=IS.VOTING))
    if open_items:
        raise ValidationError(_("Còn %(n)s nội dung đang biểu quyết (%(items)s): hãy kết thúc biểu quyết trước khi kết thúc "
                                "phiên họp.") % {"n": len(open_items), "items": "; ".join(map(str, open_items[:3]))})


def _roll_and_recusals(step):
    sync_roll(step.obj, actor=step.actor)
    sync_recusals(step.obj.items.filter(state=IS.PENDING).select_related("nomination__round", "nomination__unit"), actor=step.actor)


def _mark_started(step):
    step.obj.started_at = timezone.now()


def _mark_closed(step):
    step.obj.closed_at = timezone.now()


def _open_consultation(step):
    """A written consultation opens every item at once: members answer on their own time until the deadline."""
    if step.obj.kind == MeetingKind.WRITTEN:
        items = list(step.obj.items.filter(state=IS.PENDING).order_by("position", "pk"))
        if items:
            ITEM_WORKFLOW.apply_many(items, actor=step.actor, to=IS.VOTING)


def _defer_pending(step):
    """Items not voted on when a meeting ends or is cancelled are deferred: their nominations go back to the office."""
    items = list(step.obj.items.filter(state=IS.PENDING).order_by("position", "pk"))
    if items:
        ITEM_WORKFLOW.apply_many(items, actor=step.actor, to=IS.DEFERRED, reason=step.reason or _("Phiên họp kết thúc."))


MEETING_WORKFLOW = Workflow(
    name="councils.meeting",
    model=Meeting,
    states=MeetingState,
    invalid_message=gettext_lazy("Không chuyển được phiên họp “%(obj)s” từ “%(from)s” sang “%(to)s”."),
    related=("council", "chair", "secretary"),
    moves=[
        Move((M.DRAFT,), M.SCHEDULED, label=gettext_lazy("Triệu tập"), allowed=manages_council, denied_message=OFFICE_ONLY,
             checks=[_has_agenda], after_save=[_roll_and_recusals]),
        Move((M.SCHEDULED,), M.IN_PROGRESS, label=gettext_lazy("Bắt đầu phiên họp, gửi lấy ý kiến"), allowed=perms.starts_meeting,
             checks=[_deadline_ahead], before_save=[_mark_started], after_save=[_open_consultation]),
        Move((M.IN_PROGRESS,), M.CLOSED, label=gettext_lazy("Kết thúc phiên họp"), allowed=perms.ends_meeting,
             checks=[_no_vote_open], before_save=[_mark_closed], after_save=[_defer_pending]),
        Move((M.DRAFT, M.SCHEDULED), M.CANCELLED, label=gettext_lazy("Huỷ phiên họp"), allowed=manages_council,
             denied_message=OFFICE_ONLY, reason_required=True, reason_message=gettext_lazy("Hãy ghi lý do huỷ phiên họp."),
             danger=True, after_save=[_defer_pending]),
    ],
)


# ================================================================ agenda items: the hooks

def _meeting_in_progress(step):
    meeting = step.obj.meeting
    if meeting.state != M.IN_PROGRESS:
        raise ValidationError(_("Phiên họp “%(meeting)s” không diễn ra (%(state)s).") % {
            "meeting": meeting, "state": meeting.get_state_display()})


def _nomination_at_council(step):
    nomination = step.obj.nomination
    if nomination.state != NominationState.AT_COUNCIL:
        raise ValidationError(_("%(n)s: đề nghị đang ở trạng thái “%(state)s”, không còn chờ Hội đồng xét.") % {
            "n": nomination, "state": nomination.get_state_display()})


def _rule_in_force(step):
    """The voting rule of the item's title or form on the meeting's date (kept for the round)."""
    step.data["rule"] = VotingRule.objects.for_award(step.obj.nomination.award, step.obj.meeting.date)


def _sitting_quorum(step):
    """A sitting votes only with its quorum, and its chair present."""
    meeting = step.obj.meeting
    if meeting.kind != MeetingKind.SITTING:
        return
    roll = step.data.setdefault("roll", roll_of(meeting))
    terms = step.data["rule"].terms
    if not roll.sitting_quorum_met(terms):
        raise ValidationError(_("Chưa đủ số thành viên có mặt: %(present)s/%(members)s thành viên có quyền biểu quyết, cần ít "
                                "nhất %(needed)s (%(n)s/%(d)s).") % {
            "present": roll.present, "members": roll.members, "needed": roll.quorum_needed(terms),
            "n": terms.quorum_numerator, "d": terms.quorum_denominator})
    chair = next((a for a in roll.attendances if a.member_id == meeting.chair_id), None)
    if chair is None or chair.status != AttendanceStatus.PRESENT:
        raise ValidationError(_("Người chủ trì phiên họp chưa được điểm danh có mặt."))


def _new_round(step, *, is_paper=False):
    item, rule = step.obj, step.data["rule"]
    number = (item.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    vote_round = VoteRound(item=item, number=number, is_paper=is_paper, rule=rule, reason=step.data.get("round_reason", ""),
                           opened_by=stored(step.actor), opened_at=timezone.now(),
                           **{name: getattr(rule, name) for name in TERM_FIELDS})
    vote_round.full_clean()
    vote_round.save()
    audit_changes(actor=step.actor, obj=vote_round, fields=ROUND_FIELDS)
    return vote_round


def _open_round(step):
    sync_recusals([step.obj], actor=step.actor)
    earlier = step.obj.rounds.filter(state=VoteRoundState.CLOSED).order_by("-number").first()
    if earlier is not None:
        step.data["round_reason"] = _reason_of_repeat(step.obj)
    vote_round = _new_round(step)
    if vote_round.is_secret:
        BallotBox.objects.create(round=vote_round)


def _reason_of_repeat(item):
    """The reason the chair gave for the re-vote (the last move back to “chờ biểu quyết”)."""
    event = audit_events_for(item).filter(from_state=IS.CLOSED, to_state=IS.PENDING).order_by("-created_at", "-id").first()
    return event.reason if event is not None else ""


def _seal_open_round(step):
    """Count the open round (the ballot box of a secret ballot, the participations of an open vote) and close it."""
    item = step.obj
    vote_round = VoteRound.objects.select_for_update().get(item=item, state=VoteRoundState.OPEN)
    roll = roll_of(item.meeting)
    result = result_of(vote_round, roll, recused_ids(item))
    answered = vote_round.participations.count()
    _seal_and_record(step, vote_round, result, present=answered if item.meeting.kind == MeetingKind.WRITTEN else roll.present)


def _seal_and_record(step, vote_round, result, *, present):
    seal(vote_round, result, present=present, actor=step.actor)
    audit_changes(actor=step.actor, obj=vote_round, fields=RESULT_FIELDS, before={name: None for name in RESULT_FIELDS},
                  reason=vote_round.result_text)
    step.obj.outcome = vote_round.outcome
    step.data["result_text"] = vote_round.result_text


def _paper_counts(step):
    """Paper ballots: the counted result, checked against the members who may vote (``counting.paper_counts``)."""
    rule = step.data["rule"]
    sync_recusals([step.obj], actor=step.actor)  # the counts are judged against today's recusals (rolled back on refusal)
    roll = step.data.setdefault("roll", roll_of(step.obj.meeting))
    eligible = roll.eligible(rule.terms, recused_ids(step.obj))
    step.data["counts"] = paper_counts(step.params.get("paper") or {}, rule=rule, eligible=len(eligible))


def _record_paper_round(step):
    vote_round = _new_round(step, is_paper=True)
    roll = step.data["roll"]
    result = result_of(vote_round, roll, recused_ids(step.obj), counts=step.data["counts"])
    _seal_and_record(step, vote_round, result, present=roll.present)


def _move_nomination(step):
    """The outcome flows back: the nomination moves to “Hội đồng thông qua” / “không thông qua”, the result as its reason."""
    target = NominationState.COUNCIL_PASSED if step.obj.outcome == Outcome.PASSED else NominationState.COUNCIL_REJECTED
    reason = _("Kết quả biểu quyết của Hội đồng (%(meeting)s): %(result)s") % {
        "meeting": step.obj.meeting, "result": step.data["result_text"]}
    nominations_council_transition(actor=step.actor, nominations=[step.obj.nomination], to_state=target, reason=reason)


def _nomination_not_decided(step):
    nomination = step.obj.nomination
    if nomination.state not in (NominationState.COUNCIL_PASSED, NominationState.COUNCIL_REJECTED):
        raise ValidationError(_("%(n)s đã ở trạng thái “%(state)s”: không biểu quyết lại được.") % {
            "n": nomination, "state": nomination.get_state_display()})


def _clear_outcome(step):
    step.obj.outcome = ""


def _nomination_back_to_council(step):
    nominations_council_transition(actor=step.actor, nominations=[step.obj.nomination], to_state=NominationState.AT_COUNCIL,
                                   reason=step.reason)


def _nomination_back_to_office(step):
    nominations_council_transition(actor=step.actor, nominations=[step.obj.nomination], to_state=NominationState.VETTED_PASS,
                                   reason=step.reason or _("Hoãn xét tại phiên họp “%(meeting)s”.") % {"meeting": step.obj.meeting})


ITEM_WORKFLOW = Workflow(
    name="councils.agenda_item",
    model=AgendaItem,
    states=ItemState,
    invalid_message=gettext_lazy("Không chuyển được “%(obj)s” từ “%(from)s” sang “%(to)s”."),
    related=("meeting", "meeting__chair", "meeting__secretary", "nomination", "nomination__round", "nomination__person",
             "nomination__unit", "nomination__title", "nomination__form"),
    audit_fields=("outcome",),
    moves=[
        Move((IS.PENDING,), IS.VOTING, label=gettext_lazy("Mở biểu quyết"), allowed=perms.opens_votes, denied_message=CHAIR_ONLY,
             checks=[_meeting_in_progress, _nomination_at_council, _rule_in_force, _sitting_quorum], after_save=[_open_round]),
        Move((IS.VOTING,), IS.CLOSED, label=gettext_lazy("Kết thúc biểu quyết"), allowed=perms.closes_votes, denied_message=CHAIR_ONLY,
             checks=[_meeting_in_progress], before_save=[_seal_open_round], after_save=[_move_nomination]),
        Move((IS.PENDING,), IS.CLOSED, label=gettext_lazy("Nhập kết quả phiếu giấy"), allowed=perms.enters_paper,
             denied_message=SECRETARY_ONLY,
             checks=[_meeting_in_progress, _nomination_at_council, _rule_in_force, _sitting_quorum, _paper_counts],
             before_save=[_record_paper_round], after_save=[_move_nomination]),
        Move((IS.CLOSED,), IS.PENDING, label=gettext_lazy("Biểu quyết lại"), allowed=perms.repeats_votes, denied_message=CHAIR_ONLY,
             reason_required=True, reason_message=gettext_lazy("Hãy ghi lý do biểu quyết lại."), danger=True,
             checks=[_meeting_in_progress, _nomination_not_decided], before_save=[_clear_outcome],
             after_save=[_nomination_back_to_council]),
        Move((IS.PENDING,), IS.DEFERRED, label=gettext_lazy("Hoãn xét"), allowed=perms.defers_items, denied_message=CHAIR_ONLY,
             after_save=[_nomination_back_to_office]),
    ],
)


# ---------------------------------------------------------------- digital signatures (issue 12)
#
#     chưa ký số → đã ký số (“Ký số”: the signer's key) → đã ký số và đóng dấu số (“Đóng dấu số”: the văn thư)
#
# One table for the three signed documents (decision, tờ trình, minutes: councils/signing.py says what differs; the
# minutes have no seal step). Only on an issued document; never backwards (a change is a replacing document).

SIGNING_AUDIT_FIELDS = ("signed_subject", "signed_serial", "sealed_subject", "sealed_serial", "pdf_unsigned", "pdf_signed")


def signing_workflow(model, name, *, seals=True, after_signing=()):
    moves = [Move((SignatureState.UNSIGNED,), SignatureState.SIGNED, label=gettext_lazy("Ký số"), allowed=signs_document,
                  checks=[doc_signing.in_force, doc_signing.signature_image_present],
                  before_save=[doc_signing.sign_as_signer, *after_signing])]
    if seals:
        moves.append(Move((SignatureState.SIGNED,), SignatureState.SEALED, label=gettext_lazy("Đóng dấu số"),
                          allowed=seals_document,
                          checks=[doc_signing.in_force, doc_signing.seal_image_present, doc_signing.signed_file_unchanged],
                          before_save=[doc_signing.seal_as_agency]))
    return Workflow(
        name=name, model=model, states=SignatureState, state_field="signature_state",
        audit_fields=SIGNING_AUDIT_FIELDS + (("tally_pdf_signed",) if after_signing else ()),
        invalid_message=gettext_lazy("“%(obj)s” đang ở bước “%(from)s”: không chuyển sang “%(to)s” được (một văn bản đã "
                                     "ký không ký lại; thay đổi nội dung là ban hành văn bản thay thế)."),
        moves=moves,
    )


DECISION_SIGNING_WORKFLOW = signing_workflow(Decision, "decision_signing")
PROPOSAL_SIGNING_WORKFLOW = signing_workflow(Proposal, "proposal_signing")
MINUTES_SIGNING_WORKFLOW = signing_workflow(MeetingMinutes, "minutes_signing", seals=False,
                                            after_signing=[doc_signing.sign_attachments])
SIGNING_WORKFLOWS = {Decision: DECISION_SIGNING_WORKFLOW, Proposal: PROPOSAL_SIGNING_WORKFLOW,
                     MeetingMinutes: MINUTES_SIGNING_WORKFLOW}
