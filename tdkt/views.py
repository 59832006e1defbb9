import logging

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .audit import audit_rows
from .hooks import agency, home_context
from .models import ExportJob
from .uploads import file_response

logger = logging.getLogger(__name__)


@login_required
def home(request):
    context = {"agency": agency(), **home_context(request.user)}
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
def export_job_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportJob.Status.DONE)
    return file_response(job.file, job.filename)
