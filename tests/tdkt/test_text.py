import datetime
import unicodedata

import pytest

from tdkt.text import fold, nfc, ngay_thang_nam

pytestmark = pytest.mark.unit


def test_nfc_normalises_decomposed_text_and_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị  Hằng ")
    assert decomposed != "Nguyễn Thị Hằng"
    assert nfc(decomposed) == "Nguyễn Thị Hằng"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_removes_marks_and_d_stroke():
    assert fold("Đặng Thị Thủy") == "dang thi thuy"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2026, 1, 5), "Hưng Yên, ngày 05 tháng 01 năm 2026"),
        (datetime.date(2025, 2, 28), "Hưng Yên, ngày 28 tháng 02 năm 2025"),
        (datetime.date(2025, 3, 9), "Hưng Yên, ngày 09 tháng 3 năm 2025"),
        (datetime.date(2023, 11, 29), "Hưng Yên, ngày 29 tháng 11 năm 2023"),
    ],
)
def test_ngay_thang_nam_follows_nghi_dinh_30(date, expected):
    assert ngay_thang_nam(date, "Hưng Yên") == expected
