"""Writes of the shared layer: user accounts (from the admin) and background export jobs."""

from django.db import transaction

from .audit import audit_changes, audit_record, snapshot
from .enums import AuditAction
from .guards import require_admin
from .models import ExportJob, User
from .tasks import run_export_job

#: What an account change records (never the password hash: a password change is recorded as such).
USER_FIELDS = ["username", "full_name", "email", "role", "unit", "is_active", "is_staff", "is_superuser"]


@transaction.atomic
def user_save(*, actor, user):
    """Save an account edited by the administrator, recording who changed which fields (role, unit, access…)."""
    require_admin(actor)
    before = None
    if user.pk is not None:
        stored = User.objects.select_for_update().filter(pk=user.pk).first()
        before = snapshot(stored, USER_FIELDS) if stored is not None else None
    user.save()
    audit_changes(actor=actor, obj=user, fields=USER_FIELDS, before=before)
    return user


def user_password_changed(*, actor, user):
    """Record that the administrator set an account's password (never the password or its hash)."""
    require_admin(actor)
    return audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"password": ["***", "***"]},
                        reason="Quản trị đặt lại mật khẩu")


@transaction.atomic
def user_groups_changed(*, actor, user, before, after):
    """Record a change of the account's permission groups (saved by the admin form after the user row)."""
    if set(before) != set(after):
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user,
                     changes={"groups": [", ".join(sorted(before)), ", ".join(sorted(after))]})


def _plain_params(params):
    """A QueryDict (or dict) as JSON: lists for repeated keys, strings otherwise."""
    if hasattr(params, "lists"):
        return {key: values if len(values) > 1 else values[0] for key, values in params.lists()}
    return dict(params)


@transaction.atomic
def export_job_create(*, user, key, fmt, params, rows=0, title="", back_url="", filename=""):
    """A background export or document for ``user`` (``title``: what is being made; ``back_url``: the page it was asked
    from; ``filename``: a document's file name, set now since the worker builds only the content)."""
    job = ExportJob(user=user, key=key, fmt=fmt, params=_plain_params(params), rows=rows, title=str(title)[:300],
                    back_url=back_url[:500], filename=filename[:200])
    job.full_clean(exclude=["file"])
    job.save()
    transaction.on_commit(lambda: run_export_job.enqueue(str(job.pk)))
    return job
