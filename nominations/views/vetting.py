"""The office's vetting queue and bulk vetting.

The queue keeps its filters everywhere: a bulk action returns to the queue with the same query string; a nomination
opened from the queue carries the filter (``?hang-doi=<query>``) so that after a one-by-one action the next item of the
same filtered queue opens. "All N matching the filter" sends the filter, not the ids: the server evaluates it again when
the office confirms, and refuses if the count changed in between."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tdkt.shortcuts import apply_service_errors, paginate, require_perm

from .. import selectors, services
from ..enums import NominationState
from ..forms import (
    BulkVetForm,
    NominationFilter,
)
from ..rules_engine import STAGE_VET
from ..selectors import PERSONS_FIRST

#: The query parameter a nomination opened from the queue carries: the queue's filter, urlencoded.
QUEUE_PARAM = "hang-doi"
#: The confirmation lists this many nominations by name, then says how many more.
CONFIRM_LISTED = 50


def _filter_query(data):
    """The filter part of a query string (no page number), urlencoded."""
    query = data.copy() if isinstance(data, QueryDict) else QueryDict(data or "", mutable=True)
    if not query._mutable:
        query = query.copy()
    query.pop("page", None)
    return query.urlencode()


def queue_filter(user, query):
    """The vetting queue of ``user`` filtered by ``query`` (a urlencoded string), in the queue's order."""
    data = QueryDict(query or "")
    nomination_filter = NominationFilter(data or None, queryset=selectors.vetting_queue(user),
                                         units=selectors.units_for_submission(user), show_flags=selectors.sees_flags(user))
    return nomination_filter, nomination_filter.qs.order_by("round_id", "submission__unit__sort_order", PERSONS_FIRST, "id")


def queue_url(query=""):
    url = reverse("nominations:vetting_queue")
    return f"{url}?{query}" if query else url


def next_in_queue_url(user, query, *, after):
    """Where the office goes after a one-by-one action from the queue: the next nomination of the same filtered queue
    (the first one left, the one just moved being gone from it), or the queue itself when it is empty."""
    _filter, qs = queue_filter(user, query)
    following = qs.exclude(pk=after.pk).values_list("pk", flat=True).first()
    if following is None:
        return queue_url(query)
    return reverse("nominations:nomination_detail", args=[following]) + "?" + urlencode({QUEUE_PARAM: query})


@login_required
def vetting_queue(request):
    require_perm(request.user, "nominations.vet_nomination")
    query = _filter_query(request.GET)
    nomination_filter, qs = queue_filter(request.user, query)
    page = paginate(request, qs)
    violations = selectors.violations_for(page.object_list)
    return render(request, "nominations/vetting_queue.html", {
        "filter": nomination_filter, "page": page, "rows": [(n, violations.get(n.pk, [])) for n in page.object_list],
        "actions": BulkVetForm.base_fields["action"].choices, "show_flags": selectors.sees_flags(request.user),
        "query": query, "queue_param": urlencode({QUEUE_PARAM: query}),
        "more_than_page": page.paginator.count > len(page.object_list)})


def _selected(request):
    """The nominations chosen: ``scope=all`` re-evaluates the filter sent along (``query``) now; otherwise the ticked
    ``ids``, kept to the user's queue."""
    query = _filter_query(request.POST.get("query", ""))
    if request.POST.get("scope") == "all":
        nomination_filter, qs = queue_filter(request.user, query)
        if nomination_filter.is_bound and not nomination_filter.is_valid():
            return query, []
        return query, list(qs)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    return query, list(selectors.vetting_queue(request.user).filter(pk__in=ids).order_by("pk"))


@login_required
@require_POST
def vetting_bulk(request):
    require_perm(request.user, "nominations.vet_nomination")
    query, nominations = _selected(request)
    if not nominations:
        messages.error(request, _("Chưa chọn đề nghị nào."))
        return redirect(queue_url(query))
    scope_all = request.POST.get("scope") == "all"
    action = request.POST.get("action")
    # the “lý do vượt cảnh báo” box only when a selected nomination meets a warning at vetting
    with_override = action == NominationState.VETTED_PASS and selectors.warnings_at(nominations, STAGE_VET)
    form = BulkVetForm(request.POST if "confirm" in request.POST else None, initial={"action": action}, action=action,
                       with_override=with_override)
    expected = request.POST.get("expected", "")
    if form.is_bound and scope_all and expected != str(len(nominations)):
        form.add_error(None, _("Số đề nghị khớp bộ lọc đã thay đổi (%(before)s → %(now)s): hãy xem lại danh sách rồi xác nhận.")
                       % {"before": expected or "?", "now": len(nominations)})
    elif form.is_bound and form.is_valid():
        try:
            services.nominations_bulk_transition(actor=request.user, nominations=nominations, to_state=form.cleaned_data["action"],
                                                 reason=form.cleaned_data.get("reason", ""),
                                                 override_reason=form.cleaned_data.get("override_reason", ""))
            messages.success(request, _("%(n)s đề nghị: %(action)s.") % {
                "n": len(nominations), "action": NominationState(form.cleaned_data["action"]).label})
            return redirect(queue_url(query))
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/vetting_confirm.html", {
        "form": form, "nominations": nominations[:CONFIRM_LISTED], "count": len(nominations),
        "more": max(0, len(nominations) - CONFIRM_LISTED), "scope_all": scope_all, "ids": [n.pk for n in nominations], "query": query,
        "back": queue_url(query), "action_label": dict(BulkVetForm.base_fields["action"].choices).get(action, "")})
