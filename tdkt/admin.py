from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, PeriodicJob, User, WorkerHeartbeat
from .roles import is_admin_user
from .services import user_groups_changed, user_password_changed, user_save

# polish (issue 13): the Django admin is the administrator's (Quản trị) alone, in Vietnamese. Office staff manage the
# units' accounts from the unit pages; an office account marked "staff" by mistake still does not get in here.
admin.site.site_header = _("Quản trị hệ thống Thi đua – Khen thưởng")
admin.site.site_title = _("Quản trị TĐKT")
admin.site.index_title = _("Danh mục quản trị")
admin.site.site_url = "/"


def _admin_site_has_permission(request):
    """Staff status and the Quản trị role (``tdkt.roles.is_admin_user``)."""
    return bool(request.user.is_active and request.user.is_staff and is_admin_user(request.user))


admin.site.has_permission = _admin_site_has_permission


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Vai trò trong TĐKT"), {"fields": ("full_name", "role", "unit")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Vai trò trong TĐKT"), {"fields": ("full_name", "role", "unit")}),)

    def save_model(self, request, obj, form, change):
        """Every account change (role, unit, access, password) goes through the audited service."""
        user_save(actor=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        before = list(form.instance.groups.values_list("name", flat=True)) if change else []
        super().save_related(request, form, formsets, change)
        user_groups_changed(actor=request.user, user=form.instance, before=before,
                            after=list(form.instance.groups.values_list("name", flat=True)))

    def user_change_password(self, request, id, form_url=""):
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        user = User.objects.filter(pk=id).first()
        if user is not None and before is not None and user.password != before:
            user_password_changed(actor=request.user, user=user)
        return response

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated, never deleted: their audit trail names them."""
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never changed or deleted from the UI."""

    list_display = ["created_at", "actor", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the task worker only (tdkt/periodic.py): operators read it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodicJob)
class PeriodicJobAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_ok", "last_duration_ms", "runs", "last_message"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["beat_at", "worker_id"]
