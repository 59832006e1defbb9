"""Who may write: checks every service runs under the views' permission checks (defence in depth).

``actor=None`` is the system itself (demo data, migrations). A refusal is ``PermissionDenied`` with a
Vietnamese message: a view that forgot its own check answers 403, never a silent write. The decisions
themselves live in :mod:`tdkt.roles`.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .roles import allows, is_admin_user, is_office_user, manages_unit_accounts, writes_for_unit


def require(allowed, actor, obj=None, message=None):
    """Refuse unless the ``rules`` predicate (or plain ``user, obj`` callable) ``allowed`` admits ``actor``."""
    if actor is None:
        return
    if not allows(allowed, actor, obj):
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này."))


def require_office(actor, message=None):
    """Office staff (Văn phòng) and admins only."""
    if actor is not None and not is_office_user(actor):
        raise PermissionDenied(message or _("Chỉ Văn phòng Sở được thực hiện thao tác này."))


def require_unit_scope(actor, unit, message=None):
    """Office staff write for any unit; a unit head only for their own unit; anybody else never."""
    if actor is not None and not writes_for_unit(actor, unit):
        raise PermissionDenied(message or _("Bạn chỉ được cập nhật dữ liệu của đơn vị mình."))


def require_admin(actor, message=None):
    """The administrator role (agency profile, users)."""
    if actor is not None and not is_admin_user(actor):
        raise PermissionDenied(message or _("Chỉ Quản trị hệ thống được thực hiện thao tác này."))


def require_accounts(actor, message=None):
    """Who manages the units' accounts (create, password link, deactivate): :func:`tdkt.roles.manages_unit_accounts`."""
    if actor is not None and not manages_unit_accounts(actor):
        raise PermissionDenied(message or _("Chỉ Văn phòng Sở được quản lý tài khoản của đơn vị."))
