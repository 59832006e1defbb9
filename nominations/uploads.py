"""Checks of uploaded files: type by extension *and* by content signature, and size."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office formats (.xls, .doc)

# extension → (content signatures, label)
DOCUMENT_TYPES = {
    ".pdf": ((b"%PDF-",), "PDF"),
    ".docx": ((ZIP,), "Word (.docx)"),
    ".xlsx": ((ZIP,), "Excel (.xlsx)"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "PNG"),
    ".jpg": ((b"\xff\xd8\xff",), "JPEG"),
    ".jpeg": ((b"\xff\xd8\xff",), "JPEG"),
}


def document_max_bytes():
    return getattr(settings, "TDKT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)


def import_max_bytes():
    return getattr(settings, "TDKT_IMPORT_MAX_BYTES", 1024 * 1024)


def fmt_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def _head(uploaded, length=8):
    uploaded.seek(0)
    head = uploaded.read(length)
    uploaded.seek(0)
    return head


def check_size(uploaded, max_bytes):
    if uploaded.size > max_bytes:
        raise ValidationError(_("Tệp “%(name)s” quá lớn (%(size)s); tối đa %(max)s.") % {
            "name": uploaded.name, "size": fmt_size(uploaded.size), "max": fmt_size(max_bytes)})
    if uploaded.size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": uploaded.name})


def validate_document(uploaded):
    """A dossier attachment: PDF, DOCX, XLSX or an image, within the size limit."""
    check_size(uploaded, document_max_bytes())
    ext = os.path.splitext(uploaded.name)[1].lower()
    if ext not in DOCUMENT_TYPES:
        raise ValidationError(_("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG); tệp “%(name)s” không được nhận.")
                              % {"name": uploaded.name})
    signatures, label = DOCUMENT_TYPES[ext]
    head = _head(uploaded)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(_("Nội dung tệp “%(name)s” không phải %(label)s đúng như phần mở rộng của tên tệp.")
                              % {"name": uploaded.name, "label": label})
    return ext


def validate_xlsx(uploaded):
    """An Excel import: .xlsx only (old .xls renamed or other files are refused with a clear message)."""
    check_size(uploaded, import_max_bytes())
    head = _head(uploaded)
    if head.startswith(OLE):
        raise ValidationError(_("Tệp “%(name)s” là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dưới dạng "
                                "“Excel Workbook (.xlsx)” rồi tải lên lại.") % {"name": uploaded.name})
    if not head.startswith(ZIP) or os.path.splitext(uploaded.name)[1].lower() != ".xlsx":
        raise ValidationError(_("Tệp “%(name)s” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu tải từ trang này.")
                              % {"name": uploaded.name})
