"""Audit trail: the one function every service calls after a write."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .enums import AuditAction
from .models import AuditEvent

#: Rows per INSERT when a list is written at once (audit events, an imported list): statements of a bounded size
#: whatever the list (measured on SQLite: 250 to 1,000 rows per INSERT cost the same, within the parameter limits of
#: SQLite and PostgreSQL).
BULK_BATCH = 500


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance, fields):
    """Values of ``fields`` on ``instance`` for a later :func:`diff`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before, after):
    """``{field: [old, new]}`` for the fields that changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def audit_record(*, actor, action, obj, changes=None, from_state="", to_state="", reason=""):
    return AuditEvent.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
    )


def audit_records(*, actor, action, objs, changes=None, reasons=None, from_states=None, to_states=None):
    """One audit event per object of ``objs`` (one model), inserted together (a list written at once, e.g. an
    Excel import or a bulk move of a workflow): the rows :func:`audit_record` would write one by one. ``changes``,
    ``reasons``, ``from_states`` and ``to_states``: one per object (or ``None``)."""
    objs = list(objs)
    if not objs:
        return []
    content_type = ContentType.objects.get_for_model(objs[0], for_concrete_model=True)
    actor = actor if (actor is not None and actor.is_authenticated) else None
    changes = changes if changes is not None else [None] * len(objs)
    reasons = reasons if reasons is not None else [""] * len(objs)
    from_states = from_states if from_states is not None else [""] * len(objs)
    to_states = to_states if to_states is not None else [""] * len(objs)
    return AuditEvent.objects.bulk_create(batch_size=BULK_BATCH, objs=[
        AuditEvent(actor=actor, action=action, content_type=content_type, object_id=str(obj.pk), object_repr=str(obj)[:255],
                   changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (change or {}).items()}, reason=reason or "",
                   from_state=from_state or "", to_state=to_state or "")
        for obj, change, reason, from_state, to_state in zip(objs, changes, reasons, from_states, to_states, strict=True)])


def audit_created(*, actor, objs, fields):
    """The create events of a list of new objects, inserted together (what :func:`audit_changes` records for each)."""
    return audit_records(actor=actor, action=AuditAction.CREATE, objs=objs,
                         changes=[diff({}, snapshot(obj, fields)) for obj in objs])


def audit_events_for(obj):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


def _humanise(field, value):
    """A stored audit value as a reader expects it: choice labels, Có/Không, dd/mm/yyyy."""
    if value is None or value == "":
        return "∅"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def state_labels(model):
    """``{code: Vietnamese label}`` of the model's state fields (``state``, ``status`` first, then any field with
    choices), for the from/to states of its audit events (polish, issue 13: never raw codes on the page)."""
    labels = {}
    fields = [f for f in model._meta.get_fields() if getattr(f, "choices", None)]
    for field in sorted(fields, key=lambda f: f.name not in ("state", "status")):
        for code, label in field.flatchoices:
            labels.setdefault(str(code), str(label))
    return labels


def audit_rows(obj):
    """The object's history with field labels and values in Vietnamese, newest first (states by their names)."""
    fields = {f.name: f for f in obj._meta.get_fields() if hasattr(f, "verbose_name")}
    states = state_labels(type(obj))
    rows = []
    for event in audit_events_for(obj):
        changes = []
        for name, (old, new) in event.changes.items():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            changes.append((label[:1].upper() + label[1:], _humanise(field, old), _humanise(field, new)))
        rows.append({"event": event, "changes": changes,
                     "from_state": states.get(event.from_state, event.from_state),
                     "to_state": states.get(event.to_state, event.to_state)})
    return rows


def audit_changes(*, actor, obj, fields, before=None, reason=""):
    """Record a create (``before`` is None) or the fields that an update changed (nothing if none did)."""
    after = snapshot(obj, fields)
    if before is None:
        return audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=diff({}, after), reason=reason)
    changes = diff(before, after)
    if changes:
        return audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes, reason=reason)
    return None
