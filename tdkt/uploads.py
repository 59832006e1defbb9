"""Uploaded files, checked once for every upload field of every app.

A document (campaign papers, cluster pacts, dossier attachments) must be a real PDF, DOCX, XLSX,
PNG or JPEG: the extension is allowed, the file is not empty, within ``TDKT_UPLOAD_MAX_BYTES``,
its first bytes match the extension and a DOCX/XLSX archive holds a Word/Excel document. An Excel
import (:func:`validate_xlsx`) is an ``.xlsx`` within ``TDKT_IMPORT_MAX_BYTES``.

Files live under MEDIA_ROOT (outside the web root) with random names and are served only by
permission-checked views through :func:`file_response`, never under a public URL. Behind nginx
(``TDKT_ACCEL_REDIRECT_PREFIX`` set) the view checks permissions and answers an empty response with an
``X-Accel-Redirect`` header; nginx then sends the file from an ``internal`` location (deploy/nginx/tdkt.conf).
With an object store (``TDKT_MEDIA_STORAGE=s3``) the files are objects of a private bucket and the view answers,
after the same checks, a redirect to a presigned URL valid a short while (``TDKT_S3_URL_EXPIRY_SECONDS``).
"""

import mimetypes
import os
import uuid
import zipfile
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .media import is_local

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office formats (.xls, .doc)

# extension -> (content type, signature of the first bytes, label)
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-", "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "DOCX"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "XLSX"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", "PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", "JPG"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", "JPEG"),
}
# The folder an Office archive must hold to be that kind of document.
ARCHIVE_MARKER = {".docx": "word/", ".xlsx": "xl/"}


def document_max_bytes():
    return getattr(settings, "TDKT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def import_max_bytes():
    """An uploaded .xlsx list at most this big. It was 1 MB for 2,000 rows; a list now holds up to 5,000 (issue 9).
    Measured, 5,000 rows with distinct summaries of 1,000, 2,000 and 3,000 characters make 0.7, 1.3 and 1.8 MB
    (``tests/nominations/test_import.py``): 3 MB admits them; what a small file may unpack to is bounded apart
    (``TDKT_IMPORT_MAX_UNPACKED_BYTES``)."""
    return getattr(settings, "TDKT_IMPORT_MAX_BYTES", 3 * 1024 * 1024)


def fmt_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def _head(upload, length=8):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _archive_holds(upload, marker):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
    return any(name.startswith(marker) for name in names)


def upload_name(upload):
    return os.path.basename(upload.name or "")


def check_size(upload, max_bytes):
    name = upload_name(upload)
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="file_empty")
    if upload.size > max_bytes:
        raise ValidationError(_("Tệp “%(name)s” quá lớn (%(size)s); tối đa %(max)s.") % {
            "name": name, "size": fmt_size(upload.size), "max": fmt_size(max_bytes)}, code="file_size")


def validate_upload(upload):
    """Refuse anything but a real PDF, DOCX, XLSX, PNG or JPEG within the size limit; returns the extension."""
    if upload is None:
        return None
    name = upload_name(upload)
    ext = os.path.splitext(name)[1].lower()
    if ext not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG).")
            % {"name": name}, code="file_type")
    check_size(upload, document_max_bytes())
    _content_type, signature, label = DOCUMENT_TYPES[ext]
    ok = _head(upload).startswith(signature)
    if ok and ext in ARCHIVE_MARKER:
        ok = _archive_holds(upload, ARCHIVE_MARKER[ext])
    if not ok:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng định dạng %(label)s (tệp hỏng hoặc bị đổi đuôi).")
            % {"name": name, "label": label}, code="file_content")
    return ext


def validate_xlsx(upload):
    """An Excel import: .xlsx only (old .xls renamed or other files are refused with a clear message)."""
    check_size(upload, import_max_bytes())
    name = upload_name(upload)
    head = _head(upload)
    if head.startswith(OLE):
        raise ValidationError(_("Tệp “%(name)s” là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dưới dạng "
                                "“Excel Workbook (.xlsx)” rồi tải lên lại.") % {"name": name})
    if not head.startswith(ZIP) or os.path.splitext(name)[1].lower() != ".xlsx":
        raise ValidationError(_("Tệp “%(name)s” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu tải từ trang này.")
                              % {"name": name})


def storage_name(folder, filename):
    """A random stored name keeping only the (lower-case) extension of the original."""
    ext = os.path.splitext(filename or "")[1].lower()
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def original_name(upload):
    return upload_name(upload)[:255]


def file_response(field_file, download_name):
    """Send a stored file as an attachment (permission checks are the caller's job): streamed by Django, or
    handed to nginx with ``X-Accel-Redirect`` when ``TDKT_ACCEL_REDIRECT_PREFIX`` is set."""
    if not field_file:
        raise Http404
    ext = os.path.splitext(field_file.name)[1].lower()
    known = DOCUMENT_TYPES.get(ext)
    content_type = (known[0] if known else None) or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    filename = download_name or os.path.basename(field_file.name)
    if not is_local(field_file.storage):
        return _presigned_redirect(field_file, filename, content_type)
    prefix = getattr(settings, "TDKT_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        if not field_file.storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_redirect_path(prefix, field_file.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def _presigned_redirect(field_file, filename, content_type):
    """An object store (``TDKT_MEDIA_STORAGE=s3``): after the caller's permission check, a redirect to a presigned URL
    of the private bucket, valid ``TDKT_S3_URL_EXPIRY_SECONDS``, whose answer carries the download name and type. The
    URL is a credential for that while: the redirect is never cached."""
    storage, name = field_file.storage, field_file.name
    if not storage.exists(name):
        raise Http404
    url = storage.url(name, parameters={
        "ResponseContentDisposition": content_disposition_header(as_attachment=True, filename=filename),
        "ResponseContentType": content_type,
    })
    response = HttpResponseRedirect(url)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


def accel_redirect_path(prefix, name):
    """``/<prefix>/<stored name>``, percent-encoded; a stored name never climbs out of MEDIA_ROOT."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise Http404
    return "/" + prefix.strip("/") + "/" + quote("/".join(parts), safe="/")


# Signature and seal images (issue 12): small transparent PNGs printed over a signed document.
IMAGE_MAX_BYTES = 1024 * 1024


def validate_transparent_png(upload, max_bytes=IMAGE_MAX_BYTES):
    """A PNG with an alpha channel (or a transparent palette colour), within ``max_bytes``: a signature or seal image
    printed over the text. Refuses a JPEG, a renamed file or a PNG without transparency with a clear message."""
    from PIL import Image, UnidentifiedImageError  # Pillow: only this check and the signing read images

    name = upload_name(upload)
    check_size(upload, max_bytes)
    if os.path.splitext(name)[1].lower() != ".png" or not _head(upload).startswith(DOCUMENT_TYPES[".png"][1]):
        raise ValidationError(_("Tệp “%(name)s” không phải ảnh PNG. Ảnh chữ ký và con dấu phải là PNG nền trong suốt.")
                              % {"name": name}, code="image_type")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode in ("P", "RGB", "L")
                                                                 and "transparency" in image.info)
            if transparent and image.mode in ("RGBA", "LA"):
                transparent = image.getchannel("A").getextrema()[0] < 255  # some pixel really is see-through
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Ảnh “%(name)s” bị hỏng, không đọc được.") % {"name": name}, code="image_broken") from exc
    finally:
        upload.seek(0)
    if not transparent:
        raise ValidationError(_("Ảnh “%(name)s” không có nền trong suốt (kênh alpha). Hãy xuất lại ảnh PNG với nền "
                                "trong suốt để chữ ký, con dấu không che chữ của văn bản.") % {"name": name},
                              code="image_opaque")
    return ".png"
