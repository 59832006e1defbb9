"""Numbers of official documents: one series per issuer, per kind, per calendar year (Nghị định 30/2020, Điều 15).

``number_next(issuer_code="SKHCN", kind="QĐ", year=2026)`` → ``(5, "05/QĐ-SKHCN")``. The number is taken in the
caller's transaction: the series row is locked (``SELECT … FOR UPDATE`` on PostgreSQL) until the caller commits, so
two documents issued at once get consecutive numbers, and a caller that rolls back gives its number back (no gap).
A new year starts a new row, hence a new series from 01. The council's own documents use the council's code
(e.g. ``HĐTĐKT``) as issuer code, so they have their own series.
"""

from django.db import transaction

from .models import DocumentSeries
from .text import nfc

#: Kind codes of the documents the application numbers (ký hiệu loại văn bản, Phụ lục III of Nghị định 30/2020).
DECISION = "QĐ"
SUBMISSION = "TTr"
MINUTES = "BB"


def number_format(number, *, kind, issuer_code):
    """``5, "QĐ", "SKHCN"`` → ``"05/QĐ-SKHCN"`` (zero-padded below 10)."""
    return f"{int(number):02d}/{nfc(kind)}-{nfc(issuer_code)}"


def number_next(*, issuer_code, kind, year):
    """Take the next number of the series; returns ``(number, formatted)``. Call inside the caller's transaction."""
    issuer_code, kind = nfc(issuer_code), nfc(kind)
    with transaction.atomic():
        series, _created = DocumentSeries.objects.select_for_update().get_or_create(
            issuer_code=issuer_code, kind=kind, year=int(year))
        series.last_number += 1
        series.save(update_fields=["last_number"])
    return series.last_number, number_format(series.last_number, kind=kind, issuer_code=issuer_code)


def number_preview(*, issuer_code, kind, year):
    """The number the next document would get (shown on a form; not reserved)."""
    last = (DocumentSeries.objects.filter(issuer_code=nfc(issuer_code), kind=nfc(kind), year=int(year))
            .values_list("last_number", flat=True).first()) or 0
    return number_format(last + 1, kind=kind, issuer_code=issuer_code)
