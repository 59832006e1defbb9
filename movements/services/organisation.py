"""Writes for the organisation: the agency profile, units, people and their posts, ratings and discipline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_admin, require_office, require_unit_scope
from tdkt.text import fold, nfc, nfc_multiline

from ..models import AgencyProfile, DisciplineRecord, PerformanceRating, Person, PositionAssignment, Unit

UNIT_FIELDS = ["name", "short_code", "kind", "parent", "active", "sort_order"]
PERSON_FIELDS = ["full_name", "gender", "date_of_birth", "unit", "position_title", "is_leadership", "is_head", "active"]
AGENCY_FIELDS = ["name", "parent_name", "doc_code", "place_name", "director_title", "director_name"]


def _today():
    return datetime.date.today()


# ---------------------------------------------------------------- agency profile


@transaction.atomic
def agency_profile_update(*, actor, **values):
    require_admin(actor)
    profile = AgencyProfile.objects.select_for_update().filter(singleton=True).first() or AgencyProfile()
    before = snapshot(profile, AGENCY_FIELDS) if profile.pk else {}
    for name in AGENCY_FIELDS:
        if name in values:
            setattr(profile, name, nfc(values[name]))
    profile.full_clean()
    created = profile.pk is None
    profile.save()
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=profile,
                 changes=diff(before, snapshot(profile, AGENCY_FIELDS)))
    return profile


# ---------------------------------------------------------------- units


@transaction.atomic
def unit_create(*, actor, name, short_code, kind, parent=None, sort_order=0):
    require_office(actor)
    unit = Unit(name=nfc(name), short_code=nfc(short_code).upper(), kind=kind, parent=parent, sort_order=sort_order)
    unit.full_clean()
    unit.save()
    audit_changes(actor=actor, obj=unit, fields=UNIT_FIELDS)
    return unit


@transaction.atomic
def unit_update(*, actor, unit, **values):
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for name in ("name", "short_code", "kind", "parent", "sort_order"):
        if name in values:
            value = values[name]
            if name in ("name", "short_code"):
                value = nfc(value)
            if name == "short_code":
                value = value.upper()
            setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    audit_changes(actor=actor, obj=unit, fields=UNIT_FIELDS, before=before)
    return unit


@transaction.atomic
def unit_set_active(*, actor, unit, active, reason=""):
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.active == active:
        return unit
    if not active:
        if Person.objects.filter(unit=unit, active=True).exists():
            raise ValidationError(_("Đơn vị còn cá nhân đang công tác: hãy chuyển hoặc cho nghỉ các cá nhân trước."))
        if Unit.objects.filter(parent=unit, active=True).exists():
            raise ValidationError(_("Đơn vị còn đơn vị cấp dưới đang hoạt động."))
    unit.active = active
    unit.save(update_fields=["active"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=unit,
                 changes={"active": [not active, active]}, reason=nfc_multiline(reason))
    return unit


# ---------------------------------------------------------------- people


def _mirror_position(person, assignment):
    person.unit = assignment.unit
    person.position_title = assignment.title
    person.is_leadership = assignment.is_leadership
    person.is_head = assignment.is_head


def _open_position(*, person, unit, title, is_leadership, is_head, start_date):
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
def person_create(*, actor, full_name, gender, unit, date_of_birth=None, position_title="", is_leadership=False,
                  is_head=False, start_date=None):
    require_unit_scope(actor, unit)
    person = Person(
        full_name=nfc(full_name), gender=gender, date_of_birth=date_of_birth, unit=unit,
        position_title=nfc(position_title or ""), is_leadership=bool(is_leadership or is_head), is_head=bool(is_head),
    )
    person.name_folded = fold(person.full_name)
    person.full_clean(exclude=["name_folded"])
    person.save()
    _open_position(person=person, unit=unit, title=person.position_title, is_leadership=person.is_leadership,
                   is_head=person.is_head, start_date=start_date or _today())
    audit_changes(actor=actor, obj=person, fields=PERSON_FIELDS)
    return person


@transaction.atomic
def person_update(*, actor, person, full_name=None, gender=None, date_of_birth=None):
    """Change a person's identity data. Posts change through :func:`person_change_position`."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    before = snapshot(person, PERSON_FIELDS)
    if full_name is not None:
        person.full_name = nfc(full_name)
        person.name_folded = fold(person.full_name)
    if gender is not None:
        person.gender = gender
    person.date_of_birth = date_of_birth
    person.full_clean(exclude=["name_folded"])
    person.save()
    audit_changes(actor=actor, obj=person, fields=PERSON_FIELDS, before=before)
    return person


@transaction.atomic
def person_change_position(*, actor, person, unit, title, is_leadership, is_head, start_date, reason=""):
    """Close the current post the day before ``start_date`` and open the new one."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    require_unit_scope(actor, unit)
    if not person.active:
        raise ValidationError(_("Cá nhân này đã nghỉ công tác: hãy kích hoạt lại trước."))
    before = snapshot(person, PERSON_FIELDS)
    current = PositionAssignment.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current:
        if start_date <= current.start_date:
            raise ValidationError({"start_date": _("Ngày nhận chức vụ mới phải sau ngày %(date)s (ngày bắt đầu chức vụ hiện tại).")
                                   % {"date": current.start_date.strftime("%d/%m/%Y")}})
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    assignment = _open_position(person=person, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head,
                                start_date=start_date)
    _mirror_position(person, assignment)
    person.full_clean(exclude=["name_folded"])
    person.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=diff(before, snapshot(person, PERSON_FIELDS)),
                 reason=nfc_multiline(reason))
    return person


@transaction.atomic
def person_set_active(*, actor, person, active, date=None, reason=""):
    """Deactivate (nghỉ hưu, chuyển công tác…) or reactivate a person. People are never deleted."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    if person.active == active:
        return person
    date = date or _today()
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
        _open_position(person=person, unit=person.unit, title=person.position_title,
                       is_leadership=person.is_leadership, is_head=False, start_date=date)
    person.active = active
    person.save(update_fields=["active", "is_head"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=person,
                 changes={"active": [not active, active]}, reason=nfc_multiline(reason))
    return person


# ---------------------------------------------------------------- ratings and discipline


@transaction.atomic
def rating_set(*, actor, year, rating, person=None, unit=None):
    """Create or change the yearly rating of one person or unit."""
    require_office(actor)
    lookup = {"person": person} if person is not None else {"unit": unit}
    existing = PerformanceRating.objects.select_for_update().filter(year=year, **lookup).first()
    if existing:
        old = existing.rating
        existing.rating = rating
        existing.full_clean()
        existing.save()
        if old != rating:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=existing, changes={"rating": [old, rating]})
        return existing
    record = PerformanceRating(person=person, unit=unit, year=year, rating=rating)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, changes={"rating": [None, rating]})
    return record


@transaction.atomic
def discipline_create(*, actor, kind, start_date, reason, end_date=None, person=None, unit=None):
    require_office(actor)
    record = DisciplineRecord(person=person, unit=unit, kind=kind, start_date=start_date, end_date=end_date,
                              reason=nfc_multiline(reason))
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=["kind", "start_date", "end_date", "reason"])
    return record


@transaction.atomic
def discipline_update(*, actor, record, kind, start_date, end_date, reason):
    require_office(actor)
    record = DisciplineRecord.objects.select_for_update().get(pk=record.pk)
    fields = ["kind", "start_date", "end_date", "reason"]
    before = snapshot(record, fields)
    record.kind, record.start_date, record.end_date, record.reason = kind, start_date, end_date, nfc_multiline(reason)
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=fields, before=before)
    return record
