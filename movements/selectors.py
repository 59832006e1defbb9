"""Reads and role scoping for the organisation model.

Every list view starts from a ``*_visible_to(user)`` function, so a unit head
never receives another unit's rows, whatever the URL says.
"""

from django.db.models import Count, Q

from tdkt.text import fold

from .models import AgencyProfile, Person, PositionAssignment, Unit


def agency_profile():
    return AgencyProfile.objects.filter(singleton=True).first()


def units_visible_to(user):
    qs = Unit.objects.select_related("parent")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_office or user.role == "council":
        return qs
    return qs.filter(pk=user.unit_id)


def persons_visible_to(user):
    qs = Person.objects.select_related("unit")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_office or user.role == "council":
        return qs
    return qs.filter(unit_id=user.unit_id)


def persons_search(qs, *, q=None):
    if q:
        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(position_title__icontains=q))
    return qs


def units_with_counts(qs):
    return qs.annotate(
        people_count=Count("people", filter=Q(people__active=True), distinct=True),
        leader_count=Count("people", filter=Q(people__active=True, people__is_leadership=True), distinct=True),
    )


def positions_at(date, *, persons=None, units=None):
    """Assignments in force on ``date`` (one query), optionally limited to persons or units."""
    qs = PositionAssignment.objects.filter(Q(start_date__lte=date) & (Q(end_date__isnull=True) | Q(end_date__gte=date)))
    if persons is not None:
        qs = qs.filter(person__in=persons)
    if units is not None:
        qs = qs.filter(unit__in=units)
    return qs


def leadership_at(date, persons):
    """``{person_id: True/False}``: whether each person held a leadership post on ``date``."""
    held = dict(positions_at(date, persons=persons).values_list("person_id", "is_leadership"))
    return {getattr(p, "pk", p): held.get(getattr(p, "pk", p), False) for p in persons}


def unit_head_at(unit, date):
    assignment = positions_at(date, units=[unit]).filter(is_head=True).select_related("person").first()
    return assignment.person if assignment else None


def campaign_has_plan_and_review(campaign):
    """R10: a thematic round needs its campaign's plan and a sơ kết or tổng kết report attached."""
    kinds = set(campaign.documents.values_list("kind", flat=True))
    return "plan" in kinds and bool(kinds & {"interim_report", "final_report"})
