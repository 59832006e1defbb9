"""The office's vetting queue and bulk vetting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tdkt.shortcuts import apply_service_errors, paginate, require_perm

from .. import selectors, services
from ..enums import NominationState
from ..forms import (
    BulkVetForm,
    NominationFilter,
)
from ..selectors import PERSONS_FIRST


@login_required
def vetting_queue(request):
    require_perm(request.user, "nominations.vet_nomination")
    queue = selectors.vetting_queue(request.user)
    show_flags = selectors.sees_flags(request.user)
    nomination_filter = NominationFilter(request.GET or None, queryset=queue, units=selectors.units_for_submission(request.user),
                                         show_flags=show_flags)
    qs = nomination_filter.qs.order_by("round_id", "submission__unit__sort_order", PERSONS_FIRST, "id")
    page = paginate(request, qs)
    violations = selectors.violations_for(page.object_list)
    return render(request, "nominations/vetting_queue.html", {
        "filter": nomination_filter, "page": page, "rows": [(n, violations.get(n.pk, [])) for n in page.object_list],
        "actions": BulkVetForm.base_fields["action"].choices, "show_flags": show_flags})


@login_required
@require_POST
def vetting_bulk(request):
    require_perm(request.user, "nominations.vet_nomination")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    nominations = list(selectors.vetting_queue(request.user).filter(pk__in=ids).order_by("pk"))
    if not nominations:
        messages.error(request, _("Chưa chọn đề nghị nào."))
        return redirect("nominations:vetting_queue")
    form = BulkVetForm(request.POST if "confirm" in request.POST else None, initial={"action": request.POST.get("action")})
    if form.is_bound and form.is_valid():
        try:
            services.nominations_bulk_transition(actor=request.user, nominations=nominations, to_state=form.cleaned_data["action"],
                                                 reason=form.cleaned_data["reason"], override_reason=form.cleaned_data["override_reason"])
            messages.success(request, _("%(n)s đề nghị: %(action)s.") % {
                "n": len(nominations), "action": NominationState(form.cleaned_data["action"]).label})
            return redirect("nominations:vetting_queue")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/vetting_confirm.html", {"form": form, "nominations": nominations})
