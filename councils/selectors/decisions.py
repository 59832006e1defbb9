"""Reads of decisions and tờ trình: the office's lists (with filters), one decision with its lines and total."""

from django.db.models import Count, Sum

from tdkt.roles import manages_councils

from ..models import Decision, Proposal


def decisions_visible_to(user):
    """Decisions are the office's work (the council's secretariat); nobody else lists them."""
    if not manages_councils(user):
        return Decision.objects.none()
    return (Decision.objects.select_related("title", "form", "meeting", "round")
            .annotate(line_count=Count("lines"), total=Sum("lines__amount")))


def proposals_visible_to(user):
    if not manages_councils(user):
        return Proposal.objects.none()
    return Proposal.objects.select_related("title", "form", "meeting", "round").annotate(line_count=Count("lines"))
