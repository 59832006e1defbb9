"""The council's set-up (the office): the council for a term and its members, the voting rules. Members read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.shortcuts import apply_service_errors, require_perm

from .. import selectors, services
from ..forms import CouncilForm, MemberForm, VotingRuleForm
from ..models import CouncilMember

# ---------------------------------------------------------------- the council

@login_required
def council_list(request):
    require_perm(request.user, "councils.view_council")
    councils = list(selectors.councils_visible_to(request.user))
    if len(councils) == 1 and not request.user.has_perm("councils.manage_council"):
        return redirect("councils:council_detail", pk=councils[0].pk)
    return render(request, "councils/council_list.html", {"councils": councils})


@login_required
def council_detail(request, pk):
    require_perm(request.user, "councils.view_council")
    council = get_object_or_404(selectors.councils_visible_to(request.user), pk=pk)
    members = list(selectors.council_members(council))
    on = timezone.localdate()
    posts = selectors.member_posts(members, on)
    return render(request, "councils/council_detail.html", {
        "council": council, "rows": [(m, posts.get(m.pk, [])) for m in members], "on": on,
        "manage": request.user.has_perm("councils.manage_council")})


@login_required
@require_http_methods(["GET", "POST"])
def council_form(request, pk=None):
    require_perm(request.user, "councils.manage_council")
    council = get_object_or_404(selectors.councils_visible_to(request.user), pk=pk) if pk else None
    initial = {name: getattr(council, name) for name in services.COUNCIL_FIELDS} if council else None
    form = CouncilForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if council:
                council = services.council_update(actor=request.user, council=council, **form.cleaned_data)
                messages.success(request, _("Đã lưu thông tin Hội đồng."))
            else:
                council = services.council_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thành lập “%(c)s”: hãy thêm các thành viên.") % {"c": council})
            return redirect("councils:council_detail", pk=council.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    back = reverse("councils:council_detail", args=[council.pk]) if council else reverse("councils:council_list")
    title = _("Sửa thông tin Hội đồng") if council else _("Thành lập Hội đồng Thi đua – Khen thưởng")
    return render(request, "councils/form.html", {"form": form, "title": title, "back": back})


# ---------------------------------------------------------------- members

@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    require_perm(request.user, "councils.manage_council")
    council = get_object_or_404(selectors.councils_visible_to(request.user), pk=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=request.user, council=council, **form.service_kwargs())
            messages.success(request, _("Đã thêm thành viên %(m)s.") % {"m": member})
            if "add_another" in request.POST:
                return redirect("councils:member_add", pk=council.pk)
            return redirect("councils:council_detail", pk=council.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Thêm thành viên: %(c)s") % {"c": council}, "add_another": True,
        "back": reverse("councils:council_detail", args=[council.pk])})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    require_perm(request.user, "councils.manage_council")
    member = get_object_or_404(CouncilMember.objects.select_related("council", "person", "user"), pk=pk)
    initial = {"position": member.position, "votes": member.votes, "sort_order": member.sort_order, "active": member.active}
    form = MemberForm(request.POST or None, initial=initial, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.service_kwargs())
            messages.success(request, _("Đã lưu thành viên %(m)s.") % {"m": member.person.full_name})
            return redirect("councils:council_detail", pk=member.council_id)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Thành viên: %(m)s") % {"m": member.person.full_name},
        "intro": _("Tài khoản %(u)s. Muốn đổi người, hãy cho thành viên này thôi tham gia và thêm thành viên mới.") % {
            "u": member.user.username},
        "back": reverse("councils:council_detail", args=[member.council_id])})


# ---------------------------------------------------------------- voting rules

@login_required
def rule_list(request):
    require_perm(request.user, "councils.view_voting_rule")
    rules = selectors.voting_rules_visible_to(request.user).order_by("-active", "title__sort_order", "form__sort_order",
                                                                      "-effective_from", "id")
    return render(request, "councils/rule_list.html", {"rules": rules, "manage": request.user.has_perm("councils.manage_voting_rule")})


@login_required
@require_http_methods(["GET", "POST"])
def rule_form(request, pk=None):
    require_perm(request.user, "councils.manage_voting_rule")
    rule = get_object_or_404(selectors.voting_rules_visible_to(request.user), pk=pk) if pk else None
    initial = VotingRuleForm.initial_of(rule) if rule else {
        "quorum_numerator": 2, "quorum_denominator": 3, "allows_abstention": True,
        "legal_basis": _("Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng Sở")}
    form = VotingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if rule:
                services.voting_rule_update(actor=request.user, rule=rule, **form.service_kwargs())
                messages.success(request, _("Đã lưu quy tắc biểu quyết."))
            else:
                rule = services.voting_rule_create(actor=request.user, **form.service_kwargs())
                messages.success(request, _("Đã thêm quy tắc biểu quyết “%(r)s”.") % {"r": rule})
            return redirect("councils:rule_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    title = _("Sửa quy tắc biểu quyết: %(r)s") % {"r": rule} if rule else _("Thêm quy tắc biểu quyết")
    intro = _("Các lần biểu quyết đã mở giữ nguyên điều kiện lúc mở. Khi Quy chế thay đổi từ một ngày, nên kết thúc quy tắc "
              "này vào ngày hôm trước và thêm quy tắc mới.") if rule else ""
    return render(request, "councils/form.html", {"form": form, "title": title, "intro": intro,
                                                  "back": reverse("councils:rule_list")})
