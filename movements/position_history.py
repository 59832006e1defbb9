"""The writes of a person's position history (posts and departures), shared by the organisation services and the
change-request workflow (an approved :class:`~movements.models.HistoryChangeRequest` is applied here).

No permission guard here: the callers check who may make the change (:mod:`movements.services.organisation`)
or who may approve it (:data:`movements.workflows.HISTORY_CHANGE_WORKFLOW`). Every function writes one audit event
and queues one :func:`tdkt.events.emit_subject_facts_changed` (sent after commit), so that what was judged earlier
about the person can be judged again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tdkt.audit import audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.events import emit_subject_facts_changed
from tdkt.text import nfc, nfc_multiline

from .models import Person, PositionAssignment

PERSON_FIELDS = ["full_name", "gender", "date_of_birth", "unit", "position_title", "is_leadership", "is_head", "active"]


def dmy(value):
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def mirror_position(person, assignment):
    person.unit = assignment.unit
    person.position_title = assignment.title
    person.is_leadership = assignment.is_leadership
    person.is_head = assignment.is_head


def open_position(*, person, unit, title, is_leadership, is_head, start_date):
    assignment = PositionAssignment(
        person=person, unit=unit, title=nfc(title or ""), is_leadership=is_leadership or is_head,
        is_head=is_head, start_date=start_date,
    )
    assignment.full_clean(validate_constraints=False)
    overlapping = (PositionAssignment.objects.filter(person=person).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
                   .order_by("-end_date").first())
    if overlapping is not None:
        # Positions of one person never overlap: rules judged at a date (R1, R2) must find one post.
        raise ValidationError({"date" if overlapping.end_date else "start_date": _(
            "Ngày bắt đầu phải sau ngày %(date)s (ngày cuối của chức vụ trước: %(title)s).") % {
            "date": overlapping.end_date.strftime("%d/%m/%Y") if overlapping.end_date else "…", "title": overlapping.title or "—"}})
    if is_head:
        holder = PositionAssignment.objects.filter(unit=unit, is_head=True, end_date__isnull=True).exclude(person=person).select_related("person").first()
        if holder:
            raise ValidationError({"is_head": _("%(unit)s đã có người đứng đầu: %(name)s. Hãy kết thúc chức vụ của người đó trước.")
                                   % {"unit": unit, "name": holder.person}})
    assignment.save()
    return assignment


@transaction.atomic
def change_position(*, actor, person, unit, title, is_leadership, is_head, start_date, reason=""):
    """Close the current post the day before ``start_date`` and open the new one."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.active:
        raise ValidationError(_("Cá nhân này đã nghỉ công tác: hãy kích hoạt lại trước."))
    before = snapshot(person, PERSON_FIELDS)
    old_unit_id = person.unit_id
    current = PositionAssignment.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current:
        if start_date <= current.start_date:
            raise ValidationError({"start_date": _("Ngày nhận chức vụ mới phải sau ngày %(date)s (ngày bắt đầu chức vụ hiện tại).")
                                   % {"date": current.start_date.strftime("%d/%m/%Y")}})
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    assignment = open_position(person=person, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head,
                               start_date=start_date)
    mirror_position(person, assignment)
    person.full_clean(exclude=["name_folded"])
    person.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=diff(before, snapshot(person, PERSON_FIELDS)),
                 reason=nfc_multiline(reason))
    emit_subject_facts_changed(sender=PositionAssignment, person_ids={person.pk}, unit_ids={old_unit_id, unit.pk}, actor=actor,
                               reason=_("Thay đổi chức vụ từ ngày %(date)s") % {"date": dmy(start_date)})
    return person


@transaction.atomic
def set_active(*, actor, person, active, date, reason=""):
    """Deactivate (the current post ends on ``date``) or reactivate (a post opens on ``date``) a person."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.active == active:
        return person
    if not active:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Hãy ghi lý do (nghỉ hưu, chuyển công tác…).")})
        current = PositionAssignment.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
        if current:
            if date < current.start_date:
                raise ValidationError({"date": _("Ngày nghỉ không được trước ngày nhận chức vụ hiện tại.")})
            current.end_date = date
            try:
                current.full_clean(validate_constraints=False)
            except ValidationError as exc:
                raise ValidationError({"date": exc.messages}) from exc
            current.save(update_fields=["end_date"])
        person.is_head = False
    else:
        if not person.unit.active:
            raise ValidationError(_("Đơn vị của cá nhân này đã ngừng hoạt động: hãy đổi đơn vị."))
        open_position(person=person, unit=person.unit, title=person.position_title,
                      is_leadership=person.is_leadership, is_head=False, start_date=date)
    person.active = active
    person.save(update_fields=["active", "is_head"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=person,
                 changes={"active": [not active, active]}, reason=nfc_multiline(reason))
    emit_subject_facts_changed(
        sender=PositionAssignment, person_ids={person.pk}, unit_ids={person.unit_id}, actor=actor,
        reason=(_("Công tác trở lại từ ngày %(date)s") if active else _("Nghỉ công tác từ sau ngày %(date)s")) % {"date": dmy(date)})
    return person
