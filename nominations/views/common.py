"""Helpers shared by the views of the nominations app."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from tdkt.shortcuts import export_view, require_perm

from .. import selectors
from ..models import UnitSubmission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def round_and_unit(request, pk, unit_pk):
    nomination_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    unit = get_object_or_404(selectors.units_for_submission(request.user), pk=unit_pk)
    require_perm(request.user, "nominations.view_submission", unit)
    submission = UnitSubmission.objects.filter(round=nomination_round, unit=unit).first()
    return nomination_round, unit, submission


def nomination_or_404(request, pk):
    nomination = get_object_or_404(selectors.nominations_visible_to(request.user), pk=pk)
    require_perm(request.user, "nominations.view_nomination", nomination)
    return nomination


def export(request, key):
    """XLSX by default, PDF with ?dinh-dang=pdf; large lists go to the task worker."""
    params = request.GET.copy()
    fmt = params.pop("dinh-dang", ["xlsx"])[-1]
    return export_view(request, key, fmt, params=params)


def xlsx_download(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
