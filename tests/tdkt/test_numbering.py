"""Document numbers: per issuer, kind and calendar year; taken in the caller's transaction."""

import threading
import time

import pytest
from django.db import connection, transaction

from tdkt import numbering
from tdkt.models import DocumentSeries

pytestmark = pytest.mark.django_db


def test_first_numbers_are_zero_padded_below_ten():
    taken = [numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026) for _ in range(10)]
    assert taken[0] == (1, "01/QĐ-SKHCN")
    assert taken[8] == (9, "09/QĐ-SKHCN")
    assert taken[9] == (10, "10/QĐ-SKHCN")


def test_series_are_separate_per_issuer_kind_and_year():
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026) == (1, "01/QĐ-SKHCN")
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026) == (2, "02/QĐ-SKHCN")
    assert numbering.number_next(issuer_code="SKHCN", kind="TTr", year=2026) == (1, "01/TTr-SKHCN")
    assert numbering.number_next(issuer_code="HĐTĐKT", kind="BB", year=2026) == (1, "01/BB-HĐTĐKT")
    assert numbering.number_next(issuer_code="HĐTĐKT", kind="QĐ", year=2026) == (1, "01/QĐ-HĐTĐKT")
    assert DocumentSeries.objects.count() == 4


def test_year_boundary_restarts_at_01():
    for _ in range(12):
        numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2025)
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2025) == (13, "13/QĐ-SKHCN")
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026) == (1, "01/QĐ-SKHCN")
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2025) == (14, "14/QĐ-SKHCN")


def test_rolled_back_caller_gives_its_number_back():
    numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026)[0] == 2
        raise RuntimeError("the decision failed to issue")
    assert numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026) == (2, "02/QĐ-SKHCN")


def test_nfd_codes_are_stored_nfc():
    import unicodedata  # noqa: PLC0415  (only this test builds NFD input)

    nfd = unicodedata.normalize("NFD", "HĐTĐKT")
    assert numbering.number_next(issuer_code=nfd, kind=unicodedata.normalize("NFD", "QĐ"), year=2026) == (1, "01/QĐ-HĐTĐKT")
    assert numbering.number_next(issuer_code="HĐTĐKT", kind="QĐ", year=2026)[0] == 2


def test_preview_shows_the_next_number_without_taking_it():
    assert numbering.number_preview(issuer_code="SKHCN", kind="QĐ", year=2026) == "01/QĐ-SKHCN"
    numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026)
    assert numbering.number_preview(issuer_code="SKHCN", kind="QĐ", year=2026) == "02/QĐ-SKHCN"
    assert numbering.number_preview(issuer_code="SKHCN", kind="QĐ", year=2026) == "02/QĐ-SKHCN"


def test_number_format():
    assert numbering.number_format(7, kind="TTr", issuer_code="SKHCN") == "07/TTr-SKHCN"
    assert numbering.number_format(123, kind="QĐ", issuer_code="SKHCN") == "123/QĐ-SKHCN"


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite bỏ qua select_for_update nên không kiểm chứng được khoá "
                    "(chạy với DATABASE_URL=postgres://…).")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["new-series", "existing-series"])
def test_two_documents_issued_at_once_get_consecutive_numbers(postgresql_only, existing):
    if existing:
        DocumentSeries.objects.create(issuer_code="SKHCN", kind="QĐ", year=2026, last_number=4)
    barrier = threading.Barrier(2)
    taken, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                taken.append(numbering.number_next(issuer_code="SKHCN", kind="QĐ", year=2026))
                time.sleep(0.3)  # hold the lock while the other thread waits for it
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    start = 5 if existing else 1
    assert sorted(taken) == [(start, f"{start:02d}/QĐ-SKHCN"), (start + 1, f"{start + 1:02d}/QĐ-SKHCN")]
    assert DocumentSeries.objects.get().last_number == start + 1
