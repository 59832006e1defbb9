"""Rounds: the list, a round's progress page, opening and editing a round, its status moves, acclamations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from movements.api import acclamations_pending
from tdkt.shortcuts import apply_service_errors, export_view, paginate, require_perm

from .. import selectors, services
from ..enums import RoundStatus
from ..forms import ReasonForm, RoundForm
from ..workflows import ROUND_WORKFLOW


@login_required
def round_list(request):
    require_perm(request.user, "nominations.view_round")
    user = request.user
    rounds = selectors.rounds_with_totals(user).order_by("-year", "-reference_date", "-id")
    status = request.GET.get("status", "")
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    return render(request, "nominations/round_list.html", {
        "page": paginate(request, rounds), "status": status, "statuses": RoundStatus.choices,
        "can_manage": user.has_perm("nominations.manage_round")})


@login_required
def round_detail(request, pk):
    require_perm(request.user, "nominations.view_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    units = selectors.units_for_submission(request.user).order_by("sort_order", "sort_name", "id")
    rows, totals = selectors.round_progress(nomination_round, units=units,
                                            nominations=selectors.progress_nominations(request.user))
    can_manage = request.user.has_perm("nominations.manage_round")
    context = {"round": nomination_round, "rows": rows, "totals": totals,
               "can_manage": can_manage, "show_drafts": selectors.sees_drafts(request.user),
               "acclamations": list(acclamations_pending(nomination_round.year)) if can_manage and not request.htmx else [],
               "moves": ROUND_WORKFLOW.available(request.user, nomination_round)}
    template = "nominations/round_detail.html#gauges" if request.htmx else "nominations/round_detail.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def round_from_acclamation(request, pk, acclamation_pk):
    """Confirm, then turn a cluster's acclamation into a nomination of the acclaimed unit in this round."""
    require_perm(request.user, "nominations.manage_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    acclamation = get_object_or_404(acclamations_pending(nomination_round.year), pk=acclamation_pk)
    if request.method == "POST":
        try:
            nomination = services.nomination_create_from_acclamation(actor=request.user, acclamation=acclamation,
                                                                     nomination_round=nomination_round)
            messages.success(request, _("Đã tạo đề nghị %(award)s cho %(unit)s.") % {"award": acclamation.award, "unit": acclamation.unit})
            return redirect("nominations:nomination_detail", pk=nomination.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("nominations:round_detail", pk=nomination_round.pk)
    return render(request, "nominations/acclamation_confirm.html", {"round": nomination_round, "acclamation": acclamation})


@login_required
@require_http_methods(["GET", "POST"])
def round_form(request, pk=None):
    require_perm(request.user, "nominations.manage_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk) if pk else None
    initial = {f: getattr(nomination_round, f) for f in services.ROUND_FIELDS} if nomination_round else {}
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if nomination_round:
                nomination_round = services.round_update(actor=request.user, nomination_round=nomination_round, **form.cleaned_data)
                messages.success(request, _("Đã lưu đợt đề nghị."))
            else:
                nomination_round = services.round_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã mở đợt đề nghị “%(name)s”.") % {"name": nomination_round.name})
            return redirect("nominations:round_detail", pk=nomination_round.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/simple_form.html", {
        "form": form, "title": _("Sửa đợt đề nghị") if nomination_round else _("Mở đợt đề nghị"),
        "back": reverse("nominations:round_detail", args=[pk]) if pk else reverse("nominations:round_list")})


@login_required
@require_http_methods(["GET", "POST"])
def round_status(request, pk, status):
    require_perm(request.user, "nominations.manage_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    if status not in RoundStatus.values:
        raise Http404
    form = ReasonForm(request.POST if request.method == "POST" else None, with_override=False)  # a round's move judges no rule: no warning to go past
    if request.method == "POST" and form.is_valid():
        try:
            services.round_set_status(actor=request.user, nomination_round=nomination_round, status=status,
                                      reason=form.cleaned_data["reason"])
            messages.success(request, _("Đợt đề nghị chuyển sang “%(s)s”.") % {"s": RoundStatus(status).label})
            return redirect("nominations:round_detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/confirm.html", {
        "form": form, "title": _("Chuyển đợt “%(name)s” sang “%(s)s”?") % {"name": nomination_round.name, "s": RoundStatus(status).label},
        "back": reverse("nominations:round_detail", args=[pk])})


# ---------------------------------------------------------------- a round's Excel: by unit, statistics (part: docs, issue 11)

@login_required
def round_by_unit_export(request, pk):
    """The round's nominations, a sheet per proposing unit (XLSX; ``?dinh-dang=pdf``: PDF)."""
    require_perm(request.user, "nominations.view_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    return export_view(request, "nominations.round_by_unit", request.GET.get("dinh-dang", "xlsx"),
                       params={"round": str(nomination_round.pk)})


@login_required
def round_statistics_export(request, pk):
    """Counts by title or form and by unit, with the leaders' share (XLSX; ``?dinh-dang=pdf``: PDF)."""
    require_perm(request.user, "nominations.view_round")
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    return export_view(request, "nominations.round_statistics", request.GET.get("dinh-dang", "xlsx"),
                       params={"round": str(nomination_round.pk)})
