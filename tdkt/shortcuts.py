"""Small helpers every app's views share."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect

from .exports import background_threshold, build_export, export_response
from .hooks import agency
from .services import export_job_create


def require_perm(user, perm, obj=None):
    """403 unless ``user`` has ``perm`` (a django-rules permission), optionally on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def apply_service_errors(form, exc):
    """Put a service's ValidationError onto the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def paginate(request, qs, size=None):
    return Paginator(qs, size or settings.TDKT_PAGE_SIZE).get_page(request.GET.get("page"))


def export_view(request, key, fmt, *, params=None):
    """Answer an export request: the file at once for small lists, else a background job page."""
    fmt = "pdf" if fmt == "pdf" else "xlsx"
    params = (params if params is not None else request.GET).copy()
    exporter = build_export(key, request.user, params)
    count = exporter.count()
    if count is not None and count > background_threshold(fmt):
        job = export_job_create(user=request.user, key=key, fmt=fmt, params=params, rows=count)
        return redirect("export_job", pk=job.pk)
    return export_response(exporter, fmt, agency=agency())
