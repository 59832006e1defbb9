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


# ---------------------------------------------------------------- campaigns, registrations, clusters

@rules.predicate
def is_active_user(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_cluster_member(user, obj):
    """The user's unit belongs to the cluster (``obj``: a Cluster or a ClusterMember)."""
    if obj is None or not getattr(user, "unit_id", None):
        return False
    cluster = getattr(obj, "cluster", obj)
    return cluster.memberships.filter(unit_id=user.unit_id).exists()


@rules.predicate
def is_cluster_leader(user, obj):
    """The user heads the cluster's leader unit (cụm trưởng). ``obj``: a Cluster or a ClusterMember."""
    if obj is None or not getattr(user, "unit_id", None):
        return False
    cluster = getattr(obj, "cluster", obj)
    return cluster.leader_unit_id is not None and cluster.leader_unit_id == user.unit_id


@rules.predicate
def cluster_concluded(user, obj):
    if obj is None:
        return False
    return getattr(obj, "cluster", obj).state == "concluded"


rules.add_perm("movements.view_campaign", is_active_user)
rules.add_perm("movements.manage_campaign", is_office)

rules.add_perm("movements.view_registrationwindow", is_active_user)
rules.add_perm("movements.manage_registrationwindow", is_office)
rules.add_perm("movements.view_registration_overview", is_office | is_council)
rules.add_perm("movements.view_registration", is_office | is_council | (is_unit_user & in_own_unit))
rules.add_perm("movements.change_registration", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.review_registration", is_office)

rules.add_perm("movements.view_cluster", is_office | is_council | (is_unit_user & is_cluster_member))
rules.add_perm("movements.manage_cluster", is_office)
# Per-unit score sheets (obj: ClusterMember): the unit itself, the cluster leader, the office, the council.
rules.add_perm("movements.view_cluster_scores", is_office | is_council | (is_unit_user & (in_own_unit | is_cluster_leader)))
rules.add_perm("movements.self_score", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.agree_score", is_office | (is_unit_user & is_cluster_leader))
# The ranking: office, council and the cluster leader while scoring; every member once scoring has ended.
rules.add_perm("movements.view_cluster_ranking",
               is_office | is_council | (is_unit_user & (is_cluster_leader | (is_cluster_member & cluster_concluded))))
rules.add_perm("movements.record_acclamation", is_office)
