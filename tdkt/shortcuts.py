"""Small helpers every app's views share."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator


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
