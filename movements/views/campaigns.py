"""Pages of campaigns (phong trào thi đua) and their documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.forms import ReasonForm
from tdkt.shortcuts import apply_service_errors, paginate, require_perm
from tdkt.uploads import file_response

from .. import services
from ..enums import CampaignStatus
from ..forms import (
    CampaignDocumentForm,
    CampaignFilter,
    CampaignForm,
    CampaignTransitionForm,
)
from ..models import (
    CAMPAIGN_STATE_DATE,
    Campaign,
    CampaignDocument,
)
from ..selectors import (
    campaign_has_plan_and_review,
    campaigns_visible_to,
)
from ..workflows import CAMPAIGN_WORKFLOW
from .common import confirm_page, move_to


@login_required
def campaign_list(request):
    require_perm(request.user, "movements.view_campaign")
    campaign_filter = CampaignFilter(request.GET or None, queryset=campaigns_visible_to(request.user))
    qs = campaign_filter.qs if campaign_filter.is_bound else campaign_filter.queryset
    page = paginate(request, qs.order_by("level", "-start_year", "name"))
    template = "movements/campaign_list.html#results" if request.htmx else "movements/campaign_list.html"
    return render(request, template, {"filter": campaign_filter, "page": page,
                                      "can_manage": request.user.has_perm("movements.manage_campaign")})


@login_required
def campaign_detail(request, pk):
    require_perm(request.user, "movements.view_campaign")
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    can_manage = request.user.has_perm("movements.manage_campaign")
    return render(request, "movements/campaign_detail.html", {
        "campaign": campaign, "documents": campaign.documents.all(), "can_manage": can_manage,
        "actions": CAMPAIGN_WORKFLOW.available(request.user, campaign),
        "has_plan_and_review": campaign_has_plan_and_review(campaign)})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_form(request, pk=None):
    require_perm(request.user, "movements.manage_campaign")
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk) if pk else None
    initial = {name: getattr(campaign, name) for name in services.CAMPAIGN_EDITABLE} if campaign else {}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if campaign:
                campaign = services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
                messages.success(request, _("Đã lưu thay đổi của phong trào."))
            else:
                campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thêm phong trào thi đua."))
            return redirect("movements:campaign_detail", pk=campaign.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    title = _("Sửa phong trào thi đua") if campaign else _("Thêm phong trào thi đua")
    cancel = reverse("movements:campaign_detail", args=[campaign.pk]) if campaign else reverse("movements:campaign_list")
    return render(request, "movements/form_page.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_transition(request, pk, to_state):
    require_perm(request.user, "movements.manage_campaign")
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    move = move_to(CAMPAIGN_WORKFLOW, campaign, to_state)
    form = CampaignTransitionForm(request.POST or None)
    form.fields["date"].label = Campaign._meta.get_field(CAMPAIGN_STATE_DATE[to_state]).verbose_name.capitalize()
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_transition(campaign=campaign, actor=request.user, to_state=to_state, **form.cleaned_data)
            messages.success(request, _("Phong trào đã chuyển sang “%(state)s”.") % {"state": CampaignStatus(to_state).label})
            return redirect("movements:campaign_detail", pk=campaign.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return confirm_page(request, title=_("%(action)s: %(name)s") % {"action": move.label, "name": campaign.name},
                        message=_("Trạng thái hiện tại: %(state)s.") % {"state": campaign.get_status_display()}, form=form,
                        submit_label=move.label, cancel_url=reverse("movements:campaign_detail", args=[campaign.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_document_add(request, pk):
    require_perm(request.user, "movements.manage_campaign")
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    form = CampaignDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_document_add(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("Đã thêm văn bản."))
            return redirect("movements:campaign_detail", pk=campaign.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {
        "form": form, "title": _("Thêm văn bản: %(name)s") % {"name": campaign.name}, "multipart": True,
        "cancel_url": reverse("movements:campaign_detail", args=[campaign.pk])})


@login_required
def campaign_document_download(request, pk):
    require_perm(request.user, "movements.view_campaign")
    document = get_object_or_404(CampaignDocument.objects.filter(campaign__in=campaigns_visible_to(request.user)), pk=pk)
    return file_response(document.file, document.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_document_remove(request, pk):
    require_perm(request.user, "movements.manage_campaign")
    document = get_object_or_404(CampaignDocument.objects.select_related("campaign"), pk=pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = False
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_document_remove(actor=request.user, document=document, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã xoá văn bản."))
        return redirect("movements:campaign_detail", pk=campaign.pk)
    return confirm_page(request, title=_("Xoá văn bản “%(title)s”?") % {"title": document.title},
                        message=_("Văn bản và tệp đính kèm sẽ bị xoá; nhật ký thay đổi vẫn ghi lại thông tin văn bản."),
                        form=form, submit_label=_("Xoá văn bản"), danger=True,
                        cancel_url=reverse("movements:campaign_detail", args=[document.campaign_id]))
