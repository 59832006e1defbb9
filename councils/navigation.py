"""The council's entries in the menu, and its links on the pages of the apps below (``tdkt.hooks.object_links``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from nominations.api import Nomination

from .models import AgendaItem, DecisionLine
from .selectors import meetings_visible_to


def nav_items(user):
    """“Hội đồng” for the office and for the members of the council (``councils.view_council``)."""
    items = []
    if user.has_perm("councils.view_council"):
        items.append((_("Hội đồng"), reverse("councils:home")))
    if user.has_perm("councils.manage_decision"):
        items.append((_("Quyết định"), reverse("councils:decision_list")))
    return items


def object_links(user, obj):
    """A nomination's page links to its items on the agendas of the meetings ``user`` reads (the office, the members on
    the meeting's roll; nobody else). One query."""
    if not isinstance(obj, Nomination) or obj.pk is None:
        return []
    links = []
    if user.has_perm("councils.manage_decision"):  # the decisions that name it (the office)
        lines = DecisionLine.objects.filter(nomination=obj).select_related("decision").order_by("-decision__date", "-pk")
        links += [(_("%(decision)s (%(state)s)") % {"decision": line.decision, "state": line.decision.get_state_display()},
                   reverse("councils:decision_detail", args=[line.decision_id])) for line in lines]
    visible = meetings_visible_to(user).values("pk")
    items = AgendaItem.objects.filter(nomination=obj, meeting__in=visible).select_related("meeting").order_by("-meeting__date", "-pk")
    return links + [(_("Hội đồng xét tại “%(meeting)s” (%(date)s): %(state)s") % {
        "meeting": item.meeting.title, "date": item.meeting.date.strftime("%d/%m/%Y"),
        "state": item.get_outcome_display() if item.outcome else item.get_state_display()},
        reverse("councils:item_detail", args=[item.pk])) for item in items]
