"""Permission predicates (django-rules) of the movements app. Views check these; selectors scope lists with
the same functions of :mod:`tdkt.roles`; the services and workflows use these predicates, so each "who may"
rule is written once, here or in :mod:`tdkt.roles`."""

import rules

from tdkt.roles import (
    in_own_unit,
    is_active_user,
    is_admin,
    is_council,
    is_office,
    is_unit_user,
    manages_accounts,
    reads_org,
    writes_own_unit,
)

from .enums import ClusterState

rules.add_perm("movements.view_unit", reads_org)
rules.add_perm("movements.add_unit", is_office)
rules.add_perm("movements.change_unit", is_office)
rules.add_perm("movements.view_person", reads_org)
rules.add_perm("movements.add_person", is_office | is_unit_user)
rules.add_perm("movements.change_person", writes_own_unit)
rules.add_perm("movements.change_rating", is_office)
rules.add_perm("movements.change_discipline", is_office)
# Discipline records are not for the council: the office and the unit itself.
rules.add_perm("movements.view_discipline", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.change_agencyprofile", is_admin)

#: Who may date a change of posts, a departure or a past year's rating before today (issue 8: history cannot be
#: rewritten to pass a rule). A unit head's backdated change is a change request the office approves or refuses.
may_backdate_history = is_office
may_decide_history_change = is_office
may_withdraw_history_change = is_unit_user & in_own_unit
rules.add_perm("movements.view_historychange", is_office | (is_unit_user & in_own_unit))
rules.add_perm("movements.view_historychange_list", is_office | is_unit_user)
rules.add_perm("movements.decide_historychange", may_decide_history_change)
rules.add_perm("movements.backdate_history", may_backdate_history)
rules.add_perm("tdkt.view_auditevent", is_office)
# polish (issue 13): the units' accounts, from the unit page.
rules.add_perm("movements.manage_accounts", manages_accounts)


# ---------------------------------------------------------------- campaigns, registrations, clusters

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
def is_cluster_deputy(user, obj):
    """The user heads the cluster's deputy unit (cụm phó). ``obj``: a Cluster or a ClusterMember."""
    if obj is None or not getattr(user, "unit_id", None):
        return False
    cluster = getattr(obj, "cluster", obj)
    return cluster.deputy_unit_id is not None and cluster.deputy_unit_id == user.unit_id


@rules.predicate
def is_leader_sheet(user, obj):
    """``obj`` (a ClusterMember) is the score sheet of the cluster's leader unit."""
    if obj is None or not hasattr(obj, "cluster"):
        return False
    return obj.cluster.leader_unit_id is not None and obj.unit_id == obj.cluster.leader_unit_id


@rules.predicate
def cluster_concluded(user, obj):
    if obj is None:
        return False
    return getattr(obj, "cluster", obj).state == ClusterState.CONCLUDED


#: Who enters a member's self-score and who its agreed score (obj: a ClusterMember): the pages and
#: ``cluster_scores_save`` both ask these. Nobody agrees their own score: the leader unit (cụm trưởng)
#: agrees every other member's sheet, its own sheet is agreed by the deputy unit (cụm phó), and the office
#: agrees any sheet. The deputy agrees the leader's sheet only.
may_self_score = writes_own_unit
may_agree_score = is_office | (is_unit_user & ((is_cluster_leader & ~is_leader_sheet) | (is_cluster_deputy & is_leader_sheet)))

rules.add_perm("movements.view_campaign", is_active_user)
rules.add_perm("movements.manage_campaign", is_office)

rules.add_perm("movements.view_registrationwindow", is_active_user)
rules.add_perm("movements.manage_registrationwindow", is_office)
rules.add_perm("movements.view_registration_overview", is_office | is_council)
rules.add_perm("movements.view_registration", reads_org)
rules.add_perm("movements.change_registration", writes_own_unit)
rules.add_perm("movements.review_registration", is_office)

rules.add_perm("movements.view_cluster", is_office | is_council | (is_unit_user & is_cluster_member))
rules.add_perm("movements.manage_cluster", is_office)
# Per-unit score sheets (obj: ClusterMember): the unit itself, the cluster leader, the office, the council.
# The deputy (cụm phó) reads the leader's sheet, which it agrees.
rules.add_perm("movements.view_cluster_scores",
               is_office | is_council | (is_unit_user & (in_own_unit | is_cluster_leader | (is_cluster_deputy & is_leader_sheet))))
rules.add_perm("movements.self_score", may_self_score)
rules.add_perm("movements.agree_score", may_agree_score)
# The ranking: office, council and the cluster leader while scoring; every member once scoring has ended.
rules.add_perm("movements.view_cluster_ranking",
               is_office | is_council | (is_unit_user & (is_cluster_leader | (is_cluster_member & cluster_concluded))))
rules.add_perm("movements.record_acclamation", is_office)
