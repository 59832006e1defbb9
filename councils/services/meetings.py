"""Writes of meetings: creating and calling a meeting, its roll and attendance, its agenda (built in bulk from the
vetted nominations), recusals by hand, and the members' review of the items (who opened which, comments)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nominations.api import Nomination, NominationState, nominations_council_transition
from tdkt.audit import audit_changes, audit_record, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require, require_office
from tdkt.roles import allows, is_active_account
from tdkt.text import nfc, nfc_multiline

from .. import rules as perms
from ..enums import AttendanceStatus, ItemState, MeetingKind, MeetingState
from ..models import AgendaItem, Attendance, Council, ItemComment, ItemReading, Meeting, Recusal
from ..workflows import MEETING_WORKFLOW, stored, sync_recusals, sync_roll
from .councils import OFFICE_ONLY

MEETING_FIELDS = ["council", "kind", "title", "date", "start_time", "place", "deadline", "chair", "secretary", "note"]
EDITABLE_FIELDS = ["title", "date", "start_time", "place", "deadline", "chair", "secretary", "note"]
PREPARING = (MeetingState.DRAFT, MeetingState.SCHEDULED)
COMMENT_MAX = 2000


def _locked_meeting(meeting):
    return Meeting.objects.select_for_update(of=("self",)).select_related("council", "chair", "secretary").get(pk=meeting.pk)


def _refuse_unless_preparing(meeting, message):
    if meeting.state not in PREPARING:
        raise ValidationError(message % {"meeting": meeting, "state": meeting.get_state_display()})


# ---------------------------------------------------------------- meetings

@transaction.atomic
def meeting_create(*, actor, council, kind, title, date, chair, secretary, start_time=None, place="", deadline=None, note=""):
    """A draft meeting of ``council`` (office). A sitting needs its time and place; a written consultation its deadline
    (``date``: the day it is sent). The roll holds the council's active members."""
    require_office(actor, OFFICE_ONLY)
    council = Council.objects.get(pk=council.pk)
    if not council.active:
        raise ValidationError({"council": _("Hội đồng “%(council)s” không còn hoạt động.") % {"council": council}})
    meeting = Meeting(council=council, kind=kind, title=nfc(title), date=date, chair=chair, secretary=secretary,
                      start_time=start_time if kind == MeetingKind.SITTING else None,
                      place=nfc(place or "") if kind == MeetingKind.SITTING else "",
                      deadline=deadline if kind == MeetingKind.WRITTEN else None, note=nfc_multiline(note or ""),
                      created_by=stored(actor))
    meeting.full_clean()
    meeting.save()
    audit_changes(actor=actor, obj=meeting, fields=MEETING_FIELDS)
    sync_roll(meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting, **values):
    """Change what ``values`` names (of ``EDITABLE_FIELDS``) while the meeting is prepared (draft or called)."""
    require_office(actor, OFFICE_ONLY)
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    meeting = _locked_meeting(meeting)
    _refuse_unless_preparing(meeting, _("Phiên họp “%(meeting)s” đã %(state)s: không sửa được nữa."))
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in values.items():
        if name in ("title", "place"):
            value = nfc(value or "")
        elif name == "note":
            value = nfc_multiline(value or "")
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    audit_changes(actor=actor, obj=meeting, fields=MEETING_FIELDS, before=before)
    return meeting


@transaction.atomic
def meeting_transition(*, actor, meeting, to_state, reason=""):
    """A move of the meeting workflow (``workflows.MEETING_WORKFLOW``): call it (office), start it (office, chair or
    secretary; a written consultation: the office, which opens every item), end it (office or chair; items not voted on
    are deferred), cancel it (office, with a reason)."""
    return MEETING_WORKFLOW.apply(meeting, actor=actor, to=to_state, reason=reason)


def meeting_schedule(*, actor, meeting):
    return meeting_transition(actor=actor, meeting=meeting, to_state=MeetingState.SCHEDULED)


def meeting_start(*, actor, meeting):
    return meeting_transition(actor=actor, meeting=meeting, to_state=MeetingState.IN_PROGRESS)


def meeting_close(*, actor, meeting, reason=""):
    return meeting_transition(actor=actor, meeting=meeting, to_state=MeetingState.CLOSED, reason=reason)


def meeting_cancel(*, actor, meeting, reason):
    return meeting_transition(actor=actor, meeting=meeting, to_state=MeetingState.CANCELLED, reason=reason)


# ---------------------------------------------------------------- attendance

@transaction.atomic
def attendance_set(*, actor, meeting, statuses, notes=None):
    """Record the attendance of a sitting (office or secretary): ``statuses`` maps members (or their ids) to an
    ``AttendanceStatus``; ``notes`` likewise to a short note. Not while a vote is open: who may vote, and the base, must
    not change under a vote."""
    meeting = _locked_meeting(meeting)
    require(perms.records_attendance, actor, meeting, _("Chỉ Văn phòng Sở hoặc thư ký phiên họp được điểm danh."))
    if meeting.kind != MeetingKind.SITTING:
        raise ValidationError(_("Lấy ý kiến bằng văn bản không điểm danh."))
    if meeting.state not in (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS):
        raise ValidationError(_("Phiên họp “%(meeting)s” đang ở trạng thái “%(state)s”: không điểm danh được.") % {
            "meeting": meeting, "state": meeting.get_state_display()})
    if meeting.items.filter(state=ItemState.VOTING).exists():
        raise ValidationError(_("Đang có nội dung biểu quyết: hãy kết thúc biểu quyết rồi mới điểm danh lại."))
    notes = {getattr(k, "pk", k): v for k, v in (notes or {}).items()}
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member__person")}
    changed = []
    for key, status in statuses.items():
        member_id = getattr(key, "pk", key)
        attendance = rows.get(member_id)
        if attendance is None:
            raise ValidationError(_("Thành viên này không có tên trong thành phần phiên họp."))
        if status not in AttendanceStatus.values:
            raise ValidationError({"status": _("Tình trạng tham dự không hợp lệ.")})
        before = snapshot(attendance, ["status", "note"])
        attendance.status = status
        if member_id in notes:
            attendance.note = nfc(notes[member_id] or "")
        attendance.full_clean()
        attendance.save(update_fields=["status", "note"])
        if audit_changes(actor=actor, obj=attendance, fields=["status", "note"], before=before) is not None:
            changed.append(attendance)
    return changed


# ---------------------------------------------------------------- the agenda

def _agenda_order(nomination):
    award = nomination.award
    return (0 if nomination.title_id else 1, award.sort_order, award.name, 1 if nomination.unit_id else 0,
            nomination.submission.unit.sort_order, str(nomination.subject), nomination.pk)


@transaction.atomic
def agenda_add(*, actor, meeting, nominations):
    """Put vetted nominations (“thẩm định đạt”) on the agenda of a meeting being prepared (office), one item each,
    ordered by title or form, then unit. Their nominations move to “Đưa ra Hội đồng” through the nomination workflow
    (the rules judge the list as a whole; all or none). Automatic recusals are recorded at once."""
    require_office(actor, OFFICE_ONLY)
    meeting = _locked_meeting(meeting)
    _refuse_unless_preparing(meeting, _("Phiên họp “%(meeting)s” đã %(state)s: không thêm nội dung được nữa."))
    pks = list(dict.fromkeys(getattr(n, "pk", n) for n in nominations))
    if not pks:
        raise ValidationError(_("Chưa chọn đề nghị nào."))
    found = list(Nomination.objects.filter(pk__in=pks).select_related(
        "round", "submission__unit", "person", "unit", "title", "form"))
    if len(found) != len(pks):
        raise ValidationError(_("Có đề nghị không còn tồn tại: hãy tải lại trang."))
    refused = [n for n in found if n.state != NominationState.VETTED_PASS]
    if refused:
        raise ValidationError([_("%(n)s: đang ở trạng thái “%(state)s”, chỉ đưa ra Hội đồng đề nghị đã thẩm định đạt.") % {
            "n": n, "state": n.get_state_display()} for n in refused])
    found.sort(key=_agenda_order)
    nominations_council_transition(actor=actor, nominations=found, to_state=NominationState.AT_COUNCIL,
                                   reason=_("Đưa vào chương trình phiên họp “%(meeting)s”.") % {"meeting": meeting})
    last = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    items = []
    for index, nomination in enumerate(found, start=1):
        item = AgendaItem(meeting=meeting, nomination=nomination, position=last + index * 10)
        item.full_clean()
        item.save()
        audit_changes(actor=actor, obj=item, fields=["meeting", "nomination", "position"])
        items.append(item)
    sync_recusals(items, actor=actor)
    return items


@transaction.atomic
def agenda_remove(*, actor, item):
    """Take an item off the agenda of a meeting being prepared (office): the nomination goes back to “thẩm định đạt”."""
    require_office(actor, OFFICE_ONLY)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "nomination").get(pk=item.pk)
    meeting = _locked_meeting(item.meeting)
    _refuse_unless_preparing(meeting, _("Phiên họp “%(meeting)s” đã %(state)s: không rút nội dung được nữa (hãy hoãn xét)."))
    if item.state != ItemState.PENDING:
        raise ValidationError(_("Chỉ rút được nội dung đang chờ biểu quyết."))
    nominations_council_transition(actor=actor, nominations=[item.nomination], to_state=NominationState.VETTED_PASS,
                                   reason=_("Rút khỏi chương trình phiên họp “%(meeting)s”.") % {"meeting": meeting})
    audit_record(actor=actor, action=AuditAction.DELETE, obj=item, changes={"nomination": [str(item.nomination), None]})
    item.delete()


# ---------------------------------------------------------------- recusals by hand

def _pending_item(item):
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related(
        "meeting", "meeting__chair", "meeting__secretary", "nomination").get(pk=item.pk)
    if item.state != ItemState.PENDING or item.meeting.state not in (*PREPARING, MeetingState.IN_PROGRESS):
        raise ValidationError(_("Chỉ ghi nhận, bỏ việc không tham gia xét trước khi biểu quyết nội dung này."))
    return item


@transaction.atomic
def recusal_add(*, actor, item, member, reason):
    """Recuse ``member`` from ``item`` by hand, with a reason: the office or the chair, or the member themselves.
    Before the item's vote; the member is then out of the item's base."""
    item = _pending_item(item)
    own = member.user_id == getattr(actor, "pk", None) and is_active_account(actor)
    if actor is not None and not own and not allows(perms.recuses_members, actor, item):
        raise PermissionDenied(_("Chỉ Văn phòng Sở, người chủ trì hoặc chính thành viên đó được ghi nhận việc không tham gia xét."))
    reason = nfc_multiline(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do không tham gia xét.")})
    if not Attendance.objects.filter(meeting=item.meeting, member=member).exists():
        raise ValidationError(_("%(member)s không có tên trong thành phần phiên họp.") % {"member": member})
    if Recusal.objects.filter(item=item, member=member).exists():
        raise ValidationError(_("%(member)s đã không tham gia xét nội dung này.") % {"member": member})
    recusal = Recusal(item=item, member=member, automatic=False, reason=reason, created_by=stored(actor))
    recusal.full_clean()
    recusal.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"không tham gia xét": [None, str(recusal)]}, reason=reason)
    return recusal


@transaction.atomic
def recusal_remove(*, actor, recusal):
    """Undo a recusal made by hand (office or chair), before the item's vote. Automatic recusals follow the position
    history and cannot be removed."""
    recusal = Recusal.objects.select_related("member__person").get(pk=recusal.pk)
    item = _pending_item(recusal.item)
    require(perms.recuses_members, actor, item, _("Chỉ Văn phòng Sở hoặc người chủ trì được bỏ việc không tham gia xét."))
    if recusal.automatic:
        raise ValidationError(_("Việc không tham gia xét này là tự động (theo quá trình công tác), không bỏ được."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"không tham gia xét": [str(recusal), None]})
    recusal.delete()


# ---------------------------------------------------------------- the members' review of the items

def _seat_of(actor, item):
    return Attendance.objects.filter(meeting=item.meeting, member__user=actor).select_related("member").first()


@transaction.atomic
def item_mark_read(*, actor, item):
    """Record that a member on the roll opened an item's dossier (the first time; the office sees who read what).
    Returns the reading, or ``None`` for someone not on the roll (the office reading is not recorded)."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    seat = _seat_of(actor, item) if is_active_account(actor) else None
    if seat is None or item.meeting.state not in MeetingState.visible_to_members():
        return None
    reading, created = ItemReading.objects.get_or_create(item=item, member=seat.member)
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=reading)
    return reading


@transaction.atomic
def item_comment_add(*, actor, item, text):
    """A member's comment on an item for the meeting (members on the roll, until the meeting ends)."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    seat = _seat_of(actor, item) if is_active_account(actor) else None
    if seat is None or item.meeting.state not in MeetingState.visible_to_members():
        raise PermissionDenied(_("Chỉ thành viên có tên trong thành phần phiên họp được góp ý kiến."))
    if item.meeting.state not in MeetingState.upcoming():
        raise ValidationError(_("Phiên họp đã kết thúc: không góp ý kiến được nữa."))
    text = nfc_multiline(text or "")
    if not text:
        raise ValidationError({"text": _("Hãy nhập ý kiến.")})
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": _("Ý kiến dài quá %(n)s ký tự.") % {"n": COMMENT_MAX}})
    comment = ItemComment(item=item, member=seat.member, text=text)
    comment.full_clean()
    comment.save()
    audit_changes(actor=actor, obj=comment, fields=["item", "text"])
    return comment
