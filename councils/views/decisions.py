"""Decisions and tờ trình (the office): drafts from a meeting's passed items or an ad hoc round, editing a draft,
issuing, revoking or replacing with a reason, the files (PDF, Word, Excel annex), and the province's decision on a tờ
trình. Thin: every read is a selector, every write a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from movements.api import agency_profile
from nominations.api import AwardRecord, AwardType, NominationRound, certificates_for
from tdkt import numbering
from tdkt.documents import DOCX_MIME, render_certificates
from tdkt.exports import PDF_MIME, export_response
from tdkt.shortcuts import apply_service_errors, document_view, export_view, require_perm
from tdkt.signing.views import render_stored_report
from tdkt.uploads import file_response

from .. import documents, selectors, services
from ..enums import DecisionState, MeetingState, ProposalState, SignatureState
from ..exports import DecisionAnnexExporter
from ..forms import DecisionDateForm, DecisionForm, ProposalForm, ProvinceDecisionForm, ReasonForm, RoundDecisionForm
from ..models import DecisionLine
from ..workflows import SIGNING_WORKFLOWS
from .common import meeting_or_404, refusal

PERM = "councils.manage_decision"
PAGE_SIZE = 25


def decision_or_404(request, pk):
    require_perm(request.user, PERM)
    return get_object_or_404(selectors.decisions_visible_to(request.user), pk=pk)


def proposal_or_404(request, pk):
    require_perm(request.user, PERM)
    return get_object_or_404(selectors.proposals_visible_to(request.user), pk=pk)


def _attachment(content, mime, filename):
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def decision_list(request):
    require_perm(request.user, PERM)
    state = request.GET.get("state", "")
    decisions = selectors.decisions_visible_to(request.user)
    if state in DecisionState.values:
        decisions = decisions.filter(state=state)
    page = Paginator(decisions.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = selectors.proposals_visible_to(request.user).order_by("-date", "-pk")[:50]
    return render(request, "councils/decisions/list.html", {
        "page": page, "state": state, "states": DecisionState.choices, "proposals": proposals})


@login_required
@require_http_methods(["GET", "POST"])
def decisions_from_meeting(request, pk):
    """Draft the decisions (within the director's authority) and the tờ trình (above it) of a closed meeting."""
    require_perm(request.user, PERM)
    meeting = meeting_or_404(request, pk)
    if meeting.state != MeetingState.CLOSED:
        raise Http404
    waiting = services.passed_at_meeting(meeting)
    own = [n for n in waiting if not n.award.needs_province_submission]
    above = [n for n in waiting if n.award.needs_province_submission]
    form = DecisionDateForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decisions = (services.decisions_create_from_meeting(actor=request.user, meeting=meeting, date=form.cleaned_data["date"])
                         if own else [])
            proposals = (services.proposals_create_from_meeting(actor=request.user, meeting=meeting, date=form.cleaned_data["date"])
                         if above else [])
            if not decisions and not proposals:
                raise ValidationError(_("Không còn đề nghị nào được Hội đồng thông qua chờ quyết định hoặc tờ trình."))
            messages.success(request, _("Đã lập %(d)s dự thảo quyết định và %(p)s dự thảo tờ trình.") % {
                "d": len(decisions), "p": len(proposals)})
            if len(decisions) == 1 and not proposals:
                return redirect("councils:decision_detail", pk=decisions[0].pk)
            return redirect("councils:decision_list")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/decisions/create.html", {
        "form": form, "meeting": meeting, "own": own, "above": above,
        "back": reverse("councils:meeting_summary", args=[meeting.pk])})


@login_required
@require_http_methods(["GET", "POST"])
def decisions_from_round(request):
    """Draft decisions for the forms the director grants without the council in an ad hoc round."""
    require_perm(request.user, PERM)
    rounds = NominationRound.objects.filter(kind__in=services.DIRECT_GRANT_KINDS).order_by("-year", "-pk")
    form = RoundDecisionForm(request.POST or None, rounds=rounds, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decisions = services.decisions_create_from_round(actor=request.user, nomination_round=form.cleaned_data["nomination_round"],
                                                             date=form.cleaned_data["date"])
            messages.success(request, _("Đã lập %(d)s dự thảo quyết định.") % {"d": len(decisions)})
            return redirect("councils:decision_detail", pk=decisions[0].pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Lập quyết định khen thưởng không qua Hội đồng (%(kind)s)") % {"kind": AwardType.AD_HOC.label},
        "back": reverse("councils:decision_list")})


@login_required
def decision_detail(request, pk):
    decision = decision_or_404(request, pk)
    lines = services.decision_lines(decision)
    agency = agency_profile()
    preview = (numbering.number_preview(issuer_code=agency.doc_code, kind=numbering.DECISION, year=decision.date.year)
               if decision.is_draft and agency and agency.doc_code else "")
    urls = {SignatureState.SIGNED: reverse("councils:decision_sign", args=[pk]),
            SignatureState.SEALED: reverse("councils:decision_seal", args=[pk])}
    return render(request, "councils/decisions/detail.html", {
        "d": decision, "lines": lines, "total": documents.decision_total(lines), "preview": preview,
        "signing_moves": signing_moves(request.user, decision, urls) if decision.is_issued else []})


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    decision = decision_or_404(request, pk)
    if not decision.is_draft:
        messages.error(request, _("%(d)s đã ban hành: không sửa được; chỉ thu hồi hoặc thay thế.") % {"d": decision})
        return redirect("councils:decision_detail", pk=pk)
    initial = {name: getattr(decision, name) for name in services.decisions.EDITABLE_FIELDS}
    initial["bases"], initial["recipients"] = "\n".join(decision.bases), "\n".join(decision.recipients)
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(actor=request.user, decision=decision, **form.service_kwargs())
            messages.success(request, _("Đã lưu dự thảo quyết định."))
            return redirect("councils:decision_detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {"form": form, "title": _("Sửa dự thảo quyết định"),
                                                   "back": reverse("councils:decision_detail", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def decision_issue(request, pk):
    decision = decision_or_404(request, pk)
    back = reverse("councils:decision_detail", args=[pk])
    if request.method == "POST":
        try:
            decision = services.decision_issue(actor=request.user, decision=decision)
            messages.success(request, _("Đã ban hành Quyết định số %(n)s: các đề nghị chuyển sang “Có quyết định”.") % {
                "n": decision.number})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    lines = services.decision_lines(decision)
    return render(request, "councils/confirm.html", {
        "title": _("Ban hành quyết định “%(s)s”?") % {"s": decision.subject}, "back": back,
        "intro": _("Quyết định được cấp số trong sổ của năm %(y)s, %(n)s đề nghị chuyển sang “Có quyết định” và được ghi vào "
                   "lịch sử khen thưởng. Sau khi ban hành không sửa được nữa, chỉ thu hồi hoặc thay thế có lý do.") % {
            "y": decision.date.year, "n": len(lines)}})


def _end_view(request, pk, *, service, title, done):
    decision = decision_or_404(request, pk)
    back = reverse("councils:decision_detail", args=[pk])
    if not decision.is_issued:
        messages.error(request, _("Chỉ thu hồi, thay thế được quyết định đã ban hành."))
        return redirect(back)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(actor=request.user, decision=decision, reason=form.cleaned_data["reason"])
            messages.success(request, done)
            return redirect("councils:decision_detail", pk=result.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/confirm.html", {
        "form": form, "danger": True, "back": back, "title": title % {"d": decision},
        "intro": _("Các khen thưởng do quyết định này tạo ra bị xoá khỏi lịch sử khen thưởng; các đề nghị trở lại chờ quyết "
                   "định. Quyết định và lý do được lưu lại.")})


@login_required
@require_http_methods(["GET", "POST"])
def decision_revoke(request, pk):
    return _end_view(request, pk, service=services.decision_revoke, title=_("Thu hồi %(d)s?"), done=_("Đã thu hồi quyết định."))


@login_required
@require_http_methods(["GET", "POST"])
def decision_replace(request, pk):
    return _end_view(request, pk, service=services.decision_replace, title=_("Thay thế %(d)s?"),
                     done=_("Đã lập dự thảo quyết định thay thế: sửa rồi ban hành."))


@login_required
@require_http_methods(["GET", "POST"])
def decision_delete(request, pk):
    decision = decision_or_404(request, pk)
    back = reverse("councils:decision_detail", args=[pk])
    if request.method == "POST":
        try:
            services.decision_delete(actor=request.user, decision=decision)
            messages.success(request, _("Đã xoá dự thảo quyết định."))
            return redirect("councils:decision_list")
        except ValidationError as exc:
            refusal(request, exc)
            return redirect(back)
    return render(request, "councils/confirm.html", {"title": _("Xoá dự thảo “%(s)s”?") % {"s": decision.subject}, "back": back,
                                                      "danger": True})


@login_required
@require_http_methods(["GET", "POST"])
def decision_line_remove(request, pk):
    require_perm(request.user, PERM)
    line = get_object_or_404(DecisionLine.objects.select_related("decision", "nomination").filter(
        decision__in=selectors.decisions_visible_to(request.user).values("pk")), pk=pk)
    back = reverse("councils:decision_detail", args=[line.decision_id])
    if request.method == "POST":
        try:
            services.decision_line_remove(actor=request.user, line=line)
            messages.success(request, _("Đã bỏ “%(n)s” khỏi danh sách.") % {"n": line.nomination})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    return render(request, "councils/confirm.html", {"title": _("Bỏ “%(n)s” khỏi danh sách?") % {"n": line.nomination},
                                                      "back": back, "danger": True})


@login_required
def decision_file(request, pk, fmt):
    """The decision as PDF (the stored file once issued), Word (.docx) or its annexed list in Excel."""
    decision = decision_or_404(request, pk)
    if fmt == "pdf":
        if decision.pdf_signed:  # issue 12: the signed file replaces the unsigned one for download
            return file_response(decision.pdf_signed, documents.decision_filename(decision, "pdf"))
        if decision.pdf_unsigned:
            return file_response(decision.pdf_unsigned, documents.decision_filename(decision, "pdf"))
    if fmt in ("pdf", "docx"):  # at once, or for a long annex a background job (its page, "Tệp của tôi")
        return document_view(request, documents.DECISION_DOCUMENT, fmt, params={"decision": str(decision.pk)},
                             filename=documents.decision_filename(decision, fmt).removesuffix(f".{fmt}"),
                             title=_("Quyết định %(n)s (%(fmt)s)") % {"n": decision.number or _("(dự thảo)"),
                                                                     "fmt": "PDF" if fmt == "pdf" else "Word"},
                             back_url=reverse("councils:decision_detail", args=[decision.pk]))
    if fmt == "xlsx":
        return export_response(DecisionAnnexExporter(decision), "xlsx")
    raise Http404


# ---------------------------------------------------------------- tờ trình

@login_required
def proposal_detail(request, pk):
    proposal = proposal_or_404(request, pk)
    lines = services.proposal_lines(proposal)
    urls = {SignatureState.SIGNED: reverse("councils:proposal_sign", args=[pk]),
            SignatureState.SEALED: reverse("councils:proposal_seal", args=[pk])}
    return render(request, "councils/decisions/proposal_detail.html", {
        "p": proposal, "lines": lines,
        "signing_moves": signing_moves(request.user, proposal, urls) if proposal.state != ProposalState.DRAFT else []})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = proposal_or_404(request, pk)
    if proposal.state != ProposalState.DRAFT:
        messages.error(request, _("%(p)s đã trình: không sửa được.") % {"p": proposal})
        return redirect("councils:proposal_detail", pk=pk)
    initial = {name: getattr(proposal, name) for name in services.decisions.PROPOSAL_EDITABLE}
    initial["recipients"] = "\n".join(proposal.recipients)
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(actor=request.user, proposal=proposal, **form.service_kwargs())
            messages.success(request, _("Đã lưu dự thảo tờ trình."))
            return redirect("councils:proposal_detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {"form": form, "title": _("Sửa dự thảo tờ trình"),
                                                   "back": reverse("councils:proposal_detail", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_send(request, pk):
    proposal = proposal_or_404(request, pk)
    back = reverse("councils:proposal_detail", args=[pk])
    if request.method == "POST":
        try:
            proposal = services.proposal_send(actor=request.user, proposal=proposal)
            messages.success(request, _("Đã cấp số %(n)s: tờ trình đã trình UBND tỉnh.") % {"n": proposal.number})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    return render(request, "councils/confirm.html", {
        "title": _("Trình UBND tỉnh “%(s)s”?") % {"s": proposal.subject}, "back": back,
        "intro": _("Tờ trình được cấp số trong sổ tờ trình của năm %(y)s và không sửa được nữa.") % {"y": proposal.date.year}})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_record(request, pk):
    """The province's decision on a sent tờ trình, once for its list."""
    proposal = proposal_or_404(request, pk)
    back = reverse("councils:proposal_detail", args=[pk])
    if proposal.state != ProposalState.SENT:
        messages.error(request, _("Chỉ ghi quyết định của tỉnh cho tờ trình đã trình và chưa có quyết định."))
        return redirect(back)
    lines = services.proposal_lines(proposal)
    form = ProvinceDecisionForm(request.POST or None, request.FILES or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_record_decision(actor=request.user, proposal=proposal, issuer=data["issuer"], number=data["number"],
                                              date=data["date"], upload=data["upload"], passed_line_ids=data["passed"])
            messages.success(request, _("Đã ghi quyết định của tỉnh: các đề nghị được khen thưởng chuyển sang “Có quyết định”."))
            return redirect(back)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {"form": form, "title": _("Ghi quyết định của UBND tỉnh"), "back": back,
                                                   "multipart": True})


@login_required
def proposal_file(request, pk, fmt):
    """The tờ trình as PDF or Word; ``scan``: the province's scanned decision."""
    proposal = proposal_or_404(request, pk)
    lines = services.proposal_lines(proposal)
    if fmt == "pdf":
        if proposal.pdf_signed:  # issue 12: the signed file replaces the unsigned one for download
            return file_response(proposal.pdf_signed, documents.proposal_filename(proposal, "pdf"))
        return _attachment(documents.proposal_pdf(proposal, lines=lines), PDF_MIME, documents.proposal_filename(proposal, "pdf"))
    if fmt == "docx":
        return _attachment(documents.proposal_docx(proposal, lines=lines), DOCX_MIME, documents.proposal_filename(proposal, "docx"))
    if fmt == "unsigned" and proposal.pdf_unsigned:  # the stored PDF as it was before the signatures
        return file_response(proposal.pdf_unsigned, documents.proposal_filename(proposal, "pdf").replace(".pdf", "-chua-ky.pdf"))
    if fmt == "scan" and proposal.province_file:
        return file_response(proposal.province_file, proposal.province_file_name or None)
    raise Http404


# ---------------------------------------------------------------- giấy khen of an issued decision's lines (part: docs)

@login_required
def decision_certificates(request, pk):
    """The giấy khen of an issued decision's lines (their award records), a page each; ``?khung=0``: fields only, on
    the pre-printed form; ``?khung=1``: on blank paper with the frame; else the agency profile's choice."""
    decision = decision_or_404(request, pk)
    if decision.state != DecisionState.ISSUED:
        raise Http404
    records = list(AwardRecord.objects.filter(nomination__decision_lines__decision=decision)
                   .select_related("person__unit", "unit", "title", "form").order_by("nomination__decision_lines__position", "pk"))
    if not records:
        raise Http404
    certificates, layout = certificates_for(records, frame={"1": True, "0": False}.get(request.GET.get("khung")))
    response = HttpResponse(render_certificates(certificates, layout), content_type=PDF_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"giay-khen-quyet-dinh-{decision.pk}.pdf")
    return response


@login_required
def decision_statistics(request):
    """Statistics of the decisions issued in a year (``?year=``): counts by title and unit, leaders' share, bonus totals
    (XLSX; ``?dinh-dang=pdf``: PDF)."""
    require_perm(request.user, PERM)
    params = {"year": request.GET.get("year", "") or str(timezone.localdate().year)}
    return export_view(request, "councils.decision_statistics", request.GET.get("dinh-dang", "xlsx"), params=params)


# ---------------------------------------------------------------- digital signatures (issue 12)

def signing_step(request, document, *, to_state, back, done):
    """The confirmation page and the POST of one signing step of ``document`` (a decision, a tờ trình, minutes)."""
    workflow = SIGNING_WORKFLOWS[type(document)]
    move = next((m for m in workflow.available(request.user, document) if m.target == to_state), None)
    if move is None:
        if not any(m.target == to_state for m in workflow.moves if m.admits(document.signature_state)):
            messages.error(request, _("%(d)s: bước này không còn làm được (%(state)s).") % {
                "d": document, "state": document.get_signature_state_display()})
            return redirect(back)
        raise PermissionDenied
    service = services.document_sign if to_state == SignatureState.SIGNED else services.document_seal
    if request.method == "POST":
        try:
            service(actor=request.user, document=document)
            messages.success(request, done)
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    return render(request, "councils/confirm.html", {
        "title": _("%(step)s %(d)s?") % {"step": move.label, "d": document}, "back": back,
        "intro": _("Văn bản được ký bằng khóa đã cấu hình trên máy chủ; chữ ký số ghi vào tệp PDF không gỡ ra được. "
                   "Sau khi ký, muốn thay đổi nội dung phải ban hành văn bản thay thế.")})


def signing_moves(user, document, urls):
    """(label, url) of the signing steps ``user`` may take on ``document`` now; ``urls``: target state → URL."""
    return [(move.label, urls[move.target]) for move in SIGNING_WORKFLOWS[type(document)].available(user, document)]


@login_required
@require_http_methods(["GET", "POST"])
def decision_sign(request, pk):
    decision = decision_or_404(request, pk)
    return signing_step(request, decision, to_state=SignatureState.SIGNED, back=reverse("councils:decision_detail", args=[pk]),
                        done=_("Đã ký số Quyết định số %(n)s; văn thư đóng dấu số tiếp theo.") % {"n": decision.number})


@login_required
@require_http_methods(["GET", "POST"])
def decision_seal(request, pk):
    decision = decision_or_404(request, pk)
    return signing_step(request, decision, to_state=SignatureState.SEALED, back=reverse("councils:decision_detail", args=[pk]),
                        done=_("Đã đóng dấu số Quyết định số %(n)s.") % {"n": decision.number})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_sign(request, pk):
    proposal = proposal_or_404(request, pk)
    return signing_step(request, proposal, to_state=SignatureState.SIGNED, back=reverse("councils:proposal_detail", args=[pk]),
                        done=_("Đã ký số Tờ trình số %(n)s; văn thư đóng dấu số tiếp theo.") % {"n": proposal.number})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_seal(request, pk):
    proposal = proposal_or_404(request, pk)
    return signing_step(request, proposal, to_state=SignatureState.SEALED, back=reverse("councils:proposal_detail", args=[pk]),
                        done=_("Đã đóng dấu số Tờ trình số %(n)s.") % {"n": proposal.number})


@login_required
def decision_unsigned_pdf(request, pk):
    """The issued PDF as it was before any signature (kept in the record)."""
    decision = decision_or_404(request, pk)
    if not decision.pdf_unsigned:
        raise Http404
    return file_response(decision.pdf_unsigned, documents.decision_filename(decision, "pdf").replace(".pdf", "-chua-ky.pdf"))


@login_required
def decision_verify(request, pk):
    """The verification page for the stored signed file of the decision."""
    decision = decision_or_404(request, pk)
    return render_stored_report(request, decision.pdf_signed, name=documents.decision_filename(decision, "pdf"),
                                back_url=reverse("councils:decision_detail", args=[pk]))


@login_required
def proposal_verify(request, pk):
    """The verification page for the stored signed file of the tờ trình."""
    proposal = proposal_or_404(request, pk)
    return render_stored_report(request, proposal.pdf_signed, name=documents.proposal_filename(proposal, "pdf"),
                                back_url=reverse("councils:proposal_detail", args=[pk]))
