"""Audit trail: the one function every service calls after a write."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
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


def audit_events_for(obj):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
