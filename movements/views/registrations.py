"""Pages of registration (đăng ký thi đua): windows, the overview, a unit's registration and its workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

# The award catalogues: the one allowed import from nominations (a leaf module).
from tdkt.forms import ReasonForm
from tdkt.roles import is_unit_head
from tdkt.shortcuts import apply_service_errors, require_perm

from .. import services
from ..enums import RegistrationState
from ..exports import RegistrationRollupExporter, RegistrationUnitExporter
from ..forms import (
    InitiativeForm,
    OverviewFilterForm,
    RegistrationForm,
    RegistrationWindowForm,
)
from ..models import (
    RegisteredInitiative,
    RegistrationWindow,
)
from ..selectors import (
    person_titles,
    registration_entries,
    registration_initiatives,
    registration_members,
    registration_overview,
    registration_units,
    registration_warnings,
    registration_windows,
    registrations_visible_to,
    unit_titles,
)
from ..workflows import REGISTRATION_WORKFLOW
from .common import confirm_page, export_page


@login_required
def registration_window_list(request):
    user = request.user
    require_perm(user, "movements.view_registrationwindow")
    windows = list(registration_windows())
    own = {}
    if is_unit_head(user):
        own = {r.window_id: r for r in registrations_visible_to(user).filter(window__in=windows)}
    rows = [(w, own.get(w.pk)) for w in windows]
    return render(request, "movements/registration_window_list.html", {
        "rows": rows, "today": timezone.localdate(), "is_unit": is_unit_head(user),
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
    return export_page(request, RegistrationRollupExporter(registration_overview(window)))


@login_required
@require_http_methods(["POST"])
def registration_start(request, year):
    user = request.user
    window = get_object_or_404(RegistrationWindow, year=year)
    if user.is_office:
        unit = get_object_or_404(registration_units(window), pk=request.POST.get("unit"))
    elif is_unit_head(user):
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


#: The page of each move of the registration workflow (its buttons come from ``REGISTRATION_WORKFLOW.available``).
REGISTRATION_MOVE_PAGES = {
    RegistrationState.SUBMITTED: "movements:registration_submit",
    RegistrationState.APPROVED: "movements:registration_approve",
    RegistrationState.RETURNED: "movements:registration_return",
}


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
    blocked_late = late and registration.state == RegistrationState.DRAFT and not user.is_office
    moves = REGISTRATION_WORKFLOW.available(user, registration)
    can_submit = any(move.target == RegistrationState.SUBMITTED for move in moves)
    # Each move has its own confirmation page; a first submission after the deadline is not offered to a unit.
    actions = [(reverse(REGISTRATION_MOVE_PAGES[move.target], args=[registration.pk]), move.label, move.danger)
               for move in moves if not (blocked_late and move.target == RegistrationState.SUBMITTED)]
    return render(request, "movements/registration_detail.html", {
        "registration": registration, "window": registration.window,
        "entries": registration_entries(registration), "initiatives": registration_initiatives(registration),
        "warnings": registration_warnings(registration),
        "can_edit": can_change and registration.is_editable, "can_submit": can_submit, "actions": actions,
        "late": late, "blocked_late": blocked_late, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk):
    registration = _registration_for(request, pk, "movements.change_registration")
    if not registration.is_editable:
        messages.error(request, _("Phiếu đăng ký đang ở trạng thái “%(state)s”: không sửa được.")
                       % {"state": registration.get_state_display()})
        return redirect("movements:registration_detail", pk=registration.pk)
    current = {e.person_id: e.title_id for e in registration.entries.all()}
    data = request.POST or None
    applying = data is not None and "apply_all" in data  # “áp dụng cho tất cả” without JavaScript: drawn again, not saved
    members = list(registration_members(registration))
    if applying:
        data = data.copy()
        for person in members:
            data[f"person_{person.pk}"] = data.get("all_titles", "")
    form = RegistrationForm(data, members=members, unit_titles=unit_titles(),
                            person_titles=person_titles(), current=current,
                            initial={"unit_title": registration.unit_title_id, "note": registration.note})
    if request.method == "POST" and not applying and form.is_valid():
        try:
            services.registration_save(actor=request.user, registration=registration, unit_title=form.cleaned_data["unit_title"],
                                       titles=form.titles(), note=form.cleaned_data["note"])
            messages.success(request, _("Đã lưu phiếu đăng ký (chưa gửi). Kiểm tra lại rồi bấm “Gửi phiếu đăng ký”."))
            for warning in registration_warnings(registration):
                messages.warning(request, warning)
            return redirect("movements:registration_detail", pk=registration.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/registration_form.html", {"form": form, "registration": registration, "applying": applying,
                                                                "title_choices": form.member_choices()})


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
    return confirm_page(request, title=_("Gửi phiếu đăng ký thi đua năm %(year)s?") % {"year": registration.window.year},
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
    return confirm_page(request, title=_("Trả lại phiếu đăng ký của %(unit)s?") % {"unit": registration.unit},
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
    return confirm_page(request, title=_("Duyệt phiếu đăng ký của %(unit)s?") % {"unit": registration.unit},
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
    return confirm_page(request, title=_("Bỏ sáng kiến “%(title)s”?") % {"title": initiative.title}, submit_label=_("Bỏ sáng kiến"),
                        cancel_url=detail, danger=True)


@login_required
def registration_export(request, pk):
    registration = _registration_for(request, pk)
    return export_page(request, RegistrationUnitExporter(registration, registration_entries(registration),
                                                         registration_initiatives(registration)))
