"""The meeting summary: per item the counts, percentage, outcome, recusals (an open vote's choices), with the attendance;
its Excel and PDF export through the exporter (``councils.exports``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.documents import DOCX_MIME, render_docx, render_pdf
from tdkt.exports import PDF_MIME
from tdkt.shortcuts import export_view, require_perm

from .. import minutes, selectors, services
from ..enums import MeetingState
from .common import meeting_or_404, refusal

#: The export of the summary, registered in ``councils/exports.py``.
SUMMARY_EXPORT = "councils.meeting_summary"


@login_required
def meeting_summary(request, pk):
    meeting = meeting_or_404(request, pk)
    summary = selectors.meeting_summary(meeting)
    groups = selectors.agenda_groups(summary.items)
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    return render(request, "councils/summary.html", {
        "meeting": meeting, "summary": summary, "groups": groups, "minutes": issued,
        "has_secret": bool(minutes.secret_results(summary)),
        "may_issue": issued is None and meeting.state == MeetingState.CLOSED
        and request.user.has_perm("councils.issue_minutes", meeting)})


@login_required
def summary_export(request, pk):
    """XLSX by default, PDF with ``?dinh-dang=pdf``."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.export_summary", meeting)
    params = request.GET.copy()
    fmt = params.pop("dinh-dang", ["xlsx"])[-1]
    params["meeting"] = str(meeting.pk)
    return export_view(request, SUMMARY_EXPORT, fmt, params=params)


# ---------------------------------------------------------------- the minutes (biên bản) and the vote count (part: docs, issue 11)

MINUTES_FORMATS = {"pdf": (render_pdf, PDF_MIME), "docx": (render_docx, DOCX_MIME)}


@login_required
def minutes_download(request, pk):
    """The biên bản of a meeting as PDF (``?dinh-dang=docx``: Word); ``?loai=kiem-phieu``: the biên bản kiểm phiếu of its
    secret ballots (404 without one). Before the secretary issues them the number is left blank."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.export_summary", meeting)
    summary = selectors.meeting_summary(meeting)
    tally = request.GET.get("loai") == "kiem-phieu"
    document = minutes.tally_document(summary) if tally else minutes.minutes_document(summary)
    if document is None:
        raise Http404
    fmt = "docx" if request.GET.get("dinh-dang") == "docx" else "pdf"
    render_document, mime = MINUTES_FORMATS[fmt]
    response = HttpResponse(render_document(document), content_type=mime)
    name = ("bien-ban-kiem-phieu" if tally else "bien-ban-hop") + f"-{meeting.pk}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def minutes_issue(request, pk):
    """The secretary (or the office) issues the minutes of a closed meeting: their number is taken (confirmation first)."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.issue_minutes", meeting)
    back = reverse("councils:meeting_summary", args=[meeting.pk])
    if request.method == "POST":
        try:
            issued = services.meeting_minutes_issue(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã ban hành biên bản số %(number)s.") % {"number": issued.number})
        return redirect(back)
    return render(request, "councils/confirm.html", {
        "title": _("Ban hành biên bản phiên họp"), "back": back,
        "intro": _("Biên bản phiên họp “%(meeting)s” sẽ được lấy số trong sổ văn bản của Hội đồng. Số đã lấy không đổi "
                   "được; hãy xem lại bản in thử trước.") % {"meeting": meeting}})
