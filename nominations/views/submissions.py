"""A unit's submission in a round: its page (tờ trình, nominations, files), sending the list, the files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tdkt.shortcuts import apply_service_errors, document_view, require_perm
from tdkt.uploads import file_response

from .. import selectors, services
from ..enums import NominationState
from ..forms import (
    DocumentForm,
    MemoForm,
    ReasonForm,
)
from ..rules_engine import STAGE_SUBMIT
from ..selectors import PERSONS_FIRST
from .common import round_and_unit


@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request, pk, unit_pk):
    nomination_round, unit, submission = round_and_unit(request, pk, unit_pk)
    user = request.user
    can_change = user.has_perm("nominations.change_submission", unit)
    memo_form = MemoForm(request.POST or None, initial={"memo_number": submission.memo_number, "memo_date": submission.memo_date}
                         if submission else {})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if memo_form.is_valid():
            try:
                submission = submission or services.submission_get_or_create(actor=user, nomination_round=nomination_round, unit=unit)
                services.submission_update(actor=user, submission=submission, **memo_form.cleaned_data)
                messages.success(request, _("Đã lưu tờ trình."))
                return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)
            except ValidationError as exc:
                apply_service_errors(memo_form, exc)
    nominations = list(selectors.nominations_visible_to(user).filter(round=nomination_round, submission__unit=unit)
                       .order_by(PERSONS_FIRST, "id"))
    violations = selectors.violations_for(nominations)
    rows = [(n, violations.get(n.pk, [])) for n in nominations]
    documents = list(selectors.documents_visible_to(user).filter(submission=submission)) if submission else []
    for document in documents:
        document.can_delete = user.has_perm("nominations.delete_document", document)
    progress, totals = selectors.round_progress(nomination_round, units=[unit], nominations=selectors.progress_nominations(user))
    sendable = [n for n in nominations if n.state in NominationState.editable()]
    checklist = selectors.submission_checklist(submission, sendable)
    return render(request, "nominations/submission_detail.html", {
        "round": nomination_round, "unit": unit, "submission": submission, "rows": rows, "documents": documents,
        "memo_form": memo_form, "document_form": DocumentForm(nominations=nominations), "progress": progress[0], "totals": totals,
        "can_change": can_change and nomination_round.is_open,
        "can_add": user.has_perm("nominations.add_nomination", unit) and nomination_round.is_open,
        "can_send": can_change and nomination_round.is_open and bool(sendable),
        "checklist": checklist, "missing": sum(1 for row in checklist if not row["present"]),
        "states": selectors.state_counts(selectors.nominations_visible_to(user).filter(round=nomination_round, submission__unit=unit)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def submission_submit(request, pk, unit_pk):
    nomination_round, unit, submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.change_submission", unit)
    if submission is None:
        raise Http404
    pending = list(submission.nominations.filter(state__in=NominationState.editable()).select_related(*selectors.NOMINATION_RELATED)
                   .order_by(PERSONS_FIRST, "id"))
    # sending has no reason; the “lý do vượt cảnh báo” box only when the list meets a warning
    form = ReasonForm(request.POST if request.method == "POST" else None, with_reason=False,
                      with_override=selectors.warnings_at(pending, STAGE_SUBMIT))
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.submission_submit(actor=request.user, submission=submission,
                                              override_reason=form.cleaned_data.get("override_reason", ""))
            messages.success(request, _("Đã gửi %(n)s đề nghị tới Văn phòng Sở.") % {"n": len(sent)})
            return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    checklist = selectors.submission_checklist(submission, pending)
    missing = sum(1 for row in checklist if not row["present"])
    return render(request, "nominations/submission_send.html", {
        "form": form, "items": [f"{n.subject} – {n.award} ({n.get_state_display()})" for n in pending], "unit": unit,
        "checklist": checklist, "missing": missing,
        "blocked": bool(missing) and request.method == "GET" and selectors.documents_rule_in_force(nomination_round),
        "title": _("Gửi danh sách đề nghị của %(unit)s?") % {"unit": unit},
        "intro": _("Các đề nghị nháp được gửi, đề nghị bị trả lại được gửi lại. Sau khi gửi, đơn vị không sửa được cho tới khi "
                   "Văn phòng trả lại. Tờ trình: %(memo)s.") % {"memo": submission.memo_number or _("chưa ghi")},
        "back": reverse("nominations:submission_detail", args=[pk, unit_pk])})


@login_required
@require_POST
def document_upload(request, pk, unit_pk):
    nomination_round, unit, submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.change_submission", unit)
    nominations = list(submission.nominations.select_related("person", "unit", "title", "form")) if submission else []
    form = DocumentForm(request.POST, request.FILES, nominations=nominations)
    if form.is_valid():
        try:
            submission = submission or services.submission_get_or_create(actor=request.user, nomination_round=nomination_round, unit=unit)
            services.document_add(actor=request.user, submission=submission, kind=form.cleaned_data["kind"],
                                  uploaded_file=form.cleaned_data["file"], nomination=form.cleaned_data["nomination"])
            messages.success(request, _("Đã tải lên “%(name)s”.") % {"name": form.cleaned_data["file"].name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)


def _document(request, pk):
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    require_perm(request.user, "nominations.view_document", document)
    return document


@login_required
def document_download(request, pk):
    document = _document(request, pk)
    response = file_response(document.file, document.original_name)  # a missing stored file answers 404
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk):
    document = _document(request, pk)
    require_perm(request.user, "nominations.change_submission", document.submission)
    require_perm(request.user, "nominations.delete_document", document)
    back = reverse("nominations:submission_detail", args=[document.submission.round_id, document.submission.unit_id])
    if request.method == "POST":
        try:
            services.document_delete(actor=request.user, document=document)
            messages.success(request, _("Đã xoá tài liệu."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return render(request, "nominations/confirm.html", {
        "title": _("Xoá tài liệu “%(name)s”?") % {"name": document.original_name}, "back": back, "danger": True})


@login_required
def submission_dossier(request, pk, unit_pk):
    """The unit's dossier summary (official list) as PDF (``?dinh-dang=docx``: Word); a long one is made in the
    background (part: docs, issue 11)."""
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    return document_view(request, "nominations.dossier", request.GET.get("dinh-dang", "pdf"),
                         params={"round": str(nomination_round.pk), "unit": str(unit.pk)},
                         filename=f"ho-so-de-nghi-{unit.short_code.lower()}-{nomination_round.pk}",
                         title=_("Hồ sơ đề nghị khen thưởng của %(unit)s: %(round)s") % {"unit": unit, "round": nomination_round},
                         back_url=reverse("nominations:submission_detail", args=[pk, unit_pk]))
