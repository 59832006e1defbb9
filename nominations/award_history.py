"""Writes of the award history and the initiatives (office only, audited). Below the workflows: the
decided step of a nomination records its award here (``nominations.services`` re-exports these)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office
from tdkt.text import nfc, nfc_multiline

from .enums import AwardType
from .models import AwardRecord, Initiative

AWARD_FIELDS = ["person", "unit", "title", "form", "year", "kind", "decision_number", "decision_date", "issuer", "note"]


@transaction.atomic
def award_record_create(*, actor, year, kind=AwardType.ANNUAL, person=None, unit=None, title=None, form=None, decision_number="",
                        decision_date=None, issuer="", note="", nomination=None):
    require_office(actor)
    record = AwardRecord(person=person, unit=unit, title=title, form=form, year=year, kind=kind,
                         decision_number=nfc(decision_number or ""), decision_date=decision_date, issuer=nfc(issuer or ""),
                         note=nfc_multiline(note or ""), nomination=nomination)
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=AWARD_FIELDS)
    return record


@transaction.atomic
def award_record_update(*, actor, record, **values):
    require_office(actor)
    record = AwardRecord.objects.select_for_update().get(pk=record.pk)
    before = snapshot(record, AWARD_FIELDS)
    for name in AWARD_FIELDS:
        if name in values:
            value = values[name]
            if name in ("decision_number", "issuer"):
                value = nfc(value or "")
            elif name == "note":
                value = nfc_multiline(value or "")
            setattr(record, name, value)
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=AWARD_FIELDS, before=before)
    return record


@transaction.atomic
def award_record_delete(*, actor, record, reason):
    require_office(actor)
    if not nfc_multiline(reason or ""):
        raise ValidationError({"reason": _("Hãy ghi lý do xoá.")})
    if record.nomination_id:
        raise ValidationError(_("Khen thưởng này sinh ra từ một quyết định trong hệ thống: không xoá được."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=record, changes=diff(snapshot(record, AWARD_FIELDS), {
        k: None for k in AWARD_FIELDS}), reason=nfc_multiline(reason))
    record.delete()


@transaction.atomic
def award_record_withdraw(*, actor, nomination, reason):
    """The award a decision created for ``nomination`` leaves the history: its decision was revoked or replaced
    (the nomination workflow's move back from “có quyết định”). The deletion is audited with the reason."""
    require_office(actor)
    reason = nfc_multiline(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do thu hồi.")})
    record = AwardRecord.objects.select_for_update().filter(nomination=nomination).first()
    if record is None:
        return None
    audit_record(actor=actor, action=AuditAction.DELETE, obj=record, changes=diff(snapshot(record, AWARD_FIELDS), {
        k: None for k in AWARD_FIELDS}), reason=reason)
    record.delete()
    return record


@transaction.atomic
def initiative_create(*, actor, person, title, year, kind, scope, recognised_on=None, decision_number=""):
    require_office(actor)
    initiative = Initiative(person=person, title=nfc(title), year=year, kind=kind, scope=scope, recognised_on=recognised_on,
                            decision_number=nfc(decision_number or ""))
    initiative.full_clean()
    initiative.save()
    audit_changes(actor=actor, obj=initiative, fields=["person", "title", "year", "kind", "scope"])
    return initiative
