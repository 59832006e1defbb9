"""Who may write: checks every service runs under the views' permission checks (defence in depth).

``actor=None`` is the system itself (demo data, migrations). A refusal is ``PermissionDenied`` with a
Vietnamese message: a view that forgot its own check answers 403, never a silent write.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_office(actor, message=None):
    """Office staff (Văn phòng) and admins only."""
    if actor is not None and not actor.is_office:
        raise PermissionDenied(message or _("Chỉ Văn phòng Sở được thực hiện thao tác này."))


def require_unit_scope(actor, unit, message=None):
    """Office staff write for any unit; a unit head only for their own unit; anybody else never."""
    if actor is None or actor.is_office:
        return
    if actor.role != "unit" or actor.unit_id != unit.pk:
        raise PermissionDenied(message or _("Bạn chỉ được cập nhật dữ liệu của đơn vị mình."))


def require_admin(actor, message=None):
    """The administrator role (agency profile, users)."""
    if actor is not None and not actor.is_admin_role:
        raise PermissionDenied(message or _("Chỉ Quản trị hệ thống được thực hiện thao tác này."))
