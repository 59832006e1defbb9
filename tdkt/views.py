import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import health, notifications
from .audit import audit_rows
from .charts import ChartExporter, chart_for
from .enums import NotificationKind
from .exports import export_response
from .hooks import agency, dashboard_blocks, home_context
from .models import ExportJob
from .shortcuts import paginate
from .uploads import file_response

logger = logging.getLogger(__name__)


@login_required
def home(request):
    context = {"agency": agency(), **home_context(request.user), "blocks": dashboard_blocks(request.user),
               "latest_notifications": list(notifications.notifications_for(request.user).filter(read_at__isnull=True)[:5])}
    return render(request, "tdkt/home.html", context)


@login_required
def audit_history(request, app_label, model, pk):
    """History of one object. Office staff only: the journal may name other units' people."""
    if not request.user.has_perm("tdkt.view_auditevent"):
        raise PermissionDenied
    try:
        ct = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model_class = ct.model_class()
    if model_class is None:
        raise Http404
    obj = get_object_or_404(model_class, pk=pk)
    return render(request, "tdkt/audit_history.html", {"object": obj, "rows": audit_rows(obj), "back": _back_url(request, obj)})


def _back_url(request, obj):
    """Where "Quay lại" leads: the page the user came from (same site), else the object's page, else home."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return reverse("home")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """The request id is shown so that staff can quote it; the same id is on the error's log lines."""
    return render(request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500)


@never_cache
@require_safe
def healthz(request):
    """For a load balancer or a monitor: "ok" (200) or "not ok" (503), nothing else; no login."""
    failed = health.failures()
    if failed:
        logger.warning("health check failed: %s", ", ".join(failed))
    return HttpResponse("not ok" if failed else "ok", status=503 if failed else 200, content_type="text/plain; charset=utf-8")


@login_required
def export_job(request, pk):
    """The page of a background export: it refreshes itself (htmx) until the file is ready."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    template = "tdkt/export_job.html#status" if request.htmx else "tdkt/export_job.html"
    return render(request, template, {"job": job})


@login_required
def my_files(request):
    """ "Tệp của tôi": the user's own exports and documents made in the background, newest first, with their status and
    download links (nobody else's)."""
    jobs = ExportJob.objects.filter(user=request.user).only(
        "id", "key", "fmt", "rows", "status", "filename", "title", "back_url", "created_at", "finished_at").order_by("-created_at")
    return render(request, "tdkt/my_files.html", {"page": paginate(request, jobs)})


@login_required
def export_job_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportJob.Status.DONE)
    return file_response(job.file, job.filename)


# ---------------------------------------------------------------- notifications (issue 13, part "home")

@login_required
@require_safe
def inbox(request):
    """The user's own notifications, newest first, 25 a page."""
    page = paginate(request, notifications.notifications_for(request.user))
    return render(request, "tdkt/inbox.html", {"page": page, "unread": notifications.unread_count(request.user)})


@login_required
@require_POST
def inbox_open(request, pk):
    """Mark one notification read and go to what it is about (only a path of this site)."""
    notification = get_object_or_404(notifications.notifications_for(request.user), pk=pk)
    notifications.notification_mark_read(actor=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None) and link.startswith("/"):
        return redirect(link)
    return redirect("inbox")


@login_required
@require_POST
def inbox_mark_read(request, pk):
    notification = get_object_or_404(notifications.notifications_for(request.user), pk=pk)
    notifications.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_inbox_back(request))


@login_required
@require_POST
def inbox_mark_all_read(request):
    if request.POST.get("confirm") != "1":  # the page's button sends it; an empty POST changes nothing
        return redirect(_inbox_back(request))
    count = notifications.notification_mark_all_read(actor=request.user)
    messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": count})
    return redirect(_inbox_back(request))


def _inbox_back(request):
    page = request.POST.get("page", "")
    return reverse("inbox") + (f"?page={int(page)}" if page.isdigit() else "")


@login_required
def notification_preferences(request):
    """E-mail on or off per kind of notification (the inbox always has them all)."""
    if request.method == "POST":
        if request.POST.get("form") == "preferences":  # the page's form sends it; an empty POST changes nothing
            chosen = set(request.POST.getlist("email")) & set(NotificationKind.values)
            notifications.notification_preferences_save(actor=request.user, email_kinds=chosen)
            messages.success(request, _("Đã lưu tuỳ chọn nhận thư điện tử."))
        return redirect("notification_preferences")
    return render(request, "tdkt/notification_preferences.html",
                  {"preferences": notifications.email_preferences(request.user), "has_email": bool(request.user.email)})


@login_required
@require_safe
def chart_export(request):
    """A home-page chart's numbers as Excel (``?bieu-do=<key>``; the same builder as the page: the same numbers)."""
    chart = chart_for(request.GET.get("bieu-do", ""), request.user)
    if chart is None:
        raise Http404
    return export_response(ChartExporter(chart), "xlsx")
