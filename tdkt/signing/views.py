"""The verification page "Kiểm tra chữ ký số" (``/kiem-tra-chu-ky/``): any logged-in user uploads a PDF and sees each
signature (signer, certificate issuer, time, intact or not, trusted or not against ``TDKT_SIGN_TRUST_ROOTS``, and
whether the document was changed after signing). An app shows a stored document's report with
:func:`render_stored_report` (its own view checks who may read the document)."""

import os

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..uploads import check_size, upload_name
from .keys import SigningError, trust_roots
from .pdf import VerificationError, verify_pdf

TEMPLATE = "tdkt/verify_signatures.html"


def verify_max_bytes():
    return getattr(settings, "TDKT_SIGN_VERIFY_MAX_BYTES", 20 * 1024 * 1024)


class VerifyForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF đã ký số"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload, verify_max_bytes())
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if os.path.splitext(upload_name(upload))[1].lower() != ".pdf" or head != b"%PDF-":
            raise ValidationError(_("Tệp “%(name)s” không phải PDF. Chỉ kiểm tra được chữ ký số trên tệp PDF.")
                                  % {"name": upload_name(upload)})
        return upload


def report_context(pdf_bytes, name):
    """What the report shows for one document: its name, the signatures, or why none could be read."""
    try:
        roots = trust_roots()
    except SigningError as exc:
        return {"document_name": name, "reports": None, "error": str(exc)}
    try:
        reports = verify_pdf(pdf_bytes, trust_roots=roots)
    except VerificationError as exc:
        return {"document_name": name, "reports": None, "error": str(exc)}
    return {"document_name": name, "reports": reports, "error": "", "roots_configured": bool(roots),
            "all_valid": bool(reports) and all(r.valid for r in reports)}


def render_report(request, pdf_bytes, *, name, back_url=""):
    """The verification page showing a stored document's report (the caller has checked the permissions)."""
    return render(request, TEMPLATE, {"form": VerifyForm(), "back_url": back_url, "stored": True,
                                      **report_context(pdf_bytes, name)})


def render_stored_report(request, field_file, *, name, back_url=""):
    """The report of a stored signed file (a file field: a decision's, a tờ trình's, the minutes'); 404 while there is
    none (not signed yet). The caller has checked the permissions."""
    if not field_file:
        raise Http404
    with field_file.open("rb") as handle:
        content = handle.read()
    return render_report(request, content, name=name, back_url=back_url)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        context.update(report_context(upload.read(), upload_name(upload)))
    return render(request, TEMPLATE, context)
