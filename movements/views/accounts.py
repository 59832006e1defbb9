"""A unit's accounts, managed by the office from the unit page (polish, issue 13): create an account (the user sets
their password through an e-mailed link), send a new password link, deactivate or reactivate. The writes are the
core's audited services (``tdkt/services.py``); only unit accounts are handled here."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt import services as core_services
from tdkt.forms import ReasonForm
from tdkt.roles import Role
from tdkt.shortcuts import apply_service_errors, require_perm

from ..forms import AccountCreateForm
from ..selectors import units_visible_to
from .common import confirm_page


def _unit_account(request, pk):
    require_perm(request.user, "movements.manage_accounts")
    return get_object_or_404(get_user_model().objects.select_related("unit"), pk=pk, role=Role.UNIT, unit__isnull=False)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request, pk):
    require_perm(request.user, "movements.manage_accounts")
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = core_services.account_create(actor=request.user, unit=unit, domain=request.get_host(),
                                                   use_https=request.is_secure(), **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản %(username)s và gửi liên kết đặt mật khẩu đến %(email)s.")
                             % {"username": account.username, "email": account.email})
            return redirect(reverse("movements:unit_detail", args=[unit.pk]) + "#tai-khoan")
    return render(request, "movements/simple_form.html", {
        "form": form, "back": unit, "title": _("Tạo tài khoản cho %(unit)s") % {"unit": unit.name}})


@login_required
@require_http_methods(["GET", "POST"])
def account_send_link(request, pk):
    account = _unit_account(request, pk)
    back = reverse("movements:unit_detail", args=[account.unit_id]) + "#tai-khoan"
    if request.method == "POST":
        try:
            core_services.account_send_password_link(actor=request.user, account=account, domain=request.get_host(),
                                                     use_https=request.is_secure())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã gửi liên kết đặt lại mật khẩu đến %(email)s.") % {"email": account.email})
        return redirect(back)
    return confirm_page(
        request, title=_("Gửi liên kết đặt lại mật khẩu"), submit_label=_("Gửi liên kết"), cancel_url=back,
        message=_("Tài khoản %(username)s (%(name)s) sẽ nhận tại %(email)s một liên kết để tự đặt mật khẩu mới, dùng được "
                  "một lần. Mật khẩu hiện tại vẫn dùng được cho đến khi đặt mật khẩu mới.")
        % {"username": account.username, "name": account.display_name, "email": account.email or "—"})


@login_required
@require_http_methods(["GET", "POST"])
def account_toggle_active(request, pk):
    account = _unit_account(request, pk)
    back = reverse("movements:unit_detail", args=[account.unit_id]) + "#tai-khoan"
    form = ReasonForm(request.POST or None) if account.is_active else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            core_services.account_set_active(actor=request.user, account=account, active=not account.is_active,
                                             reason=form.cleaned_data["reason"] if form else "")
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(back)
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Tài khoản %(username)s đã ngừng hoạt động.") % {"username": account.username}
                             if account.is_active else
                             _("Tài khoản %(username)s đã hoạt động trở lại.") % {"username": account.username})
            return redirect(back)
    if account.is_active:
        return confirm_page(
            request, title=_("Ngừng tài khoản %(username)s") % {"username": account.username}, form=form, danger=True,
            submit_label=_("Ngừng tài khoản"), cancel_url=back,
            message=_("%(name)s sẽ không đăng nhập được nữa, kể cả sau khi đặt mật khẩu qua liên kết đã gửi; “Quên mật "
                      "khẩu” không gửi thư cho tài khoản đã ngừng. Tài khoản không bị xoá (nhật ký vẫn ghi tên) và có thể "
                      "kích hoạt lại.") % {"name": account.display_name})
    return confirm_page(request, title=_("Kích hoạt lại tài khoản %(username)s") % {"username": account.username},
                        submit_label=_("Kích hoạt lại"), cancel_url=back,
                        message=_("%(name)s sẽ đăng nhập lại được bằng mật khẩu cũ hoặc qua liên kết đặt mật khẩu.")
                        % {"name": account.display_name})
