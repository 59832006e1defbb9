"""The office's list of required documents (rule R12): list, add, change, delete with a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.shortcuts import apply_service_errors, require_perm

from .. import selectors, services
from ..forms import RequiredDocumentForm, award_value
from ..models import RequiredDocument


@login_required
def required_document_list(request):
    require_perm(request.user, "nominations.view_rule")
    return render(request, "nominations/required_document_list.html", {
        "entries": selectors.required_documents_list(),
        "can_manage": request.user.has_perm("nominations.manage_required_document")})


@login_required
@require_http_methods(["GET", "POST"])
def required_document_form(request, pk=None):
    require_perm(request.user, "nominations.manage_required_document")
    entry = get_object_or_404(RequiredDocument, pk=pk) if pk else None
    initial = {"award": award_value(entry), "kind": entry.kind, "scope": entry.scope, "label": entry.label,
               "active": entry.active} if entry else {}
    form = RequiredDocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.required_document_save(actor=request.user, required_document=entry, **form.cleaned_data)
            messages.success(request, _("Đã lưu tài liệu bắt buộc “%(label)s”.") % {"label": form.cleaned_data["label"]})
            return redirect("nominations:required_document_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/simple_form.html", {
        "form": form, "title": _("Sửa tài liệu bắt buộc") if entry else _("Thêm tài liệu bắt buộc"),
        "back": reverse("nominations:required_document_list")})


@login_required
@require_http_methods(["GET", "POST"])
def required_document_delete(request, pk):
    require_perm(request.user, "nominations.manage_required_document")
    entry = get_object_or_404(RequiredDocument.objects.select_related("title", "form"), pk=pk)
    back = reverse("nominations:required_document_list")
    if request.method == "POST":
        services.required_document_delete(actor=request.user, required_document=entry)
        messages.success(request, _("Đã xoá tài liệu bắt buộc “%(label)s”.") % {"label": entry.label})
        return redirect(back)
    return render(request, "nominations/confirm.html", {
        "title": _("Xoá tài liệu bắt buộc “%(label)s” (%(award)s)?") % {"label": entry.label, "award": entry.award_label},
        "intro": _("Các đơn vị sẽ gửi được hồ sơ mà không cần tài liệu này."), "back": back, "danger": True})
