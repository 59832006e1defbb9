"""Nominations: the list and its export, a nomination's page with its workflow buttons, the form, the moves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tdkt.audit import audit_events_for
from tdkt.hooks import object_links
from tdkt.shortcuts import apply_service_errors, paginate, require_perm
from tdkt.text import fold

from .. import selectors, services
from ..enums import NominationState, SubjectKind
from ..forms import (
    NominationFilter,
    NominationForm,
    ReasonForm,
    award_value,
    nomination_people,
    nomination_units,
    person_refresh_attrs,
)
from ..models import AwardRecord, Nomination, UnitSubmission
from ..workflows import NOMINATION_WORKFLOW, REASON_STATES
from .common import export, nomination_or_404, round_and_unit
from .vetting import QUEUE_PARAM, next_in_queue_url


@login_required
def nomination_list(request):
    user = request.user
    show_flags = selectors.sees_flags(user)
    nomination_filter = NominationFilter(request.GET or None, queryset=selectors.nominations_visible_to(user),
                                         units=selectors.units_for_submission(user), show_flags=show_flags)
    page = paginate(request, selectors.nomination_list_ids(user, nomination_filter.qs), bounded=True)
    page.object_list = selectors.nominations_in_order(user, list(page.object_list))  # a page of ids, then its rows
    template = "nominations/nomination_list.html#results" if request.htmx else "nominations/nomination_list.html"
    return render(request, template, {"filter": nomination_filter, "page": page,
                                      "query": request.GET.urlencode(), "show_flags": show_flags})


@login_required
def nomination_export(request):
    require_perm(request.user, "nominations.export_nomination")
    return export(request, "nominations.list")


@login_required
def nomination_detail(request, pk):
    nomination = nomination_or_404(request, pk)
    user = request.user
    bonus_on = timezone.localdate()
    if nomination.state == NominationState.DECIDED:
        record = AwardRecord.objects.filter(nomination=nomination).only("decision_date").first()
        if record is not None and record.decision_date:
            bonus_on = record.decision_date  # the base salary in force on the decision date, not today's
    bonus = selectors.bonus_amount(nomination.award, subject_kind=SubjectKind.PERSON if nomination.person_id else SubjectKind.UNIT,
                                   on=bonus_on)
    return render(request, "nominations/nomination_detail.html", {
        "n": nomination, "bonus": bonus, "bonus_on": bonus_on, "decided": nomination.state == NominationState.DECIDED, "violations": selectors.violations_for([nomination])[nomination.pk], "moves": NOMINATION_WORKFLOW.available(user, nomination), "show_reason": nomination.state in REASON_STATES,
        "events": audit_events_for(nomination).filter(action__in=["create", "transition", "update"])[:50],
        "overrides": nomination.overrides.select_related("rule", "created_by"),
        "documents": selectors.documents_visible_to(user).filter(nomination=nomination), "initiatives": nomination.initiatives.all(),
        "can_change": user.has_perm("nominations.change_nomination", nomination) and nomination.round.is_open,
        "can_delete": user.has_perm("nominations.delete_nomination", nomination), "show_flags": selectors.sees_flags(user),
        "links": object_links(user, nomination),
        "queue_param": urlencode({QUEUE_PARAM: request.GET[QUEUE_PARAM]}) if QUEUE_PARAM in request.GET else "",
        "queue_query": request.GET.get(QUEUE_PARAM, ""),
    })


def _search_urls(nomination_round, unit, *, exclude_nominated=False):
    args = [nomination_round.pk, unit.pk]
    return {"person": reverse("nominations:person_options", args=args) + ("?tiep=1" if exclude_nominated else ""),
            "subject_unit": reverse("nominations:unit_options", args=args)}


def _nomination_form_page(request, *, nomination_round, unit, nomination=None):
    initial = {}
    if nomination:
        initial = {"subject_kind": SubjectKind.PERSON if nomination.person_id else SubjectKind.UNIT, "person": nomination.person,
                   "subject_unit": nomination.unit, "award": award_value(nomination),
                   "achievement_summary": nomination.achievement_summary, "initiatives": list(nomination.initiatives.all())}
    # after “Lưu và thêm tiếp”, the people already in the unit's list of the round are left out
    exclude_nominated = nomination is None and request.GET.get("tiep") == "1"
    fields_url = reverse("nominations:nomination_form_fields", args=[nomination_round.pk, unit.pk]) + (
        "?tiep=1" if exclude_nominated else "")
    form = NominationForm(request.POST or None, initial=initial, nomination_round=nomination_round, unit=unit,
                          exclude_nominated=exclude_nominated, fields_url=fields_url,
                          search_urls=_search_urls(nomination_round, unit, exclude_nominated=exclude_nominated))
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
                return redirect(reverse("nominations:nomination_create", args=[nomination_round.pk, unit.pk]) + "?tiep=1")
            return redirect("nominations:submission_detail", pk=nomination_round.pk, unit_pk=unit.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/nomination_form.html", {
        "form": form, "round": nomination_round, "unit": unit, "nomination": nomination, "exclude_nominated": exclude_nominated,
        "fields_url": fields_url,
        "check_url": reverse("nominations:nomination_check", args=[nomination_round.pk, unit.pk])
        + (f"?nomination={nomination.pk}" if nomination else "")})


FORM_FIELDS = ("subject_kind", "person", "subject_unit", "award", "achievement_summary", "override_reason")


@login_required
def nomination_form_fields(request, pk, unit_pk):
    """The nomination form's fields drawn again (htmx) when the subject or the person changes; the page swaps in only what
    depends on them (``hx-select``): the titles of that kind of subject, the initiatives of that person. The values typed
    so far are kept, no error is shown yet."""
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    exclude_nominated = request.GET.get("tiep") == "1"
    initial = {name: request.GET[name] for name in FORM_FIELDS if name in request.GET}
    initial["initiatives"] = [i for i in request.GET.getlist("initiatives") if i.isdigit()]
    fields_url = request.path + ("?tiep=1" if exclude_nominated else "")
    form = NominationForm(initial=initial, nomination_round=nomination_round, unit=unit, exclude_nominated=exclude_nominated,
                          fields_url=fields_url, search_urls=_search_urls(nomination_round, unit, exclude_nominated=exclude_nominated))
    return render(request, "nominations/nomination_form.html#fields", {"form": form, "fields_url": fields_url})


PICKER_LIMIT = 30


def _picker(request, items, *, field, label, attrs=()):
    """The options of a picker for the search typed (``<field>_tim``), accent-insensitive, the chosen one kept."""
    q = request.GET.get(f"{field}_tim", "").strip()[:100]
    chosen = request.GET.get(field, "")
    folded = fold(q)
    words = folded.split()
    matches = [obj for obj, text in items if all(w in text for w in words)] if words else [obj for obj, _text in items]
    options = [(str(obj.pk), label(obj), str(obj.pk) == chosen) for obj in matches[:PICKER_LIMIT]]
    if chosen and not any(selected for _v, _l, selected in options):
        options += [(str(obj.pk), label(obj), True) for obj, _text in items if str(obj.pk) == chosen]
    return render(request, "nominations/_picker_options.html", {"options": options, "q": q, "count": len(matches), "name": field,
                                                                "attrs": attrs})


@login_required
def person_options(request, pk, unit_pk):
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    people = nomination_people(nomination_round, unit, exclude_nominated=request.GET.get("tiep") == "1").only(
        "pk", "full_name", "name_folded", "position_title", "is_head", "is_leadership")
    field = NominationForm.base_fields["person"]
    fields_url = reverse("nominations:nomination_form_fields", args=[pk, unit_pk]) + ("?tiep=1" if request.GET.get("tiep") == "1" else "")
    return _picker(request, [(p, p.name_folded or fold(p.full_name)) for p in people], field="person",
                   label=field.label_from_instance, attrs=sorted(person_refresh_attrs(fields_url).items()))


@login_required
def unit_options(request, pk, unit_pk):
    _nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    units = nomination_units(unit)
    return _picker(request, [(u, fold(f"{u.name} {u.short_code}")) for u in units], field="subject_unit", label=str)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request, pk, unit_pk):
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    if not nomination_round.is_open:
        messages.error(request, _("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": nomination_round})
        return redirect("nominations:submission_detail", pk=pk, unit_pk=unit_pk)
    return _nomination_form_page(request, nomination_round=nomination_round, unit=unit)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = nomination_or_404(request, pk)
    require_perm(request.user, "nominations.change_nomination", nomination)
    return _nomination_form_page(request, nomination_round=nomination.round, unit=nomination.submission.unit, nomination=nomination)


@login_required
@require_POST
def nomination_check(request, pk, unit_pk):
    """Instant rule feedback (htmx): the violations the form's current values would raise."""
    nomination_round, unit, submission = round_and_unit(request, pk, unit_pk)
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
    nomination = nomination_or_404(request, pk)
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
    nomination = nomination_or_404(request, pk)
    move = NOMINATION_WORKFLOW.find(nomination.state, to_state)
    if move is None:
        raise Http404
    if not NOMINATION_WORKFLOW.may(request.user, nomination, move):
        raise PermissionDenied
    # the “lý do vượt cảnh báo” box only where the rules judge the move and the nomination meets a warning there
    stages = [check.__name__.removeprefix("judged_at_") for check in move.batch_checks if check.__name__.startswith("judged_at_")]
    judged = bool(stages) and selectors.warnings_at([nomination], stages[0])
    form = ReasonForm(request.POST if request.method == "POST" else None, reason_required=move.reason_required, with_reason=move.reason_required,
                      with_override=judged)
    from_queue = nomination.state in NominationState.waiting_for_vetting() and request.user.has_perm("nominations.vet_nomination")
    query = request.GET.get(QUEUE_PARAM, "")
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_transition(actor=request.user, nomination=nomination, to_state=to_state,
                                           reason=form.cleaned_data.get("reason", ""),
                                           override_reason=form.cleaned_data.get("override_reason", ""))
            messages.success(request, _("Đề nghị chuyển sang “%(s)s”.") % {"s": NominationState(to_state).label})
            if from_queue:  # vetting one by one: the next nomination of the (filtered) queue opens
                return redirect(next_in_queue_url(request.user, query, after=nomination))
            return redirect("nominations:nomination_detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "nominations/confirm.html", {
        "form": form, "danger": move.danger,
        "title": _("%(action)s: %(n)s?") % {"action": move.label, "n": nomination},
        "back": reverse("nominations:nomination_detail", args=[pk]) + (f"?{urlencode({QUEUE_PARAM: query})}" if query else "")})
