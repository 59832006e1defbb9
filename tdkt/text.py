"""Text helpers shared by every app: Unicode normalisation and official dates."""

import datetime
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value):
    """Return ``value`` in Unicode NFC with surrounding space trimmed and inner runs collapsed.

    Names arrive from Excel or macOS in NFD ("Nguyễn" as base letters + combining
    marks); stored in NFC they compare, sort and search as users expect.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def nfc_multiline(value):
    """NFC-normalise text that keeps its line breaks (achievement summaries, reasons)."""
    if value is None or not isinstance(value, str):
        return value
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", value).splitlines()]
    return "\n".join(lines).strip()


def fold(value):
    """Lower-case, accent-free form used for searching ("Nguyễn" → "nguyen", "Đ" → "d")."""
    value = nfc(value or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def ngay_thang_nam(value: datetime.date, place: str | None = None) -> str:
    """Date in the wording of Nghị định 30/2020: "Hưng Yên, ngày 05 tháng 01 năm 2026".

    Days below 10 and the months 1 and 2 take a leading zero; other months do not.
    """
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    text = f"ngày {day} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text
