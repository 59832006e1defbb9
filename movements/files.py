"""Uploaded documents (campaign papers, cluster pacts): type and size checks, storage names, download.

Files live under MEDIA_ROOT (outside the web root) with random names and are served only
by permission-checked views through :func:`file_response`, never under a public URL.
"""

import mimetypes
import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# extension -> (content type, check of the first bytes)
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ZIP_MARKER = {".docx": "word/", ".xlsx": "xl/"}


def max_upload_bytes():
    return getattr(settings, "TDKT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def _looks_like(ext, upload):
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext in ZIP_MARKER:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return any(name.startswith(ZIP_MARKER[ext]) for name in names)
    return False


def validate_upload(upload):
    """Refuse anything but a real PDF, DOCX, XLSX, PNG or JPEG within the size limit."""
    if upload is None:
        return
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận PDF, DOCX, XLSX hoặc ảnh (PNG, JPG).") % {"name": name},
            code="file_type")
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB): dung lượng tối đa là %(limit)s MB.")
            % {"name": name, "size": f"{upload.size / 1048576:.1f}".replace(".", ","), "limit": limit // 1048576},
            code="file_size")
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="file_empty")
    if not _looks_like(ext, upload):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng định dạng %(ext)s (tệp hỏng hoặc bị đổi đuôi).")
            % {"name": name, "ext": ext[1:].upper()},
            code="file_content")


def storage_name(folder, filename):
    """A random stored name keeping only the (lower-case) extension of the original."""
    ext = os.path.splitext(filename or "")[1].lower()
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def original_name(upload):
    return os.path.basename(upload.name or "")[:255]


def file_response(field_file, download_name):
    """Stream a stored file as an attachment (permission checks are the caller's job)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = os.path.splitext(field_file.name)[1].lower()
    content_type = ALLOWED.get(ext) or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=download_name or os.path.basename(field_file.name),
                        content_type=content_type)
