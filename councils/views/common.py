"""Helpers shared by the views of the councils app: finding a meeting or an item the user may read (404 otherwise),
and turning a service's refusal into a message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from tdkt.shortcuts import require_perm

from .. import selectors
from ..models import AgendaItem, Recusal

ITEM_PAGE_RELATED = ("meeting", "meeting__council", "meeting__chair", "meeting__chair__person", "meeting__secretary",
                     "meeting__secretary__person", *selectors.ITEM_RELATED)


def meeting_or_404(request, pk):
    """A meeting the user reads (the office: any; a member: one whose roll names them, once called); else 404."""
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    require_perm(request.user, "councils.view_meeting", meeting)
    return meeting


def item_or_404(request, pk):
    """An agenda item of a meeting the user reads; else 404."""
    visible = selectors.meetings_visible_to(request.user).values("pk")
    item = get_object_or_404(AgendaItem.objects.select_related(*ITEM_PAGE_RELATED).filter(meeting__in=visible), pk=pk)
    require_perm(request.user, "councils.view_meeting", item.meeting)
    return item


def recusal_or_404(request, pk):
    visible = selectors.meetings_visible_to(request.user).values("pk")
    recusal = get_object_or_404(Recusal.objects.select_related("member__person", "item").filter(item__meeting__in=visible), pk=pk)
    item = item_or_404(request, recusal.item_id)
    return recusal, item


def refusal(request, exc):
    """A service's ``ValidationError`` as an error message."""
    messages.error(request, " ".join(exc.messages))


def next_url(request, default):
    """Where to go back: ``?next=`` / ``next`` when it is one of our pages, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
