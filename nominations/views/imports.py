"""Excel imports in two phases (preview, then confirm): a unit's nomination list, past years' awards."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.media import files_under
from tdkt.shortcuts import require_perm

from ..forms import (
    ImportConfirmForm,
    ImportForm,
)
from ..import_jobs import import_job_create
from ..importers import AwardHistoryImporter, NominationImporter
from ..models import ImportJob
from .common import round_and_unit, xlsx_download

SHOWN_ERRORS = 200  # row messages shown on a failed job's page


def _import_folder(user):
    return f"imports/{user.pk}"


def _stash_name(user, token):
    return f"{_import_folder(user)}/{token}.xlsx"


def _drop_pending_imports(request):
    """One pending import per user: a new upload removes the earlier ones (files and session tokens). The files are
    kept in the media storage (a shared folder or the object store): the confirm may reach another app server."""
    for name in files_under(default_storage, _import_folder(request.user)):
        if name.endswith(".xlsx"):
            default_storage.delete(name)
    if request.session.get("imports"):
        request.session["imports"] = {}
        request.session.modified = True


def _stash(request, uploaded, preview):
    """Keep an upload that passed its preview until it is confirmed, with its name, rows and whether it warned."""
    token = uuid.uuid4().hex
    name = _stash_name(request.user, token)
    if default_storage.save(name, File(uploaded, name=name)) != name:  # a random token: never taken
        raise RuntimeError(f"import stash {name} was renamed by the storage")
    request.session.setdefault("imports", {})[token] = {"name": uploaded.name, "rows": len(preview.rows),
                                                        "warnings": bool(preview.warnings)}
    request.session.modified = True
    return token


def _stashed(request, token):
    """``(stored name, {"name", "rows", "warnings"})`` of a pending upload, or ``(None, None)``."""
    name = _stash_name(request.user, token)
    if token not in request.session.get("imports", {}) or not default_storage.exists(name):
        return None, None
    found = request.session["imports"][token]
    if isinstance(found, str):  # stashed before the row count was kept: confirmed within the request
        found = {"name": found, "rows": 0, "warnings": False}
    return name, found


def _forget(request, token, stored):
    default_storage.delete(stored)
    request.session["imports"].pop(token, None)
    request.session.modified = True


def _import_page(request, *, importer, template_url, back, title, save, intro, in_background=None):
    """The upload, preview and confirm page. ``in_background(file, reason, rows)``: queues a list longer than
    ``TDKT_IMPORT_SYNC_MAX_ROWS`` rows for the task worker and returns the job (its page follows)."""
    form = ImportForm(request.POST or None, request.FILES or None) if "token" not in request.POST else ImportForm()
    confirm_form, preview, token = None, None, None
    if request.method == "POST" and "token" in request.POST:
        confirm_form = ImportConfirmForm(request.POST)
        if confirm_form.is_valid():
            token = confirm_form.cleaned_data["token"]
            path, stashed = _stashed(request, token)
            if path is None:
                messages.error(request, _("Phiên nhập đã hết hạn: hãy tải tệp lên lại."))
                return redirect(request.path)
            name, reason = stashed["name"], confirm_form.cleaned_data["override_reason"]
            in_worker = in_background is not None and stashed["rows"] > settings.TDKT_IMPORT_SYNC_MAX_ROWS
            with default_storage.open(path, "rb") as handle:
                try:
                    if in_worker and stashed["warnings"] and not reason:  # refused now, not after the wait
                        raise ValidationError(_("Có cảnh báo: hãy ghi lý do vượt cảnh báo để nhập."))
                    if in_worker:
                        job = in_background(File(handle, name=name), reason, stashed["rows"])
                    else:
                        created = save(File(handle, name=name), reason)
                except ValidationError as exc:
                    handle.seek(0)
                    preview = importer.preview(File(handle, name=name))
                    if preview.ok:
                        confirm_form.add_error(None, exc.messages)
                else:
                    _forget(request, token, path)
                    if in_worker:
                        return redirect("nominations:import_job", pk=job.pk)
                    messages.success(request, _("Đã nhập %(n)s dòng từ “%(name)s”.") % {"n": len(created), "name": name})
                    return redirect(back)
    elif request.method == "POST" and form.is_valid():
        _drop_pending_imports(request)
        uploaded = form.cleaned_data["file"]
        preview = importer.preview(uploaded)
        if preview.ok:
            token = _stash(request, uploaded, preview)
            confirm_form = ImportConfirmForm(initial={"token": token})
    background = in_background is not None and preview is not None and len(preview.rows) > settings.TDKT_IMPORT_SYNC_MAX_ROWS
    return render(request, "nominations/import.html", {
        "form": form, "confirm_form": confirm_form, "preview": preview, "columns": importer.columns, "template_url": template_url,
        "back": back, "title": title, "intro": intro, "background": background})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_import(request, pk, unit_pk):
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    require_perm(request.user, "nominations.add_nomination", unit)
    importer = NominationImporter(nomination_round=nomination_round, unit=unit)
    return _import_page(
        request, importer=importer, template_url=reverse("nominations:nomination_import_template", args=[pk, unit_pk]),
        back=reverse("nominations:submission_detail", args=[pk, unit_pk]),
        title=_("Nhập danh sách đề nghị từ Excel: %(unit)s") % {"unit": unit},
        intro=_("Mỗi dòng được kiểm tra (khớp cá nhân theo họ tên và ngày sinh, danh hiệu, các quy định) trước khi lưu. Chỉ khi mọi "
                "dòng hợp lệ, bấm “Xác nhận nhập” để lưu tất cả cùng lúc."),
        save=lambda f, reason: importer.save(f, actor=request.user, override_reason=reason),
        in_background=lambda f, reason, rows: import_job_create(
            actor=request.user, nomination_round=nomination_round, unit=unit, uploaded=f, rows=rows, override_reason=reason))


@login_required
def import_job(request, pk):
    """The page of a list being saved by the task worker: it refreshes itself (htmx) until the job has its answer.
    Only the user who asked sees it (404 for anybody else)."""
    job = get_object_or_404(ImportJob.objects.select_related("round", "unit"), pk=pk, user=request.user)
    template = "nominations/import_job.html#status" if request.htmx else "nominations/import_job.html"
    return render(request, template, {"job": job, "errors": job.errors[:SHOWN_ERRORS],
                                      "more_errors": max(0, len(job.errors) - SHOWN_ERRORS)})


@login_required
def nomination_import_template(request, pk, unit_pk):
    nomination_round, unit, _submission = round_and_unit(request, pk, unit_pk)
    importer = NominationImporter(nomination_round=nomination_round, unit=unit)
    # the members' names and birth dates only for who writes the unit's list (the council reads the template, not them)
    rows = importer.member_rows() if request.user.has_perm("nominations.add_nomination", unit) else []
    content = importer.template(importer.sample_row(), rows=rows, choices=importer.template_choices())
    return xlsx_download(content, f"mau-de-nghi-{unit.short_code}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def award_import(request):
    require_perm(request.user, "nominations.manage_award")
    importer = AwardHistoryImporter()
    return _import_page(
        request, importer=importer, template_url=reverse("nominations:award_import_template"),
        back=reverse("nominations:award_list"), title=_("Nhập lịch sử khen thưởng các năm trước"),
        intro=_("Để các điều kiện (3 năm liên tục Chiến sĩ thi đua cơ sở…) được kiểm tra ngay từ đầu, hãy nhập khen thưởng các năm "
                "trước. Mọi dòng hợp lệ mới lưu, và lưu cùng lúc."),
        save=lambda f, reason: importer.save(f, actor=request.user))


@login_required
def award_import_template(request):
    require_perm(request.user, "nominations.manage_award")
    importer = AwardHistoryImporter()
    return xlsx_download(importer.template(importer.sample_row()), "mau-lich-su-khen-thuong.xlsx")
