"""Roles, and who may see or do what: the one module that names them.

Everything else asks these functions: the ``rules`` predicates of the apps (``movements/rules.py``,
``nominations/rules.py``) combine the predicates below, the selectors scope their querysets with
:func:`scope_to_unit`, and the service guards (:mod:`tdkt.guards`) call the same functions. No role
name is written anywhere else (``tests/test_architecture.py`` checks it).

An object belongs to a unit through its ``scope_unit_id`` attribute (a property on the models:
a unit is its own, a person belongs to their unit, a nomination to the unit that submitted it…).
"""

import rules
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    OFFICE = "office", _("Văn phòng")
    COUNCIL = "council", _("Hội đồng")
    UNIT = "unit", _("Trưởng đơn vị")




# ---------------------------------------------------------------- plain checks (user → bool)

def is_active_account(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin_user(user):
    """The administrator: agency profile, users, the Django admin."""
    return is_active_account(user) and (user.role == Role.ADMIN or user.is_superuser)


def is_office_user(user):
    """Văn phòng Sở (and the administrator): every unit, every write of the office."""
    return is_active_account(user) and (user.role in (Role.ADMIN, Role.OFFICE) or user.is_superuser)


def is_council_member(user):
    return is_active_account(user) and user.role == Role.COUNCIL


def is_unit_head(user):
    """A unit head (or unit clerk) tied to one unit: sees and writes only that unit."""
    return is_active_account(user) and user.role == Role.UNIT and bool(user.unit_id)


def reads_every_unit(user):
    """Office and council read every unit's records; a unit head only their own."""
    return is_office_user(user) or is_council_member(user)


def sees_unsent_work(user):
    """Drafts and lists not yet sent are the unit's own work: the office and the unit see them,
    the council reads only what was sent."""
    return is_office_user(user) or is_unit_head(user)


def manages_councils(user):
    """Văn phòng Sở is the council's standing secretariat: it sets up the council and its members, the voting rules,
    the meetings and their agendas."""
    return is_office_user(user)


def may_sit_on_council(user):
    """Whose account may hold a seat on the council: a council account, or an office account (the office's clerk who is
    the council's secretary). A unit head's account is tied to one unit and never sits: a head of a division who is a
    member of the council uses a council account."""
    return is_active_account(user) and user.role in (Role.COUNCIL, Role.OFFICE)


# --- signing (issue 12) ---
def signs_documents(user):
    """Who makes the signer's digital signature ("Ký số") on an issued document: the keys live on the server (a
    PKCS#12 file or the token attached to it, tdkt/signing/keys.py), so the office's clerk acts for the signer."""
    return is_office_user(user)


def seals_documents(user):
    """Who adds the agency's digital seal ("Đóng dấu số"): the văn thư, who works in the office (Văn phòng Sở)."""
    return is_office_user(user)


# polish (issue 13): accounts of the units, managed from the unit page without the Django admin.
def manages_unit_accounts(user):
    """Văn phòng Sở (and the administrator) create a unit's accounts, send them password links and deactivate them."""
    return is_office_user(user)


def scope_unit_id(obj):
    """The unit an object belongs to, for scoping (``None`` when it belongs to none)."""
    if obj is None:
        return None
    return getattr(obj, "scope_unit_id", None)


def owns(user, obj):
    """``obj`` belongs to the unit of a unit head."""
    unit_id = scope_unit_id(obj)
    return is_unit_head(user) and unit_id is not None and unit_id == user.unit_id


def writes_for_unit(user, unit):
    """Office staff write for any unit; a unit head only for their own unit (``unit``: a unit or its id)."""
    if is_office_user(user):
        return True
    unit_id = getattr(unit, "pk", unit)
    return is_unit_head(user) and unit_id is not None and unit_id == user.unit_id


def scope_to_unit(qs, user, unit_field):
    """Role scoping of a list: office and council read all rows, a unit head the rows of ``unit_field``
    equal to their unit, anybody else nothing."""
    if reads_every_unit(user):
        return qs
    if is_unit_head(user):
        return qs.filter(**{unit_field: user.unit_id})
    return qs.none()


def scope_to_own_unit(qs, user, unit_field):
    """Like :func:`scope_to_unit`, for records the council does not read (office all, unit head own)."""
    if is_office_user(user):
        return qs
    if is_unit_head(user):
        return qs.filter(**{unit_field: user.unit_id})
    return qs.none()


def role_label(user):
    return user.get_role_display() if user is not None and user.is_authenticated else ""


# ---------------------------------------------------------------- rules predicates (django-rules)

def allows(predicate, user, obj=None):
    """Ask a ``rules`` predicate (``.test`` fits the call to its arity) or a plain ``(user, obj)`` callable."""
    if predicate is None:
        return False
    test = getattr(predicate, "test", None)
    return bool(test(user, obj) if test is not None else predicate(user, obj))


is_active_user = rules.predicate(is_active_account, name="is_active_user")
is_admin = rules.predicate(is_admin_user, name="is_admin")
is_office = rules.predicate(is_office_user, name="is_office")
is_council = rules.predicate(is_council_member, name="is_council")
is_unit_user = rules.predicate(is_unit_head, name="is_unit_user")
manages_council = rules.predicate(manages_councils, name="manages_council")
signs_document = rules.predicate(signs_documents, name="signs_document")
seals_document = rules.predicate(seals_documents, name="seals_document")
manages_accounts = rules.predicate(manages_unit_accounts, name="manages_accounts")


@rules.predicate
def in_own_unit(user, obj):
    """The object (a unit, or anything with a ``scope_unit_id``) belongs to the user's own unit."""
    unit_id = scope_unit_id(obj)
    return bool(user is not None and user.is_authenticated and unit_id is not None and unit_id == user.unit_id)


#: The common shapes, used by both apps' permission tables.
reads_org = is_office | is_council | (is_unit_user & in_own_unit)
writes_own_unit = is_office | (is_unit_user & in_own_unit)


# ---------------------------------------------------------------- recipients of notifications (issue 13, part "home")

def unit_heads(unit_ids):
    """The active accounts of the heads (and clerks) of ``unit_ids``: who is told about a unit's files."""
    return get_user_model().objects.filter(is_active=True, role=Role.UNIT, unit_id__in=list(unit_ids))


def office_accounts():
    """The active office accounts: who is told about what waits on the office."""
    return get_user_model().objects.filter(is_active=True, role=Role.OFFICE)
