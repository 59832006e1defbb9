from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

# The award catalogues: the one allowed import from nominations (a leaf module).
from nominations.catalogues import CommendationForm, EmulationTitle
from tdkt.exports import export_response
from tdkt.forms import ReasonForm
from tdkt.shortcuts import apply_service_errors, export_view, paginate, require_perm
from tdkt.uploads import file_response

from . import services
from .enums import CampaignStatus, ClusterState, RegistrationState
from .exports import PEOPLE_ORDER, ClusterRankingExporter, RegistrationRollupExporter, RegistrationUnitExporter, people_filter
from .forms import (
    AcclamationForm,
    AgencyProfileForm,
    CampaignDocumentForm,
    CampaignFilter,
    CampaignForm,
    CampaignTransitionForm,
    ClusterForm,
    CriterionForm,
    DeactivateForm,
    DisciplineForm,
    InitiativeForm,
    OverviewFilterForm,
    PersonCreateForm,
    PersonForm,
    PositionForm,
    RatingForm,
    RegistrationForm,
    RegistrationWindowForm,
    ScoreSheetForm,
    SectionForm,
    UnitForm,
)
from .models import (
    CAMPAIGN_STATE_DATE,
    Campaign,
    CampaignDocument,
    ClusterAcclamation,
    ClusterMember,
    DisciplineRecord,
    PositionAssignment,
    RegisteredInitiative,
    RegistrationWindow,
    ScoringCriterion,
    ScoringSection,
    Unit,
)
from .selectors import (
    acclamations_for,
    agency_profile,
    campaign_has_plan_and_review,
    campaigns_visible_to,
    cluster_max_total,
    cluster_memberships,
    cluster_ranking,
    cluster_scores_for,
    cluster_table,
    clusters_visible_to,
    person_titles,
    persons_visible_to,
    registration_entries,
    registration_initiatives,
    registration_members,
    registration_overview,
    registration_units,
    registration_windows,
    registrations_visible_to,
    unit_titles,
    units_visible_to,
    units_with_counts,
)

# ---------------------------------------------------------------- units

@login_required
def unit_list(request):
    if not request.user.is_office and request.user.role != "council":
        return redirect("movements:unit_detail", pk=request.user.unit_id)
    units = units_with_counts(units_visible_to(request.user))
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(name__icontains=q)
    return render(request, "movements/unit_list.html", {"units": units, "q": q})


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.view_unit", unit)
    people = unit.people.filter(active=True).order_by("-is_head", "-is_leadership", "full_name")
    return render(request, "movements/unit_detail.html", {
        "unit": unit,
        "people": people,
        "ratings": unit.ratings.all()[:10],
        "disciplines": unit.disciplines.all() if request.user.has_perm("movements.view_discipline", unit) else None,
        "children": unit.children.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_form(request, pk=None):
    require_perm(request.user, "movements.change_unit" if pk else "movements.add_unit")
    unit = get_object_or_404(units_visible_to(request.user), pk=pk) if pk else None
    initial = {"name": unit.name, "short_code": unit.short_code, "kind": unit.kind, "parent": unit.parent,
               "sort_order": unit.sort_order} if unit else {}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if unit:
                unit = services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
                messages.success(request, _("Đã lưu thay đổi của đơn vị."))
            else:
                unit = services.unit_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect("movements:unit_detail", pk=unit.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_toggle_active(request, pk):
    require_perm(request.user, "movements.change_unit")
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST or None) if unit.active else None
    if request.method == "POST":
        try:
            if unit.active:
                if form.is_valid():
                    services.unit_set_active(actor=request.user, unit=unit, active=False, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Đơn vị đã được chuyển sang ngừng hoạt động."))
                    return redirect("movements:unit_detail", pk=unit.pk)
            else:
                services.unit_set_active(actor=request.user, unit=unit, active=True)
                messages.success(request, _("Đơn vị đã hoạt động trở lại."))
                return redirect("movements:unit_detail", pk=unit.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("movements:unit_detail", pk=unit.pk)
    return render(request, "movements/unit_confirm.html", {"unit": unit, "form": form})


# ---------------------------------------------------------------- people

@login_required
def person_list(request):
    user = request.user
    fmt = request.GET.get("xuat")
    if fmt in ("xlsx", "pdf"):
        params = request.GET.copy()
        params.pop("xuat")
        return export_view(request, "movements.people", fmt, params=params)
    person_filter = people_filter(user, request.GET)
    qs = person_filter.qs.order_by(*PEOPLE_ORDER)
    page = paginate(request, qs)
    template = "movements/person_list.html#results" if request.htmx else "movements/person_list.html"
    return render(request, template, {"filter": person_filter, "page": page,
                                      "can_add": user.has_perm("movements.add_person")})


@login_required
def person_detail(request, pk):
    person = get_object_or_404(persons_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.view_person", person)
    return render(request, "movements/person_detail.html", {
        "person": person,
        "positions": PositionAssignment.objects.filter(person=person).select_related("unit").order_by("-start_date"),
        "ratings": person.ratings.all(),
        "disciplines": DisciplineRecord.objects.filter(person=person) if request.user.has_perm("movements.view_discipline", person) else None,
        "can_change": request.user.has_perm("movements.change_person", person),
        "can_rate": request.user.has_perm("movements.change_rating"),
        "can_discipline": request.user.has_perm("movements.change_discipline"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    require_perm(request.user, "movements.add_person")
    units = units_visible_to(request.user)
    form = PersonCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã thêm %(name)s.") % {"name": person.full_name})
            return redirect("movements:person_detail", pk=person.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/person_form.html", {"form": form, "title": _("Thêm cá nhân")})


def _person_for_change(request, pk):
    person = get_object_or_404(persons_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.change_person", person)
    return person


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _person_for_change(request, pk)
    form = PersonForm(request.POST or None, initial={"full_name": person.full_name, "gender": person.gender,
                                                     "date_of_birth": person.date_of_birth})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("movements:person_detail", pk=person.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/person_form.html", {"form": form, "person": person,
                                                          "title": _("Sửa thông tin: %(name)s") % {"name": person.full_name}})


@login_required
@require_http_methods(["GET", "POST"])
def person_position(request, pk):
    person = _person_for_change(request, pk)
    form = PositionForm(request.POST or None, units=units_visible_to(request.user),
                        initial={"unit": person.unit, "title": person.position_title,
                                 "is_leadership": person.is_leadership, "is_head": person.is_head})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_change_position(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Đã cập nhật chức vụ; chức vụ cũ được lưu vào quá trình công tác."))
            return redirect("movements:person_detail", pk=person.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/person_form.html", {"form": form, "person": person,
                                                          "title": _("Thay đổi chức vụ: %(name)s") % {"name": person.full_name}})


@login_required
@require_http_methods(["GET", "POST"])
def person_toggle_active(request, pk):
    person = _person_for_change(request, pk)
    form = DeactivateForm(request.POST or None) if person.active else None
    if request.method == "POST":
        try:
            if person.active:
                if form.is_valid():
                    services.person_set_active(actor=request.user, person=person, active=False, **form.cleaned_data)
                    messages.success(request, _("%(name)s đã được chuyển sang nghỉ công tác.") % {"name": person.full_name})
                    return redirect("movements:person_detail", pk=person.pk)
            else:
                services.person_set_active(actor=request.user, person=person, active=True)
                messages.success(request, _("%(name)s đã được kích hoạt lại.") % {"name": person.full_name})
                return redirect("movements:person_detail", pk=person.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc) if form else messages.error(request, " ".join(exc.messages))
            if not form:
                return redirect("movements:person_detail", pk=person.pk)
    return render(request, "movements/person_confirm.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_rating(request, pk):
    person = get_object_or_404(persons_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.change_rating")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_set(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Đã lưu xếp loại năm %(year)s.") % form.cleaned_data)
            return redirect("movements:person_detail", pk=person.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/simple_form.html", {"form": form, "back": person,
                                                          "title": _("Xếp loại chất lượng: %(name)s") % {"name": person.full_name}})


@login_required
@require_http_methods(["GET", "POST"])
def unit_rating(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.change_rating")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_set(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Đã lưu xếp loại năm %(year)s.") % form.cleaned_data)
            return redirect("movements:unit_detail", pk=unit.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/simple_form.html", {"form": form, "back": unit,
                                                          "title": _("Xếp loại chất lượng: %(name)s") % {"name": unit.name}})


@login_required
@require_http_methods(["GET", "POST"])
def discipline_create(request, kind, pk):
    require_perm(request.user, "movements.change_discipline")
    if kind == "ca-nhan":
        subject = get_object_or_404(persons_visible_to(request.user), pk=pk)
        target = {"person": subject}
    else:
        subject = get_object_or_404(units_visible_to(request.user), pk=pk)
        target = {"unit": subject}
    form = DisciplineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discipline_create(actor=request.user, **target, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận."))
            return redirect("movements:person_detail" if kind == "ca-nhan" else "movements:unit_detail", pk=subject.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/simple_form.html", {"form": form, "back": subject,
                                                          "title": _("Kỷ luật, tạm dừng xét: %(name)s") % {"name": subject}})


@login_required
@require_http_methods(["GET", "POST"])
def agency_profile_edit(request):
    require_perm(request.user, "movements.change_agencyprofile")
    profile = agency_profile()
    form = AgencyProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_profile_update(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu thông tin cơ quan."))
            return redirect("movements:agency_profile")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/simple_form.html", {"form": form, "title": _("Thông tin cơ quan")})


# ================================================================ shared helpers for the yearly cycle

def _confirm(request, *, title, message="", form=None, submit_label, cancel_url, danger=False, extra=None):
    """The confirmation page used by every destructive or state-changing action (GET shows it, POST acts)."""
    return render(request, "movements/confirm.html", {
        "title": title, "message": message, "form": form, "submit_label": submit_label, "cancel_url": cancel_url,
        "danger": danger, "extra": extra})




def _export(request, exporter):
    """XLSX by default, PDF with ?dinh-dang=pdf; both from the same exporter."""
    return export_response(exporter, request.GET.get("dinh-dang", "xlsx"), agency=agency_profile())


# ================================================================ campaigns

CAMPAIGN_ACTIONS = {
    CampaignStatus.LAUNCHED: _lazy("Phát động"),
    CampaignStatus.INTERIM_REVIEW: _lazy("Sơ kết"),
    CampaignStatus.FINAL_REVIEW: _lazy("Tổng kết"),
    CampaignStatus.CLOSED: _lazy("Kết thúc phong trào"),
}


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
    actions = [(state, CAMPAIGN_ACTIONS[state]) for state in sorted(services.CAMPAIGN_TRANSITIONS[campaign.status],
                                                                     key=list(CampaignStatus.values).index)]
    return render(request, "movements/campaign_detail.html", {
        "campaign": campaign, "documents": campaign.documents.all(), "can_manage": can_manage,
        "actions": actions if can_manage else [], "has_plan_and_review": campaign_has_plan_and_review(campaign)})


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
    if to_state not in CAMPAIGN_ACTIONS:
        raise Http404
    form = CampaignTransitionForm(request.POST or None)
    form.fields["date"].label = Campaign._meta.get_field(CAMPAIGN_STATE_DATE[to_state]).verbose_name.capitalize()
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_transition(campaign=campaign, actor=request.user, to_state=to_state, **form.cleaned_data)
            messages.success(request, _("Phong trào đã chuyển sang “%(state)s”.") % {"state": CampaignStatus(to_state).label})
            return redirect("movements:campaign_detail", pk=campaign.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _confirm(request, title=_("%(action)s: %(name)s") % {"action": CAMPAIGN_ACTIONS[to_state], "name": campaign.name},
                    message=_("Trạng thái hiện tại: %(state)s.") % {"state": campaign.get_status_display()}, form=form,
                    submit_label=CAMPAIGN_ACTIONS[to_state], cancel_url=reverse("movements:campaign_detail", args=[campaign.pk]))


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
    return _confirm(request, title=_("Xoá văn bản “%(title)s”?") % {"title": document.title},
                    message=_("Văn bản và tệp đính kèm sẽ bị xoá; nhật ký thay đổi vẫn ghi lại thông tin văn bản."),
                    form=form, submit_label=_("Xoá văn bản"), danger=True,
                    cancel_url=reverse("movements:campaign_detail", args=[document.campaign_id]))


# ================================================================ registration (đăng ký thi đua)

@login_required
def registration_window_list(request):
    user = request.user
    require_perm(user, "movements.view_registrationwindow")
    windows = list(registration_windows())
    own = {}
    if user.unit_id and not user.is_office and user.role != "council":
        own = {r.window_id: r for r in registrations_visible_to(user).filter(window__in=windows)}
    rows = [(w, own.get(w.pk)) for w in windows]
    return render(request, "movements/registration_window_list.html", {
        "rows": rows, "today": timezone.localdate(), "is_unit": bool(user.unit_id) and user.role == "unit",
        "can_manage": user.has_perm("movements.manage_registrationwindow")})


@login_required
@require_http_methods(["GET", "POST"])
def registration_window_form(request, year=None):
    require_perm(request.user, "movements.manage_registrationwindow")
    window = get_object_or_404(RegistrationWindow, year=year) if year else None
    initial = {name: getattr(window, name) for name in services.WINDOW_FIELDS} if window else {
        "year": timezone.localdate().year + (1 if timezone.localdate().month >= 11 else 0)}
    form = RegistrationWindowForm(request.POST or None, initial=initial, editing=bool(window))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if window:
                data.pop("year")
                window = services.registration_window_update(actor=request.user, window=window, **data)
                messages.success(request, _("Đã lưu đợt đăng ký."))
            else:
                window = services.registration_window_create(actor=request.user, **data)
                messages.success(request, _("Đã mở đợt đăng ký thi đua năm %(year)s.") % {"year": window.year})
            return redirect("movements:registration_window", year=window.year)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    title = _("Sửa đợt đăng ký thi đua năm %(year)s") % {"year": window.year} if window else _("Mở đợt đăng ký thi đua")
    cancel = reverse("movements:registration_window", args=[window.year]) if window else reverse("movements:registration_windows")
    return render(request, "movements/form_page.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
def registration_window_detail(request, year):
    user = request.user
    window = get_object_or_404(RegistrationWindow, year=year)
    if not user.has_perm("movements.view_registration_overview"):
        # A unit head works on their own unit's registration only.
        if not user.unit_id:
            raise PermissionDenied
        registration = registrations_visible_to(user).filter(window=window).first()
        if registration:
            return redirect("movements:registration_detail", pk=registration.pk)
        return render(request, "movements/registration_start.html", {
            "window": window, "unit": user.unit, "today": timezone.localdate()})
    filter_form = OverviewFilterForm(request.GET or None)
    state = filter_form.cleaned_data["state"] if filter_form.is_valid() else ""
    overview = registration_overview(window, state=state)
    template = "movements/registration_overview.html#results" if request.htmx else "movements/registration_overview.html"
    return render(request, template, {
        "window": window, "overview": overview, "filter_form": filter_form, "today": timezone.localdate(),
        "can_manage": user.has_perm("movements.manage_registrationwindow")})


@login_required
def registration_rollup_export(request, year):
    require_perm(request.user, "movements.view_registration_overview")
    window = get_object_or_404(RegistrationWindow, year=year)
    return _export(request, RegistrationRollupExporter(registration_overview(window)))


@login_required
@require_http_methods(["POST"])
def registration_start(request, year):
    user = request.user
    window = get_object_or_404(RegistrationWindow, year=year)
    if user.is_office:
        unit = get_object_or_404(registration_units(window), pk=request.POST.get("unit"))
    elif user.role == "unit" and user.unit_id:
        unit = user.unit
    else:
        raise PermissionDenied
    require_perm(user, "movements.change_registration", unit)
    try:
        registration = services.registration_start(actor=user, window=window, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("movements:registration_window", year=window.year)
    return redirect("movements:registration_edit", pk=registration.pk)


def _registration_for(request, pk, perm="movements.view_registration"):
    registration = get_object_or_404(registrations_visible_to(request.user), pk=pk)
    require_perm(request.user, perm, registration)
    return registration


@login_required
def registration_detail(request, pk):
    registration = _registration_for(request, pk)
    user = request.user
    today = timezone.localdate()
    can_change = user.has_perm("movements.change_registration", registration)
    late = today > registration.window.closes_on
    return render(request, "movements/registration_detail.html", {
        "registration": registration, "window": registration.window,
        "entries": registration_entries(registration), "initiatives": registration_initiatives(registration),
        "can_edit": can_change and registration.is_editable,
        "can_submit": can_change and registration.is_editable,
        "late": late, "blocked_late": late and registration.state == RegistrationState.DRAFT and not user.is_office,
        "can_review": user.has_perm("movements.review_registration", registration),
        "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk):
    registration = _registration_for(request, pk, "movements.change_registration")
    if not registration.is_editable:
        messages.error(request, _("Phiếu đăng ký đang ở trạng thái “%(state)s”: không sửa được.")
                       % {"state": registration.get_state_display()})
        return redirect("movements:registration_detail", pk=registration.pk)
    current = {e.person_id: e.title_id for e in registration.entries.all()}
    form = RegistrationForm(request.POST or None, members=registration_members(registration), unit_titles=unit_titles(),
                            person_titles=person_titles(), current=current,
                            initial={"unit_title": registration.unit_title_id, "note": registration.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_save(actor=request.user, registration=registration, unit_title=form.cleaned_data["unit_title"],
                                       titles=form.titles(), note=form.cleaned_data["note"])
            messages.success(request, _("Đã lưu phiếu đăng ký (chưa gửi). Kiểm tra lại rồi bấm “Gửi phiếu đăng ký”."))
            return redirect("movements:registration_detail", pk=registration.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/registration_form.html", {"form": form, "registration": registration})


@login_required
@require_http_methods(["GET", "POST"])
def registration_submit(request, pk):
    registration = _registration_for(request, pk, "movements.change_registration")
    detail = reverse("movements:registration_detail", args=[registration.pk])
    if request.method == "POST":
        try:
            services.registration_submit(registration=registration, actor=request.user)
            messages.success(request, _("Đã gửi phiếu đăng ký thi đua đến Văn phòng Sở."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return _confirm(request, title=_("Gửi phiếu đăng ký thi đua năm %(year)s?") % {"year": registration.window.year},
                    message=_("Sau khi gửi, phiếu chờ Văn phòng Sở duyệt và không sửa được, trừ khi được trả lại."),
                    submit_label=_("Gửi phiếu đăng ký"), cancel_url=detail)


@login_required
@require_http_methods(["GET", "POST"])
def registration_return(request, pk):
    registration = _registration_for(request, pk, "movements.review_registration")
    detail = reverse("movements:registration_detail", args=[registration.pk])
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = _("Lý do trả lại")
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_return(registration=registration, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã trả lại phiếu đăng ký cho %(unit)s.") % {"unit": registration.unit})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _confirm(request, title=_("Trả lại phiếu đăng ký của %(unit)s?") % {"unit": registration.unit},
                    message=_("Đơn vị sẽ thấy lý do, sửa và gửi lại."), form=form, submit_label=_("Trả lại"),
                    cancel_url=detail, danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def registration_approve(request, pk):
    registration = _registration_for(request, pk, "movements.review_registration")
    detail = reverse("movements:registration_detail", args=[registration.pk])
    if request.method == "POST":
        try:
            services.registration_approve(registration=registration, actor=request.user)
            messages.success(request, _("Đã duyệt phiếu đăng ký của %(unit)s.") % {"unit": registration.unit})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return _confirm(request, title=_("Duyệt phiếu đăng ký của %(unit)s?") % {"unit": registration.unit},
                    submit_label=_("Duyệt"), cancel_url=detail)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_add(request, pk):
    registration = _registration_for(request, pk, "movements.change_registration")
    detail = reverse("movements:registration_detail", args=[registration.pk])
    form = InitiativeForm(request.POST or None, owners=registration_members(registration).filter(active=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_add(actor=request.user, registration=registration, **form.cleaned_data)
            messages.success(request, _("Đã thêm sáng kiến."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {
        "form": form, "title": _("Đăng ký sáng kiến: %(unit)s") % {"unit": registration.unit}, "cancel_url": detail})


@login_required
@require_http_methods(["GET", "POST"])
def initiative_remove(request, pk, initiative_pk):
    registration = _registration_for(request, pk, "movements.change_registration")
    initiative = get_object_or_404(RegisteredInitiative, pk=initiative_pk, registration=registration)
    detail = reverse("movements:registration_detail", args=[registration.pk])
    if request.method == "POST":
        try:
            services.initiative_remove(actor=request.user, initiative=initiative)
            messages.success(request, _("Đã bỏ sáng kiến khỏi phiếu đăng ký."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return _confirm(request, title=_("Bỏ sáng kiến “%(title)s”?") % {"title": initiative.title}, submit_label=_("Bỏ sáng kiến"),
                    cancel_url=detail, danger=True)


@login_required
def registration_export(request, pk):
    registration = _registration_for(request, pk)
    return _export(request, RegistrationUnitExporter(registration, registration_entries(registration),
                                                     registration_initiatives(registration)))


# ================================================================ clusters (cụm, khối thi đua)

CLUSTER_ACTIONS = {
    ClusterState.SCORING: _lazy("Mở chấm điểm"),
    ClusterState.CONCLUDED: _lazy("Kết thúc chấm điểm"),
    ClusterState.SETUP: _lazy("Quay lại thiết lập"),
}


def _cluster_action_label(from_state, to_state):
    if from_state == ClusterState.CONCLUDED and to_state == ClusterState.SCORING:
        return _("Mở lại chấm điểm")
    return CLUSTER_ACTIONS[to_state]


def _cluster_for(request, pk, perm="movements.view_cluster"):
    cluster = get_object_or_404(clusters_visible_to(request.user), pk=pk)
    require_perm(request.user, perm, cluster)
    return cluster


@login_required
def cluster_list(request):
    qs = clusters_visible_to(request.user).annotate(member_count=Count("memberships", distinct=True)).order_by("-year", "name")
    year = request.GET.get("year", "").strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    return render(request, "movements/cluster_list.html", {
        "page": paginate(request, qs), "year": year, "can_manage": request.user.has_perm("movements.manage_cluster")})


@login_required
def cluster_detail(request, pk):
    cluster = _cluster_for(request, pk)
    user = request.user
    table = cluster_table(cluster)
    memberships = list(cluster_memberships(cluster))
    can_rank = user.has_perm("movements.view_cluster_ranking", cluster)
    can_manage = user.has_perm("movements.manage_cluster")
    own = next((m for m in memberships if m.unit_id == user.unit_id), None) if user.unit_id else None
    actions = []
    if can_manage:
        actions = [(state, _cluster_action_label(cluster.state, state)) for state in services.CLUSTER_TRANSITIONS[cluster.state]]
    return render(request, "movements/cluster_detail.html", {
        "cluster": cluster, "table": table, "max_total": cluster_max_total(table), "memberships": memberships,
        "ranking": cluster_ranking(cluster) if can_rank else None, "own_membership": own,
        "acclamations": acclamations_for(cluster), "can_manage": can_manage, "actions": actions,
        "is_leader": bool(user.unit_id) and user.unit_id == cluster.leader_unit_id,
        "can_acclaim": user.has_perm("movements.record_acclamation") and cluster.state == ClusterState.CONCLUDED,
        "table_editable": can_manage and cluster.state == ClusterState.SETUP})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_form(request, pk=None):
    require_perm(request.user, "movements.manage_cluster")
    cluster = get_object_or_404(clusters_visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if cluster:
        initial = {name: getattr(cluster, name) for name in ("year", "name", "description", "leader_unit", "deputy_unit",
                                                              "pact_number", "pact_signed_on")}
        initial["members"] = list(cluster.memberships.values_list("unit_id", flat=True))
    else:
        initial = {"year": timezone.localdate().year}
    form = ClusterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["members"] = list(data["members"])
        try:
            if cluster:
                cluster = services.cluster_update(actor=request.user, cluster=cluster, **data)
                messages.success(request, _("Đã lưu cụm thi đua."))
            else:
                cluster = services.cluster_create(actor=request.user, **data)
                messages.success(request, _("Đã tạo cụm thi đua. Tiếp theo: lập bảng tiêu chí chấm điểm."))
            return redirect("movements:cluster_detail", pk=cluster.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    title = _("Sửa cụm thi đua") if cluster else _("Tạo cụm, khối thi đua")
    cancel = reverse("movements:cluster_detail", args=[cluster.pk]) if cluster else reverse("movements:cluster_list")
    return render(request, "movements/form_page.html", {"form": form, "title": title, "cancel_url": cancel, "multipart": True})


@login_required
def cluster_pact_download(request, pk):
    cluster = _cluster_for(request, pk)
    return file_response(cluster.pact_file, cluster.pact_original_name)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_section_add(request, pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    form = SectionForm(request.POST or None, initial={"order": cluster.sections.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(actor=request.user, cluster=cluster, **form.cleaned_data)
            messages.success(request, _("Đã thêm nhóm tiêu chí."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {"form": form, "title": _("Thêm nhóm tiêu chí"), "cancel_url": detail})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_criterion_add(request, pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    sections = ScoringSection.objects.filter(cluster=cluster).order_by("order", "id")
    if not sections.exists():
        messages.error(request, _("Hãy thêm nhóm tiêu chí trước."))
        return redirect(detail)
    initial = {"section": request.GET.get("nhom") or sections.last().pk}
    form = CriterionForm(request.POST or None, sections=sections, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã thêm tiêu chí."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {"form": form, "title": _("Thêm tiêu chí chấm điểm"), "cancel_url": detail})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_criterion_delete(request, pk, criterion_pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    criterion = get_object_or_404(ScoringCriterion.objects.select_related("section__cluster"), pk=criterion_pk,
                                  section__cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    if request.method == "POST":
        try:
            services.criterion_delete(actor=request.user, criterion=criterion)
            messages.success(request, _("Đã xoá tiêu chí."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return _confirm(request, title=_("Xoá tiêu chí “%(name)s”?") % {"name": criterion.name}, submit_label=_("Xoá tiêu chí"),
                    cancel_url=detail, danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_section_delete(request, pk, section_pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    section = get_object_or_404(ScoringSection.objects.select_related("cluster"), pk=section_pk, cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    if request.method == "POST":
        try:
            services.section_delete(actor=request.user, section=section)
            messages.success(request, _("Đã xoá nhóm tiêu chí."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return _confirm(request, title=_("Xoá nhóm tiêu chí “%(name)s”?") % {"name": section.name}, submit_label=_("Xoá nhóm"),
                    cancel_url=detail, danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_transition(request, pk, to_state):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    if to_state not in CLUSTER_ACTIONS:
        raise Http404
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    needs_reason = cluster.state == ClusterState.CONCLUDED
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = needs_reason
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_transition(cluster=cluster, actor=request.user, to_state=to_state, reason=form.cleaned_data["reason"])
            messages.success(request, _("Cụm đã chuyển sang “%(state)s”.") % {"state": ClusterState(to_state).label})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    messages_by_target = {
        ClusterState.SCORING: _("Các đơn vị thành viên tự chấm điểm; cụm trưởng nhập điểm thống nhất. Bảng tiêu chí sẽ bị khoá."),
        ClusterState.CONCLUDED: _("Điểm được khoá để bình xét, suy tôn."),
        ClusterState.SETUP: _("Mở lại việc sửa bảng tiêu chí (chỉ khi chưa có điểm chấm)."),
    }
    label = _cluster_action_label(cluster.state, to_state)
    return _confirm(request, title=_("%(action)s: %(name)s?") % {"action": label, "name": cluster},
                    message=messages_by_target[to_state], form=form, submit_label=label, cancel_url=detail)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_score_sheet(request, pk, unit_pk):
    user = request.user
    cluster = _cluster_for(request, pk)
    membership = get_object_or_404(ClusterMember.objects.select_related("unit", "cluster"), cluster=cluster, unit_id=unit_pk)
    if not user.has_perm("movements.view_cluster_scores", membership):
        raise Http404  # another unit's scores: as if it did not exist
    scoring = cluster.state == ClusterState.SCORING
    can_self = scoring and user.has_perm("movements.self_score", membership)
    can_agree = scoring and user.has_perm("movements.agree_score", membership)
    if request.method == "POST" and not (can_self or can_agree):
        raise PermissionDenied
    table = cluster_table(cluster)
    criteria = [c for _s, cs in table for c in cs]
    scores = cluster_scores_for(cluster, membership.unit)
    form = ScoreSheetForm(request.POST or None, criteria=criteria, scores=scores, can_self=can_self, can_agree=can_agree)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_scores_save(actor=user, cluster=cluster, unit=membership.unit, **form.payload())
            messages.success(request, _("Đã lưu điểm của %(unit)s.") % {"unit": membership.unit})
            return redirect("movements:cluster_score_sheet", pk=cluster.pk, unit_pk=membership.unit_id)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    rows = {row["criterion"].pk: row for row in form.rows()}
    sections = [(section, [rows[c.pk] for c in cs]) for section, cs in table]
    ranking_row = next((r for r in cluster_ranking(cluster) if r.unit.pk == membership.unit_id), None)
    return render(request, "movements/cluster_scores.html", {
        "cluster": cluster, "membership": membership, "unit": membership.unit, "form": form, "sections": sections,
        "can_self": can_self, "can_agree": can_agree, "editable": can_self or can_agree, "total": ranking_row,
        "max_total": cluster_max_total(table)})


@login_required
def cluster_ranking_export(request, pk):
    cluster = _cluster_for(request, pk, "movements.view_cluster_ranking")
    return _export(request, ClusterRankingExporter(cluster, cluster_ranking(cluster), cluster_max_total(cluster_table(cluster))))


def _acclamation_awards():
    titles = EmulationTitle.objects.filter(code__in=services.ACCLAMATION_TITLE_CODES, active=True)
    forms_ = CommendationForm.objects.filter(code__in=services.ACCLAMATION_FORM_CODES, active=True)
    return [("title", t) for t in titles] + [("form", f) for f in forms_]


@login_required
@require_http_methods(["GET", "POST"])
def acclamation_add(request, pk):
    require_perm(request.user, "movements.record_acclamation")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    ranking = cluster_ranking(cluster)
    initial = {"unit": ranking[0].unit.pk} if ranking and ranking[0].rank == 1 else {}
    form = AcclamationForm(request.POST or None, units=Unit.objects.filter(cluster_memberships__cluster=cluster),
                           awards=_acclamation_awards(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            acclamation = services.acclamation_record(actor=request.user, cluster=cluster, **form.service_kwargs())
            messages.success(request, _("Đã ghi nhận suy tôn %(unit)s; đề xuất %(award)s đã sẵn sàng cho đợt đề nghị khen thưởng.")
                             % {"unit": acclamation.unit, "award": acclamation.award})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {
        "form": form, "title": _("Ghi nhận suy tôn: %(name)s") % {"name": cluster}, "cancel_url": detail,
        "intro": _("Đơn vị dẫn đầu được suy tôn sẽ có sẵn đề xuất Cờ thi đua hoặc Bằng khen để đưa vào đợt đề nghị khen thưởng.")})


@login_required
@require_http_methods(["GET", "POST"])
def acclamation_withdraw(request, pk, acclamation_pk):
    require_perm(request.user, "movements.record_acclamation")
    cluster = _cluster_for(request, pk)
    acclamation = get_object_or_404(ClusterAcclamation, pk=acclamation_pk, cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acclamation_withdraw(acclamation=acclamation, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã huỷ kết quả suy tôn."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _confirm(request, title=_("Huỷ kết quả suy tôn %(unit)s?") % {"unit": acclamation.unit},
                    message=_("Đề xuất khen thưởng tương ứng sẽ không còn được đưa vào đợt đề nghị."), form=form,
                    submit_label=_("Huỷ suy tôn"), cancel_url=detail, danger=True)
