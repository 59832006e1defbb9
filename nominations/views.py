"""Views of the nominations app: thin — scope with selectors, check permissions, call services."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from movements.selectors import acclamations_pending
from tdkt.audit import audit_events_for
from tdkt.shortcuts import apply_service_errors, export_view, paginate, require_perm
from tdkt.uploads import file_response

from . import selectors, services
from .enums import NominationState, RoundStatus, SubjectKind
from .forms import (
    AwardFilter,
    AwardRecordForm,
    BulkVetForm,
    DecisionForm,
    DeleteReasonForm,
    DocumentForm,
    ImportConfirmForm,
    ImportForm,
    InitiativeForm,
    MemoForm,
    NominationFilter,
    NominationForm,
    ReasonForm,
    RoundForm,
    award_value,
)
from .importers import AwardHistoryImporter, NominationImporter
from .models import AwardRecord, Nomination, UnitSubmission
from .selectors import PERSONS_FIRST
from .services import REASON_REQUIRED, TRANSITIONS

PAGE_SIZE = getattr(settings, "TDKT_PAGE_SIZE", 25)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"








# ---------------------------------------------------------------- rounds

@login_required
def round_list(request):
    require_perm(request.user, "nominations.view_round")
    user = request.user
    mine = Q(nominations__submission__unit_id=user.unit_id) if user.role == "unit" else Q()
    counted = ~Q(nominations__state=NominationState.DRAFT) if user.role == "council" else Q()
    rounds = selectors.rounds_visible_to(user).annotate(
        total=Count("nominations", filter=mine & counted, distinct=True)).order_by("-year", "-reference_date", "-id")
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
    units = selectors.units_for_submission(request.user).order_by("sort_order", "name")
    rows, totals = selectors.round_progress(nomination_round, units=units,
                                            nominations=selectors.progress_nominations(request.user))
    can_manage = request.user.has_perm("nominations.manage_round")
    context = {"round": nomination_round, "rows": rows, "totals": totals,
               "can_manage": can_manage, "show_drafts": selectors.sees_drafts(request.user),
               "acclamations": list(acclamations_pending(nomination_round.year)) if can_manage and not request.htmx else [],
               "next_statuses": [(s, RoundStatus(s).label) for s in sorted(services.ROUND_TRANSITIONS.get(nomination_round.status, ()))]}
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
    form = ReasonForm(request.POST or None)
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


# ---------------------------------------------------------------- unit submission

def _round_and_unit(request, pk, unit_pk):
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    unit = get_object_or_404(selectors.units_for_submission(request.user), pk=unit_pk)
    require_perm(request.user, "nominations.view_submission", unit)
    submission = UnitSubmission.objects.filter(round=nomination_round, unit=unit).first()
    return nomination_round, unit, submission


@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request, pk, unit_pk):
    nomination_round, unit, submission = _round_and_unit(request, pk, unit_pk)
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
    return render(request, "nominations/submission_detail.html", {
        "round": nomination_round, "unit": unit, "submission": submission, "rows": rows, "documents": documents,
        "memo_form": memo_form, "document_form": DocumentForm(nominations=nominations), "progress": progress[0], "totals": totals,
        "can_change": can_change and nomination_round.is_open,
        "can_add": user.has_perm("nominations.add_nomination", unit) and nomination_round.is_open,
        "can_send": can_change and nomination_round.is_open and bool(sendable),
        "states": selectors.state_counts(selectors.nominations_visible_to(user).filter(round=nomination_round, submission__unit=unit)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def submission_submit(request, pk, unit_pk):
    nomination_round, unit, submission = _round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.change_submission", unit)
    if submission is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.submission_submit(actor=request.user, submission=submission,
                                              override_reason=form.cleaned_data["override_reason"])
            messages.success(request, _("Đã gửi %(n)s đề nghị tới Văn phòng Sở.") % {"n": len(sent)})
            return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    pending = submission.nominations.filter(state__in=NominationState.editable()).select_related(*selectors.NOMINATION_RELATED)
    return render(request, "nominations/confirm.html", {
        "form": form, "items": [f"{n.subject} – {n.award} ({n.get_state_display()})" for n in pending],
        "title": _("Gửi danh sách đề nghị của %(unit)s?") % {"unit": unit},
        "intro": _("Các đề nghị nháp được gửi, đề nghị bị trả lại được gửi lại. Sau khi gửi, đơn vị không sửa được cho tới khi "
                   "Văn phòng trả lại. Tờ trình: %(memo)s.") % {"memo": submission.memo_number or _("chưa ghi")},
        "back": reverse("nominations:submission_detail", args=[pk, unit_pk]), "danger": False})


@login_required
@require_POST
def document_upload(request, pk, unit_pk):
    nomination_round, unit, submission = _round_and_unit(request, pk, unit_pk)
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


# ---------------------------------------------------------------- nominations

@login_required
def nomination_list(request):
    user = request.user
    nomination_filter = NominationFilter(request.GET or None, queryset=selectors.nominations_visible_to(user),
                                         units=selectors.units_for_submission(user))
    qs = nomination_filter.qs.order_by("-round__year", "-round_id", "submission__unit__sort_order", PERSONS_FIRST, "id")
    template = "nominations/nomination_list.html#results" if request.htmx else "nominations/nomination_list.html"
    return render(request, template, {"filter": nomination_filter, "page": paginate(request, qs),
                                      "query": request.GET.urlencode()})


@login_required
def nomination_export(request):
    require_perm(request.user, "nominations.export_nomination")
    return _export(request, "nominations.list")


def _nomination(request, pk):
    nomination = get_object_or_404(selectors.nominations_visible_to(request.user), pk=pk)
    require_perm(request.user, "nominations.view_nomination", nomination)
    return nomination


@login_required
def nomination_detail(request, pk):
    nomination = _nomination(request, pk)
    user = request.user
    moves = []
    for state in sorted(TRANSITIONS.get(nomination.state, ()), key=list(NominationState.values).index):
        perm = "nominations.submit_nomination" if state in services.UNIT_MOVES else "nominations.vet_nomination"
        if user.has_perm(perm, nomination):
            moves.append((state, NominationState.action_label(state), state in REASON_REQUIRED))
    bonus_on = timezone.localdate()
    if nomination.state == NominationState.DECIDED:
        record = AwardRecord.objects.filter(nomination=nomination).only("decision_date").first()
        if record is not None and record.decision_date:
            bonus_on = record.decision_date  # the base salary in force on the decision date, not today's
    bonus = selectors.bonus_amount(nomination.award, subject_kind=SubjectKind.PERSON if nomination.person_id else SubjectKind.UNIT,
                                   on=bonus_on)
    return render(request, "nominations/nomination_detail.html", {
        "n": nomination, "bonus": bonus, "bonus_on": bonus_on, "decided": nomination.state == NominationState.DECIDED, "violations": selectors.violations_for([nomination])[nomination.pk], "moves": moves,
        "events": audit_events_for(nomination).filter(action__in=["create", "transition", "update"])[:50],
        "overrides": nomination.overrides.select_related("rule", "created_by"),
        "documents": selectors.documents_visible_to(user).filter(nomination=nomination), "initiatives": nomination.initiatives.all(),
        "can_change": user.has_perm("nominations.change_nomination", nomination) and nomination.round.is_open,
        "can_delete": user.has_perm("nominations.delete_nomination", nomination),
    })


def _nomination_form_page(request, *, nomination_round, unit, nomination=None):
    initial = {}
    if nomination:
        initial = {"subject_kind": SubjectKind.PERSON if nomination.person_id else SubjectKind.UNIT, "person": nomination.person,
                   "subject_unit": nomination.unit, "award": award_value(nomination),
                   "achievement_summary": nomination.achievement_summary, "initiatives": list(nomination.initiatives.all())}
    form = NominationForm(request.POST or None, initial=initial, nomination_round=nomination_round, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if nomination:
                nomination = services.nomination_update(actor=request.user, nomination=nomination, **form.service_kwargs())
                messages.success(request, _("Đã lưu đề nghị."))
            else:
                nomination = services.nomination_create(actor=request.user, nomination_round=nomination_round, unit=unit,
                                                        **form.service_kwargs())
                messages.success(request, _("Đã thêm đề nghị: %(n)s.") % {"n": nomination})
            if "add_another" in request.POST:
                return redirect("nominations:nomination_create", pk=nomination_round.pk, unit_pk=unit.pk)
            return redirect("nominations:submission_detail", pk=nomination_round.pk, unit_pk=unit.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/nomination_form.html", {
        "form": form, "round": nomination_round, "unit": unit, "nomination": nomination,
        "check_url": reverse("nominations:nomination_check", args=[nomination_round.pk, unit.pk])
        + (f"?nomination={nomination.pk}" if nomination else "")})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request, pk, unit_pk):
    nomination_round, unit, _submission = _round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    if not nomination_round.is_open:
        messages.error(request, _("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": nomination_round})
        return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)
    return _nomination_form_page(request, nomination_round=nomination_round, unit=unit)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = _nomination(request, pk)
    require_perm(request.user, "nominations.change_nomination", nomination)
    return _nomination_form_page(request, nomination_round=nomination.round, unit=nomination.submission.unit, nomination=nomination)


@login_required
@require_POST
def nomination_check(request, pk, unit_pk):
    """Instant rule feedback (htmx): the violations the form's current values would raise."""
    nomination_round, unit, submission = _round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    form = NominationForm(request.POST, nomination_round=nomination_round, unit=unit)
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    violations, ready = [], bool((data.get("person") or data.get("subject_unit")) and (data.get("title") or data.get("form")))
    if ready:
        existing = None
        if request.GET.get("nomination", "").isdigit():
            existing = selectors.nominations_visible_to(request.user).filter(pk=request.GET["nomination"]).first()
        candidate = Nomination(pk=existing.pk if existing else None, round=nomination_round,
                               submission=submission or UnitSubmission(round=nomination_round, unit=unit),
                               person=data.get("person"), unit=data.get("subject_unit"), title=data.get("title"), form=data.get("form"),
                               state=existing.state if existing else NominationState.DRAFT)
        violations = selectors.preview_violations(candidate)
    return render(request, "nominations/nomination_form.html#feedback", {"violations": violations, "ready": ready})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_delete(request, pk):
    nomination = _nomination(request, pk)
    require_perm(request.user, "nominations.delete_nomination", nomination)
    back = reverse("nominations:submission_detail", args=[nomination.round_id, nomination.submission.unit_id])
    if request.method == "POST":
        try:
            services.nomination_delete(actor=request.user, nomination=nomination)
            messages.success(request, _("Đã xoá đề nghị nháp."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return render(request, "nominations/confirm.html", {
        "title": _("Xoá đề nghị nháp “%(n)s”?") % {"n": nomination}, "back": back, "danger": True})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_transition(request, pk, to_state):
    nomination = _nomination(request, pk)
    if to_state not in TRANSITIONS.get(nomination.state, ()):
        raise Http404
    perm = "nominations.submit_nomination" if to_state in services.UNIT_MOVES else "nominations.vet_nomination"
    require_perm(request.user, perm, nomination)
    form = ReasonForm(request.POST or None, reason_required=to_state in REASON_REQUIRED)
    decision_form = DecisionForm(request.POST or None, prefix="qd") if to_state == NominationState.DECIDED else None
    if request.method == "POST" and form.is_valid() and (decision_form is None or decision_form.is_valid()):
        try:
            services.nomination_transition(actor=request.user, nomination=nomination, to_state=to_state,
                                           reason=form.cleaned_data["reason"], override_reason=form.cleaned_data["override_reason"],
                                           decision=decision_form.cleaned_data if decision_form else None)
            messages.success(request, _("Đề nghị chuyển sang “%(s)s”.") % {"s": NominationState(to_state).label})
            return redirect("nominations:nomination_detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/confirm.html", {
        "form": form, "extra_form": decision_form, "danger": to_state in REASON_REQUIRED,
        "title": _("%(action)s: %(n)s?") % {"action": NominationState.action_label(to_state), "n": nomination},
        "back": reverse("nominations:nomination_detail", args=[pk])})


# ---------------------------------------------------------------- vetting (office)

@login_required
def vetting_queue(request):
    require_perm(request.user, "nominations.vet_nomination")
    queue = selectors.vetting_queue(request.user)
    nomination_filter = NominationFilter(request.GET or None, queryset=queue, units=selectors.units_for_submission(request.user))
    qs = nomination_filter.qs.order_by("round_id", "submission__unit__sort_order", PERSONS_FIRST, "id")
    page = paginate(request, qs)
    violations = selectors.violations_for(page.object_list)
    return render(request, "nominations/vetting_queue.html", {
        "filter": nomination_filter, "page": page, "rows": [(n, violations.get(n.pk, [])) for n in page.object_list],
        "actions": BulkVetForm.base_fields["action"].choices})


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


# ---------------------------------------------------------------- imports

def _import_dir(user):
    path = Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _drop_pending_imports(request):
    """One pending import per user: a new upload removes the earlier ones (files and session tokens)."""
    for path in _import_dir(request.user).glob("*.xlsx"):
        path.unlink(missing_ok=True)
    if request.session.get("imports"):
        request.session["imports"] = {}
        request.session.modified = True


def _stash(request, uploaded):
    token = uuid.uuid4().hex
    with open(_import_dir(request.user) / f"{token}.xlsx", "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    request.session.setdefault("imports", {})[token] = uploaded.name
    request.session.modified = True
    return token


def _stashed(request, token):
    path = _import_dir(request.user) / f"{token}.xlsx"
    if not path.exists() or token not in request.session.get("imports", {}):
        return None, None
    return path, request.session["imports"][token]


def _import_page(request, *, importer, template_url, back, title, save, intro):
    form = ImportForm(request.POST or None, request.FILES or None) if "token" not in request.POST else ImportForm()
    confirm_form, preview, token = None, None, None
    if request.method == "POST" and "token" in request.POST:
        confirm_form = ImportConfirmForm(request.POST)
        if confirm_form.is_valid():
            token = confirm_form.cleaned_data["token"]
            path, name = _stashed(request, token)
            if path is None:
                messages.error(request, _("Phiên nhập đã hết hạn: hãy tải tệp lên lại."))
                return redirect(request.path)
            with open(path, "rb") as handle:
                try:
                    created = save(File(handle, name=name), confirm_form.cleaned_data["override_reason"])
                except ValidationError as exc:
                    handle.seek(0)
                    preview = importer.preview(File(handle, name=name))
                    if preview.ok:
                        confirm_form.add_error(None, exc.messages)
                else:
                    path.unlink(missing_ok=True)
                    request.session["imports"].pop(token, None)
                    request.session.modified = True
                    messages.success(request, _("Đã nhập %(n)s dòng từ “%(name)s”.") % {"n": len(created), "name": name})
                    return redirect(back)
    elif request.method == "POST" and form.is_valid():
        _drop_pending_imports(request)
        uploaded = form.cleaned_data["file"]
        preview = importer.preview(uploaded)
        if preview.ok:
            token = _stash(request, uploaded)
            confirm_form = ImportConfirmForm(initial={"token": token})
    return render(request, "nominations/import.html", {
        "form": form, "confirm_form": confirm_form, "preview": preview, "columns": importer.columns, "template_url": template_url,
        "back": back, "title": title, "intro": intro})


def _export(request, key):
    """XLSX by default, PDF with ?dinh-dang=pdf; large lists go to the task worker."""
    params = request.GET.copy()
    fmt = params.pop("dinh-dang", ["xlsx"])[-1]
    return export_view(request, key, fmt, params=params)


def _xlsx_download(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def nomination_import(request, pk, unit_pk):
    nomination_round, unit, _submission = _round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    importer = NominationImporter(nomination_round=nomination_round, unit=unit)
    return _import_page(
        request, importer=importer, template_url=reverse("nominations:nomination_import_template", args=[pk, unit_pk]),
        back=reverse("nominations:submission_detail", args=[pk, unit_pk]),
        title=_("Nhập danh sách đề nghị từ Excel: %(unit)s") % {"unit": unit},
        intro=_("Mỗi dòng được kiểm tra (khớp cá nhân theo họ tên và ngày sinh, danh hiệu, các quy định) trước khi lưu. Chỉ khi mọi "
                "dòng hợp lệ, bấm “Xác nhận nhập” để lưu tất cả cùng lúc."),
        save=lambda f, reason: importer.save(f, actor=request.user, override_reason=reason))


@login_required
def nomination_import_template(request, pk, unit_pk):
    nomination_round, unit, _submission = _round_and_unit(request, pk, unit_pk)
    importer = NominationImporter(nomination_round=nomination_round, unit=unit)
    return _xlsx_download(importer.template(importer.sample_row()), f"mau-de-nghi-{unit.short_code}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def award_import(request):
    require_perm(request.user, "nominations.manage_award")
    importer = AwardHistoryImporter()
    return _import_page(
        request, importer=importer, template_url=reverse("nominations:award_import_template"),
        back=reverse("nominations:award_list"), title=_("Nhập lịch sử khen thưởng các năm trước"),
        intro=_("Để các điều kiện (3 năm liên tục Chiến sĩ thi đua cơ sở…) được kiểm tra ngay từ đầu, hãy nhập khen thưởng các năm "
                "trước. Mọi dòng hợp lệ mới lưu, và lưu cùng lúc."),
        save=lambda f, reason: importer.save(f, actor=request.user))


@login_required
def award_import_template(request):
    require_perm(request.user, "nominations.manage_award")
    importer = AwardHistoryImporter()
    return _xlsx_download(importer.template(importer.sample_row()), "mau-lich-su-khen-thuong.xlsx")


# ---------------------------------------------------------------- award history, initiatives, rules

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
    return _export(request, "nominations.awards")


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
    qs = selectors.initiatives_visible_to(request.user).order_by("-year", "person__full_name")
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
    return render(request, "nominations/rule_list.html", {"rules": selectors.rules_list()})
