"""Pages of the organisation: units, people, ratings, discipline, the agency profile."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.forms import ReasonForm
from tdkt.roles import reads_every_unit
from tdkt.shortcuts import apply_service_errors, export_view, paginate, require_perm

from .. import services
from ..enums import HistoryChangeState
from ..exports import PEOPLE_ORDER, people_filter
from ..forms import (
    AgencyProfileForm,
    DeactivateForm,
    DisciplineForm,
    HistoryChangeFilterForm,
    PersonCreateForm,
    PersonForm,
    PositionForm,
    RatingForm,
    UnitForm,
)
from ..models import (
    DisciplineRecord,
    PositionAssignment,
)
from ..selectors import (
    agency_profile,
    history_changes_visible_to,
    persons_visible_to,
    unit_accounts,
    units_visible_to,
    units_with_counts,
)
from ..workflows import HISTORY_CHANGE_WORKFLOW
from .common import confirm_page, move_to

# ---------------------------------------------------------------- units

@login_required
def unit_list(request):
    if not reads_every_unit(request.user):
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
    people = unit.people.filter(active=True).order_by("-is_head", "-is_leadership", "sort_name", "id")
    return render(request, "movements/unit_detail.html", {
        "unit": unit,
        "people": people,
        "ratings": unit.ratings.all()[:10],
        "disciplines": unit.disciplines.all() if request.user.has_perm("movements.view_discipline", unit) else None,
        "children": unit.children.all(),
        "accounts": unit_accounts(unit) if request.user.has_perm("movements.manage_accounts") else None,
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
        "history_changes": (history_changes_visible_to(request.user).filter(person=person)
                            if request.user.has_perm("movements.view_historychange", person) else None),
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


def _filed(request, change):
    messages.success(request, _("Ngày đã qua nên thay đổi được gửi Văn phòng Sở duyệt (đề nghị điều chỉnh số %(id)s); "
                                "quá trình công tác chỉ thay đổi khi được duyệt.") % {"id": change.pk})
    return redirect("movements:history_change_detail", pk=change.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_position(request, pk):
    person = _person_for_change(request, pk)
    needs_approval = not request.user.has_perm("movements.backdate_history")
    form = PositionForm(request.POST or None, units=units_visible_to(request.user), backdating_needs_approval=needs_approval,
                        initial={"unit": person.unit, "title": person.position_title,
                                 "is_leadership": person.is_leadership, "is_head": person.is_head})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.person_change_position_or_request(actor=request.user, person=person, **form.cleaned_data)
            if change is not None:
                return _filed(request, change)
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
    needs_approval = not request.user.has_perm("movements.backdate_history")
    form = DeactivateForm(request.POST or None, backdating_needs_approval=needs_approval) if person.active else None
    if request.method == "POST":
        try:
            if person.active:
                if form.is_valid():
                    change = services.person_leave_or_request(actor=request.user, person=person, **form.cleaned_data)
                    if change is not None:
                        return _filed(request, change)
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


def _rating_page(request, *, subject, name, detail):
    """The yearly rating of a person or a unit (one form and one service for both)."""
    require_perm(request.user, "movements.change_rating")
    form = RatingForm(request.POST or None, stored=dict(subject.ratings.values_list("year", "rating")))
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_set(actor=request.user, **{name: subject}, **form.cleaned_data)
            messages.success(request, _("Đã lưu xếp loại năm %(year)s.") % form.cleaned_data)
            return redirect(detail, pk=subject.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/simple_form.html", {"form": form, "back": subject,
                                                          "title": _("Xếp loại chất lượng: %(name)s") % {"name": str(subject)}})


@login_required
@require_http_methods(["GET", "POST"])
def person_rating(request, pk):
    person = get_object_or_404(persons_visible_to(request.user), pk=pk)
    return _rating_page(request, subject=person, name="person", detail="movements:person_detail")


@login_required
@require_http_methods(["GET", "POST"])
def unit_rating(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    return _rating_page(request, subject=unit, name="unit", detail="movements:unit_detail")


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
    form = AgencyProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_profile_update(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu thông tin cơ quan."))
            return redirect("movements:agency_profile")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    profile = agency_profile()  # as stored (the form may have set an upload it then refused on the instance)
    images = [(label, _image_data_uri(getattr(profile, name, None) if profile else None))
              for name, label in (("signature_image", _("Ảnh chữ ký")), ("seal_image", _("Ảnh con dấu")))]
    return render(request, "movements/agency_profile.html", {"form": form, "title": _("Thông tin cơ quan"),
                                                             "images": images})


def _image_data_uri(field_file):
    """The stored image inline (a ``data:`` URI, allowed by the CSP): the page needs no file route of its own."""
    if not field_file:
        return ""
    try:
        with field_file.open("rb") as handle:
            return "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    except OSError:
        return ""


# ---------------------------------------------------------------- change requests of the position history

@login_required
def history_change_list(request):
    """The office's list of change requests (pending first by default); a unit head's own unit's requests."""
    user = request.user
    require_perm(user, "movements.view_historychange_list")
    form = HistoryChangeFilterForm(request.GET if "state" in request.GET else {"state": HistoryChangeState.PENDING})
    state = form.cleaned_data["state"] if form.is_valid() else HistoryChangeState.PENDING
    qs = history_changes_visible_to(user)
    if state:
        qs = qs.filter(state=state)
    return render(request, "movements/history_change_list.html", {
        "page": paginate(request, qs), "form": form, "state": state,
        "can_decide": user.has_perm("movements.decide_historychange")})


@login_required
def history_change_detail(request, pk):
    change = get_object_or_404(history_changes_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.view_historychange", change)
    current = PositionAssignment.objects.filter(person=change.person, end_date__isnull=True).select_related("unit").first()
    return render(request, "movements/history_change_detail.html", {
        "change": change, "current": current, "actions": HISTORY_CHANGE_WORKFLOW.available(request.user, change)})


@login_required
@require_http_methods(["GET", "POST"])
def history_change_transition(request, pk, to_state):
    change = get_object_or_404(history_changes_visible_to(request.user), pk=pk)
    require_perm(request.user, "movements.view_historychange", change)
    move = move_to(HISTORY_CHANGE_WORKFLOW, change, to_state)
    if not HISTORY_CHANGE_WORKFLOW.may(request.user, change, move):
        raise PermissionDenied
    detail = reverse("movements:history_change_detail", args=[change.pk])
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = move.reason_required
    if request.method == "POST" and form.is_valid():
        try:
            services.history_change_transition(change=change, actor=request.user, to_state=to_state,
                                               reason=form.cleaned_data["reason"])
            messages.success(request, _("Đề nghị điều chỉnh số %(id)s: %(state)s.") % {
                "id": change.pk, "state": HistoryChangeState(to_state).label})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    explanations = {
        HistoryChangeState.APPROVED: _("Thay đổi được áp dụng vào quá trình công tác từ ngày %(date)s và ghi vào lịch sử "
                                       "thay đổi; các đề nghị khen thưởng đang xét của cá nhân sẽ được kiểm tra lại."),
        HistoryChangeState.REFUSED: _("Quá trình công tác giữ nguyên; đơn vị thấy lý do không duyệt."),
        HistoryChangeState.WITHDRAWN: _("Đề nghị được rút; quá trình công tác giữ nguyên."),
    }
    return confirm_page(request, title=_("%(action)s: %(change)s?") % {"action": move.label, "change": change},
                        message=explanations[to_state] % {"date": change.effective_date.strftime("%d/%m/%Y")}, form=form,
                        submit_label=move.label, cancel_url=detail, danger=move.danger)
