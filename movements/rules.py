"""Permission predicates (django-rules). Views check these; selectors scope lists."""

import rules


@rules.predicate
def is_office(user):
    return bool(user and user.is_authenticated and user.is_office)


@rules.predicate
def is_admin(user):
    return bool(user and user.is_authenticated and user.is_admin_role)


@rules.predicate
def is_council(user):
    return bool(user and user.is_authenticated and user.is_active and user.role == "council")


@rules.predicate
def is_unit_user(user):
    return bool(user and user.is_authenticated and user.is_active and user.role == "unit" and user.unit_id)


@rules.predicate
def in_own_unit(user, obj):
    """The object (a unit, or anything with a ``unit_id``) is the user's own unit."""
    if obj is None or not user.is_authenticated:
        return False
    unit_id = obj.pk if obj.__class__.__name__ == "Unit" else getattr(obj, "unit_id", None)
    return unit_id is not None and unit_id == user.unit_id


can_read_org = is_office | is_council | (is_unit_user & in_own_unit)

rules.add_perm("movements.view_unit", can_read_org)
rules.add_perm("movements.add_unit", is_office)
rules.add_perm("movements.change_unit", is_office)
rules.add_perm("movements.view_person", can_read_org)
rules.add_perm("movements.add_person", is_office | is_unit_user)
rules.add_perm("movements.change_person", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.change_rating", is_office)
rules.add_perm("movements.change_discipline", is_office)
rules.add_perm("movements.view_discipline", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.change_agencyprofile", is_admin)
rules.add_perm("tdkt.view_auditevent", is_office)
