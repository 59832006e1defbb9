"""Writes for registration (đăng ký thi đua): the yearly window, a unit's registration and its workflow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office, require_unit_scope
from tdkt.text import nfc_multiline

from ..enums import RegistrationState, UnitKind
from ..models import RegisteredInitiative, Registration, RegistrationEntry, RegistrationWindow
from ..workflows import REGISTRATION_WORKFLOW
from .common import text as _text

WINDOW_FIELDS = ["year", "opens_on", "closes_on", "required_for_nomination", "note"]


@transaction.atomic
def registration_window_create(*, actor, year, opens_on, closes_on, required_for_nomination=True, note=""):
    require_office(actor)
    window = RegistrationWindow(year=year, opens_on=opens_on, closes_on=closes_on,
                                required_for_nomination=required_for_nomination, note=nfc_multiline(note or ""))
    window.full_clean()
    window.save()
    audit_changes(actor=actor, obj=window, fields=WINDOW_FIELDS)
    return window


@transaction.atomic
def registration_window_update(*, actor, window, opens_on, closes_on, required_for_nomination, note=""):
    require_office(actor)
    window = RegistrationWindow.objects.select_for_update().get(pk=window.pk)
    before = snapshot(window, WINDOW_FIELDS)
    window.opens_on, window.closes_on = opens_on, closes_on
    window.required_for_nomination = required_for_nomination
    window.note = nfc_multiline(note or "")
    window.full_clean()
    window.save()
    audit_changes(actor=actor, obj=window, fields=WINDOW_FIELDS, before=before)
    return window


@transaction.atomic
def registration_start(*, actor, window, unit):
    """The unit's registration for the window, created empty ("chưa gửi") on first use."""
    require_unit_scope(actor, unit)
    existing = Registration.objects.filter(window=window, unit=unit).first()
    if existing:
        return existing
    if unit.kind == UnitKind.AGENCY or not unit.active:
        raise ValidationError(_("%(unit)s không lập phiếu đăng ký thi đua.") % {"unit": unit})
    registration = Registration(window=window, unit=unit)
    registration.full_clean()
    registration.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=registration, to_state=registration.state)
    return registration


def _lock_registration(registration):
    return Registration.objects.select_for_update(of=("self",)).select_related("window", "unit", "unit_title").get(pk=registration.pk)


def _check_editable(registration):
    if not registration.is_editable:
        raise ValidationError(_("Phiếu đăng ký đang ở trạng thái “%(state)s”: không sửa được. Văn phòng Sở trả lại thì mới sửa tiếp.")
                              % {"state": registration.get_state_display()})


@transaction.atomic
def registration_save(*, actor, registration, unit_title, titles, note=""):
    """Set the unit's collective title and each member's title (``titles``: {person: title or None}).

    A member mapped to ``None`` is taken off the registration. One audit event lists every change.
    """
    registration = _lock_registration(registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    changes = {}
    if registration.unit_title_id != getattr(unit_title, "pk", None):
        changes[_("danh hiệu tập thể")] = [str(registration.unit_title or "") or None, str(unit_title or "") or None]
    registration.unit_title = unit_title
    new_note = nfc_multiline(note or "")
    if new_note != registration.note:
        changes[_("ghi chú")] = [registration.note, new_note]
    registration.note = new_note
    registration.full_clean()
    registration.save()

    current = {e.person_id: e for e in registration.entries.select_related("person", "title")}
    errors = []
    for person, title in titles.items():
        entry = current.get(person.pk)
        if title is None:
            if entry:
                changes[person.full_name] = [str(entry.title), None]
                entry.delete()
            continue
        if entry and entry.title_id == title.pk:
            continue
        if entry is None and not person.active:
            errors.append(_("%(name)s đã nghỉ công tác: không đăng ký được.") % {"name": person})
            continue
        if entry is None:
            entry = RegistrationEntry(registration=registration, person=person)
        old = str(entry.title) if entry.title_id else None
        entry.title = title
        try:
            entry.full_clean(validate_constraints=False)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        entry.save()
        changes[person.full_name] = [old, str(title)]
    if errors:
        raise ValidationError(errors)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration, changes=changes)
    return registration


@transaction.atomic
def initiative_add(*, actor, registration, title, owner):
    registration = _lock_registration(registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    initiative = RegisteredInitiative(registration=registration, title=_text(title), owner=owner)
    initiative.full_clean()
    initiative.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration,
                 changes={_("sáng kiến"): [None, f"{initiative.title} ({owner})"]})
    return initiative


@transaction.atomic
def initiative_remove(*, actor, initiative):
    registration = _lock_registration(initiative.registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    initiative = RegisteredInitiative.objects.select_related("owner").get(pk=initiative.pk, registration=registration)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration,
                 changes={_("sáng kiến"): [f"{initiative.title} ({initiative.owner})", None]})
    initiative.delete()
    return registration


def registration_transition(*, registration, actor, to_state, reason="", now=None):
    """The one workflow function: chưa gửi → chờ duyệt → (trả lại → chờ duyệt)* → đã duyệt.

    ``now`` (default: the current time) dates the step and decides whether the window is open.
    """
    return REGISTRATION_WORKFLOW.apply(registration, actor=actor, to=to_state, reason=reason, now=now or timezone.now())


def registration_submit(*, registration, actor, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.SUBMITTED, now=now)


def registration_return(*, registration, actor, reason, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.RETURNED, reason=reason,
                                   now=now)


def registration_approve(*, registration, actor, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.APPROVED, now=now)
