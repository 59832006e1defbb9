"""Award history, initiatives and the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.documents import render_certificates
from tdkt.exports import PDF_MIME
from tdkt.shortcuts import apply_service_errors, paginate, require_perm

from .. import selectors, services
from ..documents import certificates_for
from ..forms import (
    AwardFilter,
    AwardRecordForm,
    DeleteReasonForm,
    InitiativeForm,
)
from ..models import AwardRecord
from ..selectors import PERSONS_FIRST
from .common import export


def _award_filter(request):
    return AwardFilter(request.GET or None, queryset=selectors.awards_visible_to(request.user),
                       units=selectors.units_for_submission(request.user))


@login_required
def award_list(request):
    award_filter = _award_filter(request)
    qs = award_filter.qs.order_by("-year", PERSONS_FIRST, "id")
    template = "nominations/award_list.html#results" if request.htmx else "nominations/award_list.html"
    return render(request, template, {"filter": award_filter, "page": paginate(request, qs), "query": request.GET.urlencode(),
                                      "can_manage": request.user.has_perm("nominations.manage_award")})


@login_required
def award_export(request):
    return export(request, "nominations.awards")


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request):
    require_perm(request.user, "nominations.manage_award")
    form = AwardRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.award_record_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận: %(r)s.") % {"r": record})
            return redirect("nominations:award_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/simple_form.html", {"form": form, "title": _("Ghi nhận khen thưởng đã có"),
                                                            "back": reverse("nominations:award_list")})


@login_required
@require_http_methods(["GET", "POST"])
def award_delete(request, pk):
    require_perm(request.user, "nominations.manage_award")
    record = get_object_or_404(AwardRecord.objects.select_related("person", "unit", "title", "form"), pk=pk)
    form = DeleteReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_record_delete(actor=request.user, record=record, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã xoá."))
            return redirect("nominations:award_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/confirm.html", {"form": form, "danger": True, "title": _("Xoá “%(r)s”?") % {"r": record},
                                                        "back": reverse("nominations:award_list")})


@login_required
def initiative_list(request):
    qs = selectors.initiatives_visible_to(request.user).order_by("-year", "person__sort_name", "id")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(person__full_name__icontains=q))
    return render(request, "nominations/initiative_list.html", {"page": paginate(request, qs), "q": q,
                                                                "can_manage": request.user.has_perm("nominations.manage_award")})


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    require_perm(request.user, "nominations.manage_award")
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận sáng kiến, đề tài."))
            return redirect("nominations:initiative_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/simple_form.html", {"form": form, "title": _("Ghi nhận sáng kiến, đề tài"),
                                                            "back": reverse("nominations:initiative_list")})


@login_required
def rule_list(request):
    require_perm(request.user, "nominations.view_rule")
    return render(request, "nominations/rule_list.html", {"rules": selectors.rules_described()})


# ---------------------------------------------------------------- giấy khen (part: docs, issue 11)

#: At most this many giấy khen in one file (a page each); narrow the filter for more.
CERTIFICATES_MAX = 300


def _frame_choice(request):
    """``?khung=1``: on blank paper with the frame; ``?khung=0``: fields only, on the pre-printed form; else the profile's."""
    value = request.GET.get("khung")
    return {"1": True, "0": False}.get(value)


def _certificates_response(request, records, filename):
    certificates, layout = certificates_for(records, frame=_frame_choice(request))
    response = HttpResponse(render_certificates(certificates, layout), content_type=PDF_MIME)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def award_certificate(request, pk):
    """The giấy khen of one award record (office)."""
    require_perm(request.user, "nominations.manage_award")
    record = get_object_or_404(selectors.awards_visible_to(request.user), pk=pk)
    return _certificates_response(request, [record], f"giay-khen-{record.pk}.pdf")


@login_required
def award_certificates(request):
    """The giấy khen of the award records the list's filter selects (office), a page each."""
    require_perm(request.user, "nominations.manage_award")
    records = list(_award_filter(request).qs.order_by(PERSONS_FIRST, "person__full_name", "unit__name", "id")[:CERTIFICATES_MAX + 1])
    if not records or len(records) > CERTIFICATES_MAX:
        messages.error(request, _("Không có khen thưởng nào để in giấy khen.") if not records else
                       _("Bộ lọc chọn hơn %(n)s khen thưởng: hãy lọc theo năm, số quyết định hoặc đơn vị rồi in lại.") % {
                           "n": CERTIFICATES_MAX})
        return redirect(f"{reverse('nominations:award_list')}?{request.GET.urlencode()}")
    return _certificates_response(request, records, "giay-khen.pdf")
