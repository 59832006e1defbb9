"""Writes for the organisation: the agency profile, units, people and their posts, ratings and discipline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.events import emit_subject_facts_changed
from tdkt.guards import require_admin, require_office, require_unit_scope
from tdkt.roles import allows
from tdkt.text import fold, nfc, nfc_multiline
from tdkt.uploads import validate_transparent_png

from ..enums import HistoryChangeKind
from ..models import AgencyProfile, DisciplineRecord, HistoryChangeRequest, PerformanceRating, Person, PositionAssignment, Unit
from ..position_history import PERSON_FIELDS, change_position, dmy, open_position, set_active
from ..rules import may_backdate_history
from ..workflows import HISTORY_CHANGE_WORKFLOW, apply_history_change

UNIT_FIELDS = ["name", "short_code", "kind", "parent", "active", "sort_order"]
AGENCY_FIELDS = ["name", "parent_name", "doc_code", "place_name", "director_title", "director_name"]
#: Where the giấy khen's fields print on the agency's pre-printed form, and whether the frame prints too (part: docs).
CERTIFICATE_FIELDS = ["cert_print_frame", "cert_name_x", "cert_name_y", "cert_unit_x", "cert_unit_y", "cert_reason_x",
                      "cert_reason_y", "cert_decision_x", "cert_decision_y", "cert_signer_x", "cert_signer_y"]
AGENCY_FIELDS += CERTIFICATE_FIELDS
AGENCY_FIELDS += ["seal_size_mm"]  # issue 12
#: The images printed over digitally signed documents (issue 12): replaced by an upload, never edited.
AGENCY_IMAGES = ["signature_image", "seal_image"]


def _today():
    return datetime.date.today()


# ---------------------------------------------------------------- agency profile


@transaction.atomic
def agency_profile_update(*, actor, **values):
    require_admin(actor)
    profile = AgencyProfile.objects.select_for_update().filter(singleton=True).first() or AgencyProfile()
    before = snapshot(profile, AGENCY_FIELDS) if profile.pk else {}
    for name in AGENCY_FIELDS:
        if name in values and values[name] is not None:
            setattr(profile, name, nfc(values[name]))
    replaced = {}
    for name in AGENCY_IMAGES:
        upload = values.get(name)
        if not upload or isinstance(upload, FieldFile):  # nothing new uploaded (None, or the stored file itself)
            continue
        try:
            validate_transparent_png(upload)
        except ValidationError as exc:
            raise ValidationError({name: exc.messages}) from exc
        old = getattr(profile, name)
        replaced[name] = (old.name if old else "", old.storage)
        setattr(profile, name, upload)
    profile.full_clean()
    created = profile.pk is None
    profile.save()
    changes = diff(before, snapshot(profile, AGENCY_FIELDS))
    for name, (old_name, storage) in replaced.items():
        changes[name] = [old_name, getattr(profile, name).name]  # a new image is always recorded
        if old_name:
            transaction.on_commit(lambda old_name=old_name, storage=storage: storage.delete(old_name))
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=profile,
                 changes=changes)
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
    start_date = start_date or _today()
    open_position(person=person, unit=unit, title=person.position_title, is_leadership=person.is_leadership,
                  is_head=person.is_head, start_date=start_date)
    audit_changes(actor=actor, obj=person, fields=PERSON_FIELDS)
    emit_subject_facts_changed(sender=PositionAssignment, person_ids={person.pk}, unit_ids={unit.pk}, actor=actor,
                               reason=_("Thêm cá nhân, chức vụ từ ngày %(date)s") % {"date": dmy(start_date)})
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


def _needs_approval(actor, date):
    """A change of posts or a departure dated before today by someone who may not backdate (a unit head): it takes
    effect only as a change request the office approves (:func:`history_change_file`). The system (``None``) and the
    office date it as they need."""
    return actor is not None and date is not None and date < _today() and not allows(may_backdate_history, actor)


def _refuse_backdating(actor, date, field):
    if _needs_approval(actor, date):
        raise ValidationError({field: ValidationError(
            _("Ngày %(date)s đã qua: thay đổi lùi ngày phải được Văn phòng Sở duyệt. Hãy ghi lý do, căn cứ để gửi đề nghị "
              "điều chỉnh.") % {"date": dmy(date)}, code="backdated")})


@transaction.atomic
def person_change_position(*, actor, person, unit, title, is_leadership, is_head, start_date, reason=""):
    """Close the current post the day before ``start_date`` and open the new one.

    The office may date it in the past (audited with its reason); a unit head only from today on.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    require_unit_scope(actor, unit)
    _refuse_backdating(actor, start_date, "start_date")
    return change_position(actor=actor, person=person, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head,
                           start_date=start_date, reason=reason)


@transaction.atomic
def person_set_active(*, actor, person, active, date=None, reason=""):
    """Deactivate (nghỉ hưu, chuyển công tác…) or reactivate a person. People are never deleted.

    The office may date it in the past; a unit head only from today on.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    if person.active == active:
        return person
    date = date or _today()
    _refuse_backdating(actor, date, "date")
    return set_active(actor=actor, person=person, active=active, date=date, reason=reason)


# ---------------------------------------------------------------- change requests (backdated changes of a unit head)

HISTORY_CHANGE_FIELDS = ["kind", "person", "effective_date", "new_unit", "title", "is_leadership", "is_head", "reason"]


class _DryRun(Exception):
    """Rolls back the trial application of a change request (its errors are the filer's to fix now)."""


@transaction.atomic
def history_change_file(*, actor, person, kind, effective_date, reason, unit=None, title="", is_leadership=False,
                        is_head=False):
    """File a backdated change of ``person``'s posts (``kind`` position: ``unit``, ``title``, flags) or departure
    (``kind`` departure: the last working day) for the office to approve. Nothing changes until it is approved.

    The change is tried now and rolled back, so that a change that could not be applied is refused at once.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    if kind == HistoryChangeKind.POSITION:
        require_unit_scope(actor, unit)
    change = HistoryChangeRequest(
        person=person, unit=person.unit, kind=kind, effective_date=effective_date,
        new_unit=unit if kind == HistoryChangeKind.POSITION else None, title=nfc(title or "") if kind == HistoryChangeKind.POSITION else "",
        is_leadership=bool(is_leadership or is_head) if kind == HistoryChangeKind.POSITION else False,
        is_head=bool(is_head) if kind == HistoryChangeKind.POSITION else False,
        reason=nfc_multiline(reason or ""), requested_by=actor)
    change.full_clean()
    date_field = "start_date" if kind == HistoryChangeKind.POSITION else "date"
    if effective_date >= _today():
        raise ValidationError({date_field: _("Thay đổi từ hôm nay trở đi được cập nhật trực tiếp, không cần đề nghị.")})
    if kind == HistoryChangeKind.DEPARTURE and not person.active:
        raise ValidationError(_("Cá nhân này đã nghỉ công tác."))
    try:
        with transaction.atomic():
            apply_history_change(change, actor=actor)
            raise _DryRun
    except _DryRun:
        pass
    change.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=change, to_state=change.state,
                 changes=diff({}, snapshot(change, HISTORY_CHANGE_FIELDS)), reason=change.reason)
    return change


def person_change_position_or_request(*, actor, person, unit, title, is_leadership, is_head, start_date, reason=""):
    """What the page calls: the change now when ``actor`` may make it at ``start_date``, else a change request.

    Returns the :class:`HistoryChangeRequest` filed, or ``None`` when the change was applied.
    """
    if _needs_approval(actor, start_date):
        return history_change_file(actor=actor, person=person, kind=HistoryChangeKind.POSITION, effective_date=start_date,
                                   reason=reason, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head)
    person_change_position(actor=actor, person=person, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head,
                           start_date=start_date, reason=reason)
    return None


def person_leave_or_request(*, actor, person, date, reason):
    """What the page calls to end a person's service: now when ``actor`` may date it so, else a change request.

    Returns the :class:`HistoryChangeRequest` filed, or ``None`` when the departure was recorded.
    """
    date = date or _today()
    if _needs_approval(actor, date):
        return history_change_file(actor=actor, person=person, kind=HistoryChangeKind.DEPARTURE, effective_date=date,
                                   reason=reason)
    person_set_active(actor=actor, person=person, active=False, date=date, reason=reason)
    return None


def history_change_transition(*, change, actor, to_state, reason=""):
    """Approve (the change is applied, by the workflow), refuse (with a reason) or withdraw a change request."""
    return HISTORY_CHANGE_WORKFLOW.apply(change, actor=actor, to=to_state, reason=reason)


# ---------------------------------------------------------------- ratings and discipline


def _subject_ids(person, unit):
    """The ids an event about a person's or a unit's record names: the person and their unit, or the unit."""
    if person is not None:
        return {"person_ids": {person.pk}, "unit_ids": {person.unit_id}}
    return {"person_ids": set(), "unit_ids": {unit.pk}}


@transaction.atomic
def rating_set(*, actor, year, rating, person=None, unit=None, reason=""):
    """Create or change the yearly rating of one person or unit (office only).

    A rating of a past year that differs from what is stored (a new one included) is backdated: only those who may
    backdate (the office) write it, audited with ``reason``. Unit heads write no rating at all.
    """
    require_office(actor)
    lookup = {"person": person} if person is not None else {"unit": unit}
    existing = PerformanceRating.objects.select_for_update().filter(year=year, **lookup).first()
    old = existing.rating if existing else None
    if old == rating:
        return existing
    if actor is not None and year < _today().year and not allows(may_backdate_history, actor):
        raise ValidationError({"year": _("Xếp loại năm %(year)s đã qua: chỉ Văn phòng Sở được điều chỉnh.") % {"year": year}})
    record = existing or PerformanceRating(person=person, unit=unit, year=year)
    record.rating = rating
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=AuditAction.UPDATE if existing else AuditAction.CREATE, obj=record,
                 changes={"rating": [old, rating]}, reason=nfc_multiline(reason))
    emit_subject_facts_changed(sender=PerformanceRating, actor=actor, **_subject_ids(person, unit),
                               reason=_("Xếp loại năm %(year)s: %(rating)s") % {"year": year, "rating": rating})
    return record


DISCIPLINE_FIELDS = ["kind", "start_date", "end_date", "reason"]


@transaction.atomic
def discipline_create(*, actor, kind, start_date, reason, end_date=None, person=None, unit=None):
    require_office(actor)
    record = DisciplineRecord(person=person, unit=unit, kind=kind, start_date=start_date, end_date=end_date,
                              reason=nfc_multiline(reason))
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=DISCIPLINE_FIELDS)
    emit_subject_facts_changed(sender=DisciplineRecord, actor=actor, **_subject_ids(person, unit),
                               reason=_("Ghi nhận %(kind)s từ ngày %(date)s") % {"kind": record.get_kind_display().lower(),
                                                                             "date": dmy(start_date)})
    return record


@transaction.atomic
def discipline_update(*, actor, record, kind, start_date, end_date, reason):
    require_office(actor)
    record = DisciplineRecord.objects.select_for_update(of=("self",)).select_related("person").get(pk=record.pk)
    before = snapshot(record, DISCIPLINE_FIELDS)
    record.kind, record.start_date, record.end_date, record.reason = kind, start_date, end_date, nfc_multiline(reason)
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=DISCIPLINE_FIELDS, before=before)
    emit_subject_facts_changed(sender=DisciplineRecord, actor=actor, **_subject_ids(record.person, record.unit),
                               reason=_("Sửa %(kind)s từ ngày %(date)s") % {"kind": record.get_kind_display().lower(),
                                                                        "date": dmy(start_date)})
    return record
