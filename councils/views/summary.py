"""The meeting summary: per item the counts, percentage, outcome, recusals (an open vote's choices), with the attendance;
its Excel and PDF export through the exporter (``councils.exports``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.shortcuts import document_view, export_view, require_perm
from tdkt.signing.views import render_stored_report
from tdkt.uploads import file_response

from .. import minutes, selectors, services
from ..enums import MeetingState, SignatureState
from .common import meeting_or_404, refusal
from .decisions import signing_moves, signing_step

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
        and request.user.has_perm("councils.issue_minutes", meeting),
        "signing_moves": signing_moves(request.user, issued, {
            SignatureState.SIGNED: reverse("councils:minutes_sign", args=[meeting.pk])}) if issued else []})


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

MINUTES_DOCUMENT = "councils.minutes"  # registered in councils/minutes.py


@login_required
def minutes_download(request, pk):
    """The biên bản of a meeting as PDF (``?dinh-dang=docx``: Word); ``?loai=kiem-phieu``: the biên bản kiểm phiếu of its
    secret ballots (404 without one). Before the secretary issues them the number is left blank."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.export_summary", meeting)
    tally = request.GET.get("loai") == "kiem-phieu"
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    if issued is not None and request.GET.get("dinh-dang", "pdf") == "pdf":  # issue 12: the signed files, once signed
        signed = issued.tally_pdf_signed if tally else issued.pdf_signed
        if signed:
            return file_response(signed, f"{(issued.tally_number if tally else issued.number).replace('/', '-')}.pdf")
    params = {"meeting": str(meeting.pk), **({"loai": "kiem-phieu"} if tally else {})}
    name = ("bien-ban-kiem-phieu" if tally else "bien-ban-hop") + f"-{meeting.pk}"
    title = (_("Biên bản kiểm phiếu: %(meeting)s") if tally else _("Biên bản họp: %(meeting)s")) % {"meeting": meeting}
    return document_view(request, MINUTES_DOCUMENT, request.GET.get("dinh-dang", "pdf"), params=params, filename=name,
                         title=title, back_url=reverse("councils:meeting_summary", args=[meeting.pk]))


@login_required
def minutes_verify(request, pk):
    """The verification page for the stored signed minutes (``?loai=kiem-phieu``: the biên bản kiểm phiếu)."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.export_summary", meeting)
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    if issued is None:
        raise Http404
    tally = request.GET.get("loai") == "kiem-phieu"
    return render_stored_report(request, issued.tally_pdf_signed if tally else issued.pdf_signed,
                                name=f"{(issued.tally_number if tally else issued.number).replace('/', '-')}.pdf",
                                back_url=reverse("councils:meeting_summary", args=[meeting.pk]))


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


@login_required
@require_http_methods(["GET", "POST"])
def minutes_sign(request, pk):
    """“Ký số” of issued minutes: the chair's signature (and the agency's on the biên bản kiểm phiếu), issue 12."""
    meeting = meeting_or_404(request, pk)
    issued = getattr(meeting, "minutes", None)  # a reverse one-to-one: None until issued
    if issued is None:
        raise Http404
    return signing_step(request, issued, to_state=SignatureState.SIGNED,
                        back=reverse("councils:meeting_summary", args=[meeting.pk]),
                        done=_("Đã ký số Biên bản số %(n)s.") % {"n": issued.number})
