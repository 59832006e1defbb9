"""The meeting summary: per item the counts, percentage, outcome, recusals (an open vote's choices), with the attendance;
its Excel and PDF export through the exporter (``councils.exports``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tdkt.shortcuts import export_view, require_perm

from .. import selectors
from .common import meeting_or_404

#: The export of the summary, registered in ``councils/exports.py``.
SUMMARY_EXPORT = "councils.meeting_summary"


@login_required
def meeting_summary(request, pk):
    meeting = meeting_or_404(request, pk)
    summary = selectors.meeting_summary(meeting)
    groups = selectors.agenda_groups(summary.items)
    return render(request, "councils/summary.html", {"meeting": meeting, "summary": summary, "groups": groups})


@login_required
def summary_export(request, pk):
    """XLSX by default, PDF with ``?dinh-dang=pdf``."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.export_summary", meeting)
    params = request.GET.copy()
    fmt = params.pop("dinh-dang", ["xlsx"])[-1]
    params["meeting"] = str(meeting.pk)
    return export_view(request, SUMMARY_EXPORT, fmt, params=params)
