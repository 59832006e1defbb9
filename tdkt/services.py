"""Writes of the shared layer: user accounts (from the admin, and a unit's accounts from the unit page) and background
export jobs."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .accounts import send_password_link
from .audit import audit_changes, audit_record, snapshot
from .enums import AuditAction
from .guards import require_accounts, require_admin
from .models import ExportJob, User
from .roles import Role
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


# ---------------------------------------------------------------- accounts of the units (polish: issue 13)
# The office creates a unit's accounts, sends them a link to set their password, and deactivates them from the
# unit page (movements' unit detail), without the Django admin. Only unit accounts (role Trưởng đơn vị): office,
# council and administrator accounts stay with the administrator. Every change is audited (USER_FIELDS).


def _require_unit_account(account, unit=None):
    if account.role != Role.UNIT or account.unit_id is None or (unit is not None and account.unit_id != unit.pk):
        raise PermissionDenied(_("Văn phòng chỉ quản lý tài khoản của đơn vị (vai trò Trưởng đơn vị)."))


@transaction.atomic
def account_create(*, actor, unit, username, full_name, email, domain="", use_https=True):
    """A new unit account (role Trưởng đơn vị of ``unit``) with a random password nobody knows: the user sets their
    own through the link e-mailed after commit (when ``domain`` is given)."""
    require_accounts(actor)
    if not unit.active:
        raise ValidationError(_("Đơn vị này đã ngừng hoạt động."))
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập “%(name)s” đã có người dùng.") % {"name": username}})
    if email and User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": _("Địa chỉ thư điện tử này đã gắn với một tài khoản khác.")})
    account = User(username=username, full_name=full_name, email=email, role=Role.UNIT, unit=unit, is_active=True)
    account.set_password(secrets.token_urlsafe(32))
    account.full_clean()
    account.save()
    audit_changes(actor=actor, obj=account, fields=USER_FIELDS, reason=_("Văn phòng tạo tài khoản cho đơn vị"))
    if domain:
        transaction.on_commit(lambda: send_password_link(account, domain=domain, use_https=use_https, new_account=True))
    return account


@transaction.atomic
def account_send_password_link(*, actor, account, domain, use_https=True):
    """E-mail a unit account a link to set a new password (the current one keeps working until then)."""
    require_accounts(actor)
    account = User.objects.select_for_update().get(pk=account.pk)
    _require_unit_account(account)
    if not account.is_active:
        raise ValidationError(_("Tài khoản đã ngừng hoạt động: không gửi liên kết đặt mật khẩu."))
    if not account.email:
        raise ValidationError(_("Tài khoản chưa có địa chỉ thư điện tử: hãy nhờ Quản trị bổ sung trước khi gửi liên kết."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=account, changes={"password": ["***", "***"]},
                 reason=_("Văn phòng gửi liên kết đặt lại mật khẩu đến %(email)s") % {"email": account.email})
    transaction.on_commit(lambda: send_password_link(account, domain=domain, use_https=use_https))
    return account


@transaction.atomic
def account_set_active(*, actor, account, active, reason=""):
    """Deactivate (with a reason) or reactivate a unit account. A deactivated account cannot log in (not even after
    using a password link sent earlier) and gets no new link; it is never deleted (the audit trail names it)."""
    require_accounts(actor)
    account = User.objects.select_for_update().get(pk=account.pk)
    _require_unit_account(account)
    if account.pk == getattr(actor, "pk", None):
        raise ValidationError(_("Bạn không thể tự ngừng tài khoản của mình."))
    if not active and not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do ngừng tài khoản.")})
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=account,
                 changes={"is_active": [not active, active]}, reason=reason)
    return account
